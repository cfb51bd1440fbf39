"""Sandbox services: the thin Django shell around the pure simulated cluster.

Everything that reads the wall clock, touches the ORM for writes or publishes
to Channels lives here. Each operation loads the sandbox's cluster (cached
per process), brings it up to the sandbox's simulated "now", runs the
operation through the API server, lets the control plane react at that same
instant, flushes in one rv-guarded transaction and, after the commit,
publishes the watch events and trace steps to the sandbox's group.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from typing import Any, TypeVar

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cluster import protocol
from cluster.apiserver.store import Change
from cluster.engine.clock import SimClock
from cluster.engine.trace import TraceStep
from cluster.models import Sandbox
from cluster.networking import records
from cluster.persistence import Loaded, StaleCluster, clock_of, flush, forget, load, sandbox_lock, set_clock
from cluster.sim import SimCluster

log = logging.getLogger(__name__)
T = TypeVar("T")
RETRIES = 8
LEASE_MS = 15_000
# How much simulated work one pass may do before yielding (keeps a 50x sandbox from starving others).
PASS_BUDGET = 200_000


def wall_ms() -> int:
    return int(time.time() * 1000)


def inline_controllers() -> bool:
    """Embedded mode lets the control plane react within the request's process (it is the worker's process too);
    scale-out leaves every controller action to the ``runworker`` processes."""
    default = getattr(settings, "KUBESANDBOX_MODE", "embedded") == "embedded"
    return bool(getattr(settings, "KUBESANDBOX_INLINE_CONTROLLERS", default))


def _quotas() -> dict[str, int]:
    return dict(getattr(settings, "KUBESANDBOX_QUOTAS", {}) or {})


# -- lifecycle -------------------------------------------------------------------------------------------------
def sandbox_create(
    *,
    name: str,
    owner: object | None = None,
    session_key: str = "",
    nodes: int = 2,
    seed: int | None = None,
    paused: bool = False,
) -> Sandbox:
    """A new sandbox with a booted cluster (nodes Ready), persisted in one transaction."""
    quotas = _quotas()
    nodes = max(1, min(int(nodes), int(quotas.get("nodes", 20)) - 1))
    seed = secrets.randbits(31) if seed is None else int(seed)
    now = wall_ms()
    cluster = SimCluster.new(seed=seed, nodes=nodes, start_ms=now, quotas=quotas or None, strict=False)
    sb = Sandbox(
        owner=owner,
        session_key=session_key,
        name=name,
        slug=name,
        seed=seed,
        created_at=timezone.now(),
        last_active_at=timezone.now(),
        clock_sim_ms=now,
        clock_wall_ms=now,
        clock_speed=1.0,
        clock_paused=paused,
        resource_version=0,
        id_state=[],
        engine_state={},
        quotas=quotas,
    )
    with transaction.atomic():
        sb.save()
        loaded = Loaded(cluster)
        _schedule_wake(sb, cluster)
        flush(sb, loaded, expected_rv=0)
    from cluster.persistence import _CACHE

    _CACHE[sb.pk] = loaded
    return sb


def sandbox_delete(sb: Sandbox) -> None:
    forget(sb.pk)
    sb.delete()


def sandbox_reset(sb: Sandbox) -> Sandbox:
    """A fresh cluster under the same sandbox row (same id, URL and token)."""
    from cluster.models import ObjectChange, StoredObject

    nodes = max(1, sum(1 for o in load(sb).cluster.list("Node")) - 1)
    cluster = SimCluster.new(seed=sb.seed, nodes=nodes, start_ms=wall_ms(), quotas=sb.quotas or None, strict=False)
    with sandbox_lock(sb.pk), transaction.atomic():
        StoredObject.objects.filter(sandbox=sb).delete()
        ObjectChange.objects.filter(sandbox=sb).delete()
        now = wall_ms()
        set_clock(sb, SimClock(now, now, 1.0, sb.clock_paused))
        expected = sb.resource_version
        sb.engine_state = {}
        forget(sb.pk)
        cluster.store.resource_version = max(cluster.store.resource_version, expected + 1)
        loaded = Loaded(cluster)
        _schedule_wake(sb, cluster)
        flush(sb, loaded, expected_rv=expected)
    from cluster.persistence import _CACHE

    _CACHE[sb.pk] = loaded
    return sb


# -- running operations against a sandbox --------------------------------------------------------------------
def sandbox_run(
    sandbox_id: int,
    operation: Callable[[SimCluster], T],
    *,
    clock_change: Callable[[SimClock, int], SimClock] | None = None,
    react: bool | None = None,
) -> T:
    """Run ``operation`` against the sandbox's current cluster and commit what it and the control plane did.

    On a concurrent write by another process the whole attempt is discarded,
    the cluster reloaded and the operation run again.
    """
    with sandbox_lock(sandbox_id):
        for _ in range(RETRIES):
            sb = Sandbox.objects.get(pk=sandbox_id)
            loaded = load(sb)
            expected = sb.resource_version
            try:
                result = _run_once(
                    sb, loaded, operation, clock_change, inline_controllers() if react is None else react
                )
                changes, trace = flush(sb, loaded, expected)
            except StaleCluster:
                continue
            except BaseException:
                forget(sandbox_id)
                raise
            traffic = [records.message(r) for r in loaded.cluster.traffic.drain()]
            publish(sb.pk, sb.resource_version, changes, trace, wake=bool(changes), traffic=traffic)
            return result
        raise StaleCluster(sandbox_id)


def _run_once(
    sb: Sandbox,
    loaded: Loaded,
    operation: Callable[[SimCluster], T],
    clock_change: Callable[[SimClock, int], SimClock] | None,
    react: bool,
) -> T:
    wall = wall_ms()
    clock = clock_of(sb)
    if clock_change is not None:
        clock = clock_change(clock, wall)
        set_clock(sb, clock)
    cluster = loaded.cluster
    now = clock.now(wall)
    if react and (not clock.paused or clock_change is not None):
        cluster.engine.run_until(max(cluster.now_ms, now))
    result = operation(cluster)
    if react and not clock.paused:
        cluster.engine.run_until(max(cluster.now_ms, now))
    sb.last_active_at = timezone.now()
    _schedule_wake(sb, cluster, clock)
    return result


def _schedule_wake(sb: Sandbox, cluster: SimCluster, clock: SimClock | None = None) -> None:
    clock = clock or clock_of(sb)
    if cluster.engine.queue:
        sb.next_wake_wall_ms = wall_ms()
        return
    due = cluster.engine.next_timer_ms()
    sb.next_wake_wall_ms = None if due is None else clock.wall_at(due)


def sandbox_advance(sandbox_id: int, ms: int) -> SimCluster:
    """Move the sandbox's simulated clock forward by ``ms`` and let the control plane catch up."""
    return sandbox_run(sandbox_id, lambda c: c, clock_change=lambda clock, wall: clock.advance(wall, ms), react=True)


def sandbox_set_clock(sandbox_id: int, *, speed: float | None = None, paused: bool | None = None) -> SimClock:
    def change(clock: SimClock, wall: int) -> SimClock:
        if speed is not None:
            clock = clock.with_speed(wall, speed)
        if paused is True:
            clock = clock.pause(wall)
        elif paused is False:
            clock = clock.play(wall)
        return clock

    sandbox_run(sandbox_id, lambda c: None, clock_change=change, react=True)
    return clock_of(Sandbox.objects.get(pk=sandbox_id))


def sandbox_step(sandbox_id: int) -> bool:
    """Run exactly one control-loop action (the clock jumps to the next timer if nothing is queued)."""

    def operation(cluster: SimCluster) -> bool:
        return cluster.engine.step()

    result = sandbox_run(sandbox_id, operation, react=False)
    # Stepping may have moved the engine past the paused clock: re-anchor the clock to the engine.
    sb = Sandbox.objects.get(pk=sandbox_id)
    engine_now = int(sb.engine_state.get("now_ms", sb.clock_sim_ms))
    if engine_now > sb.clock_sim_ms:
        Sandbox.objects.filter(pk=sandbox_id).update(clock_sim_ms=engine_now, clock_wall_ms=wall_ms())
    return result


# -- the controller worker's side --------------------------------------------------------------------------
def lease_acquire(sandbox_id: int, owner: str, now_wall: int) -> bool:
    expired = Q(lease_until_ms__lt=now_wall) | Q(lease_owner="") | Q(lease_owner=owner)
    return bool(
        Sandbox.objects.filter(Q(pk=sandbox_id) & expired).update(lease_owner=owner, lease_until_ms=now_wall + LEASE_MS)
    )


def lease_release(sandbox_id: int, owner: str) -> None:
    Sandbox.objects.filter(pk=sandbox_id, lease_owner=owner).update(lease_owner="", lease_until_ms=0)


def due_sandboxes(now_wall: int, limit: int = 50) -> list[int]:
    return list(
        Sandbox.objects.filter(next_wake_wall_ms__lte=now_wall)
        .order_by("next_wake_wall_ms")
        .values_list("pk", flat=True)[:limit]
    )


def sandbox_reconcile(sandbox_id: int, owner: str) -> bool:
    """What a controller worker does for one sandbox: run the control plane up to now under a lease."""
    if not lease_acquire(sandbox_id, owner, wall_ms()):
        return False
    try:
        sandbox_run(sandbox_id, lambda c: None, react=True)
    except Sandbox.DoesNotExist:
        return False
    return True


# -- publishing ----------------------------------------------------------------------------------------------
def publish(
    sandbox_id: int,
    rv: int,
    changes: list[Change],
    trace: list[TraceStep],
    wake: bool,
    traffic: list[dict[str, Any]] | None = None,
) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        if changes or trace or traffic:
            async_to_sync(layer.group_send)(
                protocol.group_name(sandbox_id), protocol.changes_message(rv, changes, trace, traffic)
            )
        if wake:
            async_to_sync(layer.send)(protocol.CONTROLLER_CHANNEL, protocol.wake_message(sandbox_id))
    except Exception:  # a full channel or a Redis hiccup must not fail a committed write
        log.warning("publish failed for sandbox %s", sandbox_id, exc_info=True)


# -- terminal commands ---------------------------------------------------------------------------------------
def sandbox_exec(
    sandbox_id: int,
    line: str,
    *,
    files: dict[str, str] | None = None,
    lang: str = "en",
    namespace: str = "default",
    actor: str = "kubectl",
    history: list[str] | None = None,
):  # type: ignore[no-untyped-def]
    """Run one terminal line against the sandbox; returns the kubectl ``Output`` (never raises for bad input)."""
    from cluster.kubectl.base import Env
    from cluster.kubectl.shell import run_line

    files = dict(files or {})

    def operation(cluster: SimCluster):  # type: ignore[no-untyped-def]
        env = Env(
            api=cluster.api,
            now_ms=lambda: cluster.now_ms,
            files=dict(files),
            namespace=namespace,
            lang=lang,
            actor=actor,
            history=list(history or []),
        )
        output = run_line(env, line)
        output.files = env.files  # type: ignore[attr-defined]
        output.files_changed = env.files_changed  # type: ignore[attr-defined]
        return output

    return sandbox_run(sandbox_id, operation)
