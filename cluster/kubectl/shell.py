"""The sandbox terminal's command line: a small shell around kubectl.

It understands quoting, ``|`` pipes (``kubectl create … -o yaml | kubectl
apply -f -``), command lists (``;``, ``&&``, ``||``), redirection of stdout and
stderr into sandbox files or ``/dev/null`` (``>``, ``>>``, ``2>``, ``2>&1``,
``&>``) and of stdin from one (``<``), and the programs a learner needs beside
kubectl (``curl``, ``ls``, ``cat``, ``edit``, ``help``, ``clear``, ``history``,
``echo``). Anything else answers like bash does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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
class Redirect:
    """``fd`` goes to ``target``: a file, ``/dev/null``, or ``&N`` (wherever descriptor N goes)."""

    fd: int
    target: str
    append: bool = False


@dataclass
class Stage:
    argv: list[str]
    redirects: list[Redirect] = field(default_factory=list)
    stdin_file: str = ""


@dataclass
class Pipeline:
    stages: list[Stage]
    # How this pipeline joins the one before it: ";" (always), "&&" (if it succeeded), "||" (if it failed).
    joined_by: str = ";"


_OPERATORS = ("&&", "||", ">>", ">&", "&>", "|", ";", ">", "<", "&")


@dataclass(frozen=True)
class _Op:
    text: str


def _tokens(line: str) -> list[str | _Op]:
    """Words (quotes removed) and operators, as bash splits a simple command line.

    A word made only of digits right before ``>``/``<`` names a file descriptor (``2>&1``, ``2>/dev/null``).
    """
    out: list[str | _Op] = []
    word: list[str] = []
    started = quoted = False
    i, n = 0, len(line)

    def flush() -> None:
        nonlocal word, started, quoted
        if started:
            out.append("".join(word))
        word, started, quoted = [], False, False

    while i < n:
        c = line[i]
        if c in " \t\n":
            flush()
            i += 1
        elif c == "#" and not started:
            break
        elif c == "'":
            end = line.find("'", i + 1)
            if end < 0:
                raise ValueError("bash: unexpected EOF while looking for matching `''")
            word.append(line[i + 1 : end])
            started = quoted = True
            i = end + 1
        elif c == '"':
            i += 1
            while i < n and line[i] != '"':
                if line[i] == "\\" and i + 1 < n and line[i + 1] in '"\\$`':
                    i += 1
                word.append(line[i])
                i += 1
            if i >= n:
                raise ValueError("bash: unexpected EOF while looking for matching `\"'")
            started = quoted = True
            i += 1
        elif c == "\\":
            if i + 1 < n:
                word.append(line[i + 1])
                started = True
            i += 2
        else:
            op = next((o for o in _OPERATORS if line.startswith(o, i)), "")
            if not op:
                word.append(c)
                started = True
                i += 1
                continue
            if op[0] in "<>" and started and not quoted and "".join(word).isdigit():
                fd = "".join(word)
                word, started = [], False
                out.append(_Op(fd + op))
            else:
                flush()
                out.append(_Op(op))
            i += len(op)
    flush()
    return out


def _syntax_error(token: str) -> ValueError:
    return ValueError(f"bash: syntax error near unexpected token `{token}'")


def parse_line(line: str) -> list[Pipeline]:
    """A command list: pipelines joined by ``;``, ``&&`` and ``||``; raises ValueError with bash's wording."""
    tokens = _tokens(line)
    pipelines: list[Pipeline] = [Pipeline([Stage([])])]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        stage = pipelines[-1].stages[-1]
        if isinstance(tok, str):
            stage.argv.append(tok)
        elif tok.text in ("|", ";", "&&", "||"):
            if not stage.argv and not stage.redirects:
                raise _syntax_error(tok.text)
            if tok.text == "|":
                pipelines[-1].stages.append(Stage([]))
            else:
                pipelines.append(Pipeline([Stage([])], tok.text))
        elif tok.text == "&":
            raise ValueError("bash: background jobs (&) are not available in the sandbox terminal")
        else:
            target = tokens[i + 1] if i + 1 < len(tokens) else None
            if not isinstance(target, str):
                raise _syntax_error(target.text if isinstance(target, _Op) else "newline")
            op = tok.text
            digits = op.rstrip("<>&")
            fd = int(digits) if digits else (0 if op.endswith("<") else 1)
            symbol = op[len(digits) :]
            if symbol == "<":
                stage.stdin_file = target
            elif symbol == "&>":
                stage.redirects += [Redirect(1, target), Redirect(2, "&1")]
            elif symbol == ">&":
                stage.redirects.append(Redirect(fd, target if target == "/dev/null" else "&" + target))
            else:
                stage.redirects.append(Redirect(fd, target, append=symbol == ">>"))
            i += 1
        i += 1
    last = pipelines[-1]
    if not last.stages[-1].argv and not last.stages[-1].redirects:
        if len(last.stages) > 1:
            raise _syntax_error("|")
        if len(pipelines) > 1 and last.joined_by != ";":
            raise _syntax_error("newline")
        last.stages.pop()
    return [p for p in pipelines if p.stages]


def run_line(env: Env, line: str) -> Output:
    """Run one terminal line; never raises for bad input."""
    if len(line) > MAX_LINE:
        out = Output(exit_code=1)
        out.err(f"bash: command line too long (more than {MAX_LINE} characters)")
        return out
    try:
        pipelines = parse_line(line)
    except ValueError as exc:
        out = Output(exit_code=2)
        out.err(str(exc))
        return out
    if not pipelines:
        return Output()
    total = Output()
    last: Output | None = None
    for pipeline in pipelines:
        if last is not None and (
            (pipeline.joined_by == "&&" and last.exit_code) or (pipeline.joined_by == "||" and not last.exit_code)
        ):
            continue
        last = _run_pipeline(env, pipeline.stages)
        for stream, text in last.lines:
            (total.out if stream == "stdout" else total.err)(text)
        total.hints += last.hints
        total.effects += last.effects
    assert last is not None
    total.exit_code = last.exit_code
    total.stream = last.stream if last is not None and pipelines[-1].stages and len(pipelines) == 1 else None
    total.hints = total.hints[-1:]  # at most one plain-language hint per line
    return total


def _run_pipeline(env: Env, stages: list[Stage]) -> Output:
    result = Output()
    stdin = env.stdin
    to_terminal: list[tuple[str, str]] = []
    for index, stage in enumerate(stages):
        if stage.stdin_file:
            from cluster.kubectl.files import FileError, normalize_path

            try:
                name = normalize_path(stage.stdin_file)
            except FileError as exc:
                return _failed(f"bash: {exc}")
            if name not in env.files:
                return _failed(f"bash: {stage.stdin_file}: No such file or directory")
            stdin = env.files[name]
        env.stdin = stdin
        env.tty = index == len(stages) - 1 and not any(r.fd == 1 for r in stage.redirects)
        result = run_argv(env, stage.argv) if stage.argv else Output()
        try:
            routed = _route(env, result, stage.redirects)
        except ValueError as exc:
            result = _failed(str(exc))
            routed = [("stderr", text) for text in result.stderr]
        if index < len(stages) - 1:
            piped = [text for stream, text in routed if stream == "stdout"]
            stdin = "\n".join(piped) + "\n" if piped else ""
            # stderr of earlier stages still reaches the terminal, as in bash
            to_terminal += [(stream, text) for stream, text in routed if stream == "stderr"]
        else:
            to_terminal += routed
    env.stdin = None
    env.tty = True
    merged = Output(exit_code=result.exit_code, hints=result.hints, stream=result.stream, effects=result.effects)
    for stream, text in to_terminal:
        (merged.out if stream == "stdout" else merged.err)(text)
    return merged


def _failed(message: str) -> Output:
    out = Output(exit_code=1)
    out.err(message)
    return out


def _route(env: Env, result: Output, redirects: list[Redirect]) -> list[tuple[str, str]]:
    """Send each printed line where its descriptor points; what is left, in order, for the pipe or terminal.

    A line tagged "stdout" goes on down the pipe (or to the terminal at its end), "stderr" to the terminal.
    """
    from cluster.kubectl.files import FileError

    where: dict[int, str] = {1: "&stdout", 2: "&stderr"}
    for redirect in redirects:
        if redirect.fd not in (1, 2):
            continue
        if redirect.target.startswith("&"):
            source = redirect.target[1:]
            if source not in ("1", "2"):
                problem = "Bad file descriptor" if source.isdigit() else "ambiguous redirect"
                raise ValueError(f"bash: {source}: {problem}")
            where[redirect.fd] = where[int(source)]
            continue
        where[redirect.fd] = redirect.target
        if redirect.target != "/dev/null":
            try:
                _write_file(env, redirect.target, "", redirect.append)  # bash creates or truncates it first
            except FileError as exc:
                raise ValueError(f"bash: {exc}") from None
    routed: list[tuple[str, str]] = []
    files: dict[str, list[str]] = {}
    for stream, text in result.lines:
        target = where[1 if stream == "stdout" else 2]
        if target.startswith("&"):
            routed.append((target[1:], text))
        elif target != "/dev/null":
            files.setdefault(target, []).append(text)
    for target, lines in files.items():
        _write_file(env, target, "\n".join(lines), append=True)
    return routed


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
