"""Graceful termination: SIGTERM, the grace period, SIGKILL, the final status and the kubelet's delete."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.engine.actions import Delete, ObjKey, UpdateStatus
from cluster.kubelet import Kubelet
from tests.unit.test_kubelet_rig import START_MS, Rig, make_rig


def _gone_after(rig: Rig, key: ObjKey, limit_ms: int = 120_000) -> int:
    """Advance in 100 ms steps until the pod is removed; ms since the call."""
    began = rig.now
    while rig.view.get_key(key) is not None:
        assert rig.now - began < limit_ms, "pod was never removed"
        rig.advance(100)
    return rig.now - began


def _final_status(rig: Rig) -> dict[str, Any]:
    last = next(r for r in reversed(rig.results) if r.actions and isinstance(r.actions[-1], Delete))
    update = next(a for a in last.actions if isinstance(a, UpdateStatus))
    return dict(update.obj["status"])


def _running(rig: Rig, containers: list[dict[str, Any]], **spec: Any) -> ObjKey:
    key = rig.pod("victim", containers=containers, **spec)
    rig.advance(5000)
    assert rig.get(key)["status"]["phase"] == "Running"
    return key


def test_nginx_stops_quickly_on_sigterm() -> None:
    rig = make_rig()
    key = _running(rig, [{"name": "web", "image": "nginx:1.25"}])
    since = rig.now
    rig.delete(key)
    assert _gone_after(rig, key) <= 600
    assert [s.text for s in rig.events if s.at_ms >= since] == ["Normal Killing Stopping container web"]
    verbs = [t.verb for at, t in rig.traces if at >= since]
    assert verbs == ["StopContainer", "ContainerExited", "RemovePodSandbox"]
    final = _final_status(rig)
    terminated = final["containerStatuses"][0]["state"]["terminated"]
    assert (final["phase"], terminated["exitCode"], terminated["reason"]) == ("Succeeded", 0, "Completed")
    delete = next(r for r in reversed(rig.results) if r.actions).actions[-1]
    assert isinstance(delete, Delete) and (delete.grace_period_seconds, delete.uid) == (0, "uid-victim")


@pytest.mark.parametrize(
    ("container", "grace", "expected_ms"),
    [
        ({"name": "app", "image": "kubesandbox/hostname:1.0"}, None, 30_000),  # Flask as PID 1 ignores SIGTERM
        ({"name": "app", "image": "busybox", "command": ["sleep", "3600"]}, None, 30_000),
        ({"name": "app", "image": "kubesandbox/hostname:1.0"}, 5, 5_000),
    ],
)
def test_processes_ignoring_sigterm_take_the_whole_grace_period(
    container: dict[str, Any], grace: int | None, expected_ms: int
) -> None:
    rig = make_rig()
    key = _running(rig, [container])
    rig.delete(key, grace)
    assert _gone_after(rig, key) == expected_ms
    final = _final_status(rig)
    terminated = final["containerStatuses"][0]["state"]["terminated"]
    assert (final["phase"], terminated["exitCode"], terminated["reason"]) == ("Failed", 137, "Error")
    assert any("SIGKILL" in t.text for _, t in rig.traces)


def test_pod_stays_ready_and_terminating_during_the_grace_period() -> None:
    rig = make_rig()
    key = _running(rig, [{"name": "app", "image": "kubesandbox/hostname:1.0"}])
    rig.delete(key)
    rig.advance(29_000)
    pod = rig.get(key)
    assert pod["metadata"]["deletionTimestamp"]
    assert rig.container(key)["ready"] is True
    assert rig.results[-1].requeue_after_ms is not None


def test_a_container_that_exits_during_the_grace_period_is_not_killed() -> None:
    rig = make_rig()
    key = _running(rig, [{"name": "app", "image": "busybox", "command": ["sh", "-c", "sleep 10; exit 3"]}])
    rig.delete(key)
    assert 4_000 <= _gone_after(rig, key) <= 7_000
    terminated = _final_status(rig)["containerStatuses"][0]["state"]["terminated"]
    assert terminated["exitCode"] == 3
    assert not any("SIGKILL" in t.text for _, t in rig.traces)


def test_a_pod_that_never_started_is_deleted_at_once_without_a_status() -> None:
    rig = make_rig()
    key = rig.pod("bad", image="nginx:9.9")
    rig.advance(5000)
    rig.delete(key)
    rig.drain()
    assert rig.view.get_key(key) is None
    last = next(r for r in reversed(rig.results) if r.actions)
    assert isinstance(last.actions[-1], Delete)
    assert not any(isinstance(a, UpdateStatus) for a in last.actions)
    assert "Killing" not in rig.reasons()


def test_a_stopped_kubelet_leaves_the_pod_terminating() -> None:
    rig = make_rig()
    key = _running(rig, [{"name": "web", "image": "nginx:1.25"}])
    node = ObjKey("Node", "", "worker-1")
    rig.set_private(node, {**rig.view.privates.get(node, {}), "kubeletStoppedAtMs": rig.now})
    rig.delete(key)
    rig.advance(120_000)
    assert rig.get(key)["metadata"]["deletionTimestamp"]
    assert "Killing" not in rig.reasons()
    assert Kubelet().reconcile(rig.view, key, rig.now).actions == []


def test_terminating_unadmitted_pod_is_confirmed() -> None:
    rig = make_rig()
    key = rig.pod("late", image="nginx:1.25")
    rig.queue.clear()  # the kubelet never saw it before the deletion
    rig.delete(key)
    rig.queue = [key]
    rig.drain()
    assert rig.view.get_key(key) is None
    assert rig.now == START_MS
