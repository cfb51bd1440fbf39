"""A pflag-compatible flag parser: what makes ``kubectl get po -n dev -o=wide --watch`` parse like cobra.

Flags may come before or after positional arguments, as ``--name=value``,
``--name value``, ``-n value``, ``-nvalue`` or combined boolean shorthands
(``-it``); ``--`` ends flag parsing. Errors use pflag's exact texts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class FlagError(ValueError):
    """A command-line error; kubectl prints it as ``error: <msg>`` plus a usage hint."""


@dataclass(frozen=True)
class Flag:
    name: str
    kind: str = "string"  # string | bool | int | duration | stringArray | stringSlice
    short: str = ""
    default: Any = None
    help: str = ""
    no_opt_default: str | None = None  # value when given without one (e.g. --dry-run → "unchanged")

    def initial(self) -> Any:
        if self.default is not None:
            return list(self.default) if isinstance(self.default, list) else self.default
        return {"bool": False, "int": 0, "stringArray": [], "stringSlice": []}.get(self.kind, "")


@dataclass
class Parsed:
    args: list[str] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    given: set[str] = field(default_factory=set)
    after_dash: list[str] = field(default_factory=list)
    dash_index: int = -1

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def has(self, name: str) -> bool:
        return name in self.given


def _convert(flag: Flag, raw: str, shown: str) -> Any:
    if flag.kind == "bool":
        lowered = raw.lower()
        if lowered in ("true", "1", "t"):
            return True
        if lowered in ("false", "0", "f"):
            return False
        raise FlagError(
            f'invalid argument "{raw}" for "{shown}" flag: strconv.ParseBool: parsing "{raw}": invalid syntax'
        )
    if flag.kind == "int":
        try:
            return int(raw)
        except ValueError:
            raise FlagError(
                f'invalid argument "{raw}" for "{shown}" flag: strconv.ParseInt: parsing "{raw}": invalid syntax'
            ) from None
    return raw


def _store(parsed: Parsed, flag: Flag, value: Any) -> None:
    if flag.kind == "stringArray":
        parsed.values[flag.name].append(value)
    elif flag.kind == "stringSlice":
        parsed.values[flag.name].extend(v for v in str(value).split(",") if v != "")
    else:
        parsed.values[flag.name] = value
    parsed.given.add(flag.name)


def parse(tokens: list[str], flags: list[Flag]) -> Parsed:
    by_name = {f.name: f for f in flags}
    by_short = {f.short: f for f in flags if f.short}
    parsed = Parsed(values={f.name: f.initial() for f in flags})
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok == "--":
            parsed.dash_index = len(parsed.args)
            parsed.after_dash = tokens[i:]
            break
        if tok.startswith("--") and len(tok) > 2:
            name, eq, raw = tok[2:].partition("=")
            flag = by_name.get(name)
            if flag is None:
                raise FlagError(f"unknown flag: --{name}")
            shown = f"--{name}"
            if eq:
                _store(parsed, flag, _convert(flag, raw, shown))
            elif flag.kind == "bool":
                _store(parsed, flag, True)
            elif flag.no_opt_default is not None:
                _store(parsed, flag, flag.no_opt_default)
            elif i < len(tokens):
                _store(parsed, flag, _convert(flag, tokens[i], shown))
                i += 1
            else:
                raise FlagError(f"flag needs an argument: --{name}")
            continue
        if tok.startswith("-") and len(tok) > 1 and tok != "-":
            i = _parse_shorts(tok, tokens, i, by_short, parsed)
            continue
        parsed.args.append(tok)
    return parsed


def _parse_shorts(tok: str, tokens: list[str], i: int, by_short: dict[str, Flag], parsed: Parsed) -> int:
    chars = tok[1:]
    j = 0
    while j < len(chars):
        c = chars[j]
        flag = by_short.get(c)
        if flag is None:
            raise FlagError(f"unknown shorthand flag: '{c}' in {tok}")
        shown = f"-{c}"
        rest = chars[j + 1 :]
        if flag.kind == "bool":
            if rest.startswith("="):
                _store(parsed, flag, _convert(flag, rest[1:], shown))
                return i
            _store(parsed, flag, True)
            j += 1
            continue
        if rest:
            _store(parsed, flag, _convert(flag, rest[1:] if rest.startswith("=") else rest, shown))
            return i
        if flag.no_opt_default is not None:
            _store(parsed, flag, flag.no_opt_default)
            return i
        if i < len(tokens):
            _store(parsed, flag, _convert(flag, tokens[i], shown))
            return i + 1
        raise FlagError(f"flag needs an argument: '{c}' in {tok}")
    return i
