"""PATCH bodies: JSON merge patch, strategic merge patch, JSON patch, and apply."""

from __future__ import annotations

from typing import Any

from cluster.core import errors
from cluster.core.kinds import KindInfo
from cluster.core.objects import Obj

PATCH_TYPES = {
    "application/merge-patch+json": "merge",
    "application/strategic-merge-patch+json": "strategic",
    "application/json-patch+json": "json",
    "application/apply-patch+yaml": "apply",
}


def apply_patch(info: KindInfo, current: Obj, patch: Any, patch_type: str) -> Obj:
    from cluster.core.patch import PatchError, json_patch, merge_patch, strategic_merge_patch

    try:
        if patch_type == "merge":
            result = merge_patch(current, _object_patch(patch))
        elif patch_type == "strategic":
            result = strategic_merge_patch(current, _object_patch(patch), info.kind)
        elif patch_type == "json":
            if not isinstance(patch, list):
                raise errors.bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
            result = json_patch(current, patch)
        elif patch_type == "apply":
            result = strategic_merge_patch(current, _object_patch(patch), info.kind)
        else:
            raise errors.unsupported_media_type(patch_type)
    except PatchError as exc:
        raise errors.ApiError(422, "Invalid", str(exc)) from exc
    if not isinstance(result, dict):
        raise errors.bad_request("the patch did not produce an object")
    result.setdefault("kind", current["kind"])
    result.setdefault("apiVersion", current["apiVersion"])
    return result


def _object_patch(patch: Any) -> dict[str, Any]:
    if not isinstance(patch, dict):
        raise errors.bad_request("json: cannot unmarshal array into Go value of type map[string]interface {}")
    return patch
