"""Label selectors as values: requirements, AND-ed selectors, and the API ``LabelSelector`` form.

Mirrors apimachinery's ``labels.Selector``: requirements are kept sorted by
key (so ``String()`` is canonical and stable for the SELECTOR column and a
Scale's ``status.selector``), ``in``/``notin`` values print sorted, an empty
selector matches everything and ``nothing()`` matches nothing (what a nil
``LabelSelector`` means to controllers).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cluster.core.errors import FieldError, invalid, not_supported
from cluster.core.labels.validation import aggregate, label_value_errors, qualified_name_errors

# Operators use apimachinery's ``selection.Operator`` spellings.
IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS = "in", "notin", "=", "==", "!="
EXISTS, DOES_NOT_EXIST, GREATER_THAN, LESS_THAN = "exists", "!", "gt", "lt"
BINARY_OPERATORS = (IN, NOT_IN, EQUALS, DOUBLE_EQUALS, NOT_EQUALS, GREATER_THAN, LESS_THAN)
_VALID_OPERATORS = (*BINARY_OPERATORS, EXISTS, DOES_NOT_EXIST)
# metav1.LabelSelectorOperator -> selection.Operator
_API_OPERATORS = {"In": IN, "NotIn": NOT_IN, "Exists": EXISTS, "DoesNotExist": DOES_NOT_EXIST}
_INT64_RE = re.compile(r"[+-]?[0-9]+")


class SelectorError(ValueError):
    """A label selector that does not parse or does not validate (apimachinery's message)."""


def _parse_int64(text: str) -> int | None:
    if not _INT64_RE.fullmatch(text):
        return None
    number = int(text)
    return number if -(2**63) <= number < 2**63 else None


@dataclass(frozen=True)
class Requirement:
    """One ``key <op> values`` term; selectors AND their requirements together."""

    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: dict[str, str]) -> bool:
        has = self.key in labels
        if self.operator in (IN, EQUALS, DOUBLE_EQUALS):
            return has and labels[self.key] in self.values
        if self.operator in (NOT_IN, NOT_EQUALS):
            return not has or labels[self.key] not in self.values
        if self.operator == EXISTS:
            return has
        if self.operator == DOES_NOT_EXIST:
            return not has
        return has and self._compare(labels[self.key])

    def _compare(self, label_value: str) -> bool:
        actual = _parse_int64(label_value)
        wanted = _parse_int64(self.values[0]) if len(self.values) == 1 else None
        if actual is None or wanted is None:
            return False
        return actual > wanted if self.operator == GREATER_THAN else actual < wanted

    def __str__(self) -> str:
        if self.operator == EXISTS:
            return self.key
        if self.operator == DOES_NOT_EXIST:
            return "!" + self.key
        values = ",".join(sorted(self.values))
        if self.operator in (IN, NOT_IN):
            return f"{self.key} {self.operator} ({values})"
        symbol = {GREATER_THAN: ">", LESS_THAN: "<"}.get(self.operator, self.operator)
        return f"{self.key}{symbol}{values}"


def new_requirement(key: str, operator: str, values: list[str], path: str = "<nil>") -> Requirement:
    """``labels.NewRequirement``: validate key, operator and values; raise ``SelectorError`` like Go."""
    errors: list[FieldError] = []
    if key_errors := qualified_name_errors(key):
        errors.append(invalid(_child(path, "key"), key, "; ".join(key_errors)))
    values_path = _child(path, "values")
    if operator in (IN, NOT_IN) and not values:
        errors.append(invalid(values_path, values, "for 'in', 'notin' operators, values set can't be empty"))
    elif operator in (EQUALS, DOUBLE_EQUALS, NOT_EQUALS) and len(values) != 1:
        errors.append(invalid(values_path, values, "exact-match compatibility requires one single value"))
    elif operator in (EXISTS, DOES_NOT_EXIST) and values:
        errors.append(invalid(values_path, values, "values set must be empty for exists and does not exist"))
    elif operator in (GREATER_THAN, LESS_THAN):
        errors.extend(_int_value_errors(values, values_path))
    elif operator not in _VALID_OPERATORS:
        errors.append(not_supported(_child(path, "operator"), operator, list(_VALID_OPERATORS)))
    for i, value in enumerate(values):
        if msgs := label_value_errors(value):
            errors.append(invalid(f"{values_path}[{i}][{key}]", value, "; ".join(msgs)))
    if errors:
        raise SelectorError(aggregate(errors))
    return Requirement(key, operator, tuple(values))


def _int_value_errors(values: list[str], values_path: str) -> list[FieldError]:
    errors = []
    if len(values) != 1:
        errors.append(invalid(values_path, values, "for 'Gt', 'Lt' operators, exactly one value is required"))
    for i, value in enumerate(values):
        if _parse_int64(value) is None:
            errors.append(
                invalid(f"{values_path}[{i}]", value, "for 'Gt', 'Lt' operators, the value must be an integer")
            )
    return errors


def _child(path: str, name: str) -> str:
    """``field.Path.Child`` on a possibly nil parent (nil children print without the ``<nil>``)."""
    return name if path == "<nil>" else f"{path}.{name}"


@dataclass(frozen=True)
class Selector:
    """An immutable label selector: an AND of requirements, or the special *nothing* selector."""

    requirements: tuple[Requirement, ...] = ()
    matches_nothing: bool = False

    def matches(self, labels: dict[str, str] | None) -> bool:
        if self.matches_nothing:
            return False
        present = labels or {}
        return all(r.matches(present) for r in self.requirements)

    @property
    def empty(self) -> bool:
        """True when the selector does not restrict anything (``Everything()``)."""
        return not self.matches_nothing and not self.requirements

    def requires_exact_match(self, key: str) -> str | None:
        """The single value ``key`` must have (``=``, ``==`` or one-value ``in``), else None."""
        for r in self.requirements:
            if r.key == key:
                exact = r.operator in (EQUALS, DOUBLE_EQUALS, IN) and len(r.values) == 1
                return r.values[0] if exact else None
        return None

    def add(self, *requirements: Requirement) -> Selector:
        if self.matches_nothing:
            return self
        return Selector(tuple(sorted((*self.requirements, *requirements), key=lambda r: r.key)))

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)


def everything() -> Selector:
    return Selector()


def nothing() -> Selector:
    return Selector(matches_nothing=True)


def selector_from_set(labels: dict[str, str] | None) -> Selector:
    """``labels.SelectorFromSet``: a map selector (e.g. a Service's ``spec.selector``); empty matches all."""
    reqs = (Requirement(k, EQUALS, (str(v),)) for k, v in (labels or {}).items())
    return everything().add(*reqs)


def from_label_selector(sel: dict[str, Any] | None) -> Selector:
    """``metav1.LabelSelectorAsSelector``: None selects nothing, ``{}`` selects everything."""
    if sel is None:
        return nothing()
    match_labels = sel.get("matchLabels") or {}
    expressions = sel.get("matchExpressions") or []
    if not match_labels and not expressions:
        return everything()
    reqs = [new_requirement(k, EQUALS, [str(v)]) for k, v in match_labels.items()]
    for expr in expressions:
        operator = expr.get("operator", "")
        if operator not in _API_OPERATORS:
            raise SelectorError(f'"{operator}" is not a valid label selector operator')
        reqs.append(new_requirement(expr.get("key", ""), _API_OPERATORS[operator], list(expr.get("values") or [])))
    return everything().add(*reqs)


def selector_string(sel: dict[str, Any] | None) -> str:
    """``LabelSelectorAsSelector(sel).String()`` (e.g. Scale ``status.selector``); ``""`` when unrestricted."""
    return str(from_label_selector(sel))


def format_label_selector(sel: dict[str, Any] | None) -> str:
    """``metav1.FormatLabelSelector`` for the wide ``SELECTOR`` column: ``<none>`` / ``<error>`` placeholders."""
    try:
        text = selector_string(sel)
    except SelectorError:
        return "<error>"
    return text or "<none>"


def format_labels(labels: dict[str, str] | None) -> str:
    """``labels.FormatLabels`` for ``--show-labels`` and Service selectors: sorted ``k=v``, or ``<none>``."""
    return ",".join(f"{k}={labels[k]}" for k in sorted(labels)) if labels else "<none>"
