"""The label selector string syntax (``labels.Parse``), with apimachinery's lexer and messages.

Grammar: ``[!]KEY [(in|notin) (V,…) | (=|==|!=|>|<) V]`` joined by commas
(AND). Quirks kept on purpose: ``in``/``notin`` are ordinary identifiers in
value position, ``()``/``(,)`` denote the empty value, a missing exact value
means ``""``, and an invalid key fails with a ``<nil>`` field path, exactly
the text ``kubectl get -l`` shows.
"""

from __future__ import annotations

from cluster.core.errors import invalid
from cluster.core.labels.selector import (
    BINARY_OPERATORS,
    DOES_NOT_EXIST,
    DOUBLE_EQUALS,
    EQUALS,
    EXISTS,
    GREATER_THAN,
    IN,
    LESS_THAN,
    NOT_EQUALS,
    NOT_IN,
    Requirement,
    Selector,
    SelectorError,
    everything,
    new_requirement,
)
from cluster.core.labels.validation import qualified_name_errors

_WHITESPACE = " \t\r\n"
_SPECIAL = "=!(),><"
# Every token but identifiers is identified by its literal text.
_TOKENS = frozenset({"(", ")", ",", "!", "==", "=", ">", "<", "!=", "in", "notin"})
_ID, _EOS = "identifier", "end"
_OPERATOR_TOKENS = {
    "in": IN,
    "notin": NOT_IN,
    "=": EQUALS,
    "==": DOUBLE_EQUALS,
    "!=": NOT_EQUALS,
    ">": GREATER_THAN,
    "<": LESS_THAN,
}


def _lex(text: str) -> list[tuple[str, str]]:
    """Tokens as (kind, literal); keywords ``in``/``notin`` are told apart from identifiers by the parser."""
    items: list[tuple[str, str]] = []
    pos = 0
    while True:
        while pos < len(text) and text[pos] in _WHITESPACE:
            pos += 1
        if pos >= len(text):
            items.append((_EOS, ""))
            return items
        if text[pos] in _SPECIAL:
            end = pos + 1
            if text[pos : pos + 2] in ("!=", "=="):
                end = pos + 2
            items.append((text[pos:end], text[pos:end]))
        else:
            end = pos
            while end < len(text) and text[end] not in _SPECIAL and text[end] not in _WHITESPACE:
                end += 1
            word = text[pos:end]
            items.append((word if word in _TOKENS else _ID, word))
        pos = end


class _Parser:
    def __init__(self, text: str) -> None:
        self.items = _lex(text)
        self.pos = 0

    def peek(self, values: bool = True) -> tuple[str, str]:
        return self._as(self.items[self.pos], values)

    def take(self, values: bool = True) -> tuple[str, str]:
        self.pos += 1
        return self._as(self.items[self.pos - 1], values)

    @staticmethod
    def _as(item: tuple[str, str], values: bool) -> tuple[str, str]:
        """In value context the keywords ``in``/``notin`` are plain identifiers."""
        return (_ID, item[1]) if values and item[0] in (IN, NOT_IN) else item

    def parse(self) -> list[Requirement]:
        requirements: list[Requirement] = []
        while True:
            tok, lit = self.peek()
            if tok == _EOS:
                return requirements
            if tok not in (_ID, "!"):
                raise SelectorError(f"found '{lit}', expected: !, identifier, or 'end of string'")
            try:
                requirements.append(self.requirement())
            except SelectorError as err:
                raise SelectorError(f"unable to parse requirement: {err}") from None
            tok, lit = self.take()
            if tok == _EOS:
                return requirements
            if tok != ",":
                raise SelectorError(f"found '{lit}', expected: ',' or 'end of string'")
            tok, lit = self.peek()
            if tok not in (_ID, "!"):
                raise SelectorError(f"found '{lit}', expected: identifier after ','")

    def requirement(self) -> Requirement:
        negated = self.peek()[0] == "!"
        if negated:
            self.take()
        tok, key = self.take()
        if tok != _ID:
            raise SelectorError(f"found '{key}', expected: identifier")
        if errs := qualified_name_errors(key):
            raise SelectorError(invalid("<nil>", key, "; ".join(errs)).message())
        if negated or self.peek()[0] in (_EOS, ","):
            return new_requirement(key, DOES_NOT_EXIST if negated else EXISTS, [])
        operator = self.operator()
        values = self.set_values() if operator in (IN, NOT_IN) else self.exact_value()
        return new_requirement(key, operator, sorted(set(values)))

    def operator(self) -> str:
        tok, lit = self.take(values=False)
        if tok not in _OPERATOR_TOKENS:
            raise SelectorError(f"found '{lit}', expected: {', '.join(BINARY_OPERATORS)}")
        return _OPERATOR_TOKENS[tok]

    def set_values(self) -> list[str]:
        tok, lit = self.take()
        if tok != "(":
            raise SelectorError(f"found '{lit}' expected: '('")
        tok, lit = self.peek()
        if tok == ")":
            self.take()
            return [""]
        if tok not in (_ID, ","):
            raise SelectorError(f"found '{lit}', expected: ',', ')' or identifier")
        values = self.identifiers()
        if self.take()[0] != ")":
            raise SelectorError(f"found '{lit}', expected: ')'")
        return values

    def identifiers(self) -> list[str]:
        """A comma-separated list in which empty entries stand for the empty value."""
        values: list[str] = []
        while True:
            tok, lit = self.take()
            if tok == _ID:
                values.append(lit)
                nxt, nlit = self.peek()
                if nxt == ")":
                    return values
                if nxt != ",":
                    raise SelectorError(f"found '{nlit}', expected: ',' or ')'")
            elif tok == ",":
                if not values:
                    values.append("")
                nxt = self.peek()[0]
                if nxt == ")":
                    return [*values, ""]
                if nxt == ",":
                    self.take()
                    values.append("")
            else:
                raise SelectorError(f"found '{lit}', expected: ',', or identifier")

    def exact_value(self) -> list[str]:
        if self.peek()[0] in (_EOS, ","):
            return [""]
        tok, lit = self.take()
        if tok != _ID:
            raise SelectorError(f"found '{lit}', expected: identifier")
        return [lit]


def parse(text: str) -> Selector:
    """``labels.Parse``: ``app=web,tier in (a,b),!canary``; raises ``SelectorError`` with apimachinery's text."""
    return everything().add(*_Parser(text).parse())
