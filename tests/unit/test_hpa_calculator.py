"""The HPA replica calculator: utilization against requests, tolerance, unready and missing pods, raw values."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.controllers.hpa.calculator import (
    MetricError,
    PodMetric,
    group_pods,
    pod_requests,
    raw_resource_replicas,
    resource_metrics,
    resource_replicas,
)
from cluster.core.timefmt import rfc3339

Obj = dict[str, Any]
NOW = 1_764_044_340_000
MI = 1024 * 1024


def pod(name: str, *, ready: bool = True, phase: str = "Running", started_ago_s: int = 600,
        ready_changed_ago_s: int = 590, cpu: str | None = "200m", deleting: bool = False) -> Obj:  # fmt: skip
    requests = {"cpu": cpu} if cpu else {}
    meta: Obj = {"name": name, "namespace": "default"}
    if deleting:
        meta["deletionTimestamp"] = rfc3339(NOW)
    condition = {"type": "Ready", "status": "True" if ready else "False",
                 "lastTransitionTime": rfc3339(NOW - ready_changed_ago_s * 1000)}  # fmt: skip
    return {
        "kind": "Pod",
        "metadata": meta,
        "spec": {"containers": [{"name": "nginx", "resources": {"requests": requests}}]},
        "status": {"phase": phase, "startTime": rfc3339(NOW - started_ago_s * 1000), "conditions": [condition]},
    }


def sample(milli: int, age_s: int = 5) -> PodMetric:
    return PodMetric(milli, NOW - age_s * 1000, 15_000)


Case = tuple[int, list[tuple[Obj, int | None]], int]  # (current replicas, [(pod, cpu millicores or None)], expected)


def run(current: int, pods: list[tuple[Obj, int | None]], target: int = 50) -> int:
    metrics = {p["metadata"]["name"]: sample(v) for p, v in pods if v is not None}
    return resource_replicas(current, target, "cpu", [p for p, _ in pods], metrics, NOW).replicas


# Requests are 200m: 100m is 50 %, the target. Without the missing/unready rules, the cases that name
# them would come out differently (e.g. "missing pod counts 0 %": ceil(1.4 × 3) = 5 instead of 4).
CASES: dict[str, Case] = {
    "at target": (2, [(pod("a"), 100), (pod("b"), 100)], 2),
    "within tolerance above": (2, [(pod("a"), 108), (pod("b"), 108)], 2),  # 54 % -> ratio 1.08
    "within tolerance below": (2, [(pod("a"), 91), (pod("b"), 91)], 2),  # 45 % -> ratio 0.9
    "just outside tolerance": (2, [(pod("a"), 112), (pod("b"), 112)], 3),  # 56 % -> ceil(1.12 × 2)
    "ceil of ratio × ready pods": (3, [(pod("a"), 150), (pod("b"), 150), (pod("c"), 150)], 5),
    "scale down": (4, [(pod(n), 20) for n in "abcd"], 1),  # 10 % -> ceil(0.2 × 4)
    "missing pod counts 0 % when scaling up": (4, [*[(pod(n), 140) for n in "abc"], (pod("d"), None)], 4),
    "missing pod counts 100 % when scaling down": (4, [*[(pod(n), 10) for n in "abc"], (pod("d"), None)], 3),
    "missing pods flip the direction": (3, [(pod("a"), 120), (pod("b"), None), (pod("c"), None)], 3),
    "unready pods count 0 % when scaling up": (4, [(pod("a"), 120), (pod("b"), 120),
                                                  (pod("c", ready=False), 0), (pod("d", ready=False), 0)], 4),
    "unready pods are left out when scaling down": (3, [(pod("a"), 20), (pod("b"), 20),
                                                        (pod("c", ready=False), 300)], 1),
    "pending pod is unready, not missing": (2, [(pod("a"), 20), (pod("b", phase="Pending"), None)], 1),
    "terminating and failed pods are ignored": (3, [(pod("a"), 20), (pod("b", deleting=True), 400),
                                                    (pod("c", phase="Failed"), 400)], 1),
}  # fmt: skip


@pytest.mark.parametrize(("current", "pods", "expected"), CASES.values(), ids=CASES.keys())
def test_resource_replicas(current: int, pods: list[tuple[Obj, int | None]], expected: int) -> None:
    assert run(current, pods) == expected


def test_utilization_is_truncated_and_raw_value_averaged() -> None:
    pods = [pod("a"), pod("b"), pod("c")]
    metrics = {"a": sample(101), "b": sample(100), "c": sample(100)}
    proposal = resource_replicas(3, 50, "cpu", pods, metrics, NOW)
    assert (proposal.utilization, proposal.raw_average) == (50, 100)  # int(30100 / 600) = 50, 301 // 3


# ---------------------------------------------------------------- CPU readiness


@pytest.mark.parametrize(
    ("started_ago_s", "ready", "ready_changed_ago_s", "sample_age_s", "unready"),
    [
        (60, True, 20, 10, True),  # young pod: sample taken less than a window after it became ready
        (60, True, 20, 0, False),  # young pod: sample covers a whole window of readiness
        (60, False, 20, 0, True),  # young pod, not ready
        (600, False, 595, 0, True),  # never became ready after starting
        (600, False, 100, 0, False),  # was ready, turned unready later: its sample still counts
        (600, True, 590, 0, False),
    ],
)
def test_cpu_samples_of_pods_not_ready_long_enough_are_set_aside(
    started_ago_s: int, ready: bool, ready_changed_ago_s: int, sample_age_s: int, unready: bool
) -> None:
    p = pod("a", ready=ready, started_ago_s=started_ago_s, ready_changed_ago_s=ready_changed_ago_s)
    groups = group_pods([p], {"a": sample(100, sample_age_s)}, "cpu", NOW)
    assert (groups.unready == {"a"}) == unready
    assert groups.ready_count == (0 if unready else 1)


def test_readiness_does_not_matter_for_memory() -> None:
    groups = group_pods([pod("a", ready=False, started_ago_s=10)], {"a": sample(100)}, "memory", NOW)
    assert (groups.ready_count, groups.unready) == (1, set())


# ---------------------------------------------------------------- failures


def test_a_container_without_a_request_fails_the_metric() -> None:
    with pytest.raises(MetricError, match=r"^missing request for cpu in container nginx of Pod web-1$"):
        pod_requests([pod("web-0"), pod("web-1", cpu=None)], "", "cpu")


@pytest.mark.parametrize(
    ("pods", "metrics", "message"),
    [
        ([], {"a": sample(1)}, "no pods returned by selector while calculating replica count"),
        (
            [pod("a", ready=False)],
            {"a": sample(1)},
            "did not receive metrics for targeted pods (pods might be unready)",
        ),
        ([pod("a", cpu=None)], {"a": sample(1)}, "missing request for cpu in container nginx of Pod a"),
        ([pod("a", cpu="0")], {"a": sample(1)}, "no metrics returned matched known pods"),
    ],
)
def test_resource_replicas_errors(pods: list[Obj], metrics: dict[str, PodMetric], message: str) -> None:
    with pytest.raises(MetricError) as exc:
        resource_replicas(1, 50, "cpu", pods, metrics, NOW)
    assert str(exc.value) == message


def test_no_samples_at_all() -> None:
    with pytest.raises(MetricError, match=r"^no metrics returned from resource metrics API$"):
        resource_metrics([], "cpu")


# ---------------------------------------------------------------- AverageValue targets


@pytest.mark.parametrize(
    ("usages_mi", "current", "expected"),
    [
        ([150, 150], 2, 3),  # 150Mi average against 100Mi
        ([105, 105], 2, 2),  # within tolerance
        ([20, 20, 20, 20], 4, 1),
        ([150, None], 2, 2),  # missing pod counts 0 when scaling up: average 75Mi flips the direction
    ],
)
def test_raw_resource_replicas(usages_mi: list[int | None], current: int, expected: int) -> None:
    pods = [pod(f"p{i}") for i in range(len(usages_mi))]
    metrics = {f"p{i}": sample(u * MI * 1000) for i, u in enumerate(usages_mi) if u is not None}
    proposal = raw_resource_replicas(current, 100 * MI * 1000, "memory", pods, metrics, NOW)
    assert proposal.replicas == expected
