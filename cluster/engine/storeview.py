"""The ``View`` reconcilers read: the store itself, read-only by contract (no copies, so it is fast)."""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any

from cluster.apiserver.store import Store
from cluster.core.objects import Obj
from cluster.engine.actions import ObjKey


class StoreView:
    def __init__(self, store: Store, clock: Callable[[], int]) -> None:
        self._store = store
        self._clock = clock

    @property
    def now_ms(self) -> int:
        return self._clock()

    def get(self, kind: str, namespace: str, name: str) -> Obj | None:
        return self._store.get(ObjKey(kind, namespace, name))

    def get_key(self, key: ObjKey) -> Obj | None:
        return self._store.get(key)

    def list(self, kind: str, namespace: str | None = None) -> list[Obj]:
        return self._store.list(kind, namespace)

    def by_uid(self, uid: str) -> Obj | None:
        return self._store.by_uid(uid)

    def owned_by(self, uid: str, kind: str | None = None) -> builtins.list[Obj]:
        return self._store.owned_by(uid, kind)

    def pods_on_node(self, node_name: str) -> builtins.list[Obj]:
        return self._store.pods_on_node(node_name)

    def pods_with_ip(self, node_name: str, ip: str) -> builtins.list[Obj]:
        return self._store.pods_with_ip(node_name, ip)

    def private(self, key: ObjKey) -> dict[str, Any] | None:
        return self._store.private(key)
