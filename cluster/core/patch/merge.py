"""RFC 7386 JSON merge patch (``application/merge-patch+json``).

Used by ``kubectl scale`` (``{"spec":{"replicas":5}}`` on ``/scale``),
``kubectl label`` and ``kubectl annotate``: maps merge, ``null`` deletes a
key, and every list is replaced as a whole — which is exactly why kubectl
uses a strategic merge patch instead when it touches containers.
"""

from __future__ import annotations

import copy
from typing import Any

from cluster.core.patch.common import json_equal


def merge_patch(target: Any, patch: Any) -> Any:
    """Apply ``patch`` to ``target`` per RFC 7386; inputs are never mutated."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def create_merge_patch(original: Any, modified: Any) -> Any:
    """The merge patch that turns ``original`` into ``modified`` (``{}`` when they are equal).

    RFC 7386 cannot set a value to ``null`` (``null`` means "delete"), so a
    ``null`` in ``modified`` becomes a deletion, or nothing if the key was absent.
    """
    if not isinstance(original, dict) or not isinstance(modified, dict):
        return copy.deepcopy(modified)
    patch: dict[str, Any] = {key: None for key in original if key not in modified}
    for key, new in modified.items():
        old = original.get(key)
        if key in original and json_equal(old, new):
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            child = create_merge_patch(old, new)
            if child:
                patch[key] = child
        elif new is not None or key in original:
            patch[key] = copy.deepcopy(new)
    return patch
