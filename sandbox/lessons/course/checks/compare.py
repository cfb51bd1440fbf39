"""Expected values in checks: a plain value means "equals"; a one-key mapping names an operator.

    status.readyReplicas: 3
    status.readyReplicas: {">=": 3}
    spec.template.spec.containers[0].image: {matches: "nginx:1\\.1[67]\\..*", says: {ko: 1.16/1.17, en: 1.16/1.17}}
    spec.nodeName: {exists: false}
    subsets[0].addresses: {length: {">=": 2}}

Values are compared the way a learner reads them in ``kubectl get -o yaml``:
``True`` written unquoted matches the string ``"True"`` of a condition, and a
number matches its string form (``"3"`` and ``3`` are the same revision).

Beside its operator a mapping may carry ``says: {ko, en}``, the expected value
in the learner's words. A learner is never shown a regular expression: a
``matches`` without ``says`` reads "in the expected form".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sandbox.lessons.course.text import Text, same

ORDERING = (">=", ">", "<=", "<")
OPERATORS = ("==", "!=", *ORDERING, "in", "exists", "matches", "contains", "length")


class CompareError(ValueError):
    pass


@dataclass(frozen=True)
class Comparator:
    op: str
    value: Any
    says: Text | None = None

    def test(self, actual: Any) -> bool:
        return bool(_TESTS[self.op](actual, self.value))

    def describe(self) -> Text:
        if self.says is not None:
            return self.says
        if self.op == "==":
            return same(show(self.value))
        if self.op == "exists":
            return Text("있음", "present") if self.value else Text("없음", "absent")
        if self.op == "length":
            return Text("개수 ", "count ") + self.value.describe()
        if self.op == "in":
            return Text("다음 중 하나: ", "one of ") + same(", ".join(show(v) for v in self.value))
        if self.op == "matches":
            return Text("정해진 형식에 맞음", "in the expected form")
        if self.op == "contains":
            return Text(f'"{self.value}" 포함', f'containing "{self.value}"')
        symbol = {">=": "≥", "<=": "≤", "!=": "≠"}.get(self.op, self.op)
        return same(f"{symbol} {show(self.value)}")


def parse_comparator(raw: Any) -> Comparator:
    if not isinstance(raw, dict):
        if isinstance(raw, list):
            raise CompareError("a list is not a value to compare with; to accept several values write {in: [...]}")
        return Comparator("==", raw)
    says = _says(raw.get("says")) if "says" in raw else None
    ops = [key for key in raw if key != "says"]
    if len(ops) != 1:
        raise CompareError(
            f"an operator mapping has exactly one operator (and an optional says: {{ko, en}}); "
            f"known operators: {', '.join(OPERATORS)}"
        )
    op = "==" if ops[0] == "=" else str(ops[0])
    if op not in OPERATORS:
        raise CompareError(f'unknown operator "{op}"; known operators: {", ".join(OPERATORS)}')
    return Comparator(op, _operand(op, raw[ops[0]]), says)


def _says(raw: Any) -> Text:
    if isinstance(raw, dict) and isinstance(raw.get("ko"), str) and isinstance(raw.get("en"), str):
        return Text(raw["ko"], raw["en"])
    raise CompareError("says needs both texts: {ko: ..., en: ...}")


def _operand(op: str, value: Any) -> Any:
    if op in ORDERING and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise CompareError(f'operator "{op}" needs a number, not {value!r}')
    if op == "in" and not isinstance(value, list):
        raise CompareError('operator "in" needs a list of values')
    if op == "exists" and not isinstance(value, bool):
        raise CompareError('operator "exists" needs true or false')
    if op == "matches":
        try:
            re.compile(str(value))
        except re.error as exc:
            raise CompareError(f'bad regular expression for "matches": {exc}') from None
    if op == "length":
        return parse_comparator(value)
    return value


def show(value: Any) -> str:
    if value is None:
        return "<none>"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _norm(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        lowered = value.lower()
        if lowered in ("true", "false"):
            return lowered
        try:
            return float(value)
        except ValueError:
            return value
    return value


def _number(value: Any) -> float | None:
    normal = _norm(value)
    return normal if isinstance(normal, float) else None


def _ordered(op: str) -> Any:
    def test(actual: Any, expected: float) -> bool:
        number = _number(actual)
        if number is None:
            return False
        return {">=": number >= expected, ">": number > expected, "<=": number <= expected, "<": number < expected}[op]

    return test


def _length(actual: Any, inner: Comparator) -> bool:
    size = len(actual) if isinstance(actual, list | dict | str) else 0
    return inner.test(size)


_TESTS: dict[str, Any] = {
    "==": lambda a, e: a is not None and _norm(a) == _norm(e) if e is not None else a is None,
    "!=": lambda a, e: _norm(a) != _norm(e),
    **{op: _ordered(op) for op in ORDERING},
    "in": lambda a, e: a is not None and any(_norm(a) == _norm(v) for v in e),
    "exists": lambda a, e: (a is not None) == e,
    "matches": lambda a, e: a is not None and re.fullmatch(str(e), show(a)) is not None,
    "contains": lambda a, e: a is not None and (str(e) in a if isinstance(a, list | dict) else str(e) in show(a)),
    "length": _length,
}
