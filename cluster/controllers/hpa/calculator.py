"""The replica calculator (``pkg/controller/podautoscaler/replica_calculator.go``), as pure functions.

For a resource metric it compares the pods' usage with their *requests*:
``utilization = int(Σusage × 100 / Σrequests)`` over the pods that count,
``ratio = utilization / target``, and proposes ``ceil(ratio × readyPods)`` —
unless the ratio is within the 10 % tolerance. Pods are sorted first
(``group_pods``): terminating and failed pods are ignored; pending pods, and
for CPU pods that are not ready or whose sample predates their readiness, are
"unready"; pods without a sample are "missing". If any are missing or (when
scaling up) unready, the ratio is recomputed assuming missing pods use 100 %
of their request when scaling down and 0 % when scaling up, and unready
pods 0 %; if that ratio is within tolerance or points the other way, the
current count stays. AverageValue targets work the same on raw usage.

Every value is in milli-units (``MilliValue``): millicores for CPU,
milli-bytes for memory. Errors carry the controller's exact texts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from cluster.controllers.podutil import parse_time_ms, ready_condition
from cluster.core.quantity import parse_quantity
from cluster.metrics import PodMetrics

Obj = dict[str, Any]

TOLERANCE = 0.1  # --horizontal-pod-autoscaler-tolerance
CPU_INITIALIZATION_PERIOD_MS = 300_000  # --horizontal-pod-autoscaler-cpu-initialization-period
INITIAL_READINESS_DELAY_MS = 30_000  # --horizontal-pod-autoscaler-initial-readiness-delay


class MetricError(Exception):
    """The metric could not be computed; the message is the one Kubernetes reports."""


@dataclass(frozen=True)
class PodMetric:
    value: int  # milli-units
    timestamp_ms: int = 0
    window_ms: int = 0


PodMetricsInfo = dict[str, PodMetric]


@dataclass
class PodGroups:
    ready_count: int = 0
    unready: set[str] = field(default_factory=set)
    missing: set[str] = field(default_factory=set)
    ignored: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Proposal:
    replicas: int
    utilization: int  # percent of request (0 for AverageValue targets)
    raw_average: int  # average usage per pod, milli-units


# ---------------------------------------------------------------- metrics client


def resource_metrics(samples: list[PodMetrics], resource: str, container: str = "") -> PodMetricsInfo:
    """``GetResourceMetric``: per pod, the summed ``MilliValue`` of its containers (or of one container)."""
    if not samples:
        raise MetricError("no metrics returned from resource metrics API")
    out: PodMetricsInfo = {}
    for sample in samples:
        if container:
            usage = sample.container(container)
            if usage is None:
                raise MetricError(f"failed to get container metrics: container {container} not present in "
                                  f"metrics for pod {sample.namespace}/{sample.name}")  # fmt: skip
            value = usage.milli_value(resource)
        elif sample.containers:
            value = sum(c.milli_value(resource) for c in sample.containers)
        else:
            continue
        out[sample.name] = PodMetric(value, sample.timestamp_ms, sample.window_ms)
    return out


# ---------------------------------------------------------------- pods


def _phase(pod: Obj) -> str:
    return str((pod.get("status") or {}).get("phase") or "")


def _name(pod: Obj) -> str:
    return str((pod.get("metadata") or {}).get("name", ""))


def _cpu_unready(pod: Obj, metric: PodMetric, now_ms: int) -> bool:
    """Is this CPU sample untrustworthy: pod not ready, or measured before it had been ready a whole window?"""
    condition = ready_condition(pod)
    started = parse_time_ms((pod.get("status") or {}).get("startTime"))
    if condition is None or started is None:
        return True
    transition = parse_time_ms(condition.get("lastTransitionTime")) or 0
    if started + CPU_INITIALIZATION_PERIOD_MS > now_ms:
        return condition.get("status") == "False" or metric.timestamp_ms < transition + metric.window_ms
    return condition.get("status") == "False" and started + INITIAL_READINESS_DELAY_MS > transition


def group_pods(pods: list[Obj], metrics: PodMetricsInfo, resource: str, now_ms: int) -> PodGroups:
    """``groupPods``: count the ready pods with samples; set aside unready, missing and ignored ones."""
    groups = PodGroups()
    for pod in pods:
        name = _name(pod)
        if (pod.get("metadata") or {}).get("deletionTimestamp") or _phase(pod) == "Failed":
            groups.ignored.add(name)
        elif _phase(pod) == "Pending":
            groups.unready.add(name)
        elif name not in metrics:
            groups.missing.add(name)
        elif resource == "cpu" and _cpu_unready(pod, metrics[name], now_ms):
            groups.unready.add(name)
        else:
            groups.ready_count += 1
    return groups


def milli_value(quantity: Any) -> int:
    """``Quantity.MilliValue()``: rounded up."""
    value = parse_quantity(quantity) * 1000
    return -((-value.numerator) // value.denominator)


def _counted_containers(pod: Obj) -> list[Obj]:
    spec = pod.get("spec") or {}
    sidecars = [c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"]
    return [*(spec.get("containers") or []), *sidecars]


def pod_requests(pods: list[Obj], container: str, resource: str) -> dict[str, int]:
    """``calculatePodRequests``: each pod's request (milli-units); any counted container without one fails."""
    out: dict[str, int] = {}
    for pod in pods:
        total = 0
        for c in _counted_containers(pod):
            if container and c.get("name") != container:
                continue
            requests = (c.get("resources") or {}).get("requests") or {}
            if resource not in requests:
                raise MetricError(
                    f"missing request for {resource} in container {c.get('name', '')} of Pod {_name(pod)}"
                )
            total += milli_value(requests[resource])
        out[_name(pod)] = total
    return out


# ---------------------------------------------------------------- ratios


def utilization_ratio(metrics: PodMetricsInfo, requests: dict[str, int], target: int) -> tuple[float, int, int]:
    """``GetResourceUtilizationRatio``: (usage ratio, utilization %, raw average usage)."""
    usage_total = request_total = entries = 0
    for name, metric in metrics.items():
        if name not in requests:
            continue
        usage_total += metric.value
        request_total += requests[name]
        entries += 1
    if request_total == 0:
        raise MetricError("no metrics returned matched known pods")
    utilization = usage_total * 100 // request_total
    return utilization / target, utilization, usage_total // entries


def usage_ratio(metrics: PodMetricsInfo, target: int) -> tuple[float, int]:
    """``GetMetricUsageRatio``: (usage ratio, average usage) for an AverageValue target."""
    average = sum(m.value for m in metrics.values()) // len(metrics)
    return average / target, average


def _keep_current(old: float, new: float) -> bool:
    """Within tolerance, or the rebalanced ratio points the other way."""
    return abs(1.0 - new) <= TOLERANCE or (old < 1.0 < new) or (old > 1.0 > new)


def _rebalanced_replicas(current: int, old: float, new: float, counted: int) -> int:
    if _keep_current(old, new):
        return current
    proposal = math.ceil(new * counted)
    if (new < 1.0 and proposal > current) or (new > 1.0 and proposal < current):
        return current
    return proposal


# ---------------------------------------------------------------- replica counts


def _usable(pods: list[Obj], metrics: PodMetricsInfo, resource: str, now_ms: int) -> tuple[PodGroups, PodMetricsInfo]:
    if not pods:
        raise MetricError("no pods returned by selector while calculating replica count")
    groups = group_pods(pods, metrics, resource, now_ms)
    kept = {n: m for n, m in metrics.items() if n not in groups.ignored and n not in groups.unready}
    if not kept:
        raise MetricError("did not receive metrics for targeted pods (pods might be unready)")
    return groups, kept


def resource_replicas(
    current: int, target: int, resource: str, pods: list[Obj], metrics: PodMetricsInfo, now_ms: int, container: str = ""
) -> Proposal:
    """``GetResourceReplicas`` for a Utilization target (percent of request)."""
    groups, metrics = _usable(pods, metrics, resource, now_ms)
    requests = pod_requests(pods, container, resource)
    ratio, utilization, raw = utilization_ratio(metrics, requests, target)
    scale_up_with_unready = bool(groups.unready) and ratio > 1.0
    if not scale_up_with_unready and not groups.missing:
        if abs(1.0 - ratio) <= TOLERANCE:
            return Proposal(current, utilization, raw)
        return Proposal(math.ceil(ratio * groups.ready_count), utilization, raw)
    if groups.missing and ratio < 1.0:
        fallback = max(100, target)
        metrics.update({n: PodMetric(requests[n] * fallback // 100) for n in groups.missing})
    elif groups.missing and ratio > 1.0:
        metrics.update({n: PodMetric(0) for n in groups.missing})
    if scale_up_with_unready:
        metrics.update({n: PodMetric(0) for n in groups.unready})
    new_ratio, _, _ = utilization_ratio(metrics, requests, target)
    return Proposal(_rebalanced_replicas(current, ratio, new_ratio, len(metrics)), utilization, raw)


def raw_resource_replicas(
    current: int, target: int, resource: str, pods: list[Obj], metrics: PodMetricsInfo, now_ms: int
) -> Proposal:
    """``GetRawResourceReplicas`` for an AverageValue target (``target`` in milli-units)."""
    groups, metrics = _usable(pods, metrics, resource, now_ms)
    ratio, usage = usage_ratio(metrics, target)
    scale_up_with_unready = bool(groups.unready) and ratio > 1.0
    if not scale_up_with_unready and not groups.missing:
        if abs(1.0 - ratio) <= TOLERANCE:
            return Proposal(current, 0, usage)
        return Proposal(math.ceil(ratio * groups.ready_count), 0, usage)
    if groups.missing:
        fill = target if ratio < 1.0 else 0
        metrics.update({n: PodMetric(fill) for n in groups.missing})
    if scale_up_with_unready:
        metrics.update({n: PodMetric(0) for n in groups.unready})
    new_ratio, _ = usage_ratio(metrics, target)
    return Proposal(_rebalanced_replicas(current, ratio, new_ratio, len(metrics)), 0, usage)
