"""The parser of kubectl's JSONPath templates (client-go util/jsonpath/parser.go).

A template is literal text with ``{...}`` actions; an action is a chain of
nodes (fields, ``[...]`` slices/unions/filters, ``..``, quoted text, numbers,
``range``/``end``). Parse errors carry client-go's messages (``unclosed
action``, ``unterminated array`` ...) because kubectl shows them verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_TERMINATORS = set(" \t\r\n.,[]$@{}")
_DICT_KEY = re.compile(r"^'([^']*)'$")
_SLICE = re.compile(r"^(-?[\d]*)(:-?[\d]*)?(:-?[\d]*)?$")
_FILTER = re.compile(r"^([^!<>=]+)([!<>=~]+)(.+?)$", re.DOTALL)


class JSONPathError(Exception):
    """A parse or evaluation error, with client-go's message."""


# --- nodes -----------------------------------------------------------------------------------------------------


@dataclass
class ListNode:
    nodes: list[Any] = field(default_factory=list)


@dataclass
class TextNode:
    text: str


@dataclass
class FieldNode:
    name: str


@dataclass
class WildcardNode:
    pass


@dataclass
class RecursiveNode:
    pass


@dataclass
class Param:
    value: int = 0
    known: bool = False
    derived: bool = False


@dataclass
class ArrayNode:
    params: tuple[Param, Param, Param]


@dataclass
class UnionNode:
    lists: list[ListNode]


@dataclass
class FilterNode:
    left: ListNode
    right: ListNode
    operator: str


@dataclass
class LiteralNode:
    """Int, float or bool literal (``IntNode``/``FloatNode``/``BoolNode``)."""

    value: Any


@dataclass
class IdentifierNode:
    name: str


# --- parser ----------------------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.input = text
        self.pos = 0
        self.start = 0
        self.root = ListNode()

    def peek(self) -> str:
        return self.input[self.pos] if self.pos < len(self.input) else ""

    def next(self) -> str:
        ch = self.peek()
        if ch:
            self.pos += 1
        return ch

    def consume(self) -> str:
        value = self.input[self.start : self.pos]
        self.start = self.pos
        return value

    def parse(self) -> ListNode:
        self._parse_text()
        return self.root

    def _parse_text(self) -> None:
        while True:
            index = self.input.find("{", self.pos)
            if index < 0:
                self.pos = len(self.input)
                if self.pos > self.start:
                    self.root.nodes.append(TextNode(self.consume()))
                return
            self.pos = index
            if self.pos > self.start:
                self.root.nodes.append(TextNode(self.consume()))
            self.pos += 1
            self.consume()
            action = ListNode()
            self.root.nodes.append(action)
            self._parse_action(action)

    def _parse_action(self, cur: ListNode) -> None:
        """Parse the inside of one ``{...}`` up to and including its closing brace."""
        while True:
            rest = self.input[self.pos :]
            if rest.startswith("}"):
                self.pos += 1
                self.consume()
                return
            if rest.startswith("[?("):
                self._parse_filter(cur)
                continue
            if rest.startswith(".."):
                self._parse_recursive(cur)
                continue
            ch = self.next()
            if ch == "" or ch in "\r\n":
                raise JSONPathError("unclosed action")
            if ch in " @$":
                self.consume()
            elif ch == "[":
                self._parse_array(cur)
            elif ch in "\"'":
                self._parse_quote(cur, ch)
            elif ch == ".":
                self._parse_field(cur)
            elif ch in "+-" or ch.isdigit():
                self.pos -= 1
                self._parse_number(cur)
            elif ch == "_" or ch.isalnum():
                self.pos -= 1
                self._parse_identifier(cur)
            else:
                raise JSONPathError(f"unrecognized character in action: U+{ord(ch):04X} '{ch}'")

    def _parse_identifier(self, cur: ListNode) -> None:
        while self.peek() not in _TERMINATORS and self.peek() != "":
            self.pos += 1
        value = self.consume()
        cur.nodes.append(LiteralNode(value == "true") if value in ("true", "false") else IdentifierNode(value))

    def _parse_recursive(self, cur: ListNode) -> None:
        if cur.nodes and isinstance(cur.nodes[-1], RecursiveNode):
            raise JSONPathError("invalid multiple recursive descent")
        self.pos += 2
        self.consume()
        cur.nodes.append(RecursiveNode())
        if self.peek() == "_" or self.peek().isalnum():
            self._parse_field(cur)

    def _parse_number(self, cur: ListNode) -> None:
        if self.peek() in ("+", "-"):
            self.pos += 1
        while self.peek() == "." or self.peek().isdigit():
            self.pos += 1
        value = self.consume()
        try:
            cur.nodes.append(LiteralNode(int(value)))
            return
        except ValueError:
            pass
        try:
            cur.nodes.append(LiteralNode(float(value)))
        except ValueError:
            raise JSONPathError(f"cannot parse number {value}") from None

    def _parse_array(self, cur: ListNode) -> None:
        while True:
            ch = self.next()
            if ch in ("", "\n"):
                raise JSONPathError("unterminated array")
            if ch == "]":
                break
        text = self.consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            cur.nodes.append(UnionNode([parse_action(f"[{part.strip(' ')}]") for part in parts]))
            return
        key = _DICT_KEY.match(text)
        if key:
            cur.nodes.extend(parse_action(f".{key.group(1)}").nodes)
            return
        cur.nodes.append(ArrayNode(_slice_params(text)))

    def _parse_filter(self, cur: ListNode) -> None:
        self.pos += 3
        self.consume()
        begin = end = False
        pair = ""
        while True:
            ch = self.next()
            if ch in ("", "\n"):
                raise JSONPathError("unterminated filter")
            if ch in "\"'":
                if not begin:
                    begin, pair = True, ch
                    continue
                if self.input[self.pos - 2] != "\\" and ch == pair:
                    end = True
            elif ch == ")" and begin == end:
                break
        if self.next() != "]":
            raise JSONPathError("unclosed array expect ]")
        text = self.consume()[:-2]
        match = _FILTER.match(text)
        if match is None:
            cur.nodes.append(FilterNode(parse_action(text), ListNode(), "exists"))
        else:
            cur.nodes.append(FilterNode(parse_action(match.group(1)), parse_action(match.group(3)), match.group(2)))

    def _parse_quote(self, cur: ListNode, quote: str) -> None:
        while True:
            ch = self.next()
            if ch in ("", "\n"):
                raise JSONPathError("unterminated quoted string")
            if ch == quote and self.input[self.pos - 2] != "\\":
                break
        value = self.consume()
        cur.nodes.append(TextNode(_unquote(value)))

    def _parse_field(self, cur: ListNode) -> None:
        self.consume()
        while True:
            ch = self.peek()
            if ch == "\\":
                self.pos += 2
            elif ch == "" or ch in _TERMINATORS:
                break
            else:
                self.pos += 1
        value = self.consume()
        cur.nodes.append(WildcardNode() if value == "*" else FieldNode(value.replace("\\", "")))


def _slice_params(text: str) -> tuple[Param, Param, Param]:
    match = _SLICE.match(text)
    if match is None:
        raise JSONPathError(f"invalid array index {text}")
    params = (Param(), Param(), Param())
    for i, raw in enumerate(match.groups()):
        raw = raw or ""
        if raw:
            raw = raw[1:] if i > 0 else raw
            if i > 0 and raw == "":
                continue
            try:
                params[i].value, params[i].known = int(raw), True
            except ValueError:
                raise JSONPathError(f"array index {raw} is not a number") from None
        elif i == 1:
            params[1].value, params[1].known, params[1].derived = params[0].value + 1, True, True
    return params


_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def _unquote(quoted: str) -> str:
    """client-go ``UnquoteExtend``: Go string unquoting that also accepts single quotes."""
    quote, body = quoted[0], quoted[1:-1]
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            if ch == quote:
                raise JSONPathError(f"unquote string {quoted} error invalid syntax")
            out.append(ch)
            i += 1
            continue
        i = _unescape(body, i + 1, quote, quoted, out)
    return "".join(out)


def _unescape(body: str, i: int, quote: str, quoted: str, out: list[str]) -> int:
    code = body[i] if i < len(body) else ""
    if code in _SIMPLE_ESCAPES:
        out.append(_SIMPLE_ESCAPES[code])
        return i + 1
    if code == quote:
        out.append(quote)
        return i + 1
    digits = {"x": 2, "u": 4, "U": 8}.get(code)
    try:
        if digits:
            out.append(chr(int(body[i + 1 : i + 1 + digits], 16)))
            return i + 1 + digits
        if code in "01234567" and code:
            out.append(chr(int(body[i : i + 3], 8)))
            return i + 3
    except ValueError:
        pass
    raise JSONPathError(f"unquote string {quoted} error invalid syntax")


def parse_action(text: str) -> ListNode:
    root = _Parser("{" + text + "}").parse()
    node = root.nodes[0]
    assert isinstance(node, ListNode)
    return node


def parse(template: str) -> ListNode:
    """Parse a template; raises ``JSONPathError`` with client-go's message."""
    return _Parser(template).parse()
