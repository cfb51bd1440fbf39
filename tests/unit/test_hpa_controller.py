"""The HPA controller reconciling against a fake view: sync timing, rescaling, status, conditions and events."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from cluster.controllers.hpa import HorizontalPodAutoscalerController
from cluster.controllers.hpa.memory import PRIVATE_KEY
from cluster.core.timefmt import rfc3339
from cluster.engine.actions import ObjKey, Patch, RecordEvent, Result, SetPrivate, Trace, UpdateStatus
from cluster.kubectl.printers.rows_cluster import hpa_targets
from cluster.kubelet import new_node
from tests.unit.fakes import FakeView

Obj = dict[str, Any]
NOW = 1_764_044_340_000  # a metrics scrape, 15 s after the HPA was created
CREATED = NOW - 15_000
LONG_AGO = NOW - 3_600_000
HPA_KEY = ObjKey("HorizontalPodAutoscaler", "default", "web")
CPU_UTILIZATION = "cpu resource utilization (percentage of request)"


def deployment(replicas: int) -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "uid": "deploy-uid"},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": "web"}}},
        "status": {"replicas": replicas},
    }


def pod(name: str, *, cpu: str | None = "200m", started_ms: int = LONG_AGO) -> Obj:
    resources = {"requests": {"cpu": cpu}} if cpu else {}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "labels": {"app": "web"}, "uid": f"uid-{name}"},
        "spec": {"nodeName": "worker-1", "containers": [
            {"name": "php-apache", "image": "registry.k8s.io/hpa-example", "resources": resources}]},
        "status": {
            "phase": "Running",
            "startTime": rfc3339(started_ms),
            "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": rfc3339(started_ms)}],
            "containerStatuses": [{"name": "php-apache", "ready": True,
                                   "state": {"running": {"startedAt": rfc3339(started_ms)}}}],
        },
    }  # fmt: skip


def hpa(*, min_replicas: int = 1, max_replicas: int = 10, metrics: list[Obj] | None = None, **spec: Any) -> Obj:
    cpu = {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 50}}}
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "namespace": "default", "uid": "hpa-uid", "creationTimestamp": rfc3339(CREATED)},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "minReplicas": min_replicas,
            "maxReplicas": max_replicas,
            "metrics": metrics if metrics is not None else [cpu],
            **spec,
        },
        "status": {},
    }


def cluster(replicas: int, autoscaler: Obj | None = None, rps: int = 0, **pod_args: Any) -> FakeView:
    """A deployment with ``replicas`` running pods, each serving ``rps`` requests/s, and its HPA."""
    view = FakeView([new_node("worker-1", 1, LONG_AGO, "worker"), deployment(replicas), autoscaler or hpa()], NOW)
    for i in range(replicas):
        p = view.add(pod(f"web-{i}", **pod_args))
        if rps:
            buckets = [[NOW - 15_000 + s * 1000, rps] for s in range(15)]
            view.privates[ObjKey.of(p)] = {"traffic": {"perSecond": buckets}}
    return view


def reconcile(view: FakeView, now_ms: int = NOW) -> Result:
    """One reconcile, its API writes applied to the view (the scale patch resizes the deployment)."""
    result = HorizontalPodAutoscalerController().reconcile(view, HPA_KEY, now_ms)
    for action in result.actions:
        if isinstance(action, UpdateStatus):
            view.objects[HPA_KEY]["status"] = copy.deepcopy(action.obj["status"])
        elif isinstance(action, SetPrivate):
            view.privates[action.key] = copy.deepcopy(action.data or {})
        elif isinstance(action, Patch):
            view.objects[action.key]["spec"]["replicas"] = action.patch["spec"]["replicas"]
    return result


def events(result: Result) -> list[tuple[str, str, str]]:
    return [(a.type, a.reason, a.message) for a in result.actions if isinstance(a, RecordEvent)]


def status(view: FakeView) -> Obj:
    return dict(view.objects[HPA_KEY]["status"])


def conditions(view: FakeView) -> list[tuple[str, str, str, str]]:
    return [(c["type"], c["status"], c["reason"], c["message"]) for c in status(view).get("conditions", [])]


def scale_patches(result: Result) -> list[int]:
    return [a.patch["spec"]["replicas"] for a in result.actions if isinstance(a, Patch)]


# ---------------------------------------------------------------- timing


def test_first_sync_comes_one_period_after_creation() -> None:
    view = cluster(1, rps=4)
    early = reconcile(view, NOW - 5_000)
    assert (early.actions, early.requeue_after_ms) == ([], 5_000)
    assert scale_patches(reconcile(view, NOW)) == [2]


def test_a_synced_hpa_is_a_fixed_point_until_the_next_period() -> None:
    view = cluster(1, rps=4)
    first = reconcile(view)
    assert first.requeue_after_ms == 15_000
    again = reconcile(view, NOW + 1_000)
    assert (again.actions, again.requeue_after_ms) == ([], 14_000)
    assert any(isinstance(a, Trace) for a in reconcile(view, NOW + 15_000).actions)  # the next sync reads metrics


# ---------------------------------------------------------------- scaling


def test_scale_up_writes_scale_status_and_event() -> None:
    view = cluster(1, rps=4)  # 4 req/s × 50 ms = 200m (+0.9m idle) against a 200m request: 100 %
    result = reconcile(view)
    assert scale_patches(result) == [2]
    assert events(result) == [("Normal", "SuccessfulRescale", f"New size: 2; reason: {CPU_UTILIZATION} above target")]
    assert status(view) == {
        "lastScaleTime": rfc3339(NOW),
        "currentReplicas": 1,
        "desiredReplicas": 2,
        "currentMetrics": [
            {"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 100,
                                                                           "averageValue": "201m"}}},
        ],
        "conditions": [
            {"type": "AbleToScale", "status": "True", "lastTransitionTime": rfc3339(NOW), "reason": "SucceededRescale",
             "message": "the HPA controller was able to update the target scale to 2"},
            {"type": "ScalingActive", "status": "True", "lastTransitionTime": rfc3339(NOW),
             "reason": "ValidMetricFound",
             "message": f"the HPA was able to successfully calculate a replica count from {CPU_UTILIZATION}"},
            {"type": "ScalingLimited", "status": "False", "lastTransitionTime": rfc3339(NOW),
             "reason": "DesiredWithinRange", "message": "the desired count is within the acceptable range"},
        ],
    }  # fmt: skip
    assert hpa_targets(view.objects[HPA_KEY]) == "cpu: 100%/50%"


@pytest.mark.parametrize(
    ("spec_behavior", "expected"),
    [
        ({}, [4]),  # no behavior: at most max(2 × 1, 4) per sync
        ({"behavior": {"scaleUp": {"stabilizationWindowSeconds": 0}}}, [5]),  # default policies: max(+4, +100 %)
    ],
)
def test_scale_up_rate_with_and_without_behavior(spec_behavior: Obj, expected: list[int]) -> None:
    view = cluster(1, hpa(**spec_behavior), rps=40)  # 2000m: 1000 % of the request
    result = reconcile(view)
    assert scale_patches(result) == expected
    limited = ("ScalingLimited", "True", "ScaleUpLimit", "the desired replica count is increasing faster than the "
               "maximum scale rate")  # fmt: skip
    assert limited in conditions(view)


def test_scale_down_waits_for_the_stabilization_window() -> None:
    view = cluster(4, rps=0)  # idle: 1 replica would do, but a new HPA remembers the current 4
    assert scale_patches(reconcile(view)) == []
    assert conditions(view)[0] == (
        "AbleToScale",
        "True",
        "ScaleDownStabilized",
        "recent recommendations were higher than current one, applying the highest recent recommendation",
    )
    rescaled_at = [t for t in range(15, 331, 15) if scale_patches(reconcile(view, NOW + t * 1000))]
    assert rescaled_at == [300]  # the recommendation of 4 left the 300 s window
    assert view.objects[ObjKey("Deployment", "default", "web")]["spec"]["replicas"] == 1


def test_scale_down_event_says_all_metrics_below_target() -> None:
    view = cluster(4, hpa(behavior={"scaleDown": {"stabilizationWindowSeconds": 0}}), rps=0)
    result = reconcile(view)
    assert scale_patches(result) == [1]
    assert events(result) == [("Normal", "SuccessfulRescale", "New size: 1; reason: All metrics below target")]


@pytest.mark.parametrize(
    ("replicas", "min_replicas", "max_replicas", "new_size", "reason"),
    [
        (12, 1, 10, 10, "Current number of replicas above Spec.MaxReplicas"),
        (1, 3, 10, 3, "Current number of replicas below Spec.MinReplicas"),
    ],
)
def test_replicas_outside_min_max_are_corrected_without_metrics(
    replicas: int, min_replicas: int, max_replicas: int, new_size: int, reason: str
) -> None:
    view = cluster(replicas, hpa(min_replicas=min_replicas, max_replicas=max_replicas), cpu=None)
    result = reconcile(view)
    assert scale_patches(result) == [new_size]
    assert events(result) == [("Normal", "SuccessfulRescale", f"New size: {new_size}; reason: {reason}")]
    assert "currentMetrics" not in status(view)


def test_target_with_zero_replicas_disables_autoscaling() -> None:
    view = cluster(0)
    result = reconcile(view)
    assert scale_patches(result) == [] and events(result) == []
    assert conditions(view)[1] == ("ScalingActive", "False", "ScalingDisabled",
                                   "scaling is disabled since the replica count of the target is zero")  # fmt: skip
    assert status(view)["desiredReplicas"] == 0


# ---------------------------------------------------------------- failures


def test_pods_without_cpu_request_leave_the_metric_unknown() -> None:
    view = cluster(2, cpu=None)
    result = reconcile(view)
    error = "failed to get cpu utilization: missing request for cpu in container php-apache of Pod web-0"
    assert events(result) == [
        ("Warning", "FailedGetResourceMetric", error),
        ("Warning", "FailedComputeMetricsReplicas",
         f"invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: {error}"),
    ]  # fmt: skip
    assert conditions(view) == [
        ("AbleToScale", "True", "SucceededGetScale", "the HPA controller was able to get the target's current scale"),
        ("ScalingActive", "False", "FailedGetResourceMetric",
         f"the HPA was unable to compute the replica count: {error}"),
    ]  # fmt: skip
    assert status(view)["currentMetrics"] == [{"type": ""}]
    assert (status(view)["currentReplicas"], status(view)["desiredReplicas"]) == (2, 0)
    assert hpa_targets(view.objects[HPA_KEY]) == "cpu: <unknown>/50%"
    assert scale_patches(result) == []


def test_pods_too_young_for_metrics() -> None:
    view = cluster(1, started_ms=NOW - 5_000)
    result = reconcile(view)
    assert events(result)[0] == (
        "Warning",
        "FailedGetResourceMetric",
        "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource "
        "metrics API",
    )


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ({"apiVersion": "apps/v1", "kind": "Deployment", "name": "nope"}, 'deployments/scale.apps "nope" not found'),
        ({"apiVersion": "extensions/v1beta1", "kind": "Deployment", "name": "web"},
         'no matches for kind "Deployment" in group "extensions"'),
        ({"apiVersion": "v1", "kind": "ReplicationController", "name": "rc"},
         'replicationcontrollers/scale "rc" not found'),
    ],
)  # fmt: skip
def test_unreadable_target(ref: Obj, message: str) -> None:
    view = cluster(1, hpa(scaleTargetRef=ref))
    result = reconcile(view)
    assert events(result) == [("Warning", "FailedGetScale", message)]
    expected = f"the HPA controller was unable to get the target's current scale: {message}"
    assert conditions(view) == [("AbleToScale", "False", "FailedGetScale", expected)]


def test_metrics_without_an_adapter_fail_like_on_a_cluster_without_one() -> None:
    packets = {"type": "Pods", "pods": {"metric": {"name": "packets-per-second"},
                                        "target": {"type": "AverageValue", "averageValue": "1k"}}}  # fmt: skip
    view = cluster(1, hpa(metrics=[packets]))
    result = reconcile(view)
    error = ("unable to get metric packets-per-second: unable to fetch metrics from custom metrics API: no custom "
             "metrics API (custom.metrics.k8s.io) registered")  # fmt: skip
    assert events(result)[0] == ("Warning", "FailedGetPodsMetric", error)
    assert conditions(view)[1] == ("ScalingActive", "False", "FailedGetPodsMetric",
                                   f"the HPA was unable to compute the replica count: {error}")  # fmt: skip


def test_a_failing_metric_does_not_block_scaling_up_on_another() -> None:
    packets = {"type": "Pods", "pods": {"metric": {"name": "packets-per-second"},
                                        "target": {"type": "AverageValue", "averageValue": "1k"}}}  # fmt: skip
    cpu = hpa()["spec"]["metrics"][0]
    view = cluster(1, hpa(metrics=[packets, cpu]), rps=4)
    result = reconcile(view)
    assert scale_patches(result) == [2]
    assert status(view)["currentMetrics"][0] == {"type": ""}
    assert status(view)["currentMetrics"][1]["resource"]["current"]["averageUtilization"] == 100


def test_memory_average_value_target() -> None:
    memory = {"type": "Resource", "resource": {"name": "memory",
                                               "target": {"type": "AverageValue", "averageValue": "5Mi"}}}  # fmt: skip
    view = cluster(2, hpa(metrics=[memory]))  # idle hpa-example: 9.625Mi each
    result = reconcile(view)
    assert scale_patches(result) == [4]
    assert events(result)[0][2] == "New size: 4; reason: memory resource above target"
    assert status(view)["currentMetrics"] == [
        {"type": "Resource", "resource": {"name": "memory", "current": {"averageValue": "10092544"}}}
    ]


# ---------------------------------------------------------------- memory


def test_what_the_controller_remembers_is_persisted_per_uid() -> None:
    view = cluster(1, rps=4)
    reconcile(view)
    remembered = view.privates[HPA_KEY][PRIVATE_KEY]
    assert remembered["uid"] == "hpa-uid" and remembered["lastSyncMs"] == NOW
    assert remembered["recommendations"] == [[NOW, 1], [NOW, 2]]
    # A new HPA of the same name (another uid) does not inherit it: it waits for its own first period.
    view.objects[HPA_KEY]["metadata"].update(uid="other", creationTimestamp=rfc3339(NOW + 10_000))
    assert reconcile(view, NOW + 15_000).requeue_after_ms == 10_000
