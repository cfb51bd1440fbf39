"""Type errors the API server's JSON decoder reports before any validation runs.

``env: [{name: PORT, value: 8080}]`` is one of the most common beginner
mistakes; the API server answers it with a 400 whose text comes straight
from Go's ``encoding/json``::

    Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal number
    into Go struct field EnvVar.spec.template.spec.containers.env.value of type string

The field path has no list indices (Go's decoder does not record them), the
struct is the Go type holding the field, and quantities report their own
parse error. Catching these here also keeps wrongly typed values out of the
simulation, whose controllers rely on the schema's types.

Simplification: integers are ``int32`` except for a known list of ``int64``
fields; ``Time`` values are not parsed.
"""

from __future__ import annotations

from typing import Any

from cluster.core.quantity import QuantityError, parse_quantity
from cluster.core.schema.model import DEFINITIONS, Definition, element_type, kind_definition

INT64_FIELDS = frozenset(
    {
        "activeDeadlineSeconds",
        "deletionGracePeriodSeconds",
        "expirationSeconds",
        "fsGroup",
        "generation",
        "gid",
        "observedGeneration",
        "remainingItemCount",
        "runAsGroup",
        "runAsUser",
        "sizeBytes",
        "supplementalGroups",
        "terminationGracePeriodSeconds",
        "tolerationSeconds",
        "uid",
    }
)
_INT_RANGE = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_JSON_TYPES: dict[str, type | tuple[type, ...]] = {"string": str, "boolean": bool, "number": (int, float)}
_PACKAGES = {"io.k8s.apimachinery.pkg.api.resource": "resource", "io.k8s.apimachinery.pkg.util.intstr": "intstr"}


class _TypeError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def go_type(type_: str, field_name: str = "") -> str:
    """The Go type behind a schema type: ``int32``, ``[]v1.Container``, ``map[string]string`` …"""
    shape, inner = element_type(type_)
    if shape == "list":
        return "[]" + go_type(inner, field_name)
    if shape == "map":
        return "map[string]" + go_type(inner, field_name)
    if inner == "integer":
        return "int64" if field_name in INT64_FIELDS else "int32"
    primitive = {"string": "string", "boolean": "bool", "number": "float64", "object": "interface {}"}
    if inner in primitive:
        return primitive[inner]
    package, _, short = inner.rpartition(".")
    return f"{_PACKAGES.get(package, package.rsplit('.', 1)[-1])}.{short}"


def _json_kind(value: Any, into_int: bool) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return f"number {_number_text(value)}" if into_int else "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _number_text(value: int | float) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _fits_int(value: Any, go: str) -> bool:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        return False
    low, high = _INT_RANGE[go]
    return low <= value <= high


def _mismatch(value: Any, type_: str, field: str, struct: str, path: str) -> _TypeError:
    go = go_type(type_, field)
    kind = _json_kind(value, go in _INT_RANGE and isinstance(value, (int, float)) and not isinstance(value, bool))
    return _TypeError(f"json: cannot unmarshal {kind} into Go struct field {struct}.{path} of type {go}")


def _check_scalar(defn: Definition, value: Any) -> None:
    if defn.scalar == "quantity":
        text = value if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
        try:
            parse_quantity(text)
        except QuantityError as exc:
            raise _TypeError(str(exc)) from None
    elif defn.scalar == "int-or-string" and not isinstance(value, str) and not _fits_int(value, "int32"):
        kind = _json_kind(value, isinstance(value, (int, float)) and not isinstance(value, bool))
        raise _TypeError(f"json: cannot unmarshal {kind} into Go value of type int32")
    elif defn.scalar == "string" and not isinstance(value, str):
        raise _TypeError(f"json: cannot unmarshal {_json_kind(value, False)} into Go value of type string")


def _check(type_: str, value: Any, field: str, struct: str, path: str) -> None:
    if value is None:
        return
    shape, inner = element_type(type_)
    if shape == "list":
        if not isinstance(value, list):
            raise _mismatch(value, type_, field, struct, path)
        for item in value:
            _check(inner, item, field, struct, path)
        return
    if shape == "map":
        if not isinstance(value, dict):
            raise _mismatch(value, type_, field, struct, path)
        for item in value.values():
            _check(inner, item, field, struct, path)
        return
    _check_single(inner, value, field, struct, path)


def _check_single(type_: str, value: Any, field: str, struct: str, path: str) -> None:
    if type_ == "object":
        return
    if type_ == "integer":
        if not _fits_int(value, go_type(type_, field)):
            raise _mismatch(value, type_, field, struct, path)
        return
    expected = _JSON_TYPES.get(type_)
    if expected is not None:
        if not isinstance(value, expected) or (type_ == "number" and isinstance(value, bool)):
            raise _mismatch(value, type_, field, struct, path)
        return
    defn = DEFINITIONS[type_]
    if defn.scalar:
        _check_scalar(defn, value)
    elif not isinstance(value, dict):
        raise _mismatch(value, type_, field, struct, path)
    else:
        _check_struct(defn, value, path)


def _check_struct(defn: Definition, value: dict[str, Any], path: str) -> None:
    for key, item in value.items():
        fld = defn.field(key)
        if fld is not None:
            _check(fld.type, item, key, defn.short_name, f"{path}.{key}" if path else key)


def decode_error(kind: str, obj: dict[str, Any]) -> str | None:
    """The first type error decoding ``obj`` would hit, in document order, or None."""
    api_version = obj.get("apiVersion")
    defn = kind_definition(kind, api_version if isinstance(api_version, str) else None)
    if defn is None:
        return None
    try:
        _check_struct(defn, obj, "")
    except _TypeError as exc:
        return exc.message
    return None


def cannot_handle_message(kind: str, api_version: str, detail: str) -> str:
    """``Deployment in version "v1" cannot be handled as a Deployment: <detail>`` (the 400's message)."""
    version = api_version.rsplit("/", 1)[-1]
    return f'{kind} in version "{version}" cannot be handled as a {kind}: {detail}'
