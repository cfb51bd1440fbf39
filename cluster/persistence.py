"""Rows <-> the in-memory cluster: load a sandbox's objects, flush only what changed.

A process keeps the clusters it has loaded, keyed by sandbox id, and trusts a
cached one only while its resourceVersion equals the database's. A flush is
one transaction guarded by ``UPDATE sandbox … WHERE resource_version =
<loaded rv>``: if any other process wrote in between, nothing is written and
the caller reloads and retries (optimistic concurrency, like etcd's).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from cluster.apiserver.store import Change
from cluster.core.objects import Obj
from cluster.engine.actions import ObjKey
from cluster.engine.clock import SimClock
from cluster.engine.trace import TraceStep
from cluster.models import ObjectChange, Sandbox, StoredObject
from cluster.sim import SimCluster

CHANGE_HISTORY_KEEP = 5_000


class StaleCluster(Exception):
    """Another process wrote to the sandbox since this copy was loaded."""


@dataclass
class Loaded:
    cluster: SimCluster
    row_ids: dict[ObjKey, int] = field(default_factory=dict)


_CACHE: dict[int, Loaded] = {}
_LOCKS: dict[int, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def sandbox_lock(sandbox_id: int) -> threading.Lock:
    """One thread at a time works on a sandbox's cached cluster in this process."""
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(sandbox_id, threading.Lock())


def clock_of(sb: Sandbox) -> SimClock:
    return SimClock(sb.clock_sim_ms, sb.clock_wall_ms, sb.clock_speed, sb.clock_paused)


def set_clock(sb: Sandbox, clock: SimClock) -> None:
    sb.clock_sim_ms, sb.clock_wall_ms = clock.sim_ms, clock.wall_ms
    sb.clock_speed, sb.clock_paused = clock.speed, clock.paused


def _key_str(key: ObjKey) -> str:
    return f"{key.kind}/{key.namespace}/{key.name}"


def _key_parse(text: str) -> ObjKey:
    kind, namespace, name = text.split("/", 2)
    return ObjKey(kind, namespace, name)


def forget(sandbox_id: int) -> None:
    _CACHE.pop(sandbox_id, None)


def load(sb: Sandbox) -> Loaded:
    cached = _CACHE.get(sb.pk)
    if cached is not None and cached.cluster.store.resource_version == sb.resource_version:
        return cached
    rows = list(StoredObject.objects.filter(sandbox=sb).values_list("id", "manifest", "private"))
    objects: list[Obj] = []
    privates: dict[ObjKey, dict[str, Any]] = {}
    row_ids: dict[ObjKey, int] = {}
    for row_id, manifest, private in rows:
        key = ObjKey.of(manifest)
        objects.append(manifest)
        row_ids[key] = row_id
        if private is not None:
            privates[key] = private
    for text, data in (sb.engine_state.get("privates") or {}).items():
        privates[_key_parse(text)] = data
    cluster = SimCluster.restore(
        seed=sb.seed,
        now_ms=int(sb.engine_state.get("now_ms", sb.clock_sim_ms)),
        objects=objects,
        privates=privates,
        resource_version=sb.resource_version,
        id_state=sb.id_state or None,
        trace_seq=int(sb.engine_state.get("trace_seq", 0)),
        quotas=sb.quotas or None,
    )
    loaded = Loaded(cluster, row_ids)
    _CACHE[sb.pk] = loaded
    return loaded


def _row_fields(obj: Obj, private: dict[str, Any] | None) -> dict[str, Any]:
    meta = obj["metadata"]
    owner = next((r.get("uid", "") for r in meta.get("ownerReferences") or [] if r.get("controller")), "")
    return {
        "api_version": obj.get("apiVersion", ""),
        "uid": meta.get("uid", ""),
        "resource_version": int(meta.get("resourceVersion", 0)),
        "generation": int(meta.get("generation", 0) or 0),
        "manifest": obj,
        "labels": meta.get("labels") or {},
        "owner_uid": owner,
        "node_name": (obj.get("spec") or {}).get("nodeName", "") if obj["kind"] == "Pod" else "",
        "phase": str((obj.get("status") or {}).get("phase", "") or ""),
        "private": private,
    }


def flush(sb: Sandbox, loaded: Loaded, expected_rv: int) -> tuple[list[Change], list[TraceStep]]:
    """Write what changed since the last flush in one rv-guarded transaction; returns what to publish."""
    cluster = loaded.cluster
    store = cluster.store
    dirty, dirty_private, changes = store.drain()
    trace = cluster.tracer.drain()
    touched = dirty | {k for k in dirty_private if store.get(k) is not None or k in loaded.row_ids}
    loose = {k for k in dirty_private if k not in touched}
    sb.resource_version = store.resource_version
    sb.id_state = cluster.ids.get_state()
    privates = dict(sb.engine_state.get("privates") or {})
    for key in loose:
        data = store.private(key)
        if data is None:
            privates.pop(_key_str(key), None)
        else:
            privates[_key_str(key)] = data
    sb.engine_state = {
        **sb.engine_state,
        "now_ms": cluster.now_ms,
        "trace_seq": cluster.tracer.seq,
        "privates": privates,
    }
    with transaction.atomic():
        updated = Sandbox.objects.filter(pk=sb.pk, resource_version=expected_rv).update(
            resource_version=sb.resource_version,
            id_state=sb.id_state,
            engine_state=sb.engine_state,
            clock_sim_ms=sb.clock_sim_ms,
            clock_wall_ms=sb.clock_wall_ms,
            clock_speed=sb.clock_speed,
            clock_paused=sb.clock_paused,
            next_wake_wall_ms=sb.next_wake_wall_ms,
            last_active_at=sb.last_active_at,
        )
        if not updated:
            forget(sb.pk)
            raise StaleCluster(sb.pk)
        _write_rows(sb, loaded, touched)
        if changes:
            ObjectChange.objects.bulk_create(
                ObjectChange(
                    sandbox=sb,
                    resource_version=c.resource_version,
                    type=c.type,
                    kind=c.key.kind,
                    namespace=c.key.namespace,
                    name=c.key.name,
                    object=c.obj,
                )
                for c in changes
            )
            floor = store.resource_version - CHANGE_HISTORY_KEEP
            if changes[0].resource_version % 500 < len(changes) or len(changes) > 500:
                ObjectChange.objects.filter(sandbox=sb, resource_version__lte=floor).delete()
    return changes, trace


def _write_rows(sb: Sandbox, loaded: Loaded, keys: set[ObjKey]) -> None:
    store = loaded.cluster.store
    creates: list[tuple[ObjKey, StoredObject]] = []
    updates: list[StoredObject] = []
    deletes: list[int] = []
    for key in keys:
        obj = store.get(key)
        row_id = loaded.row_ids.get(key)
        if obj is None:
            if row_id is not None:
                deletes.append(row_id)
                del loaded.row_ids[key]
            continue
        fields = _row_fields(obj, store.private(key))
        if row_id is None:
            creates.append(
                (key, StoredObject(sandbox=sb, kind=key.kind, namespace=key.namespace, name=key.name, **fields))
            )
        else:
            updates.append(StoredObject(id=row_id, **fields))
    if deletes:
        StoredObject.objects.filter(id__in=deletes).delete()
    if updates:
        StoredObject.objects.bulk_update(updates, list(_row_fields({"kind": "", "metadata": {}}, None)), batch_size=500)
    if creates:
        made = StoredObject.objects.bulk_create([row for _, row in creates], batch_size=500)
        for (key, _), row in zip(creates, made, strict=True):
            if row.pk is None:
                row = StoredObject.objects.get(sandbox=sb, kind=key.kind, namespace=key.namespace, name=key.name)
            loaded.row_ids[key] = row.pk
