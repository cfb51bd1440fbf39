"""Field selectors (``--field-selector``, ``?fieldSelector=``): filtering lists by a few fields.

kubectl itself relies on them: ``describe`` lists events with
``involvedObject.name=…``, ``rollout status`` lists with ``metadata.name=…``
and ``describe node`` lists pods with ``spec.nodeName=…,status.phase!=…``.

Like the real API server, only a small, per-kind set of fields is selectable
(the field-label conversion functions of ``pkg/apis/core/v1/conversion.go``);
anything else is a 400 with Kubernetes' wording. Values compare as strings:
booleans print as ``true``/``false``, numbers in decimal, missing strings as
``""``. Parsing follows apimachinery's ``fields.ParseSelector``: terms split on
unescaped commas, ``\\``, ``\\,`` and ``\\=`` escape, and no whitespace trimming.

Simplification: every selectable value is read from the object by its dotted
path, except the few fields the apiserver computes (event ``source``, a pod's
``status.podIP``, booleans and counters that default to false/0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

_META = ("metadata.name", "metadata.namespace")
_POD_FIELDS = (
    *_META,
    "spec.nodeName",
    "spec.restartPolicy",
    "spec.schedulerName",
    "spec.serviceAccountName",
    "spec.hostNetwork",
    "status.phase",
    "status.podIP",
    "status.nominatedNodeName",
)
_EVENT_FIELDS = (
    *_META,
    "involvedObject.kind",
    "involvedObject.namespace",
    "involvedObject.name",
    "involvedObject.uid",
    "involvedObject.apiVersion",
    "involvedObject.resourceVersion",
    "involvedObject.fieldPath",
    "reason",
    "reportingComponent",
    "source",
    "type",
)

# Kinds with their own field-label conversion; every other kind gets only metadata.name/namespace
# and the generic "is not a known field selector" message.
SELECTABLE_FIELDS: dict[str, tuple[str, ...]] = {
    "Pod": _POD_FIELDS,
    "Node": ("metadata.name", "spec.unschedulable"),
    "Event": _EVENT_FIELDS,
    "Namespace": ("metadata.name", "status.phase"),
    "Secret": (*_META, "type"),
    "Service": (*_META, "spec.clusterIP", "spec.type"),
    "ReplicationController": (*_META, "status.replicas"),
    "Job": (*_META, "status.successful"),
}
# Old v1 clients send spec.host for pods; the apiserver rewrites it.
_ALIASES: dict[tuple[str, str], str] = {("Pod", "spec.host"): "spec.nodeName"}
# Go formats these non-string fields from their zero value when the field is absent.
_ZERO_VALUES = {
    "spec.unschedulable": "false",
    "spec.hostNetwork": "false",
    "status.replicas": "0",
    "status.successful": "0",
}


class FieldSelectorError(ValueError):
    """A field selector that does not parse, or names a field the kind cannot select on."""


@dataclass(frozen=True)
class FieldTerm:
    """``field=value`` (``equal``) or ``field!=value``."""

    field: str
    value: str
    equal: bool = True

    def matches(self, obj: dict[str, Any]) -> bool:
        return (field_value(obj, self.field) == self.value) == self.equal

    def __str__(self) -> str:
        return f"{self.field}{'=' if self.equal else '!='}{escape_value(self.value)}"


@dataclass(frozen=True)
class FieldSelector:
    """An AND of terms; the empty selector matches everything."""

    terms: tuple[FieldTerm, ...] = ()

    def matches(self, obj: dict[str, Any]) -> bool:
        return all(term.matches(obj) for term in self.terms)

    @property
    def empty(self) -> bool:
        return not self.terms

    def requires_exact_match(self, field: str) -> str | None:
        """The value ``field`` must equal (e.g. ``metadata.name`` for a single-object watch), else None."""
        for term in self.terms:
            if term.field == field and term.equal:
                return term.value
        return None

    def unsupported_for(self, kind: str) -> list[str]:
        """Fields of this selector that ``kind`` cannot select on (see ``unsupported_message``)."""
        return [term.field for term in self.terms if not supported(kind, term.field)]

    def __str__(self) -> str:
        return ",".join(str(term) for term in self.terms)


# ---------------------------------------------------------------- parsing


def _split_terms(text: str) -> list[str]:
    """Split on commas that are not escaped with a backslash."""
    terms, start, escaped = [], 0, False
    for i, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == ",":
            terms.append(text[start:i])
            start = i + 1
    terms.append(text[start:])
    return terms


def _split_term(term: str) -> tuple[str, str, str] | None:
    """``(lhs, op, rhs)`` at the first ``!=``, ``==`` or ``=`` (Go does not honour escapes here)."""
    for i in range(len(term)):
        for op in ("!=", "==", "="):
            if term.startswith(op, i):
                return term[:i], op, term[i + len(op) :]
    return None


def unescape_value(text: str) -> str:
    """``fields.UnescapeValue``: ``\\\\``, ``\\,`` and ``\\=`` are the only escapes; bare ``,``/``=`` are errors."""
    out, escaped = [], False
    for char in text:
        if escaped:
            if char not in "\\,=":
                raise FieldSelectorError(f"invalid field selector: invalid escape sequence: \\{char}")
            out.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in ",=":
            raise FieldSelectorError(f"invalid field selector: unescaped character in value: {ord(char)}")
        else:
            out.append(char)
    if escaped:
        raise FieldSelectorError("invalid field selector: invalid escape sequence: \\")
    return "".join(out)


def escape_value(text: str) -> str:
    """``fields.EscapeValue``: the inverse of ``unescape_value``."""
    return text.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")


def parse_field_selector(text: str) -> FieldSelector:
    """``fields.ParseSelector``: ``a=b``, ``a==b``, ``a!=b`` joined by commas (AND); terms sorted like Go."""
    terms = []
    for part in sorted(_split_terms(text)):
        if not part:
            continue
        split = _split_term(part)
        if split is None:
            raise FieldSelectorError(f"invalid selector: '{text}'; can't understand '{part}'")
        lhs, op, rhs = split
        terms.append(FieldTerm(lhs, unescape_value(rhs), equal=op != "!="))
    return FieldSelector(tuple(terms))


# ---------------------------------------------------------------- which fields a kind supports


def supported(kind: str, field: str) -> bool:
    """Whether the apiserver accepts ``field`` in a field selector for ``kind``."""
    if (kind, field) in _ALIASES:
        return True
    return field in SELECTABLE_FIELDS.get(kind, _META)


def unsupported_message(kind: str, field: str) -> str:
    """The 400 BadRequest text for an unselectable field, worded as the 1.32 apiserver does."""
    if kind in SELECTABLE_FIELDS:
        return f"field label not supported: {field}"
    return f'"{field}" is not a known field selector: only "metadata.name", "metadata.namespace"'


def convert_for_kind(kind: str, selector: FieldSelector) -> FieldSelector:
    """Check every term against ``kind`` (raising with the apiserver's message) and resolve aliases."""
    terms = []
    for term in selector.terms:
        if not supported(kind, term.field):
            raise FieldSelectorError(unsupported_message(kind, term.field))
        field = _ALIASES.get((kind, term.field), term.field)
        terms.append(FieldTerm(field, term.value, term.equal))
    return FieldSelector(tuple(terms))


# ---------------------------------------------------------------- reading a field from an object


def _go_string(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _dotted(obj: dict[str, Any], path: str) -> Any:
    value: Any = obj
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def field_value(obj: dict[str, Any], field: str) -> str:
    """The string a field selector compares against; a missing field is ``""`` (or its Go zero value)."""
    if field == "source" and not isinstance(obj.get("source"), str):
        return _go_string(_dotted(obj, "source.component") or obj.get("reportingComponent"))
    if field == "status.podIP" and not _dotted(obj, "status.podIP"):
        pod_ips = _dotted(obj, "status.podIPs")
        first = pod_ips[0] if isinstance(pod_ips, list) and pod_ips else None
        return _go_string(first.get("ip") if isinstance(first, dict) else None)
    value = _dotted(obj, field)
    if value is None:
        return _ZERO_VALUES.get(field, "")
    return _go_string(value)
