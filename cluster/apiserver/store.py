"""The sandbox's etcd: objects keyed by (kind, namespace, name) with a global revision.

Every write bumps one cluster-wide ``resourceVersion`` counter, appends a
watch event to a bounded in-memory history, records the key as dirty (so the
Django shell persists only what changed) and notifies listeners (the engine's
informers). Secondary indexes serve the hot reads of the controllers: by
kind, by kind and namespace, by uid, by owner uid, pods by node and pods by
node and pod IP (what a kubelet's IPAM asks before handing out an IP). The
indexes that feed sorted reads are kept as sorted key lists, updated with a
binary search on each write, so a read never sorts.
"""

from __future__ import annotations

import builtins
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cluster.core.objects import Obj
from cluster.engine.actions import ObjKey

Listener = Callable[[str, Obj | None, Obj | None], None]

WATCH_HISTORY = 20_000


def _index_fields(obj: Obj) -> tuple[Any, Any, Any, Any]:
    """What the secondary indexes read from an object (most writes leave all of it alone)."""
    meta = obj["metadata"]
    return (
        meta.get("uid"),
        meta.get("ownerReferences"),
        (obj.get("spec") or {}).get("nodeName"),
        (obj.get("status") or {}).get("podIP"),
    )


class SortedKeys:
    """Keys in sorted order for ordered reads, where new keys arrive far more often than reads.

    A new key is appended to a batch that the next read (or removal) merges
    in with one sort, instead of being inserted in place: inserting into a
    long list moves half of it, and a scale-up adds thousands of Pods and
    Events between two lists of them.
    """

    __slots__ = ("_keys", "_new")

    def __init__(self) -> None:
        self._keys: list[ObjKey] = []
        self._new: list[ObjKey] = []

    def add(self, key: ObjKey) -> None:
        """Add a key that is not in the set yet."""
        self._new.append(key)

    def discard(self, key: ObjKey) -> None:
        _sorted_discard(self.ordered(), key)

    def ordered(self) -> list[ObjKey]:
        """The keys, sorted (the caller must not modify the list)."""
        if self._new:
            self._keys += self._new
            self._new.clear()
            self._keys.sort()  # a sorted run plus the new keys: a merge, not a full sort
        return self._keys


def _sorted_add(keys: list[ObjKey], key: ObjKey) -> None:
    at = bisect_left(keys, key)
    if at == len(keys) or keys[at] != key:
        keys.insert(at, key)


def _sorted_discard(keys: list[ObjKey] | None, key: ObjKey) -> None:
    if keys is None:
        return
    at = bisect_left(keys, key)
    if at < len(keys) and keys[at] == key:
        del keys[at]


@dataclass(frozen=True)
class Change:
    """One watch event: ADDED / MODIFIED / DELETED of ``obj`` at ``resource_version``."""

    type: str
    resource_version: int
    key: ObjKey
    obj: Obj


class Store:
    def __init__(self, resource_version: int = 0) -> None:
        self.resource_version = resource_version
        self._objects: dict[ObjKey, Obj] = {}
        self._by_kind: dict[str, dict[ObjKey, Obj]] = {}
        # Sorted keys by kind and by (kind, namespace): list() walks them in order.
        self._sorted: dict[str, SortedKeys] = {}
        self._by_namespace: dict[tuple[str, str], SortedKeys] = {}
        self._by_uid: dict[str, ObjKey] = {}
        self._owned: dict[str, list[ObjKey]] = {}
        self._on_node: dict[str, list[ObjKey]] = {}
        self._pod_ips: dict[tuple[str, str], list[ObjKey]] = {}
        self._privates: dict[ObjKey, dict[str, Any]] = {}
        self.history: deque[Change] = deque(maxlen=WATCH_HISTORY)
        self.oldest_rv = resource_version
        self.dirty: set[ObjKey] = set()
        self.dirty_private: set[ObjKey] = set()
        self.pending_changes: list[Change] = []
        self.listeners: list[Listener] = []

    # -- reads -------------------------------------------------------------------------------------------------
    def get(self, key: ObjKey) -> Obj | None:
        return self._objects.get(key)

    def list(self, kind: str, namespace: str | None = None) -> list[Obj]:
        bucket = self._by_kind.get(kind)
        if bucket is None:
            return []
        keys = self._sorted[kind] if namespace is None else self._by_namespace.get((kind, namespace))
        return [] if keys is None else [bucket[k] for k in keys.ordered()]

    def count(self, kind: str | None = None) -> int:
        if kind is None:
            return len(self._objects)
        return len(self._by_kind.get(kind, {}))

    def keys(self) -> Iterable[ObjKey]:
        return self._objects.keys()

    def by_uid(self, uid: str) -> Obj | None:
        key = self._by_uid.get(uid)
        return self._objects.get(key) if key else None

    def owned_by(self, uid: str, kind: str | None = None) -> builtins.list[Obj]:
        objects = self._objects
        return [objects[k] for k in self._owned.get(uid, ()) if kind is None or k.kind == kind]

    def pods_on_node(self, node: str) -> builtins.list[Obj]:
        objects = self._objects
        return [objects[k] for k in self._on_node.get(node, ())]

    def pods_with_ip(self, node: str, ip: str) -> builtins.list[Obj]:
        """Pods bound to ``node`` whose ``status.podIP`` is ``ip``."""
        objects = self._objects
        return [objects[k] for k in self._pod_ips.get((node, ip), ())]

    def private(self, key: ObjKey) -> dict[str, Any] | None:
        return self._privates.get(key)

    # -- writes (only the API server calls these) -----------------------------------------------------------
    def next_rv(self) -> int:
        self.resource_version += 1
        return self.resource_version

    def put(self, obj: Obj, event_type: str | None = None) -> Obj:
        """Store ``obj`` under a fresh resourceVersion; returns the stored object."""
        key = ObjKey.of(obj)
        old = self._objects.get(key)
        rv = self.next_rv()
        obj["metadata"]["resourceVersion"] = str(rv)
        indexed = _index_fields(obj)
        if old is None:
            self._add_key(key)
            self._index(key, obj)
        elif _index_fields(old) != indexed:
            self._unindex(key, old)
            self._index(key, obj)
        elif indexed[0]:
            self._by_uid[indexed[0]] = key  # what re-indexing an unchanged object would leave behind
        self._objects[key] = obj
        self._by_kind[key.kind][key] = obj
        self._record(event_type or ("MODIFIED" if old is not None else "ADDED"), rv, key, obj)
        self._notify(old, obj)
        return obj

    def remove(self, key: ObjKey) -> Obj | None:
        old = self._objects.pop(key, None)
        if old is None:
            return None
        self._by_kind[key.kind].pop(key, None)
        self._sorted[key.kind].discard(key)
        self._by_namespace[(key.kind, key.namespace)].discard(key)
        self._unindex(key, old)
        self._privates.pop(key, None)
        self.dirty_private.add(key)
        rv = self.next_rv()
        final = dict(old)
        final["metadata"] = dict(old["metadata"], resourceVersion=str(rv))
        self._record("DELETED", rv, key, final)
        self._notify(old, None)
        return final

    def set_private(self, key: ObjKey, data: dict[str, Any] | None) -> None:
        if data is None:
            self._privates.pop(key, None)
        else:
            self._privates[key] = data
        self.dirty_private.add(key)

    def load(self, objects: Iterable[Obj], privates: dict[ObjKey, dict[str, Any]]) -> None:
        """Fill the store from persisted rows without recording changes (a cold start)."""
        for obj in objects:
            key = ObjKey.of(obj)
            if key not in self._objects:
                self._add_key(key)
            else:
                self._unindex(key, self._objects[key])
            self._objects[key] = obj
            self._by_kind[key.kind][key] = obj
            self._index(key, obj)
        self._privates.update(privates)

    def drain(self) -> tuple[set[ObjKey], set[ObjKey], builtins.list[Change]]:
        """Keys changed since the last drain (objects, private state) and the watch events."""
        dirty, dirty_private, changes = self.dirty, self.dirty_private, self.pending_changes
        self.dirty, self.dirty_private, self.pending_changes = set(), set(), []
        return dirty, dirty_private, changes

    def changes_since(self, rv: int) -> builtins.list[Change] | None:
        """Watch events after ``rv``; None when ``rv`` is older than the kept history (410 Gone)."""
        if rv < self.oldest_rv:
            return None
        if self.history and rv < self.history[0].resource_version - 1:
            return None
        return [c for c in self.history if c.resource_version > rv]

    # -- internals ---------------------------------------------------------------------------------------------
    def _record(self, event_type: str, rv: int, key: ObjKey, obj: Obj) -> None:
        change = Change(event_type, rv, key, obj)
        if len(self.history) == self.history.maxlen:
            self.oldest_rv = self.history[0].resource_version
        self.history.append(change)
        self.pending_changes.append(change)
        self.dirty.add(key)

    def _notify(self, old: Obj | None, new: Obj | None) -> None:
        event_type = "DELETED" if new is None else ("MODIFIED" if old is not None else "ADDED")
        for listener in self.listeners:
            listener(event_type, old, new)

    def _add_key(self, key: ObjKey) -> None:
        """A key not stored before: place it in the by-kind and by-namespace orders."""
        if key.kind not in self._by_kind:
            self._by_kind[key.kind] = {}
            self._sorted[key.kind] = SortedKeys()
        self._sorted[key.kind].add(key)
        by_namespace = self._by_namespace.get((key.kind, key.namespace))
        if by_namespace is None:
            by_namespace = self._by_namespace[(key.kind, key.namespace)] = SortedKeys()
        by_namespace.add(key)

    def _index(self, key: ObjKey, obj: Obj) -> None:
        meta = obj["metadata"]
        if meta.get("uid"):
            self._by_uid[meta["uid"]] = key
        for ref in meta.get("ownerReferences") or []:
            _sorted_add(self._owned.setdefault(ref.get("uid", ""), []), key)
        if key.kind == "Pod":
            node = (obj.get("spec") or {}).get("nodeName")
            if node:
                _sorted_add(self._on_node.setdefault(node, []), key)
                ip = (obj.get("status") or {}).get("podIP")
                if ip:
                    _sorted_add(self._pod_ips.setdefault((node, str(ip)), []), key)

    def _unindex(self, key: ObjKey, obj: Obj) -> None:
        meta = obj["metadata"]
        if self._by_uid.get(meta.get("uid", "")) == key:
            del self._by_uid[meta["uid"]]
        for ref in meta.get("ownerReferences") or []:
            _sorted_discard(self._owned.get(ref.get("uid", "")), key)
        if key.kind == "Pod":
            node = (obj.get("spec") or {}).get("nodeName")
            if node:
                _sorted_discard(self._on_node.get(node), key)
                ip = (obj.get("status") or {}).get("podIP")
                if ip:
                    _sorted_discard(self._pod_ips.get((node, str(ip))), key)
