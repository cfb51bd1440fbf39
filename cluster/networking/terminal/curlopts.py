"""curl's command line: the options a learner uses, parsed the way curl parses them.

Short options bundle (``-sSL``, ``-so /dev/null``), a short option's value may
be attached (``-o/dev/null``) and long options take ``--opt value`` or
``--opt=value``. Errors use curl's own wording and exit code 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TRY = "curl: try 'curl --help' or 'curl --manual' for more information"

# long name -> (attribute, takes a value)
LONG: dict[str, tuple[str, bool]] = {
    "include": ("include", False),
    "head": ("head", False),
    "silent": ("silent", False),
    "show-error": ("show_error", False),
    "verbose": ("verbose", False),
    "output": ("output", True),
    "write-out": ("write_out", True),
    "max-time": ("max_time", True),
    "connect-timeout": ("connect_timeout", True),
    "header": ("headers", True),
    "request": ("method", True),
    "data": ("data", True),
    "data-raw": ("data", True),
    "data-binary": ("data", True),
    "data-urlencode": ("data", True),
    "fail": ("fail", False),
    "location": ("location", False),
    "insecure": ("insecure", False),
    "user-agent": ("user_agent", True),
    "referer": ("referer", True),
    "url": ("urls", True),
    "help": ("help", False),
    "version": ("version", False),
    "no-progress-meter": ("no_progress", False),
    "compressed": ("ignored", False),
    "http1.1": ("ignored", False),
    "globoff": ("ignored", False),
    "user": ("ignored_value", True),
    "retry": ("ignored_value", True),
}
SHORT: dict[str, str] = {
    "i": "include", "I": "head", "s": "silent", "S": "show-error", "v": "verbose", "o": "output",
    "w": "write-out", "m": "max-time", "H": "header", "X": "request", "d": "data", "f": "fail",
    "L": "location", "k": "insecure", "A": "user-agent", "e": "referer", "h": "help", "V": "version",
    "u": "user", "g": "globoff",
}  # fmt: skip


class CurlUsageError(ValueError):
    """A command-line error: printed as is, exit code 2."""


@dataclass
class CurlOptions:
    urls: list[str] = field(default_factory=list)
    include: bool = False
    head: bool = False
    silent: bool = False
    show_error: bool = False
    verbose: bool = False
    output: str = ""
    write_out: str = ""
    max_time: str = ""
    connect_timeout: str = ""
    headers: list[str] = field(default_factory=list)
    method: str = ""
    data: str | None = None
    fail: bool = False
    location: bool = False
    insecure: bool = False
    user_agent: str = ""
    referer: str = ""
    help: bool = False
    version: bool = False
    no_progress: bool = False
    ignored: bool = False
    ignored_value: str = ""


def _set(opts: CurlOptions, attr: str, value: str | bool) -> None:
    current = getattr(opts, attr)
    if isinstance(current, list):
        current.append(value)
    elif attr == "data" and isinstance(value, str) and opts.data is not None:
        opts.data = f"{opts.data}&{value}"  # repeated -d are joined with &
    else:
        setattr(opts, attr, value)


def _seconds(text: str, option: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise CurlUsageError(f"curl: option {option}: expected a proper numerical parameter\n{TRY}") from None
    return value


def parse(argv: list[str]) -> CurlOptions:
    opts = CurlOptions()
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg.startswith("--") and len(arg) > 2:
            name, eq, inline = arg[2:].partition("=")
            spec = LONG.get(name)
            if spec is None:
                raise CurlUsageError(f"curl: option {arg}: is unknown\n{TRY}")
            attr, needs = spec
            if not needs:
                _set(opts, attr, True)
                continue
            if not eq:
                if i >= len(argv):
                    raise CurlUsageError(f"curl: option --{name}: requires parameter\n{TRY}")
                inline, i = argv[i], i + 1
            _set(opts, attr, inline)
        elif arg.startswith("-") and len(arg) > 1:
            i = _short(opts, arg, argv, i)
        else:
            opts.urls.append(arg)
    for option, text in (("--max-time", opts.max_time), ("--connect-timeout", opts.connect_timeout)):
        if text:
            _seconds(text, option)
    return opts


def _short(opts: CurlOptions, arg: str, argv: list[str], i: int) -> int:
    letters = arg[1:]
    for pos, letter in enumerate(letters):
        name = SHORT.get(letter)
        if name is None:
            raise CurlUsageError(f"curl: option -{letter}: is unknown\n{TRY}")
        attr, needs = LONG[name]
        if not needs:
            _set(opts, attr, True)
            continue
        rest = letters[pos + 1 :]
        if rest:
            _set(opts, attr, rest)
            return i
        if i >= len(argv):
            raise CurlUsageError(f"curl: option -{letter}: requires parameter\n{TRY}")
        _set(opts, attr, argv[i])
        return i + 1
    return i


def seconds(text: str) -> float:
    return float(text) if text else 0.0
