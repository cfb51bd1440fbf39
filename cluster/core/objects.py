"""Small helpers over API objects in their JSON (dict) form."""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]


# Immutable leaves: copied by reference without a call (most members of an API object are leaves).
_LEAVES = frozenset({str, int, bool, float, type(None)})


def clone(value: Any) -> Any:
    """Deep copy of JSON-like data; several times faster than ``copy.deepcopy``.

    Exact ``dict``/``list`` types take the fast path (leaves are not visited
    by a call); subclasses of either come back as the plain type.
    """
    kind = type(value)
    if kind is dict:
        return {k: v if type(v) in _LEAVES else clone(v) for k, v in value.items()}
    if kind is list:
        return [v if type(v) in _LEAVES else clone(v) for v in value]
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    return value


def meta(obj: Obj) -> dict[str, Any]:
    metadata: dict[str, Any] = obj.setdefault("metadata", {})
    return metadata


def name_of(obj: Obj) -> str:
    return str(obj.get("metadata", {}).get("name", ""))


def namespace_of(obj: Obj) -> str:
    return str(obj.get("metadata", {}).get("namespace", ""))


def labels_of(obj: Obj) -> dict[str, str]:
    return obj.get("metadata", {}).get("labels") or {}


def uid_of(obj: Obj) -> str:
    return str(obj.get("metadata", {}).get("uid", ""))


def controller_ref(obj: Obj) -> dict[str, Any] | None:
    for ref in obj.get("metadata", {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return dict(ref)
    return None


def is_terminating(obj: Obj) -> bool:
    return bool(obj.get("metadata", {}).get("deletionTimestamp"))


def get_path(obj: Any, path: str, default: Any = None) -> Any:
    """``get_path(pod, "spec.nodeName")``: dotted lookup that tolerates missing parts."""
    cur = obj
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return default
        cur = cur[part]
    return cur
