"""The four patch flavours the API server accepts and ``kubectl`` produces (K8S_FACTS §7.5).

* ``merge_patch`` / ``create_merge_patch`` — RFC 7386 JSON merge patch
  (``kubectl scale``, ``label``, ``annotate``).
* ``json_patch`` — RFC 6902 (``kubectl patch --type=json``, ``rollout undo``).
* ``strategic_merge_patch`` / ``create_strategic_patch`` — Kubernetes'
  strategic merge patch with merge keys and directives (``set image``, ``edit``).
* ``create_three_way_patch`` — client-side ``kubectl apply``.

All functions are pure: they deep-copy their inputs and never mutate them.
Failures raise ``PatchError`` (a ``ValueError``) with the server's wording.
"""

from cluster.core.patch.common import PatchError
from cluster.core.patch.diff import create_strategic_patch, create_three_way_patch
from cluster.core.patch.merge import create_merge_patch, merge_patch
from cluster.core.patch.rfc6902 import json_patch
from cluster.core.patch.schema import SCHEMA, FieldMeta, field_meta, root_type
from cluster.core.patch.strategic import strategic_merge_patch

__all__ = [
    "SCHEMA",
    "FieldMeta",
    "PatchError",
    "create_merge_patch",
    "create_strategic_patch",
    "create_three_way_patch",
    "field_meta",
    "json_patch",
    "merge_patch",
    "root_type",
    "strategic_merge_patch",
]
