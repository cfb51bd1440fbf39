"""Init containers: run one by one to a successful exit before the app containers start."""

from __future__ import annotations

from typing import Any

from cluster.engine.actions import ObjKey
from tests.unit.test_kubelet_rig import START_MS, Rig, make_rig

APP = {"name": "web", "image": "nginx:1.25"}


def _init(name: str, script: str) -> dict[str, Any]:
    return {"name": name, "image": "busybox:1.36", "command": ["sh", "-c", script]}


def _pod(rig: Rig, inits: list[dict[str, Any]], **spec: Any) -> ObjKey:
    return rig.pod("with-init", containers=[APP], initContainers=inits, **spec)


def test_app_waits_in_pod_initializing_until_init_containers_complete() -> None:
    rig = make_rig()
    key = _pod(rig, [_init("wait-db", "sleep 3"), _init("migrate", "echo migrated")])
    rig.drain()
    status = rig.get(key)["status"]
    assert [s["state"] for s in status["initContainerStatuses"]] == [{"waiting": {"reason": "PodInitializing"}}] * 2
    assert status["containerStatuses"][0]["state"] == {"waiting": {"reason": "PodInitializing"}}
    initialized = rig.condition(key, "Initialized")
    assert (initialized["status"], initialized["reason"], initialized["message"]) == (
        "False",
        "ContainersNotInitialized",
        "containers with incomplete status: [wait-db migrate]",
    )
    rig.advance(3_000)
    assert "running" in rig.get(key)["status"]["initContainerStatuses"][0]["state"]
    assert rig.get(key)["status"]["phase"] == "Pending"
    rig.advance(10_000)
    status = rig.get(key)["status"]
    assert [s["state"]["terminated"]["reason"] for s in status["initContainerStatuses"]] == ["Completed", "Completed"]
    assert status["phase"] == "Running"
    assert rig.condition(key, "Initialized")["status"] == "True"
    paths = [s.event.field_path for s in rig.events if s.event.reason == "Started"]
    assert paths == ["spec.initContainers{wait-db}", "spec.initContainers{migrate}", "spec.containers{web}"]


def test_app_starts_only_after_the_last_init_container_exits() -> None:
    rig = make_rig()
    _pod(rig, [_init("wait", "sleep 4")])
    rig.advance(15_000)
    started = {s.event.field_path: s.at_ms for s in rig.events if s.event.reason == "Started"}
    exits = [at for at, t in rig.traces if t.verb == "ContainerExited"]
    first_app_event = min(s.at_ms for s in rig.events if s.event.field_path == "spec.containers{web}")
    assert exits[0] - started["spec.initContainers{wait}"] == 4000
    assert first_app_event == exits[0]
    assert started["spec.containers{web}"] - START_MS < 10_000


def test_failing_init_container_crash_loops_and_keeps_the_pod_pending() -> None:
    rig = make_rig()
    key = _pod(rig, [_init("check", "exit 1")])
    rig.advance(30_000)
    status = rig.get(key)["status"]
    init = status["initContainerStatuses"][0]
    assert status["phase"] == "Pending"
    assert init["restartCount"] >= 1
    assert init["lastState"]["terminated"]["exitCode"] == 1
    assert status["containerStatuses"][0]["state"] == {"waiting": {"reason": "PodInitializing"}}
    assert any(s.event.reason == "BackOff" for s in rig.events)


def test_failing_init_container_with_restart_never_fails_the_pod() -> None:
    rig = make_rig()
    key = _pod(rig, [_init("check", "exit 2")], restartPolicy="Never")
    rig.advance(10_000)
    status = rig.get(key)["status"]
    assert status["phase"] == "Failed"
    assert status["initContainerStatuses"][0]["state"]["terminated"]["exitCode"] == 2
    assert rig.results[-1].requeue_after_ms is None
