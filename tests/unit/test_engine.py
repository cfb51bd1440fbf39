"""The engine's queue, timers and informer mapping: what gets reconciled, in which order."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.apiserver.context import RequestContext
from cluster.core.objects import Obj
from cluster.engine.actions import ObjKey, Result
from cluster.engine.engine import status_only_change
from cluster.engine.reconciler import Watch, self_key
from cluster.engine.view import View
from cluster.sim import SimCluster

INTERNAL = RequestContext(actor="test", component="test", internal=True)


class Recorder:
    """Maps every Pod write to its key and remembers which objects it was asked to map."""

    name = "recorder"
    actor = "test"

    def __init__(self, status_blind: bool) -> None:
        self.status_blind = status_blind
        self.mapped: list[tuple[str, str]] = []

    def watches(self) -> list[Watch]:
        return [Watch("Pod", self.mapper, status_blind=self.status_blind)]

    def mapper(self, _view: View, pod: Obj) -> list[ObjKey]:
        self.mapped.append((pod["metadata"]["name"], pod["metadata"]["resourceVersion"]))
        return [ObjKey.of(pod)]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        return Result()


class Counter:
    name = "counter"
    actor = "test"

    def __init__(self) -> None:
        self.seen: list[ObjKey] = []

    def watches(self) -> list[Watch]:
        return [Watch("Pod", self_key)]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        self.seen.append(key)
        return Result()


def cluster_with(*reconcilers: Any) -> SimCluster:
    cluster = SimCluster(reconcilers=list(reconcilers))
    cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}}, INTERNAL)
    return cluster


def new_pod(cluster: SimCluster, name: str) -> Obj:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"containers": [{"name": "c", "image": "nginx"}]},
    }
    return cluster.api.create(pod, INTERNAL)


@pytest.mark.parametrize("blind, expected_calls", [(True, 1), (False, 2)])
def test_a_status_write_maps_the_old_state_only_for_mappers_that_read_status(blind: bool, expected_calls: int) -> None:
    recorder = Recorder(status_blind=blind)
    cluster = cluster_with(recorder)
    pod = new_pod(cluster, "web")
    recorder.mapped.clear()
    cluster.api.update_status({**pod, "status": {**pod["status"], "phase": "Running"}}, INTERNAL)
    assert len(recorder.mapped) == expected_calls
    assert recorder.mapped[0][1] != pod["metadata"]["resourceVersion"]  # the new state is always mapped first


def test_a_spec_or_label_write_maps_both_states_even_for_status_blind_mappers() -> None:
    recorder = Recorder(status_blind=True)
    cluster = cluster_with(recorder)
    new_pod(cluster, "web")
    recorder.mapped.clear()
    cluster.api.patch("Pod", "default", "web", {"metadata": {"labels": {"tier": "front"}}}, ctx=INTERNAL)
    assert len(recorder.mapped) == 2


def test_self_key_watches_are_status_blind() -> None:
    counter = Counter()
    cluster = cluster_with(counter)
    pod = new_pod(cluster, "web")
    cluster.engine.run_until(cluster.now_ms)
    calls: list[Obj] = []
    original = self_key
    cluster.engine._watchers["Pod"] = [
        (i, lambda v, o: calls.append(o) or original(v, o), blind) for i, _m, blind in cluster.engine._watchers["Pod"]
    ]
    cluster.api.update_status({**pod, "status": {"phase": "Running"}}, INTERNAL)
    assert len(calls) == 1


def _obj(**fields: Any) -> Obj:
    meta = {"name": "p", "resourceVersion": "1", "labels": {"a": "b"}}
    return {"kind": "Pod", "metadata": meta, "spec": {"x": 1}, "status": {"phase": "Pending"}, **fields}


def test_status_only_change_is_judged_by_identity() -> None:
    old = _obj()
    same_but_status = {**old, "metadata": {**old["metadata"], "resourceVersion": "2"}, "status": {"phase": "Running"}}
    assert status_only_change(old, same_but_status)
    equal_spec_copy = {**same_but_status, "spec": {"x": 1}}
    assert not status_only_change(old, equal_spec_copy)  # equal but not the same data: mapped again
    relabelled = {**same_but_status, "metadata": {**same_but_status["metadata"], "labels": {"a": "c"}}}
    assert not status_only_change(old, relabelled)
    added_field = {**same_but_status, "metadata": {**same_but_status["metadata"], "generation": 2}}
    assert not status_only_change(old, added_field)
    without_status = {k: v for k, v in same_but_status.items() if k != "status"}
    assert status_only_change(old, without_status)
    gained_spec = {k: v for k, v in old.items() if k != "spec"}
    assert not status_only_change(gained_spec, old)


def test_the_queue_is_fifo_and_a_queued_key_is_not_queued_twice() -> None:
    counter = Counter()
    cluster = cluster_with(counter)
    for name in ("c", "a", "b"):
        new_pod(cluster, name)
    cluster.api.patch("Pod", "default", "c", {"metadata": {"labels": {"x": "y"}}}, ctx=INTERNAL)
    cluster.engine.run_until(cluster.now_ms)
    assert [k.name for k in counter.seen] == ["c", "a", "b"]


def test_next_timer_skips_superseded_timers_and_ignored_reconcilers() -> None:
    first, second = Counter(), Counter()
    second.name = "housekeeping"
    cluster = cluster_with(first, second)
    engine, now, key = cluster.engine, cluster.now_ms, ObjKey("Pod", "default", "x")
    engine.add_timer(0, key, now + 5000)
    engine.add_timer(0, key, now + 2000)  # supersedes the later one for the same key
    engine.add_timer(1, key, now + 1000)
    assert engine.next_timer_ms() == now + 1000
    assert engine.next_timer_ms(ignore=["housekeeping"]) == now + 2000
    engine.run_until(now + 2000)
    assert engine.next_timer_ms() is None  # the superseded 5 s entry is not a live timer
    assert first.seen == [key] and second.seen == [key]
