"""``-o yaml`` byte-for-byte: the Go JSON -> YAML path kubectl uses (sigs.k8s.io/yaml over go-yaml v2).

What users see and a naive ``yaml.dump`` gets wrong:

* keys sorted by go-yaml's "natural" order (digit runs compare numerically,
  non-letters before letters);
* block sequences are *not* indented under their key (``- image: nginx``);
* a string is quoted only when it would read back as something else: ``""``,
  ``"true"``, ``"80"``, ``"2026-11-25T04:18:53Z"`` (a YAML timestamp) get double
  quotes; strings that merely start with an indicator get single quotes;
  multi-line strings become ``|`` blocks;
* long plain or quoted strings are folded at a space once the line passes 80
  columns (libyaml's ``best_width``), continuing two spaces deeper.

The writers follow libyaml's emitter as ported in go-yaml v2 (scalar styles: ``yaml_scalars``).
Simplification: keys longer than 128 characters are still written as simple keys.
"""

from __future__ import annotations

from typing import Any

from cluster.kubectl.printers.gofmt import go_float
from cluster.kubectl.printers.yaml_scalars import BREAKS, printable, scalar_style, sorted_keys

BEST_WIDTH = 80


_ESCAPES = {
    "\x00": "0",
    "\x07": "a",
    "\x08": "b",
    "\t": "t",
    "\n": "n",
    "\x0b": "v",
    "\x0c": "f",
    "\r": "r",
    "\x1b": "e",
    '"': '"',
    "\\": "\\",
    "\x85": "N",
    "\xa0": "_",
    "\u2028": "L",
    "\u2029": "P",
}


class _Out:
    """Output with libyaml's column bookkeeping (for folding long scalars)."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.column = 0

    def put(self, text: str) -> None:
        self.parts.append(text)
        self.column += len(text)

    def newline(self) -> None:
        self.parts.append("\n")
        self.column = 0

    def start_line(self, indent: int) -> None:
        """Begin a new line at ``indent`` (no newline needed right after a block scalar's last break)."""
        if self.column > 0:
            self.newline()
        self.put(" " * indent)

    def fold(self, indent: int) -> None:
        self.newline()
        self.put(" " * indent)

    def text(self) -> str:
        return "".join(self.parts)


def _write_plain(out: _Out, value: str, indent: int, allow_breaks: bool) -> None:
    spaces = False
    for i, ch in enumerate(value):
        if ch == " ":
            next_space = i + 1 < len(value) and value[i + 1] == " "
            if allow_breaks and not spaces and out.column > BEST_WIDTH and not next_space:
                out.fold(indent)
            else:
                out.put(" ")
            spaces = True
        else:
            out.put(ch)
            spaces = False


def _write_single(out: _Out, value: str, indent: int, allow_breaks: bool) -> None:
    out.put("'")
    spaces = False
    for i, ch in enumerate(value):
        if ch == " ":
            inner = 0 < i < len(value) - 1 and value[i + 1] != " "
            if allow_breaks and not spaces and out.column > BEST_WIDTH and inner:
                out.fold(indent)
            else:
                out.put(" ")
            spaces = True
        else:
            out.put("''" if ch == "'" else ch)
            spaces = False
    out.put("'")


def _escape(ch: str) -> str:
    code = ord(ch)
    if ch in _ESCAPES:
        return "\\" + _ESCAPES[ch]
    if code <= 0xFF:
        return f"\\x{code:02X}"
    if code <= 0xFFFF:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


def _write_double(out: _Out, value: str, indent: int, allow_breaks: bool) -> None:
    out.put('"')
    spaces = False
    for i, ch in enumerate(value):
        if not printable(ch) or ch == "\ufeff" or ch in BREAKS or ch in '"\\':
            out.put(_escape(ch))
            spaces = False
        elif ch == " ":
            if allow_breaks and not spaces and out.column > BEST_WIDTH and 0 < i < len(value) - 1:
                out.fold(indent)
                if value[i + 1] == " ":
                    out.put("\\")
            else:
                out.put(" ")
            spaces = True
        else:
            out.put(ch)
            spaces = False
    out.put('"')


def _block_hints(value: str) -> str:
    hints = "2" if value[0] in " " + BREAKS else ""
    if value[-1] not in BREAKS:
        return hints + "-"
    if len(value) == 1 or value[-2] in BREAKS:
        return hints + "+"
    return hints


def _write_literal(out: _Out, value: str, indent: int) -> None:
    out.put("|" + _block_hints(value))
    out.newline()
    at_break = True
    for ch in value:
        if ch in BREAKS:
            out.newline()
            at_break = True
            continue
        if at_break:
            out.put(" " * indent)
            at_break = False
        out.put(ch)


def _write_string(out: _Out, value: str, indent: int, *, simple_key: bool) -> None:
    style = scalar_style(value, simple_key=simple_key)
    allow_breaks = not simple_key
    if style == "plain":
        _write_plain(out, value, indent, allow_breaks)
    elif style == "single":
        _write_single(out, value, indent, allow_breaks)
    elif style == "double":
        _write_double(out, value, indent, allow_breaks)
    else:
        _write_literal(out, value, indent)


def _scalar_text(value: Any) -> str | None:
    """Plain text of a non-string scalar, or ``None`` for strings and collections."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = go_float(value)
        return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)
    return None


def _write_value(out: _Out, value: Any, indent: int) -> None:
    """A value after ``key:`` or ``-`` (``indent`` is where its continuation lines go)."""
    if isinstance(value, str):
        out.put(" ")
        _write_string(out, value, indent, simple_key=False)
    elif isinstance(value, dict):
        out.put(" {}")
    elif isinstance(value, (list, tuple)):
        out.put(" []")
    else:
        out.put(" " + (_scalar_text(value) or str(value)))


def _emit_mapping(out: _Out, mapping: dict[str, Any], indent: int, inline_first: bool) -> None:
    for index, key in enumerate(sorted_keys(mapping)):
        if not (index == 0 and inline_first):
            out.start_line(indent)
        _write_string(out, str(key), indent + 2, simple_key=True)
        out.put(":")
        value = mapping[key]
        if isinstance(value, dict) and value:
            _emit_mapping(out, value, indent + 2, inline_first=False)
        elif isinstance(value, (list, tuple)) and value:
            _emit_sequence(out, list(value), indent, inline_first=False)
        else:
            _write_value(out, value, indent + 2)


def _emit_sequence(out: _Out, items: list[Any], indent: int, inline_first: bool) -> None:
    for index, item in enumerate(items):
        if not (index == 0 and inline_first):
            out.start_line(indent)
        out.put("-")
        if isinstance(item, dict) and item:
            out.put(" ")
            _emit_mapping(out, item, indent + 2, inline_first=True)
        elif isinstance(item, (list, tuple)) and item:
            out.put(" ")
            _emit_sequence(out, list(item), indent + 2, inline_first=True)
        else:
            _write_value(out, item, indent + 2)


def yaml_dump(value: Any) -> str:
    """Any JSON-like value as go-yaml v2 would marshal it (ends with a newline)."""
    out = _Out()
    if isinstance(value, dict) and value:
        _emit_mapping(out, value, 0, inline_first=True)
    elif isinstance(value, (list, tuple)) and value:
        _emit_sequence(out, list(value), 0, inline_first=True)
    elif isinstance(value, str):
        _write_string(out, value, 2, simple_key=False)
    elif isinstance(value, dict):
        out.put("{}")
    elif isinstance(value, (list, tuple)):
        out.put("[]")
    else:
        out.put(_scalar_text(value) or str(value))
    text = out.text()
    return text if text.endswith("\n") else text + "\n"
