"""Computing strategic merge patches: the two-way diff and ``kubectl apply``'s three-way patch.

``kubectl apply`` (client-side) never sends the whole manifest. It compares
three documents — the last-applied configuration stored in the
``kubectl.kubernetes.io/last-applied-configuration`` annotation (original),
the new manifest (modified) and the live object (current) — and sends only:
changes and additions from current to modified, plus deletions of what
original had and modified dropped. Server-populated fields (status,
defaults such as ``imagePullPolicy``, ``clusterIP``) appear in neither
original nor modified, so they are never touched. An empty result ``{}``
makes kubectl print ``unchanged`` and send nothing.

The algorithm follows apimachinery's ``strategicpatch.diffMaps`` and
``CreateThreeWayMergePatch`` (with ``overwrite`` on, kubectl's default),
including its visible quirks: merge lists get a ``$setElementOrder``
companion, ``retainKeys`` maps get ``$retainKeys``, and a ``null`` in the
manifest (``creationTimestamp: null``) is re-sent on every apply.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from cluster.core.patch.common import (
    DELETE_FROM_PRIMITIVE_LIST,
    DIRECTIVE,
    RETAIN_KEYS,
    SET_ELEMENT_ORDER,
    PatchError,
    go_string,
    json_equal,
    json_kind,
    sort_keys,
)
from cluster.core.patch.ordering import normalize_order, require_merge_key, same_item
from cluster.core.patch.schema import FieldMeta, field_meta, root_type
from cluster.core.patch.strategic import combine_patches

Obj = dict[str, Any]


@dataclass(frozen=True)
class DiffOptions:
    set_element_order: bool = True
    ignore_changes_and_additions: bool = False
    ignore_deletions: bool = False
    build_retain_keys: bool = False


def create_strategic_patch(original: Obj | None, modified: Obj | None, kind: str) -> Obj:
    """Two-way SMP turning ``original`` into ``modified`` (what ``kubectl set image``/``edit`` send)."""
    patch: Obj = sort_keys(diff_maps(original or {}, modified or {}, root_type(kind), DiffOptions()))
    return patch


def create_three_way_patch(original: Obj | None, modified: Obj, current: Obj, kind: str) -> Obj:
    """The client-side ``kubectl apply`` patch; ``{}`` means nothing to change (``unchanged``)."""
    type_name = root_type(kind)
    delta = diff_maps(current or {}, modified, type_name, DiffOptions(ignore_deletions=True))
    deletions = diff_maps(original or {}, modified, type_name, DiffOptions(ignore_changes_and_additions=True))
    patch: Obj = sort_keys(combine_patches(deletions, delta, kind))
    return patch


# ---------------------------------------------------------------- maps


def diff_maps(original: Obj, modified: Obj, type_name: str, opts: DiffOptions) -> Obj:
    patch: Obj = {}
    for key, new in modified.items():
        if key not in original:
            if not opts.ignore_changes_and_additions:
                patch[key] = new
        elif key == DIRECTIVE:
            _diff_directive(original[key], new, patch)
        elif json_kind(original[key]) != json_kind(new):
            if not opts.ignore_changes_and_additions:
                patch[key] = new
        elif isinstance(new, dict):
            _diff_nested_map(key, original[key], new, patch, field_meta(type_name, key), opts)
        elif isinstance(new, list):
            _diff_list(key, original[key], new, patch, field_meta(type_name, key), opts)
        elif not opts.ignore_changes_and_additions and not json_equal(original[key], new):
            patch[key] = new
    if not opts.ignore_deletions:
        patch.update({key: None for key in original if key not in modified})
    retain = sorted((k for k, v in modified.items() if v is not None), key=go_string)
    if opts.build_retain_keys and retain and (patch or _has_dropped_field(original, modified)):
        patch[RETAIN_KEYS] = retain
    return patch


def _has_dropped_field(original: Obj, modified: Obj) -> bool:
    return any(value is not None and key not in modified for key, value in original.items())


def _diff_directive(old: Any, new: Any, patch: Obj) -> None:
    if not isinstance(old, str) or not isinstance(new, str):
        raise PatchError(f"invalid value for special key: {DIRECTIVE}")
    if old != new:
        patch[DIRECTIVE] = new


def _diff_nested_map(key: str, old: Obj, new: Obj, patch: Obj, meta: FieldMeta, opts: DiffOptions) -> None:
    child = diff_maps(old, new, meta.type, replace(opts, build_retain_keys=meta.retain_keys))
    if child:
        patch[key] = child


# ---------------------------------------------------------------- lists


def _diff_list(key: str, old: list[Any], new: list[Any], patch: Obj, meta: FieldMeta, opts: DiffOptions) -> None:
    if not meta.merge:
        if not opts.ignore_changes_and_additions and not json_equal(old, new):
            patch[key] = new
        return
    additions, deletions, order = _diff_merge_lists(old, new, meta, replace(opts, build_retain_keys=meta.retain_keys))
    if additions:
        patch[key] = additions
    if deletions:
        patch[DELETE_FROM_PRIMITIVE_LIST + key] = deletions
    if order:
        patch[SET_ELEMENT_ORDER + key] = order


def _diff_merge_lists(
    old: list[Any], new: list[Any], meta: FieldMeta, opts: DiffOptions
) -> tuple[list[Any], list[Any], list[Any]]:
    """(patch items, primitive deletions, ``$setElementOrder`` list) for a merge list (``diffLists``)."""
    if not old and not new:
        return [], [], []
    kinds = {json_kind(item) for item in old + new}
    if "list" in kinds:
        raise PatchError("lists of lists are not supported")
    if kinds == {"map"}:
        return _diff_map_items(old, new, meta, opts)
    return _diff_scalars(old, new, opts)


def _diff_map_items(
    old: list[Any], new: list[Any], meta: FieldMeta, opts: DiffOptions
) -> tuple[list[Any], list[Any], list[Any]]:
    key = meta.merge_key
    require_merge_key(old + new, key)
    changed, deleted = _walk_sorted(old, new, meta, opts)
    items = normalize_order(changed, new, key) + deleted
    order_same = len(old) == len(new) and all(same_item(a, b, key) for a, b in zip(old, new, strict=True))
    wants_order = (not opts.ignore_changes_and_additions and (items or not order_same)) or (
        not opts.ignore_deletions and items
    )
    order = [{key: item[key]} for item in new] if opts.set_element_order and wants_order else []
    return items, [], order


def _walk_sorted(old: list[Any], new: list[Any], meta: FieldMeta, opts: DiffOptions) -> tuple[list[Any], list[Any]]:
    """Walk both lists sorted by merge key (as strings, like Go): recurse, add or delete items."""
    key = meta.merge_key
    olds = sorted(old, key=lambda item: go_string(item[key]))
    news = sorted(new, key=lambda item: go_string(item[key]))
    changed: list[Any] = []
    deleted: list[Any] = []
    i = j = 0
    while i < len(olds) or j < len(news):
        old_key = go_string(olds[i][key]) if i < len(olds) else None
        new_key = go_string(news[j][key]) if j < len(news) else None
        if old_key is not None and old_key == new_key:
            child = diff_maps(olds[i], news[j], meta.type, opts)
            if child:
                changed.append({**child, key: news[j][key]})
            i, j = i + 1, j + 1
        elif new_key is not None and (old_key is None or old_key > new_key):
            if not opts.ignore_changes_and_additions:
                changed.append(news[j])
            j += 1
        else:
            if not opts.ignore_deletions:
                deleted.append({DIRECTIVE: "delete", key: olds[i][key]})
            i += 1
    return changed, deleted


def _diff_scalars(old: list[Any], new: list[Any], opts: DiffOptions) -> tuple[list[Any], list[Any], list[Any]]:
    """Set-like primitive lists: additions, ``$deleteFromPrimitiveList`` values and the new order."""
    olds, news = sorted(old, key=go_string), sorted(new, key=go_string)
    additions: list[Any] = []
    deletions: list[Any] = []
    i = j = 0
    while i < len(olds) or j < len(news):
        old_key = go_string(olds[i]) if i < len(olds) else None
        new_key = go_string(news[j]) if j < len(news) else None
        if old_key is not None and old_key == new_key:
            i, j = i + 1, j + 1
        elif new_key is not None and (old_key is None or old_key > new_key):
            if not opts.ignore_changes_and_additions:
                additions.append(news[j])
            j += 1
        else:
            if not opts.ignore_deletions and all(not json_equal(olds[i], d) for d in deletions):
                deletions.append(olds[i])
            i += 1
    additions = normalize_order(additions, new, "")
    changed = (not opts.ignore_deletions and deletions) or (
        not opts.ignore_changes_and_additions and not json_equal(old, new)
    )
    return additions, deletions, list(new) if opts.set_element_order and changed else []
