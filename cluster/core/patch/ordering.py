"""Element order of merged lists (the "preserve order in strategic merge patch" rules).

After a merge, items named by the patch follow the patch's order (or its
``$setElementOrder`` list) and items only the server had keep their live
order, interleaved "best effort" exactly as apimachinery does. Getting this
right is why ``kubectl set image`` never reshuffles a pod's containers.
"""

from __future__ import annotations

from typing import Any

from cluster.core.patch.common import DIRECTIVE, PatchError, go_map, json_equal


def item_key(item: Any, merge_key: str) -> Any:
    """What identifies a list item: its merge-key value for maps, the value itself for scalars."""
    if not merge_key:
        return item
    return item.get(merge_key) if isinstance(item, dict) else None


def same_item(a: Any, b: Any, merge_key: str) -> bool:
    return json_equal(item_key(a, merge_key), item_key(b, merge_key))


def index_of(items: list[Any], value: Any, merge_key: str) -> int:
    wanted = item_key(value, merge_key)
    for i, item in enumerate(items):
        if json_equal(item_key(item, merge_key), wanted):
            return i
    return -1


def require_merge_key(items: list[Any], merge_key: str) -> None:
    for item in items:
        if not isinstance(item, dict):
            raise PatchError(f"expected a map, but got {go_map(item)}")
        if merge_key not in item:
            raise PatchError(f"map: {go_map(item)} does not contain declared merge key: {merge_key}")


def split_deletions(items: list[Any]) -> tuple[list[Any], list[Any]]:
    """Items without and with ``$patch: delete`` (``extractToDeleteItems``)."""
    keep = [i for i in items if not (isinstance(i, dict) and i.get(DIRECTIVE) == "delete")]
    delete = [i for i in items if isinstance(i, dict) and i.get(DIRECTIVE) == "delete"]
    return keep, delete


def normalize_order(items: list[Any], order: list[Any], merge_key: str) -> list[Any]:
    """Sort ``items`` by their position in ``order``; deletion markers and unknown items go last."""
    to_delete: list[Any] = []
    if merge_key:
        require_merge_key(items + order, merge_key)
        items, to_delete = split_deletions(items)

    def position(item: Any) -> int:
        found = index_of(order, item, merge_key)
        return found if found >= 0 else len(order)

    return sorted(items, key=position) + to_delete


def partition(items: list[Any], present_in: list[Any], merge_key: str) -> tuple[list[Any], list[Any]]:
    """Split merged items into those named by the patch and server-only ones."""
    if merge_key:
        require_merge_key(items, merge_key)
    named = [i for i in items if index_of(present_in, i, merge_key) >= 0]
    server_only = [i for i in items if index_of(present_in, i, merge_key) < 0]
    return named, server_only


def _merge_sorted(left: list[Any], right: list[Any], server_order: list[Any], merge_key: str) -> list[Any]:
    """``mergeSortedSlice``: insert server-only items (left) among patch items (right) by live order."""
    out: list[Any] = []
    i = j = 0
    while i < len(left) or j < len(right):
        if j >= len(right) or (i < len(left) and _before(left[i], right[j], server_order, merge_key)):
            out.append(left[i])
            i += 1
        else:
            out.append(right[j])
            j += 1
    return out


def _before(left: Any, right: Any, server_order: list[Any], merge_key: str) -> bool:
    li, ri = index_of(server_order, left, merge_key), index_of(server_order, right, merge_key)
    return li >= 0 and ri >= 0 and li < ri


def normalize_element_order(
    patch_items: list[Any], server_only: list[Any], patch_order: list[Any], server_order: list[Any], merge_key: str
) -> list[Any]:
    """Order patch items by the patch, server-only items by the live list, then interleave them."""
    ordered_patch = normalize_order(patch_items, patch_order, merge_key)
    ordered_server = normalize_order(server_only, server_order, merge_key)
    return _merge_sorted(ordered_server, ordered_patch, server_order, merge_key)


def validate_order_list(patch_list: list[Any], order: list[Any], merge_key: str) -> None:
    """Every (non-deleting) patch item must appear in ``$setElementOrder`` in the same relative order."""
    if not order or not patch_list:
        return
    items = split_deletions(patch_list)[0] if merge_key else patch_list
    pos = 0
    for wanted in order:
        if pos < len(items) and json_equal(item_key(items[pos], merge_key), item_key(wanted, merge_key)):
            pos += 1
    if pos < len(items):
        raise PatchError(
            f"The order in patch list:\n{go_map(patch_list)}\n doesn't match $setElementOrder list:\n{go_map(order)}\n"
        )
