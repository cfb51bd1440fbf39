"""Which YAML scalars need quotes, and how mapping keys are ordered (go-yaml v2 + libyaml rules).

A string is written plain unless it would read back as something else (go-yaml's
``resolve``: booleans like ``yes``/``off``, ``null``/``~``/``""``, numbers in any
Go base, YAML timestamps); then it is double-quoted. A plain-eligible string that
merely *looks* like YAML syntax (``- x``, ``a: b``, ``{...}``) is single-quoted,
one with control characters double-quoted, a multi-line one a ``|`` block
(libyaml's ``analyze_scalar``/``select_scalar_style``).
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

BREAKS = "\r\n\x85\u2028\u2029"
_FIRST_BOTH = set("#,[]{}&*!|>'\"%@`")
_RESOLVE_TO_NON_STRING = {
    *["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"],
    *["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"],
    *["", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", "<<"],
    *[sign + inf for sign in ("", "+", "-") for inf in (".inf", ".Inf", ".INF")],
}
_GO_INT = re.compile(r"^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$")
_YAML_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_DOT_FLOAT = re.compile(r"^\.[0-9]+([eE][-+]?[0-9]+)?$")
_BASE60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))"
    r"|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?$"
)


# --- key order -------------------------------------------------------------------------------------------------


def _key_less(a: str, b: str) -> bool:
    """go-yaml v2 ``keyList.Less`` for two string keys."""
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        a_letter, b_letter = a[i].isalpha(), b[i].isalpha()
        if a_letter and b_letter:
            return a[i] < b[i]
        if a_letter or b_letter:
            return b_letter
        a_num = b_num = 0
        if a[i] == "0" or b[i] == "0":
            j = i - 1
            while j >= 0 and a[j].isdigit():
                if a[j] != "0":
                    a_num = b_num = 1
                    break
                j -= 1
        a_end, b_end = i, i
        while a_end < len(a) and a[a_end].isdigit():
            a_num = a_num * 10 + int(a[a_end])
            a_end += 1
        while b_end < len(b) and b[b_end].isdigit():
            b_num = b_num * 10 + int(b[b_end])
            b_end += 1
        if a_num != b_num:
            return a_num < b_num
        if a_end != b_end:
            return a_end < b_end
        return a[i] < b[i]
    return len(a) < len(b)


def sorted_keys(mapping: dict[str, Any]) -> list[str]:
    def compare(a: str, b: str) -> int:
        return -1 if _key_less(a, b) else (1 if _key_less(b, a) else 0)

    return sorted(mapping, key=functools.cmp_to_key(compare))


# --- which strings need quotes ---------------------------------------------------------------------------------


def _is_timestamp(text: str) -> bool:
    match = _TIMESTAMP.match(text)
    if match is None:
        return False
    try:
        date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return False
    clock = match.group(4, 5, 6) if match.group(4) else match.group(7, 8, 9)
    if clock[0] is None:
        return True
    hour, minute, second = (int(part) for part in clock)
    return hour < 24 and minute < 60 and second < 60


def resolves_to_non_string(text: str) -> bool:
    """Would ``text`` written plain read back as a bool, null, number or timestamp (go-yaml v2 ``resolve``)?"""
    if text in _RESOLVE_TO_NON_STRING:
        return True
    first = text[0]
    if first.isdigit() or first in "+-":
        if first.isdigit() and _is_timestamp(text):
            return True
        plain = text.replace("_", "")
        return bool(_GO_INT.match(plain) or _YAML_FLOAT.match(plain))
    if first == ".":
        return bool(_DOT_FLOAT.match(text))
    return False


def printable(ch: str) -> bool:
    code = ord(ch)
    return (
        code == 0x0A or 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xD7FF or (0xE000 <= code <= 0xFFFD and code != 0xFEFF)
    )


@dataclass
class _Allowed:
    block_plain: bool = True
    single_quoted: bool = True
    block: bool = True


def _indicators(value: str) -> tuple[bool, bool]:
    """(flow_indicators, block_indicators) from libyaml's ``analyze_scalar``."""
    flow = block = value.startswith(("---", "..."))
    preceded_by_ws = True
    for i, ch in enumerate(value):
        followed_by_ws = i + 1 >= len(value) or value[i + 1] in " \t"
        if i == 0:
            if ch in _FIRST_BOTH or (ch == "-" and followed_by_ws):
                flow = block = True
            elif ch in "?:":
                flow = True
                block = block or followed_by_ws
        elif ch in ",?[]{}":
            flow = True
        elif ch == ":":
            flow = True
            block = block or followed_by_ws
        elif ch == "#" and preceded_by_ws:
            flow = block = True
        preceded_by_ws = ch in " \t" or ch in BREAKS
    return flow, block


def _analyze(value: str) -> _Allowed:
    if not value:
        return _Allowed(block_plain=True, single_quoted=True, block=False)
    _, block_indicators = _indicators(value)
    special = any(not printable(ch) for ch in value)
    line_breaks = any(ch in BREAKS for ch in value)
    space_break = break_space = False
    for previous, current in itertools.pairwise(value):
        space_break = space_break or (previous == " " and current in BREAKS)
        break_space = break_space or (previous in BREAKS and current == " ")
    edge_space = value[0] == " " or value[-1] == " "
    edge_break = value[0] in BREAKS or value[-1] in BREAKS
    allowed = _Allowed()
    if edge_space or edge_break or line_breaks or block_indicators:
        allowed.block_plain = False
    if value[-1] == " ":
        allowed.block = False
    if break_space:
        allowed.block_plain = allowed.single_quoted = False
    if space_break or special:
        allowed = _Allowed(block_plain=False, single_quoted=False, block=False)
    return allowed


def scalar_style(value: str, *, simple_key: bool = False) -> str:
    """``plain``, ``single``, ``double`` or ``literal``: go-yaml's request, then libyaml's downgrades."""
    if "\n" in value:
        style = "literal"
    elif not resolves_to_non_string(value) and not _BASE60.match(value):
        style = "plain"
    else:
        style = "double"
    allowed = _analyze(value)
    if style == "plain" and not allowed.block_plain:
        style = "single"
    if style == "single" and not allowed.single_quoted:
        style = "double"
    if style == "literal" and (not allowed.block or simple_key):
        style = "double"
    return style
