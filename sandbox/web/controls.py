"""The page's clock controls: pause, play, speed, step one control-loop action, fast-forward.

Each goes through ``cluster.services``; afterwards every open page of the
sandbox gets the new clock, so two tabs never disagree about simulated time.
"""

from __future__ import annotations

from typing import Any

from cluster import faults, protocol, services
from cluster.engine.clock import parse_duration_ms
from cluster.models import Sandbox
from cluster.sim import SimCluster
from sandbox.web.notify import group_notify
from sandbox.web.snapshot import clock_of_sandbox

MAX_ADVANCE_MS = 60 * 60 * 1000  # one press fast-forwards at most an hour


class ClockError(ValueError):
    pass


def _advance_ms(value: Any) -> int:
    if isinstance(value, bool):
        raise ClockError(f"invalid duration {value!r}")
    if isinstance(value, int | float):
        ms = int(value)
    else:
        try:
            ms = parse_duration_ms(str(value))
        except ValueError as exc:
            raise ClockError(str(exc)) from None
    if not 0 < ms <= MAX_ADVANCE_MS:
        raise ClockError("advance by more than 0 and at most 1h at a time")
    return ms


def _speed(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise ClockError(f"invalid speed {value!r}") from None


def clock_change(*, sandbox_id: int, action: str, value: Any = None) -> dict[str, Any]:
    """Apply one clock action; returns the new clock (``protocol.clock_payload``). Raises ``ClockError``."""
    if action == "pause":
        services.sandbox_set_clock(sandbox_id, paused=True)
    elif action == "play":
        services.sandbox_set_clock(sandbox_id, paused=False)
    elif action == "speed":
        try:
            services.sandbox_set_clock(sandbox_id, speed=_speed(value))
        except ValueError as exc:
            raise ClockError(str(exc)) from None
    elif action == "step":
        services.sandbox_step(sandbox_id)
    elif action == "advance":
        services.sandbox_advance(sandbox_id, _advance_ms(value))
    else:
        raise ClockError(f"unknown clock action {action!r} (one of {', '.join(protocol.CLOCK_ACTIONS)})")
    clock = clock_of_sandbox(Sandbox.objects.get(pk=sandbox_id))
    group_notify(sandbox_id, protocol.clock_group_message(clock))
    return clock


SETTLE_LIMIT_MS = 10 * 60 * 1000  # fast-forward to settled stops after ten simulated minutes


def _reanchor(sandbox_id: int) -> None:
    """The engine ran past the clock (step, settle): move the clock to the engine's time."""
    sb = Sandbox.objects.get(pk=sandbox_id)
    engine_now = int(sb.engine_state.get("now_ms", sb.clock_sim_ms))
    if engine_now > sb.clock_sim_ms:
        Sandbox.objects.filter(pk=sandbox_id).update(clock_sim_ms=engine_now, clock_wall_ms=services.wall_ms())


SETTLE_CHUNK_MS = 5_000
NOISE_KINDS = ("Event", "Lease", "Node")  # heartbeats and records change forever; they are not "work"


def _fingerprint(cluster: SimCluster) -> tuple[int, ...]:
    return tuple(
        sorted(
            int(obj["metadata"].get("resourceVersion") or 0)
            for key in cluster.store.keys()  # noqa: SIM118  (a Store, not a dict)
            if key.kind not in NOISE_KINDS and (obj := cluster.store.get(key)) is not None
        )
    )


def settle_cluster(cluster: SimCluster, limit_ms: int = SETTLE_LIMIT_MS) -> int:
    """Run in 5 s steps until a whole step changed nothing but heartbeats and events (or ``limit_ms`` passed).

    ``SimCluster.settle`` waits for every timer, and a node's heartbeats never stop: this stops as soon as
    the objects a learner watches are still, which is what "settled" means on the map. Returns the ms run.
    """
    start = cluster.now_ms
    cluster.engine.run_until(start)
    while cluster.now_ms - start < limit_ms:
        before = _fingerprint(cluster)
        cluster.advance(SETTLE_CHUNK_MS)
        if _fingerprint(cluster) == before and not cluster.engine.queue:
            break
    return cluster.now_ms - start


def settle(*, sandbox_id: int) -> dict[str, Any]:
    """Fast-forward until the cluster is settled (``settle_cluster``); returns the new clock."""
    services.sandbox_run(sandbox_id, settle_cluster, react=True)
    _reanchor(sandbox_id)
    clock = clock_of_sandbox(Sandbox.objects.get(pk=sandbox_id))
    group_notify(sandbox_id, protocol.clock_group_message(clock))
    return clock


def fault_inject(*, sandbox_id: int, action: str, target: str) -> None:
    """A fault button (``cluster.faults``); raises ``faults.FaultError`` for a bad action or target."""
    services.sandbox_run(sandbox_id, lambda cluster: faults.inject(cluster, action, target))
