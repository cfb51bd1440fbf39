"""Readiness and liveness probes against what the simulated containers actually serve."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.engine.actions import ObjKey
from tests.unit.test_kubelet_rig import START_MS, Rig, make_rig


def _web(rig: Rig, image: str = "nginx:1.25", **container: Any) -> ObjKey:
    return rig.pod("web", containers=[{"name": "web", "image": image, **container}])


def _http(port: Any, path: str = "/", **timing: int) -> dict[str, Any]:
    return {"httpGet": {"path": path, "port": port}, **timing}


@pytest.mark.parametrize(
    "probe",
    [
        _http(80),
        _http("http"),  # named port, resolved through the container's ports
        _http(80, "/index.html"),
        {"tcpSocket": {"port": 80}},
        {"exec": {"command": ["cat", "/tmp/healthy"]}},
    ],
)
def test_passing_readiness_probes_make_the_container_ready(probe: dict[str, Any]) -> None:
    rig = make_rig()
    key = _web(rig, readinessProbe=probe, ports=[{"name": "http", "containerPort": 80}])
    rig.advance(15_000)
    assert rig.container(key)["ready"] is True
    assert "Unhealthy" not in rig.reasons()


@pytest.mark.parametrize(
    ("probe", "message"),
    [
        (
            _http(8080),
            'Readiness probe failed: Get "http://10.244.1.2:8080/": '
            "dial tcp 10.244.1.2:8080: connect: connection refused",
        ),
        (_http(80, "/healthz"), "Readiness probe failed: HTTP probe failed with statuscode: 404"),
        (
            {"tcpSocket": {"port": 3306}},
            "Readiness probe failed: dial tcp 10.244.1.2:3306: connect: connection refused",
        ),
    ],
)
def test_failing_readiness_probe_keeps_the_pod_unready(probe: dict[str, Any], message: str) -> None:
    rig = make_rig()
    key = _web(rig, readinessProbe=probe)
    rig.advance(60_000)
    container = rig.container(key)
    assert (container["ready"], container["started"], container["restartCount"]) == (False, True, 0)
    assert rig.get(key)["status"]["phase"] == "Running"
    assert rig.condition(key, "Ready")["message"] == "containers with unready status: [web]"
    assert rig.texts("Unhealthy") == [(10_000, message)]  # the first tick after the start


def test_failing_liveness_probe_kills_and_restarts_after_the_threshold() -> None:
    rig = make_rig()
    key = _web(rig, livenessProbe=_http(8080, periodSeconds=10))
    rig.advance(33_000)
    unhealthy = rig.texts("Unhealthy")
    assert [at for at, _ in unhealthy] == [10_000, 20_000, 30_000]
    assert unhealthy[0][1].startswith('Liveness probe failed: Get "http://10.244.1.2:8080/"')
    assert rig.texts("Killing") == [(30_000, "Container web failed liveness probe, will be restarted")]
    container = rig.container(key)
    assert container["restartCount"] == 1
    assert (container["lastState"]["terminated"]["exitCode"], container["lastState"]["terminated"]["reason"]) == (
        0,
        "Completed",
    )
    rig.advance(300_000)
    assert rig.container(key)["restartCount"] >= 4
    assert "BackOff" in rig.reasons()


def test_liveness_kill_of_a_process_ignoring_sigterm_waits_for_the_grace_period() -> None:
    rig = make_rig()
    probe = {"tcpSocket": {"port": 80}, "initialDelaySeconds": 5, "periodSeconds": 5, "failureThreshold": 2}
    key = rig.pod(
        "sleepy",
        containers=[{"name": "sleepy", "image": "busybox", "command": ["sleep", "3600"], "livenessProbe": probe}],
        terminationGracePeriodSeconds=10,
    )
    rig.advance(25_500)
    kill_at = rig.texts("Killing")[0][0]
    exit_at = next(at for at, t in rig.traces if t.verb == "ContainerExited") - START_MS
    assert exit_at - kill_at == 10_000
    assert rig.container(key)["state"]["terminated"]["exitCode"] == 137  # SIGKILLed; restarts a second later


def test_liveness_kill_restarts_even_with_restart_policy_on_failure() -> None:
    rig = make_rig()
    key = rig.pod(
        "web",
        containers=[{"name": "web", "image": "nginx:1.25", "livenessProbe": _http(81)}],
        restartPolicy="OnFailure",
    )
    rig.advance(33_000)
    assert rig.container(key)["restartCount"] == 1
    assert rig.get(key)["status"]["phase"] == "Running"
