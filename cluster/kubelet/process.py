"""What a container's main process does once started: serve, exit, or ignore SIGTERM.

The course's manifests run real images with small commands —
``sleep 3600``, ``sh -c "echo hello && sleep 5"``, ``["sh","-c","exit 1"]`` —
and the pod's life (Running, Completed, Error, CrashLoopBackOff, a 30 s
termination) follows from what that process does. Rather than run anything,
this module reads the command the way ``sh`` would and predicts: how long it
runs, its exit code, what it prints, and whether it exits on SIGTERM.

Simplifications: a tiny subset of ``sh``: ``;``, ``&&``, ``||`` and
newlines; ``sleep``, ``echo``/``printf``, ``exit``, ``true``/``false``,
``tail -f`` and a list of quick utilities; ``while``/``until`` loops are
taken to run forever; an unrecognised program is assumed to be a server that
runs until stopped. Variables and command substitutions are not expanded.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any

from cluster.kubelet.images import ImageInfo

SHELLS = {"sh", "bash", "ash", "dash", "zsh"}
# Programs that do their job and exit 0 at once (when run without a terminal or input).
QUICK = {
    "cat", "cd", "cp", "curl", "date", "df", "du", "env", "export", "free", "grep", "head", "hostname", "id",
    "ls", "mkdir", "mv", "nslookup", "ping", "printenv", "ps", "pwd", "rm", "set", "test", "touch", "uname",
    "wc", "wget", "whoami", "[",
}  # fmt: skip
# Reserved words that open or close a compound command: skipped where a command would start.
_KEYWORDS = {"(", ")", "{", "}", "do", "done", "then", "else", "elif", "fi", "esac"}
_SLEEP = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_UNIT_MS = {"": 1000, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}


@dataclass(frozen=True)
class Process:
    """The predicted life of a container's main process."""

    exit_after_ms: int | None  # None: runs until stopped
    exit_code: int = 0
    stop_ms: int | None = None  # time to exit on SIGTERM; None: ignores it (PID 1 without a handler)
    output: tuple[tuple[int, str], ...] = ()  # (ms after start, line) printed to stdout


@dataclass
class _Run:
    """Interpreter state while walking a script."""

    elapsed_ms: int = 0
    code: int = 0
    forever: bool = False
    exited: bool = False
    output: list[tuple[int, str]] | None = None

    def say(self, line: str) -> None:
        assert self.output is not None
        self.output.append((self.elapsed_ms, line))


def _sleep(run: _Run, args: list[str]) -> None:
    if args and args[0] == "infinity":
        run.forever = True
        return
    match = _SLEEP.match(args[0]) if args else None
    if match is None:
        run.say("sleep: invalid number" if args else "BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.")
        run.code = 1
        return
    run.elapsed_ms += int(float(match[1]) * _UNIT_MS[match[2]])
    run.code = 0


def _simple(run: _Run, words: list[str]) -> None:
    """Run one simple command (no operators)."""
    program = words[0].rsplit("/", 1)[-1]
    args = words[1:]
    if program == "sleep":
        _sleep(run, args)
    elif program in ("echo", "printf"):
        text = " ".join(a for a in args if a not in ("-n", "-e"))
        run.say(text.replace("\\n", "\n").rstrip("\n") if program == "printf" else text)
        run.code = 0
    elif program == "exit":
        run.code = int(args[0]) % 256 if args and args[0].lstrip("-").isdigit() else run.code
        run.exited = True
    elif program in ("true", ":"):
        run.code = 0
    elif program == "false":
        run.code = 1
    elif program == "tail" and any(a in ("-f", "-F") for a in args):
        run.forever = True
    elif program in QUICK or program == "tail":
        run.code = 0
    elif program in SHELLS and len(args) >= 2 and args[0].startswith("-") and args[0].endswith("c"):
        _script(run, args[1])
    elif program == "exec" and args:
        _simple(run, args)
    elif program in ("for", "if", "case"):
        run.code = 0  # loop and branch headers: their bodies are walked as plain commands
    elif program in ("while", "until"):
        run.forever = not (program == "while" and args[:1] == ["false"])
    else:
        run.forever = True  # a server: nginx, python app.py, redis-server, …


def _tokens(script: str) -> list[str]:
    lexer = shlex.shlex(script.replace("\n", " ; "), posix=True, punctuation_chars=";&|()")
    lexer.whitespace_split = True
    return list(lexer)


def _script(run: _Run, script: str) -> None:
    """Walk ``cmd1 && cmd2 ; cmd3 || cmd4`` left to right, honouring short-circuits."""
    try:
        tokens = _tokens(script)
    except ValueError:
        run.say("sh: syntax error: unterminated quoted string")
        run.code, run.exited = 2, True
        return
    words: list[str] = []
    skip = False
    for token in [*tokens, ";"]:
        if token not in (";", "&&", "||", "&", "|", ";;"):
            if words or token not in _KEYWORDS:
                words.append(token)
            continue
        if words and not skip:
            _simple(run, words)
        words = []
        if run.forever or run.exited:
            return
        skip = (token == "&&" and run.code != 0) or (token == "||" and run.code == 0)


def _interpret(argv: list[str]) -> Process:
    run = _Run(output=[])
    _simple(run, argv)
    assert run.output is not None
    exit_after = None if run.forever else run.elapsed_ms
    return Process(exit_after, run.code, None, tuple(run.output))


def plan_process(container: dict[str, Any], image: ImageInfo) -> Process:
    """What ``container`` will do when started from ``image``.

    ``command`` replaces the image's entrypoint and ``args`` its default
    command; the built-in images have no entrypoint that matters, so the two
    are simply joined. Without either, the image's default process runs.
    """
    argv = [str(a) for a in (container.get("command") or [])] + [str(a) for a in (container.get("args") or [])]
    if not argv:
        return Process(image.exit_after_ms, image.exit_code, image.stop_ms)
    planned = _interpret(argv)
    program = argv[0].rsplit("/", 1)[-1]
    if planned.exit_after_ms is None and program not in SHELLS and program not in ("sleep", "tail"):
        # An overriding server command still handles SIGTERM like the image's own process.
        return Process(None, 0, image.stop_ms, planned.output)
    return planned
