"""The sandbox terminal's command line: a small shell around kubectl.

It understands quoting, ``|`` pipes (``kubectl create … -o yaml | kubectl
apply -f -``), ``>``/``>>`` redirection into sandbox files, and the programs a
learner needs beside kubectl (``curl``, ``ls``, ``cat``, ``edit``, ``help``,
``clear``, ``history``, ``echo``). Anything else answers like bash does.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass

from cluster.kubectl.base import Env, Output

MAX_LINE = 8192

Program = Callable[[Env, list[str]], Output]
PROGRAMS: dict[str, Program] = {}


def program(*names: str) -> Callable[[Program], Program]:
    def register(fn: Program) -> Program:
        for name in names:
            PROGRAMS[name] = fn
        return fn

    return register


@dataclass
class Stage:
    argv: list[str]
    redirect: str = ""
    append: bool = False


def split_pipeline(line: str) -> list[Stage]:
    """Tokenise like bash would for our purposes; raises ValueError with bash's wording."""
    try:
        lexer = shlex.shlex(line, posix=True, punctuation_chars="|>")
        lexer.whitespace_split = True
        lexer.commenters = "#"
        tokens = list(lexer)
    except ValueError:
        quote = '"' if line.count('"') % 2 else "'"
        raise ValueError(f"bash: unexpected EOF while looking for matching `{quote}'") from None
    stages: list[Stage] = [Stage([])]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok == "|":
            if not stages[-1].argv:
                raise ValueError("bash: syntax error near unexpected token `|'")
            stages.append(Stage([]))
        elif tok in (">", ">>"):
            if i + 1 >= len(tokens) or tokens[i + 1] in ("|", ">", ">>"):
                raise ValueError("bash: syntax error near unexpected token `newline'")
            stages[-1].redirect = tokens[i + 1]
            stages[-1].append = tok == ">>"
            i += 1
        else:
            stages[-1].argv.append(tok)
        i += 1
    if not stages[-1].argv and len(stages) > 1:
        raise ValueError("bash: syntax error near unexpected token `|'")
    return [s for s in stages if s.argv]


def run_line(env: Env, line: str) -> Output:
    """Run one terminal line; never raises for bad input."""
    if len(line) > MAX_LINE:
        out = Output(exit_code=1)
        out.err(f"bash: command line too long (more than {MAX_LINE} characters)")
        return out
    try:
        stages = split_pipeline(line)
    except ValueError as exc:
        out = Output(exit_code=2)
        out.err(str(exc))
        return out
    if not stages:
        return Output()
    result = Output()
    stdin = env.stdin
    earlier_errors: list[str] = []
    for index, stage in enumerate(stages):
        env.stdin = stdin
        result = run_argv(env, stage.argv)
        text = "\n".join(result.stdout)
        if stage.redirect:
            from cluster.kubectl.files import FileError

            try:
                _write_file(env, stage.redirect, text, stage.append)
            except FileError as exc:
                result.drop_stdout()
                result.err(f"bash: {exc}")
                result.exit_code = 1
                continue
            result.drop_stdout()
        if index < len(stages) - 1:
            stdin = text + "\n" if text else ""
            # stderr of earlier stages still reaches the terminal, as in bash
            earlier_errors += result.stderr
    env.stdin = None
    if earlier_errors:
        merged = Output(exit_code=result.exit_code, hints=result.hints, stream=result.stream, effects=result.effects)
        merged.err_lines(earlier_errors)
        for stream, line in result.lines:
            (merged.out if stream == "stdout" else merged.err)(line)
        result = merged
    return result


def _write_file(env: Env, path: str, text: str, append: bool) -> None:
    from cluster.kubectl.files import normalize_path

    name = normalize_path(path)
    content = (env.files.get(name, "") if append else "") + (text + "\n" if text else "")
    env.files[name] = content
    env.files_changed.add(name)


def run_argv(env: Env, argv: list[str]) -> Output:
    from cluster.kubectl import programs  # noqa: F401  (registers the programs)

    name = argv[0]
    fn = PROGRAMS.get(name)
    if fn is None:
        out = Output(exit_code=127)
        out.err(f"bash: {name}: command not found")
        return out
    try:
        return fn(env, argv[1:])
    except RecursionError:
        out = Output(exit_code=1)
        out.err("error: input nested too deeply")
        return out
