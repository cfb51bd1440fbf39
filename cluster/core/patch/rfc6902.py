"""RFC 6902 JSON Patch (``application/json-patch+json``): ``kubectl patch --type=json`` and ``rollout undo``.

The operations themselves come from the pinned ``jsonpatch`` library. What
this module adds is Kubernetes-like failure text: the library's exceptions
differ per operation, while the API server (evanphx/json-patch) words them as
``add operation does not apply: doc is missing path: "/spec/x"``. Operations
are applied one by one so the failing one can be named.
"""

from __future__ import annotations

import copy
from typing import Any

import jsonpatch
import jsonpointer

from cluster.core.patch.common import PatchError

_OPS = ("add", "remove", "replace", "move", "copy", "test")
_VALUED = ("add", "replace", "test")


def json_patch(target: Any, ops: Any) -> Any:
    """Apply the operation list ``ops`` to ``target``; raises ``PatchError``; inputs are never mutated."""
    if not isinstance(ops, list) or not all(isinstance(op, dict) for op in ops):
        raise PatchError("invalid JSON Patch: expected a list of operation objects")
    doc = copy.deepcopy(target)
    for op in ops:
        doc = _apply_one(doc, op)
    return doc


def _apply_one(doc: Any, op: dict[str, Any]) -> Any:
    name = op.get("op")
    if name not in _OPS:
        raise PatchError(f"Unexpected kind: {name}")
    for member in _required_members(name):
        if member not in op:
            raise PatchError(f'jsonpatch {name} operation is missing "{member}"')
    try:
        return jsonpatch.JsonPatch([op]).apply(doc, in_place=True)
    except jsonpatch.JsonPatchTestFailed:
        raise PatchError(f"testing value {op['path']} failed: test failed") from None
    except (jsonpatch.JsonPatchException, jsonpointer.JsonPointerException, TypeError, KeyError, IndexError):
        raise PatchError(_does_not_apply(doc, name, op)) from None


def _required_members(name: str) -> list[str]:
    members = ["path"]
    if name in ("move", "copy"):
        members.append("from")
    if name in _VALUED:
        members.append("value")
    return members


def _does_not_apply(doc: Any, name: str, op: dict[str, Any]) -> str:
    if name in ("move", "copy") and not _resolves(doc, op["from"]):
        return f'jsonpatch {name} operation does not apply: doc is missing from path: "{op["from"]}"'
    return f'jsonpatch {name} operation does not apply: doc is missing path: "{op["path"]}"'


def _resolves(doc: Any, pointer: Any) -> bool:
    try:
        jsonpointer.resolve_pointer(doc, pointer)
    except (jsonpointer.JsonPointerException, TypeError, KeyError, IndexError):
        return False
    return True
