"""What a page loads: the snapshot of a sandbox, and the events it missed while disconnected.

A snapshot is read from the process's loaded cluster under the sandbox's lock
and serialised there, so it is one consistent resourceVersion even while the
controller worker commits next to it. A reconnecting page sends the last
resourceVersion it applied; the ``ObjectChange`` rows after it are exactly
what it missed, unless the history was compacted past it, it is from before
a reset (another epoch), or it is so far behind that a snapshot is cheaper.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from cluster import protocol, services
from cluster.models import ObjectChange, Sandbox
from cluster.persistence import load, sandbox_lock
from cluster.sim import SimCluster
from sandbox.web.files import file_list
from sandbox.web.history import history_of
from sandbox.web.sandboxes import sandbox_epoch

T = TypeVar("T")
RESYNC_MAX_EVENTS = 2_000


def json_text(message: Any) -> str:
    return json.dumps(message, separators=(",", ":"), ensure_ascii=False)


def cluster_read(sandbox_id: int, read: Callable[[Sandbox, SimCluster], T]) -> T:
    """Run a read-only ``read(sandbox, cluster)`` on the sandbox's current cluster (no commit, no publish)."""
    with sandbox_lock(sandbox_id):
        sb = Sandbox.objects.get(pk=sandbox_id)
        return read(sb, load(sb).cluster)


def clock_of_sandbox(sb: Sandbox) -> dict[str, Any]:
    return protocol.clock_payload(
        sb.clock_sim_ms, sb.clock_wall_ms, sb.clock_speed, sb.clock_paused, services.wall_ms()
    )


def snapshot_text(*, sandbox_id: int, lang: str, namespace: str) -> tuple[int, str]:
    """``(rv, the snapshot message as JSON text)``."""
    files = file_list(sandbox_id)
    history = history_of(sandbox_id)

    def read(sb: Sandbox, cluster: SimCluster) -> tuple[int, str]:
        store = cluster.store
        objects = [store.get(key) for key in sorted(store.keys())]
        message = protocol.snapshot(
            rv=store.resource_version,
            epoch=sandbox_epoch(sb),
            objects=[o for o in objects if o is not None],
            files=files,
            history=history,
            clock=clock_of_sandbox(sb),
            lang=lang,
            namespace=namespace,
            sandbox={"id": sb.pk, "name": sb.name},
        )
        return store.resource_version, json_text(message)

    return cluster_read(sandbox_id, read)


def changes_since(*, sandbox_id: int, rv: int, epoch: int) -> dict[str, Any] | None:
    """A ``resync`` message with every watch event after ``rv``; None when only a fresh snapshot will do."""
    sb = Sandbox.objects.get(pk=sandbox_id)
    if epoch != sandbox_epoch(sb) or rv > sb.resource_version or rv < 0:
        return None
    rows = list(
        ObjectChange.objects.filter(sandbox_id=sandbox_id, resource_version__gt=rv)
        .order_by("resource_version")
        .values_list("resource_version", "type", "object")[: RESYNC_MAX_EVENTS + 1]
    )
    if not rows:
        return protocol.resync(rv, []) if rv == sb.resource_version else None
    last_rv = rows[-1][0]
    # resourceVersions are consecutive within an epoch: a hole means the history was compacted past ``rv``.
    if len(rows) > RESYNC_MAX_EVENTS or last_rv - rv != len(rows):
        return None
    events = [{"type": "watch.event", "event": kind, "rv": row_rv, "object": obj} for row_rv, kind, obj in rows]
    return protocol.resync(last_rv, events)
