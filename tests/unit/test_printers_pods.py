"""The pod row of ``kubectl get pods``: READY, the STATUS algorithm and RESTARTS (K8S_FACTS §6.2)."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.core.timefmt import rfc3339
from cluster.kubectl.printers import pod_summary, to_table
from tests.unit.test_printers_support import NOW, pod

Obj = dict[str, Any]


def cells(obj: Obj) -> list[Any]:
    row: list[Any] = to_table("Pod", [obj], NOW)["rows"][0]["cells"]
    return row


def ago(seconds: int) -> str:
    return rfc3339(NOW - seconds * 1000)


def waiting(reason: str, restarts: int = 0, finished_ago: int | None = None, name: str = "nginx") -> Obj:
    status: Obj = {"name": name, "ready": False, "restartCount": restarts, "state": {"waiting": {"reason": reason}}}
    if finished_ago is not None:
        status["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error", "finishedAt": ago(finished_ago)}}
    return status


def terminated(reason: str = "", exit_code: int = 0, signal: int = 0, name: str = "nginx") -> Obj:
    state: Obj = {"exitCode": exit_code}
    if reason:
        state["reason"] = reason
    if signal:
        state["signal"] = signal
    return {"name": name, "ready": False, "restartCount": 0, "state": {"terminated": state}}


def running(name: str = "nginx", ready: bool = True) -> Obj:
    return {"name": name, "ready": ready, "restartCount": 0, "state": {"running": {"startedAt": ago(60)}}}


def with_containers(p: Obj, names: list[str]) -> Obj:
    p["spec"]["containers"] = [{"name": n, "image": "busybox"} for n in names]
    return p


def with_init(p: Obj, statuses: list[Obj], total: int = 2, sidecar: bool = False) -> Obj:
    """Init containers; unless one is a sidecar, the pod is not Initialized yet."""
    p["spec"]["initContainers"] = [{"name": f"init-{i}", "image": "busybox"} for i in range(total)]
    if not sidecar:
        set_conditions(p, Initialized="False", Ready="False", PodScheduled="True")
    if sidecar:
        p["spec"]["initContainers"][0]["restartPolicy"] = "Always"
    p["status"]["initContainerStatuses"] = statuses
    return p


def init_status(index: int, state: Obj, **extra: Any) -> Obj:
    return {"name": f"init-{index}", "ready": False, "restartCount": 0, "state": state, **extra}


def set_conditions(p: Obj, **statuses: str) -> Obj:
    p["status"]["conditions"] = [{"type": k, "status": v} for k, v in statuses.items()]
    return p


def deleting(p: Obj, reason: str | None = None) -> Obj:
    p["metadata"]["deletionTimestamp"] = ago(-30)
    if reason:
        p["status"]["reason"] = reason
    return p


POD_CASES: list[tuple[str, Obj, str, str, str]] = [
    ("running", pod(), "1/1", "Running", "0"),
    ("unscheduled", pod(node=None, ip=None, statuses=[], phase="Pending"), "0/1", "Pending", "0"),
    ("creating", pod(statuses=[waiting("ContainerCreating")], phase="Pending"), "0/1", "ContainerCreating", "0"),
    ("crashloop", pod(statuses=[waiting("CrashLoopBackOff", 3, 45)]), "0/1", "CrashLoopBackOff", "3 (45s ago)"),
    ("restarts without a time", pod(statuses=[{**running(), "restartCount": 2}]), "1/1", "Running", "2"),
    (
        "image pull backoff",
        pod(statuses=[waiting("ImagePullBackOff")], phase="Pending"),
        "0/1",
        "ImagePullBackOff",
        "0",
    ),
    ("completed", pod(statuses=[terminated("Completed")], phase="Succeeded"), "0/1", "Completed", "0"),
    ("error", pod(statuses=[terminated("Error", 1)], phase="Failed"), "0/1", "Error", "0"),
    ("exit code", pod(statuses=[terminated(exit_code=137)], phase="Failed"), "0/1", "ExitCode:137", "0"),
    ("signal", pod(statuses=[terminated(exit_code=137, signal=9)], phase="Failed"), "0/1", "Signal:9", "0"),
    ("failed without reason", pod(statuses=[], phase="Failed"), "0/1", "Failed", "0"),
    (
        "init running",
        with_init(
            pod(statuses=[waiting("PodInitializing")], phase="Pending"),
            [
                init_status(0, {"terminated": {"exitCode": 0, "reason": "Completed"}}),
                init_status(1, {"running": {"startedAt": ago(5)}}),
            ],
        ),
        "0/1",
        "Init:1/2",
        "0",
    ),
    (
        "init crashloop",
        with_init(
            pod(statuses=[waiting("PodInitializing")], phase="Pending"),
            [
                init_status(0, {"waiting": {"reason": "CrashLoopBackOff"}}, restartCount=4),
            ],
        ),
        "0/1",
        "Init:CrashLoopBackOff",
        "4",
    ),
    (
        "init error",
        with_init(
            pod(statuses=[], phase="Pending"), [init_status(0, {"terminated": {"exitCode": 1, "reason": "Error"}})]
        ),
        "0/1",
        "Init:Error",
        "0",
    ),
    (
        "init exit code",
        with_init(pod(statuses=[], phase="Pending"), [init_status(0, {"terminated": {"exitCode": 2}})]),
        "0/1",
        "Init:ExitCode:2",
        "0",
    ),
    ("terminating", deleting(pod()), "1/1", "Terminating", "0"),
    ("node lost", deleting(pod(), reason="NodeLost"), "1/1", "Unknown", "0"),
    (
        "succeeded and deleted",
        deleting(pod(statuses=[terminated("Completed")], phase="Succeeded")),
        "0/1",
        "Completed",
        "0",
    ),
    (
        "completed container, pod ready",
        set_conditions(
            with_containers(pod(statuses=[terminated("Completed", name="a"), running("b")]), ["a", "b"]), Ready="True"
        ),
        "1/2",
        "Running",
        "0",
    ),
    (
        "completed container, pod not ready",
        set_conditions(
            with_containers(pod(statuses=[terminated("Completed", name="a"), running("b")]), ["a", "b"]), Ready="False"
        ),
        "1/2",
        "NotReady",
        "0",
    ),
    (
        "first container's reason wins",
        with_containers(pod(statuses=[waiting("CrashLoopBackOff", name="a"), running("b")]), ["a", "b"]),
        "1/2",
        "CrashLoopBackOff",
        "0",
    ),
    (
        "unschedulable",
        set_conditions(pod(node=None, ip=None, statuses=[], phase="Pending"), PodScheduled="False"),
        "0/1",
        "Pending",
        "0",
    ),
]


@pytest.mark.parametrize(("case", "obj", "ready", "status", "restarts"), POD_CASES, ids=[c[0] for c in POD_CASES])
def test_pod_ready_status_restarts(case: str, obj: Obj, ready: str, status: str, restarts: str) -> None:
    assert cells(obj)[1:4] == [ready, status, restarts]


def test_scheduling_gated_condition_reason_shows_up() -> None:
    gated = pod(node=None, ip=None, statuses=[], phase="Pending")
    gated["status"]["conditions"] = [{"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}]
    assert cells(gated)[2] == "SchedulingGated"


def test_evicted_pod_shows_status_reason() -> None:
    evicted = pod(statuses=[], phase="Failed")
    evicted["status"]["reason"] = "Evicted"
    assert cells(evicted)[2] == "Evicted"


def test_sidecar_counts_as_a_container_and_its_restarts_count() -> None:
    p = with_init(
        pod(),
        [
            init_status(
                0,
                {"running": {"startedAt": ago(50)}},
                started=True,
                ready=True,
                restartCount=2,
                lastState={"terminated": {"exitCode": 1, "finishedAt": ago(90)}},
            )
        ],
        total=1,
        sidecar=True,
    )
    summary = pod_summary(p)
    assert (summary.ready, summary.reason, summary.restarts_text(NOW)) == ("2/2", "Running", "2 (90s ago)")


def test_restarts_sum_containers_and_use_latest_termination() -> None:
    a = {**waiting("CrashLoopBackOff", 2, 300, name="a")}
    b = {**running("b"), "restartCount": 1, "lastState": {"terminated": {"exitCode": 1, "finishedAt": ago(45)}}}
    p = with_containers(pod(statuses=[a, b]), ["a", "b"])
    assert cells(p)[3] == "3 (45s ago)"


def test_pod_wide_cells_and_none_placeholders() -> None:
    assert cells(pod())[5:] == ["10.244.1.5", "worker-1", "<none>", "<none>"]
    pending = pod(node=None, ip=None, statuses=[], phase="Pending")
    pending["spec"]["readinessGates"] = [{"conditionType": "example.com/ready"}]
    pending["status"]["conditions"] = [{"type": "example.com/ready", "status": "True"}]
    assert cells(pending)[5:] == ["<none>", "<none>", "<none>", "1/1"]


def test_finished_pods_carry_completed_row_condition() -> None:
    table = to_table("Pod", [pod(statuses=[terminated("Completed")], phase="Succeeded"), pod()], NOW)
    assert table["rows"][0]["conditions"] == [
        {"type": "Completed", "status": "True", "reason": "Succeeded", "message": "The pod has completed successfully."}
    ]
    assert "conditions" not in table["rows"][1]
