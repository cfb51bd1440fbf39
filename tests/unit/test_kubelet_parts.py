"""The kubelet's small parts: process prediction, back-off, IPAM, QoS, Go durations, pull policy."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.kubelet import backoff
from cluster.kubelet.images import lookup
from cluster.kubelet.ipam import allocate
from cluster.kubelet.process import Process, plan_process
from cluster.kubelet.qos import qos_class
from cluster.kubelet.runtime import container_id, go_duration
from cluster.kubelet.stages import pull_policy


def _plan(image: str, command: list[str] | None = None, args: list[str] | None = None) -> Process:
    info = lookup(image)
    assert info is not None
    container: dict[str, Any] = {"name": "c", "image": image}
    if command is not None:
        container["command"] = command
    if args is not None:
        container["args"] = args
    return plan_process(container, info)


@pytest.mark.parametrize(
    ("command", "args", "exit_after", "code"),
    [
        (None, None, 0, 0),  # busybox's default `sh` exits at once
        (["sleep", "5"], None, 5000, 0),
        (None, ["sleep", "3600"], 3_600_000, 0),
        (["sleep", "2m"], None, 120_000, 0),
        (["sleep", "infinity"], None, None, 0),
        (["tail", "-f", "/dev/null"], None, None, 0),
        (["sh", "-c", "exit 1"], None, 0, 1),
        (["/bin/sh", "-c", "exit 3"], None, 0, 3),
        (["false"], None, 0, 1),
        (["true"], None, 0, 0),
        (["sh", "-c", "echo hello && sleep 5"], None, 5000, 0),
        (["sh", "-c", "sleep 2; exit 7"], None, 2000, 7),
        (["sh", "-c", "false && sleep 100"], None, 0, 1),
        (["sh", "-c", "false || sleep 3"], None, 3000, 0),
        (["sh", "-c", "while true; do echo hi; sleep 1; done"], None, None, 0),
        (["sh", "-c", "echo start\nsleep 4\necho done"], None, 4000, 0),
        (["sh", "-c", "sleep abc"], None, 0, 1),
        (["sh", "-c", "echo 'unterminated"], None, 0, 2),
        (["python", "app.py"], None, None, 0),
    ],
)
def test_plan_process_reads_simple_shell(
    command: list[str] | None, args: list[str] | None, exit_after: int | None, code: int
) -> None:
    process = _plan("busybox", command, args)
    assert (process.exit_after_ms, process.exit_code) == (exit_after, code)


def test_plan_process_records_echo_output_with_its_time() -> None:
    process = _plan("busybox", ["sh", "-c", "echo start; sleep 4; echo done"])
    assert process.output == ((0, "start"), (4000, "done"))


def test_shell_and_sleep_as_pid_1_ignore_sigterm_but_servers_do_not() -> None:
    assert _plan("busybox", ["sleep", "3600"]).stop_ms is None
    assert _plan("nginx:1.25").stop_ms is not None
    assert _plan("kubesandbox/hostname").stop_ms is None
    assert _plan("nginx:1.25", ["nginx", "-g", "daemon off;"]).stop_ms == _plan("nginx:1.25").stop_ms


def test_crash_backoff_doubles_to_the_cap() -> None:
    entry = None
    seen = []
    now = 0
    for _ in range(8):
        entry = backoff.next_entry(entry, now, now)
        seen.append(entry["backoffMs"] // 1000)
        now += entry["backoffMs"] + 1000
    assert seen == [10, 20, 40, 80, 160, 300, 300, 300]


def test_backoff_expires_after_twice_the_cap() -> None:
    entry = backoff.next_entry(backoff.next_entry(None, 0, 0), 20_000, 20_000)
    assert entry["backoffMs"] == 20_000
    assert backoff.in_backoff_since(entry, 30_000, 35_000)
    assert not backoff.in_backoff_since(entry, 30_000, 50_000)
    late = 20_000 + 600_001
    assert not backoff.in_backoff_since(entry, late, late + 1)
    assert backoff.next_entry(entry, late, late)["backoffMs"] == 10_000


def test_backoff_since_update_counts_from_the_last_failure() -> None:
    entry = backoff.next_entry(None, 5000, 5000)
    assert backoff.in_backoff_since_update(entry, 14_999)
    assert not backoff.in_backoff_since_update(entry, 15_000)
    assert not backoff.in_backoff_since_update(None, 0)


@pytest.mark.parametrize(
    ("cidr", "last", "in_use", "expected"),
    [
        ("10.244.1.0/24", None, set(), "10.244.1.2"),
        ("10.244.1.0/24", "10.244.1.2", set(), "10.244.1.3"),
        ("10.244.1.0/24", "10.244.1.3", {"10.244.1.4"}, "10.244.1.5"),
        ("10.244.1.0/24", "10.244.1.254", set(), "10.244.1.2"),  # wraps, skipping .0 and .1
        ("10.244.1.0/24", "10.244.1.254", {"10.244.1.2"}, "10.244.1.3"),
        ("10.244.1.0/30", None, {"10.244.1.2"}, None),  # exhausted
        (None, None, set(), "10.88.0.2"),
    ],
)
def test_allocate_walks_from_the_last_reserved(
    cidr: str | None, last: str | None, in_use: set[str], expected: str | None
) -> None:
    assert allocate(cidr, last, in_use) == expected


def _resources(**kinds: dict[str, str]) -> dict[str, Any]:
    return {"name": "c", "image": "nginx", "resources": kinds}


@pytest.mark.parametrize(
    ("containers", "expected"),
    [
        ([{"name": "c", "image": "nginx"}], "BestEffort"),
        ([_resources(requests={"cpu": "100m"})], "Burstable"),
        ([_resources(limits={"cpu": "500m", "memory": "128Mi"})], "Guaranteed"),
        (
            [_resources(requests={"cpu": "0.5", "memory": "128Mi"}, limits={"cpu": "500m", "memory": "128Mi"})],
            "Guaranteed",
        ),
        (
            [_resources(requests={"cpu": "250m", "memory": "128Mi"}, limits={"cpu": "500m", "memory": "128Mi"})],
            "Burstable",
        ),
        ([_resources(limits={"cpu": "1", "memory": "1Gi"}), {"name": "d", "image": "x"}], "Burstable"),
        ([_resources(requests={"ephemeral-storage": "1Gi"})], "BestEffort"),
    ],
)
def test_qos_class(containers: list[dict[str, Any]], expected: str) -> None:
    assert qos_class({"spec": {"containers": containers}}) == expected


@pytest.mark.parametrize(
    ("ms", "text"),
    [(0, "0s"), (850, "850ms"), (1000, "1s"), (2134, "2.134s"), (2100, "2.1s"), (10_000, "10s"), (62_500, "1m2.5s"),
     (300_000, "5m0s"), (3_600_000, "1h0m0s")],
)  # fmt: skip
def test_go_duration(ms: int, text: str) -> None:
    assert go_duration(ms) == text


@pytest.mark.parametrize(
    ("container", "policy"),
    [
        ({"image": "nginx"}, "Always"),
        ({"image": "nginx:latest"}, "Always"),
        ({"image": "nginx:1.25"}, "IfNotPresent"),
        ({"image": "nginx@sha256:" + "a" * 64}, "IfNotPresent"),
        ({"image": "nginx", "imagePullPolicy": "Never"}, "Never"),
    ],
)
def test_pull_policy_defaults_like_the_api_server(container: dict[str, Any], policy: str) -> None:
    assert pull_policy(container) == policy


def test_container_ids_are_stable_and_distinct_per_attempt() -> None:
    first = container_id("uid-1", "app", 1)
    assert first == container_id("uid-1", "app", 1)
    assert first != container_id("uid-1", "app", 2)
    assert first.startswith("containerd://") and len(first) == len("containerd://") + 64
