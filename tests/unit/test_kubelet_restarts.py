"""Exits, restarts, CrashLoopBackOff and completion, as ``kubectl get pods -w`` would show them."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from cluster.engine.actions import ObjKey
from cluster.kubelet.logs import container_logs
from tests.unit.test_kubelet_rig import START_MS, Rig, make_rig


def _display(rig: Rig, key: ObjKey) -> tuple[str, str, int]:
    """(phase, what STATUS would show for the only container, restartCount)."""
    status = rig.get(key)["status"]
    container = status["containerStatuses"][0]
    state = container["state"]
    shown = next(iter(state.values())).get("reason", "Running") if "running" not in state else "Running"
    return status["phase"], shown, container["restartCount"]


def _watch(rig: Rig, key: ObjKey, until_ms: int, step_ms: int = 250) -> list[tuple[int, tuple[str, str, int]]]:
    """Every change of ``_display`` (ms since start), like ``kubectl get pods -w``."""
    seen: list[tuple[int, tuple[str, str, int]]] = []
    while rig.now - START_MS < until_ms:
        rig.advance(step_ms)
        shown = _display(rig, key)
        if not seen or seen[-1][1] != shown:
            seen.append((rig.now - START_MS, shown))
    return seen


def _crasher(rig: Rig, **spec: Any) -> ObjKey:
    return rig.pod("app-7d9c", containers=[{"name": "app", "image": "kubesandbox/crasher:1.0"}], **spec)


def test_crash_loop_sequence_first_restart_immediate_then_back_off() -> None:
    rig = make_rig()
    key = _crasher(rig)
    shown = [s for _, s in _watch(rig, key, 60_000)]
    assert shown[:9] == [
        ("Pending", "ContainerCreating", 0),
        ("Running", "Running", 0),
        ("Running", "Error", 0),
        ("Running", "Running", 1),
        ("Running", "Error", 1),
        ("Running", "CrashLoopBackOff", 1),
        ("Running", "Running", 2),
        ("Running", "Error", 2),
        ("Running", "CrashLoopBackOff", 2),
    ]


def test_crash_loop_back_off_messages_and_delays() -> None:
    rig = make_rig()
    key = _crasher(rig)
    rig.advance(400_000)
    backoffs = rig.texts("BackOff")
    pod_ref = "app-7d9c_default(uid-app-7d9c)"
    assert {m for _, m in backoffs} == {f"Back-off restarting failed container app in pod {pod_ref}"}
    starts = [at for at, _ in rig.texts("Started")]
    # runs 2 s, exits; restart after 1 s (no back-off yet), then 10, 20, 40, 80, 160 s after finishing
    gaps = [(b - a - 2000) for a, b in itertools.pairwise(starts)]
    assert gaps[:6] == [1000, 10_000, 20_000, 40_000, 80_000, 160_000]
    fresh = make_rig()
    key = _crasher(fresh)
    fresh.run_until(START_MS + starts[5] + 2000 + 1000)  # the sixth instance has crashed
    waiting = fresh.container(key)["state"]["waiting"]
    assert waiting == {
        "reason": "CrashLoopBackOff",
        "message": f"back-off 2m40s restarting failed container=app pod={pod_ref}",
    }


def test_back_off_caps_at_five_minutes() -> None:
    rig = make_rig()
    key = _crasher(rig)
    rig.advance(1_500_000)
    starts = [at for at, _ in rig.texts("Started")]
    gaps = [(b - a - 2000) // 1000 for a, b in itertools.pairwise(starts)]
    assert gaps[5:9] == [160, 300, 300, 300]
    rig.run_until(START_MS + starts[-1] + 2000 + 1000)  # the latest instance has crashed
    assert rig.container(key)["state"]["waiting"]["message"].startswith("back-off 5m0s restarting failed container=app")


def test_last_state_keeps_the_previous_instance() -> None:
    rig = make_rig()
    key = _crasher(rig)
    rig.advance(12_000)  # second instance has crashed: CrashLoopBackOff
    container = rig.container(key)
    last = container["lastState"]["terminated"]
    assert (last["exitCode"], last["reason"]) == (1, "Error")
    assert last["containerID"] == container["containerID"]
    assert container["restartCount"] == 1
    assert container["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    rig.advance(28_000)  # third instance running: lastState is the second one
    container = rig.container(key)
    assert "running" in container["state"]
    assert container["lastState"]["terminated"]["containerID"] != container["containerID"]


def test_busybox_without_a_command_completes_then_crash_loops() -> None:
    rig = make_rig()
    key = rig.pod("bb", image="busybox")
    shown = [s for _, s in _watch(rig, key, 20_000)]
    assert shown[:5] == [
        ("Pending", "ContainerCreating", 0),
        ("Running", "Completed", 0),
        ("Running", "Completed", 1),
        ("Running", "CrashLoopBackOff", 1),
        ("Running", "Completed", 2),
    ]


@pytest.mark.parametrize(
    ("policy", "command", "phase", "reason", "code"),
    [
        ("Never", ["sleep", "5"], "Succeeded", "Completed", 0),
        ("Never", ["sh", "-c", "exit 1"], "Failed", "Error", 1),
        ("OnFailure", ["sh", "-c", "echo done"], "Succeeded", "Completed", 0),
    ],
)
def test_pods_that_will_not_restart_reach_a_terminal_phase(
    policy: str, command: list[str], phase: str, reason: str, code: int
) -> None:
    rig = make_rig()
    key = rig.pod("job", containers=[{"name": "job", "image": "busybox", "command": command}], restartPolicy=policy)
    rig.advance(20_000)
    status = rig.get(key)["status"]
    terminated = status["containerStatuses"][0]["state"]["terminated"]
    assert (status["phase"], terminated["reason"], terminated["exitCode"]) == (phase, reason, code)
    assert status["containerStatuses"][0]["restartCount"] == 0
    assert rig.condition(key, "PodReadyToStartContainers")["status"] == "False"
    ready = rig.condition(key, "Ready")
    if phase == "Succeeded":
        assert (ready["status"], ready["reason"]) == ("False", "PodCompleted")
        assert rig.condition(key, "Initialized")["reason"] == "PodCompleted"
    else:
        assert (ready["status"], ready["reason"]) == ("False", "ContainersNotReady")
    assert rig.results[-1].requeue_after_ms is None


def test_sleep_five_with_restart_never_succeeds_after_five_seconds() -> None:
    rig = make_rig()
    key = rig.pod("s", containers=[{"name": "s", "image": "busybox", "command": ["sleep", "5"]}], restartPolicy="Never")
    changes = _watch(rig, key, 15_000, step_ms=100)
    running_at = next(at for at, s in changes if s[1] == "Running")
    done_at = next(at for at, s in changes if s[0] == "Succeeded")
    assert done_at - running_at == 5000


def test_on_failure_restarts_only_failures() -> None:
    rig = make_rig()
    key = rig.pod("f", containers=[{"name": "f", "image": "busybox", "command": ["false"]}], restartPolicy="OnFailure")
    rig.advance(30_000)
    assert rig.get(key)["status"]["phase"] == "Running"
    assert rig.container(key)["restartCount"] >= 2


def test_back_off_resets_after_ten_minutes_of_clean_running() -> None:
    rig = make_rig()
    key = rig.pod(
        "slow", containers=[{"name": "slow", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 700; exit 1"]}]
    )
    rig.advance(2_200_000)
    assert rig.container(key)["restartCount"] == 3
    assert "BackOff" not in rig.reasons()


def test_logs_follow_the_process_and_previous_is_the_instance_before() -> None:
    rig = make_rig()
    command = ["sh", "-c", "echo starting; sleep 3; echo giving up; exit 1"]
    key = rig.pod("job", containers=[{"name": "job", "image": "busybox:1.36", "command": command}])
    rig.advance(2_000)
    assert container_logs(rig.get(key), rig.view.privates.get(key), "job", rig.now) == ["starting"]
    rig.advance(8_000)  # first instance exited, the second one is running
    private = rig.view.privates.get(key)
    assert container_logs(rig.get(key), private, "job", rig.now, previous=True) == ["starting", "giving up"]
    assert container_logs(rig.get(key), private, "nope", rig.now) is None


def test_logs_of_the_crasher_include_its_last_words() -> None:
    rig = make_rig()
    key = _crasher(rig)
    rig.advance(3_600)  # exited after 2 s of running
    lines = container_logs(rig.get(key), rig.view.privates.get(key), "app", rig.now)
    assert lines == ["crasher: starting; will fail in 2s", "crasher: fatal: simulated failure, exiting with code 1"]
