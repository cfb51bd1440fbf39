"""Event TTL: an Event disappears one hour after it last happened."""

from __future__ import annotations

from cluster.controllers.eventttl import EventTTLController
from cluster.core.objects import Obj
from cluster.core.timefmt import parse_rfc3339
from cluster.engine.actions import Delete, ObjKey, Result
from tests.unit.fakes import FakeView

T0 = 1_764_044_333_000  # 2025-11-25T04:18:53Z
KEY = ObjKey("Event", "default", "web-1.187a")


def event(last: str | None = "2025-11-25T04:18:53Z") -> Obj:
    ev: Obj = {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {
            "name": "web-1.187a",
            "namespace": "default",
            "uid": "e1",
            "creationTimestamp": "2025-11-25T04:00:00Z",
        },
        "reason": "Scheduled",
        "firstTimestamp": "2025-11-25T04:00:00Z",
        "eventTime": None,
    }
    if last is not None:
        ev["lastTimestamp"] = last
    return ev


def test_an_event_waits_until_an_hour_after_it_last_happened() -> None:
    result = EventTTLController().reconcile(FakeView([event()]), KEY, T0 + 1_000)

    assert result == Result(requeue_after_ms=3_599_000)


def test_an_event_is_deleted_when_its_hour_is_up() -> None:
    result = EventTTLController().reconcile(FakeView([event()]), KEY, T0 + 3_600_000)

    assert result.actions == [Delete(KEY, uid="e1")]


def test_a_repeated_event_lives_an_hour_past_its_last_occurrence() -> None:
    view = FakeView([event("2025-11-25T04:48:53Z")])  # bumped 30 minutes later

    assert EventTTLController().reconcile(view, KEY, T0 + 3_600_000) == Result(requeue_after_ms=1_800_000)


def test_without_last_timestamp_the_creation_time_counts() -> None:
    result = EventTTLController().reconcile(FakeView([event(None)]), KEY, T0)  # created 18m53s before T0

    assert result == Result(requeue_after_ms=3_600_000 - 1_133_000)


def test_a_deleted_event_needs_nothing() -> None:
    assert EventTTLController().reconcile(FakeView(), KEY, T0) == Result()


def test_sim_events_expire_an_hour_after_they_last_happened() -> None:
    from cluster.sim import SimCluster

    sim = SimCluster.new()
    sim.api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "solo", "namespace": "default"},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
        }
    )
    sim.settle()
    start = sim.now_ms
    solo = [e for e in sim.events("default") if e["involvedObject"]["name"] == "solo"]
    assert solo
    last = max(parse_rfc3339(e["lastTimestamp"]) for e in solo)

    sim.run_until(last + 3_599_000)
    assert [e for e in sim.events("default") if e["involvedObject"]["name"] == "solo"]
    sim.run_until(max(start, last + 3_600_000))
    assert [e for e in sim.events("default") if e["involvedObject"]["name"] == "solo"] == []


def test_sim_fixed_point_before_expiry() -> None:
    from cluster.sim import SimCluster

    sim = SimCluster.new()
    sim.api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "solo", "namespace": "default"},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
        }
    )
    sim.settle()

    results = [EventTTLController().reconcile(sim.engine.view, ObjKey.of(e), sim.now_ms) for e in sim.events()]

    assert results and all(r.actions == [] and r.requeue_after_ms for r in results)
