"""The read side reconcilers see: an informer-cache-like view of the store.

Objects returned are the store's own dicts: treat them as read-only and deep
copy (``copy.deepcopy``) before building an ``Update``.
"""

from __future__ import annotations

import builtins
from typing import Any, Protocol

from cluster.engine.actions import Obj, ObjKey


class View(Protocol):
    def get(self, kind: str, namespace: str, name: str) -> Obj | None: ...

    def get_key(self, key: ObjKey) -> Obj | None: ...

    def list(self, kind: str, namespace: str | None = None) -> list[Obj]:
        """All objects of ``kind`` (in ``namespace`` if given), sorted by namespace then name."""
        ...

    def by_uid(self, uid: str) -> Obj | None: ...

    def owned_by(self, uid: str, kind: str | None = None) -> builtins.list[Obj]:
        """Objects with an ownerReference to ``uid`` (any, not only controller refs)."""
        ...

    def pods_on_node(self, node_name: str) -> builtins.list[Obj]:
        """Pods whose ``spec.nodeName`` is ``node_name`` (including terminating ones)."""
        ...

    def pods_with_ip(self, node_name: str, ip: str) -> builtins.list[Obj]:
        """The pods of ``pods_on_node(node_name)`` whose ``status.podIP`` is ``ip``."""
        ...

    def private(self, key: ObjKey) -> dict[str, Any] | None:
        """Component-local state stored with ``SetPrivate``."""
        ...

    @property
    def now_ms(self) -> int: ...
