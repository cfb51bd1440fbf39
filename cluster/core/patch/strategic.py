"""Applying a Kubernetes strategic merge patch (``application/strategic-merge-patch+json``).

This is what ``kubectl apply`` (client-side) and ``kubectl set image`` send.
Maps merge recursively and ``null`` deletes a key; lists follow the patch
metadata in ``schema``: merge lists combine items by their merge key (so a
patch naming container ``nginx`` leaves container ``sidecar`` alone), set-like
primitive lists are unioned, every other list is replaced. Directives:
``$patch: replace|delete`` (maps and list items), ``$retainKeys``,
``$setElementOrder/<list>`` and ``$deleteFromPrimitiveList/<list>``.

The same merge also combines two *patches* (``combine_patches``), which is how
the three-way apply patch is assembled: there directives and nulls are kept.
The algorithm follows apimachinery's ``strategicpatch.mergeMap`` step by step.

Simplification: values the patch introduces are stripped of nulls and
directives before they land in the object — the real server gets the same
effect by decoding into typed structs.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from cluster.core.patch.common import (
    DELETE_FROM_PRIMITIVE_LIST,
    DIRECTIVE,
    RETAIN_KEYS,
    SET_ELEMENT_ORDER,
    PatchError,
    go_map,
    json_kind,
)
from cluster.core.patch.ordering import (
    index_of,
    normalize_element_order,
    partition,
    require_merge_key,
    same_item,
    validate_order_list,
)
from cluster.core.patch.schema import FieldMeta, field_meta, root_type

Obj = dict[str, Any]


@dataclass(frozen=True)
class _Mode:
    """``MergeOptions``: applying to an object (server side) versus combining two patches (client side)."""

    applying: bool  # MergeParallelList + IgnoreUnmatchedNulls


_APPLY = _Mode(applying=True)
_COMBINE = _Mode(applying=False)


def strategic_merge_patch(target: Obj | None, patch: Any, kind: str) -> Obj:
    """Apply ``patch`` to ``target`` (an object of ``kind``); inputs are never mutated."""
    if not isinstance(patch, dict):
        raise PatchError("invalid JSON document")
    return merge_map(copy.deepcopy(target or {}), copy.deepcopy(patch), root_type(kind), _APPLY)


def combine_patches(first: Obj, second: Obj, kind: str) -> Obj:
    """Merge two patches into one (directives and nulls are kept); used for the three-way patch."""
    return merge_map(copy.deepcopy(first), copy.deepcopy(second), root_type(kind), _COMBINE)


def strip_directives(value: Any) -> Any:
    """Drop nulls, directive keys and ``$patch: delete`` items from a value the patch introduces."""
    if isinstance(value, dict):
        return {k: strip_directives(v) for k, v in value.items() if v is not None and not k.startswith("$")}
    if isinstance(value, list):
        return [strip_directives(v) for v in value if not (isinstance(v, dict) and v.get(DIRECTIVE) == "delete")]
    return value


def _introduce(value: Any, mode: _Mode) -> Any:
    return strip_directives(value) if mode.applying else value


# ---------------------------------------------------------------- maps


def merge_map(original: Obj, patch: Obj, type_name: str, mode: _Mode) -> Obj:
    if DIRECTIVE in patch:
        return _map_directive(patch, mode)
    _apply_retain_keys(original, patch, mode)
    _merge_ordered_lists(original, patch, type_name, mode)
    for key, value in patch.items():
        _merge_field(original, key, value, type_name, mode)
    return original


def _map_directive(patch: Obj, mode: _Mode) -> Obj:
    directive = patch[DIRECTIVE]
    if directive == "replace":
        replacement: Obj = _introduce({k: v for k, v in patch.items() if k != DIRECTIVE}, mode)
        return replacement
    if directive == "delete":
        return {}
    raise PatchError(f"unknown patch type: {directive} in map: {go_map(patch)}")


def _apply_retain_keys(original: Obj, patch: Obj, mode: _Mode) -> None:
    if RETAIN_KEYS not in patch:
        return
    retain = patch.pop(RETAIN_KEYS)
    if not mode.applying:
        if RETAIN_KEYS in original and original[RETAIN_KEYS] != retain:
            raise PatchError(f"{retain} and {original[RETAIN_KEYS]} are not deep equal")
        original[RETAIN_KEYS] = retain
        return
    if not isinstance(retain, list):
        raise PatchError("invalid patch format of retainKeys")
    parallel_lists = ("$deleteFromPrimitiveList", "$setElementOrder")
    kept = [k for k, v in patch.items() if v is not None and not k.startswith(parallel_lists)]
    if any(key not in retain for key in kept):
        raise PatchError("invalid patch format of retainKeys")
    for key in [k for k in original if k not in retain]:
        del original[key]


def _merge_field(original: Obj, key: str, value: Any, type_name: str, mode: _Mode) -> None:
    deleting = key.startswith(DELETE_FROM_PRIMITIVE_LIST)
    if deleting:
        if not mode.applying:
            original[key] = value
            return
        key = key[len(DELETE_FROM_PRIMITIVE_LIST) :]
    if value is None:
        original.pop(key, None)
        if mode.applying:
            return
    if key not in original or json_kind(original[key]) != json_kind(value):
        if not deleting:
            original[key] = _introduce(value, mode)
        return
    meta = field_meta(type_name, key)
    if isinstance(value, dict):
        original[key] = merge_map(original[key], value, meta.type, mode)
    elif isinstance(value, list):
        original[key] = _merge_list(original[key], value, meta, deleting, mode)
    else:
        original[key] = value


# ---------------------------------------------------------------- $setElementOrder


def _merge_ordered_lists(original: Obj, patch: Obj, type_name: str, mode: _Mode) -> None:
    """Merge every list that has a ``$setElementOrder`` companion and put it in that order."""
    for order_key in [k for k in patch if k.startswith(SET_ELEMENT_ORDER)]:
        order = patch.pop(order_key)
        if not mode.applying:
            if order_key in original and original[order_key] != order:
                raise PatchError("invalid patch format of setElementOrder list")
            original[order_key] = order
        if not isinstance(order, list):
            raise PatchError(f"invalid type for {order_key}: expected a list")
        key = order_key[len(SET_ELEMENT_ORDER) :]
        merged = _merge_with_order(original.get(key), patch.get(key), order, field_meta(type_name, key), mode)
        if merged is not None:
            original[key] = merged
            patch.pop(key, None)


def _merge_with_order(current: Any, patch_list: Any, order: list[Any], meta: FieldMeta, mode: _Mode) -> Any:
    if current is None and patch_list is None:
        return None
    if (current is not None and not isinstance(current, list)) or (
        patch_list is not None and not isinstance(patch_list, list)
    ):
        raise PatchError("invalid patch format of setElementOrder list")
    validate_order_list(patch_list or [], order, meta.merge_key)
    merged: list[Any]
    if patch_list is None:
        merged = current or []
    elif current is None:
        merged = _introduce(patch_list, mode)
    else:
        merged = _merge_list(current, patch_list, meta, False, mode)
    named, server_only = partition(merged, order, meta.merge_key)
    return normalize_element_order(named, server_only, order, current or [], meta.merge_key)


# ---------------------------------------------------------------- lists


def _merge_list(current: list[Any], patch: list[Any], meta: FieldMeta, deleting: bool, mode: _Mode) -> list[Any]:
    if not (meta.merge or deleting):
        return list(_introduce(patch, mode))
    if not current and not patch:
        return current
    kind = _element_kind(current + patch)
    if kind != "map":
        return _merge_scalars(current, patch, deleting, mode)
    if not meta.merge_key:
        raise PatchError("cannot merge lists without merge key")
    current, patch, replace = _special_elements(current, patch, meta.merge_key)
    if replace:
        return list(_introduce(patch, mode))
    merged = _merge_by_key(list(current), patch, meta, mode)
    named, server_only = partition(merged, patch, meta.merge_key)
    return normalize_element_order(named, server_only, patch, current, meta.merge_key)


def _element_kind(items: list[Any]) -> str:
    kinds = {json_kind(item) for item in items}
    if "list" in kinds:
        raise PatchError("lists of lists are not supported")
    if len(kinds) > 1:
        raise PatchError(f"list element types are not identical: {go_map(items)}")
    return kinds.pop()


def _merge_scalars(current: list[Any], patch: list[Any], deleting: bool, mode: _Mode) -> list[Any]:
    if deleting and mode.applying:
        return [v for v in current if index_of(patch, v, "") < 0]
    merged: list[Any] = []
    for value in current + patch:
        if index_of(merged, value, "") < 0:
            merged.append(value)
    named, server_only = partition(merged, patch, "")
    return normalize_element_order(named, server_only, patch, current, "")


def _special_elements(current: list[Any], patch: list[Any], merge_key: str) -> tuple[list[Any], list[Any], bool]:
    """Handle ``$patch`` items: ``delete`` removes by merge key, ``replace`` makes the rest the whole list."""
    plain: list[Any] = []
    replace = False
    for item in patch:
        directive = item.get(DIRECTIVE)
        if directive is None:
            plain.append(item)
        elif directive == "delete":
            if merge_key not in item:
                raise PatchError(f"map: {go_map(item)} does not contain declared merge key: {merge_key}")
            current = [c for c in current if not same_item(c, item, merge_key)]
        elif directive == "replace":
            replace = True
        elif directive == "merge":
            raise PatchError("merging lists cannot yet be specified in the patch")
        else:
            raise PatchError(f"unknown patch type: {directive} in map: {go_map(item)}")
    return current, plain, replace


def _merge_by_key(current: list[Any], patch: list[Any], meta: FieldMeta, mode: _Mode) -> list[Any]:
    require_merge_key(patch, meta.merge_key)
    for item in patch:
        found = index_of(current, item, meta.merge_key)
        if found >= 0:
            current[found] = merge_map(current[found], item, meta.type, mode)
        else:
            current.append(_introduce(item, mode))
    return current
