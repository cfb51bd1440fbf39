"""``?watch=true``: a chunked stream of watch events, one JSON object per line (K8S_FACTS §7.4).

Events come from the ``ObjectChange`` table, the sandbox's watch history, so
a watch sees every commit whichever process made it (a browser terminal, a
controller worker, another web process). The stream wakes when the
sandbox's Channels group announces a commit and also polls the sandbox's
revision every ``POLL_SECONDS``, which covers writes from processes whose
channel layer cannot reach this one.

Semantics follow the API server's: without a ``resourceVersion`` (or with
``0``) the current objects come first as ADDED; with one, only changes after
it. A revision older than the kept history is answered with an ERROR event
carrying a 410 ``Expired`` Status, so clients relist. DELETED carries the
object's last state; BOOKMARKs (if allowed) carry only the revision. With
``as=Table`` every event's object is a one-row Table, the first with column
definitions. The stream ends after ``timeoutSeconds``.

Simplification: selector membership is tracked from the objects seen since
the watch began (an object that stops matching is sent as DELETED once), not
from the exact state at the requested revision.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from cluster import protocol, services
from cluster.apiserver.selection import select
from cluster.core import errors
from cluster.models import ObjectChange, Sandbox
from cluster.persistence import clock_of
from cluster.sim import SimCluster
from sandbox.k8sapi import negotiate, ops, reads
from sandbox.k8sapi.exchange import ApiRequest, json_bytes
from sandbox.k8sapi.routes import Served, Target

log = logging.getLogger(__name__)
Obj = dict[str, Any]
POLL_SECONDS = 0.5
DEFAULT_TIMEOUT_SECONDS = 1800
BOOKMARK_SECONDS = 30.0
BATCH = 500


# -- what the watch wants ----------------------------------------------------------------------------------------
@dataclass
class WatchSpec:
    sandbox_id: int
    served: Served
    namespace: str | None
    label_selector: str | None
    field_selector: str | None
    resource_version: str
    timeout_s: float
    bookmarks: bool
    initial_events: bool
    table: bool
    req: ApiRequest
    seen: set[str] = field(default_factory=set)  # keys of objects the client currently holds
    headers_sent: bool = False


def watch_spec(req: ApiRequest, target: Target) -> WatchSpec:
    """Parse and check the watch parameters (400 before the stream starts, not inside it)."""
    field_selector = negotiate.text(req.query, "fieldSelector")
    if target.name:
        name_term = f"metadata.name={target.name}"
        field_selector = f"{field_selector},{name_term}" if field_selector else name_term
    label = negotiate.text(req.query, "labelSelector") or None
    select(target.served.info, [], label, field_selector or None)  # validates both selectors
    rv = negotiate.text(req.query, "resourceVersion")
    if rv not in ("", "0") and not rv.isdigit():
        raise errors.bad_request(f'resourceVersion: Invalid value: "{rv}": must be a number')
    timeout = negotiate.integer(req.query, "timeoutSeconds")
    return WatchSpec(
        sandbox_id=req.sandbox_id,
        served=target.served,
        namespace=target.namespace,
        label_selector=label,
        field_selector=field_selector or None,
        resource_version=rv,
        timeout_s=float(timeout if timeout and timeout > 0 else DEFAULT_TIMEOUT_SECONDS),
        bookmarks=negotiate.flag(req.query, "allowWatchBookmarks"),
        initial_events=negotiate.flag(req.query, "sendInitialEvents"),
        table=bool(negotiate.table_version(req.accept)),
        req=req,
    )


def _key(obj: Obj) -> str:
    meta = obj.get("metadata") or {}
    return f"{meta.get('namespace', '')}/{meta.get('name', '')}"


def matches(spec: WatchSpec, obj: Obj) -> bool:
    namespace = (obj.get("metadata") or {}).get("namespace", "")
    if spec.namespace is not None and spec.served.info.namespaced and namespace != spec.namespace:
        return False
    return bool(select(spec.served.info, [obj], spec.label_selector, spec.field_selector))


# -- events ------------------------------------------------------------------------------------------------------
def event_object(spec: WatchSpec, obj: Obj, now_ms: int) -> Obj:
    if not spec.table:
        return spec.served.outgoing(obj)
    rv = str((obj.get("metadata") or {}).get("resourceVersion", ""))
    table = reads.table(spec.req, spec.served, [obj], now_ms, rv, headers=not spec.headers_sent)
    spec.headers_sent = True
    return table


def event(spec: WatchSpec, kind: str, obj: Obj, now_ms: int) -> bytes:
    return json_bytes({"type": kind, "object": event_object(spec, obj, now_ms)})


def bookmark(spec: WatchSpec, rv: int, initial_end: bool = False) -> bytes:
    meta: Obj = {"resourceVersion": str(rv)}
    if initial_end:
        meta["annotations"] = {"k8s.io/initial-events-end": "true"}
    if spec.table:
        obj: Obj = {
            "kind": "Table",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": meta,
            "columnDefinitions": None,
            "rows": None,
        }
    else:
        obj = {"kind": spec.served.kind, "apiVersion": spec.served.api_version, "metadata": meta}
    return json_bytes({"type": "BOOKMARK", "object": obj})


def expired(rv: str, oldest: int) -> bytes:
    status = errors.gone(f"too old resource version: {rv} ({oldest})").status()
    return json_bytes({"type": "ERROR", "object": status})


def change_events(spec: WatchSpec, kind: str, obj: Obj, now_ms: int) -> list[bytes]:
    """The events one stored change means for this watch (none, or one ADDED/MODIFIED/DELETED)."""
    key = _key(obj)
    if kind == "DELETED":
        if key in spec.seen or matches(spec, obj):
            spec.seen.discard(key)
            return [event(spec, "DELETED", obj, now_ms)]
        return []
    if matches(spec, obj):
        known = key in spec.seen and kind != "ADDED"
        spec.seen.add(key)
        return [event(spec, "MODIFIED" if known else "ADDED", obj, now_ms)]
    if key in spec.seen:
        spec.seen.discard(key)
        return [event(spec, "DELETED", obj, now_ms)]
    return []


# -- database reads (sync, run in a thread) -------------------------------------------------------------------------
@dataclass(frozen=True)
class Poll:
    rv: int
    now_ms: int
    changes: list[tuple[int, str, Obj]]


def initial_state(spec: WatchSpec, traced: bool = True) -> tuple[list[Obj], int, int]:
    """The matching objects now, the list's revision and the simulated time (one LIST through the API server).

    ``traced=False`` reads without a trace step: the client already listed, the watch only needs to know what it holds.
    """
    ctx = ops.read_context(spec.req) if traced else None

    def read(cluster: SimCluster) -> tuple[list[Obj], int, int]:
        items, rv = cluster.api.list(spec.served.kind, spec.namespace, spec.label_selector, spec.field_selector, ctx)
        return items, rv, cluster.now_ms

    return ops.run(spec.sandbox_id, read)


def oldest_kept(sandbox_id: int) -> int | None:
    """The oldest revision a watch can start after (None: the history is complete)."""
    first = (
        ObjectChange.objects.filter(sandbox_id=sandbox_id)
        .order_by("resource_version")
        .values_list("resource_version", flat=True)
        .first()
    )
    return None if first is None or first <= 1 else int(first) - 1


def poll(sandbox_id: int, kind: str, after: int) -> Poll | None:
    """Changes of ``kind`` after revision ``after`` (None when the sandbox is gone)."""
    sandbox = Sandbox.objects.filter(pk=sandbox_id).first()
    if sandbox is None:
        return None
    now_ms = clock_of(sandbox).now(services.wall_ms())
    if sandbox.resource_version <= after:
        return Poll(sandbox.resource_version, now_ms, [])
    rows = (
        ObjectChange.objects.filter(sandbox_id=sandbox_id, resource_version__gt=after)
        .order_by("resource_version", "id")
        .values_list("resource_version", "type", "kind", "object")[:BATCH]
    )
    changes = [(int(rv), str(t), obj) for rv, t, k, obj in rows if k == kind]
    last = max((int(r[0]) for r in rows), default=after)
    return Poll(last if len(rows) == BATCH else max(last, sandbox.resource_version), now_ms, changes)


# -- waking up ---------------------------------------------------------------------------------------------------
class CommitSignal:
    """Wakes a stream when the sandbox's group announces a commit; a timeout is the polling fallback."""

    def __init__(self, sandbox_id: int) -> None:
        self.group = protocol.group_name(sandbox_id)
        self.layer = get_channel_layer()
        self.channel = ""

    async def __aenter__(self) -> CommitSignal:
        if self.layer is not None:
            try:
                self.channel = await self.layer.new_channel()
                await self.layer.group_add(self.group, self.channel)
            except Exception:  # no layer, no wake-ups: polling still works
                log.warning("watch could not join %s", self.group, exc_info=True)
                self.channel = ""
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.layer is not None and self.channel:
            with contextlib.suppress(Exception):
                await self.layer.group_discard(self.group, self.channel)

    async def wait(self, timeout: float) -> None:
        if not self.channel or self.layer is None:
            await asyncio.sleep(timeout)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.layer.receive(self.channel), timeout)


# -- the stream -----------------------------------------------------------------------------------------------------
async def start(spec: WatchSpec) -> tuple[list[bytes], int, bool]:
    """The first events and the revision to continue from; ``True`` when the stream must end (410)."""
    if spec.resource_version in ("", "0") or spec.initial_events:
        items, rv, now_ms = await sync_to_async(initial_state)(spec)
        first = []
        for obj in items:
            spec.seen.add(_key(obj))
            first.append(event(spec, "ADDED", obj, now_ms))
        if spec.initial_events and spec.bookmarks:
            first.append(bookmark(spec, rv, initial_end=True))
        return first, rv, False
    rv = int(spec.resource_version)
    oldest = await sync_to_async(oldest_kept)(spec.sandbox_id)
    if oldest is not None and rv < oldest:
        return [expired(spec.resource_version, oldest)], rv, True
    items, _, _ = await sync_to_async(initial_state)(spec, False)
    spec.seen.update(_key(o) for o in items)
    return [], rv, False


async def stream(spec: WatchSpec, first: list[bytes], rv: int) -> AsyncIterator[bytes]:
    """The events after ``first`` until the timeout, the sandbox's deletion or the client's disconnect."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + spec.timeout_s
    last_bookmark = loop.time()
    for chunk in first:
        yield chunk
    if not first and spec.bookmarks:
        # The server only sends its response headers with the first chunk of the body. A quiet watch would leave
        # the client waiting for them (kubectl logs "200 OK in 30000 ms"), so a client that accepts bookmarks
        # gets one at once, at the revision the watch starts from.
        yield bookmark(spec, rv)
    async with CommitSignal(spec.sandbox_id) as signal:
        while (left := deadline - loop.time()) > 0:
            await signal.wait(min(POLL_SECONDS, left))
            found = await sync_to_async(poll)(spec.sandbox_id, spec.served.kind, rv)
            if found is None:
                return
            for change_rv, kind, obj in found.changes:
                for chunk in change_events(spec, kind, obj, found.now_ms):
                    yield chunk
                rv = max(rv, change_rv)
            rv = max(rv, found.rv)
            if spec.bookmarks and loop.time() - last_bookmark >= BOOKMARK_SECONDS:
                last_bookmark = loop.time()
                yield bookmark(spec, rv)
