"""Rows <-> the in-memory cluster: load a sandbox's objects, flush only what changed.

A process keeps the clusters it has loaded, keyed by sandbox id, and trusts a
cached one only while its resourceVersion equals the database's. A flush is
one transaction guarded by ``UPDATE sandbox … WHERE resource_version =
<loaded rv>``: if any other process wrote in between, nothing is written and
the caller reloads and retries (optimistic concurrency, like etcd's).

Rows are written with one prepared statement per table (``executemany``),
each value adapted by its model field exactly as the ORM would (JSON columns
through ``JSONField``): a scale-up flushes thousands of rows, and building a
model instance and compiling an INSERT per row cost more than the database.
A manifest that is both a row and the latest watch event is encoded once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Field, JSONField, Model

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
    # Keys that have a row: rows are addressed by their unique (sandbox, kind, namespace, name).
    rows: set[ObjKey] = field(default_factory=set)


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
    rows = list(StoredObject.objects.filter(sandbox=sb).values_list("manifest", "private"))
    objects: list[Obj] = []
    privates: dict[ObjKey, dict[str, Any]] = {}
    stored: set[ObjKey] = set()
    for manifest, private in rows:
        key = ObjKey.of(manifest)
        objects.append(manifest)
        stored.add(key)
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
    loaded = Loaded(cluster, stored)
    _CACHE[sb.pk] = loaded
    return loaded


_ROW_COLUMNS = (
    "api_version",
    "uid",
    "resource_version",
    "generation",
    "manifest",
    "labels",
    "owner_uid",
    "node_name",
    "phase",
    "private",
)
_KEY_COLUMNS = ("sandbox", "kind", "namespace", "name")
_CHANGE_COLUMNS = ("sandbox", "resource_version", "type", "kind", "namespace", "name", "object")
_PLAIN = (str, int)


def _row_values(obj: Obj, private: dict[str, Any] | None) -> tuple[Any, ...]:
    """The ``_ROW_COLUMNS`` of an object's row: the manifest plus the denormalised hot fields."""
    meta = obj["metadata"]
    owner = next((r.get("uid", "") for r in meta.get("ownerReferences") or [] if r.get("controller")), "")
    return (
        obj.get("apiVersion", ""),
        meta.get("uid", ""),
        int(meta.get("resourceVersion", 0)),
        int(meta.get("generation", 0) or 0),
        obj,
        meta.get("labels") or {},
        owner,
        (obj.get("spec") or {}).get("nodeName", "") if obj["kind"] == "Pod" else "",
        str((obj.get("status") or {}).get("phase", "") or ""),
        private,
    )


class _Rows:
    """Writes rows with prepared statements; JSON values are encoded once per object per flush."""

    def __init__(self) -> None:
        self._db = connections[DEFAULT_DB_ALIAS]  # the connection itself, not the thread-local proxy
        # id(value) -> (value, its database form); holding the value keeps its id from being reused.
        self._encoded: dict[int, tuple[Any, Any]] = {}

    def _json(self, field: Field, value: Any) -> Any:  # type: ignore[type-arg]
        if value is None:
            return None  # SQL NULL, as JSONField.get_db_prep_save stores None
        known = self._encoded.get(id(value))
        if known is None:
            known = self._encoded[id(value)] = (value, field.get_db_prep_save(value, self._db))
        return known[1]

    def _values(self, fields: list[Field], row: tuple[Any, ...]) -> list[Any]:  # type: ignore[type-arg]
        """The row's values as the database takes them (``get_db_prep_save``, as the ORM adapts them)."""
        out: list[Any] = []
        for column, value in zip(fields, row, strict=True):
            if isinstance(column, JSONField):
                out.append(self._json(column, value))
            elif type(value) in _PLAIN:
                out.append(value)  # what CharField/BigIntegerField/ForeignKey adaptation returns for a str or an int
            else:
                out.append(column.get_db_prep_save(value, self._db))
        return out

    def _fields(self, model: type[Model], names: tuple[str, ...]) -> list[Field]:  # type: ignore[type-arg]
        return [model._meta.get_field(name) for name in names]  # type: ignore[misc]

    def insert(self, model: type[Model], names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        fields = self._fields(model, names)
        quote = self._db.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
        params = [self._values(fields, row) for row in rows]
        with self._db.cursor() as cursor:
            cursor.executemany(sql, params)

    def update(
        self,
        model: type[Model],
        names: tuple[str, ...],
        where: tuple[str, ...],
        rows: list[tuple[tuple[Any, ...], tuple[Any, ...]]],
    ) -> None:
        """``UPDATE … SET names WHERE where`` for each ``(where values, new values)``."""
        if not rows:
            return
        fields, keys = self._fields(model, names), self._fields(model, where)
        quote = self._db.ops.quote_name
        assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {self._conditions(keys)}"
        params = [[*self._values(fields, values), *self._values(keys, match)] for match, values in rows]
        with self._db.cursor() as cursor:
            cursor.executemany(sql, params)

    def delete(self, model: type[Model], where: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
        """``DELETE … WHERE where`` for each row of where values."""
        if not rows:
            return
        keys = self._fields(model, where)
        sql = f"DELETE FROM {self._db.ops.quote_name(model._meta.db_table)} WHERE {self._conditions(keys)}"
        with self._db.cursor() as cursor:
            cursor.executemany(sql, [self._values(keys, match) for match in rows])

    def _conditions(self, fields: list[Field]) -> str:  # type: ignore[type-arg]
        return " AND ".join(f"{self._db.ops.quote_name(f.column)} = %s" for f in fields)


def flush(sb: Sandbox, loaded: Loaded, expected_rv: int) -> tuple[list[Change], list[TraceStep]]:
    """Write what changed since the last flush in one rv-guarded transaction; returns what to publish."""
    cluster = loaded.cluster
    store = cluster.store
    dirty, dirty_private, changes = store.drain()
    trace = cluster.tracer.drain()
    touched = dirty | {k for k in dirty_private if store.get(k) is not None or k in loaded.rows}
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
        rows = _Rows()
        _write_rows(sb, loaded, touched, rows)
        _write_changes(sb, store.resource_version, changes, rows)
    return changes, trace


def _write_changes(sb: Sandbox, resource_version: int, changes: list[Change], rows: _Rows) -> None:
    """Append the watch history, compacted to the last ``CHANGE_HISTORY_KEEP`` revisions every few hundred.

    Changes that the same transaction's compaction would delete again are not written at all.
    """
    if not changes:
        return
    floor = resource_version - CHANGE_HISTORY_KEEP
    compact = changes[0].resource_version % 500 < len(changes) or len(changes) > 500
    kept = [c for c in changes if c.resource_version > floor] if compact else changes
    rows.insert(
        ObjectChange,
        _CHANGE_COLUMNS,
        [(sb.pk, c.resource_version, c.type, c.key.kind, c.key.namespace, c.key.name, c.obj) for c in kept],
    )
    if compact:
        ObjectChange.objects.filter(sandbox=sb, resource_version__lte=floor).delete()


def _write_rows(sb: Sandbox, loaded: Loaded, keys: set[ObjKey], rows: _Rows) -> None:
    store = loaded.cluster.store
    creates: list[tuple[Any, ...]] = []
    updates: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []
    deletes: list[tuple[Any, ...]] = []
    for key in sorted(keys):
        obj = store.get(key)
        where = (sb.pk, key.kind, key.namespace, key.name)
        if obj is None:
            if key in loaded.rows:
                deletes.append(where)
                loaded.rows.discard(key)
            continue
        if key in loaded.rows:
            updates.append((where, _row_values(obj, store.private(key))))
        else:
            creates.append((*where, *_row_values(obj, store.private(key))))
            loaded.rows.add(key)
    rows.delete(StoredObject, _KEY_COLUMNS, deletes)
    rows.update(StoredObject, _ROW_COLUMNS, _KEY_COLUMNS, updates)
    rows.insert(StoredObject, _KEY_COLUMNS + _ROW_COLUMNS, creates)
