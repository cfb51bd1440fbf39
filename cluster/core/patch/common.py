"""Helpers shared by every patch flavour: the error type and JSON-value semantics.

Patches are computed on decoded JSON (dicts, lists, str, int/float, bool,
None). Go compares such values with ``reflect.DeepEqual`` where ``true`` is
not ``1``; Python's ``==`` says otherwise, so equality and "same JSON type"
are defined here once.
"""

from __future__ import annotations

from typing import Any

DIRECTIVE = "$patch"
RETAIN_KEYS = "$retainKeys"
SET_ELEMENT_ORDER = "$setElementOrder/"
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/"


class PatchError(ValueError):
    """A patch that cannot be applied or computed; the message is what the API server reports."""


def json_kind(value: Any) -> str:
    """The JSON type of a decoded value (``null``, ``bool``, ``number``, ``string``, ``map``, ``list``)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


def json_equal(a: Any, b: Any) -> bool:
    """Deep equality of JSON values, keeping booleans distinct from numbers."""
    if json_kind(a) != json_kind(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def go_string(value: Any) -> str:
    """Go's ``fmt.Sprintf("%v")`` of a decoded JSON scalar, used to sort merge keys and scalars like Go."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)


def go_map(value: Any) -> str:
    """Go's ``%v`` of a decoded map, e.g. ``map[image:nginx name:web]`` (for error messages)."""
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_map(value[k])}" for k in sorted(value)) + "]"
    if isinstance(value, list):
        return "[" + " ".join(go_map(v) for v in value) + "]"
    return go_string(value)


def sort_keys(value: Any) -> Any:
    """Recursively order map keys, as Go's ``json.Marshal`` does, so computed patches print stably."""
    if isinstance(value, dict):
        return {k: sort_keys(value[k]) for k in sorted(value)}
    if isinstance(value, list):
        return [sort_keys(v) for v in value]
    return value
