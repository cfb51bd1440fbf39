"""``computeReplicasForMetrics``: one replica proposal per metric, the largest wins.

Each metric of ``spec.metrics`` yields a proposal and a ``currentMetrics``
entry. A metric that fails records a Warning event and the
``ScalingActive=False`` condition it would set (reason
``FailedGetResourceMetric`` …, message ``the HPA was unable to compute the
replica count: …``) and leaves an empty entry (``{"type": ""}``, which the
printers show as ``<unknown>``). If every metric failed, or some failed and
the rest would scale down, nothing is scaled; otherwise ``ScalingActive`` is
``True ValidMetricFound``.

Resource and ContainerResource metrics are served by ``cluster.metrics``.
Simplification: the sandbox runs no custom or external metrics adapter, so
Pods, Object and External metrics fail as they do on a cluster without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from cluster.controllers.hpa.calculator import (
    MetricError,
    Proposal,
    milli_value,
    raw_resource_replicas,
    resource_metrics,
)
from cluster.controllers.hpa.calculator import resource_replicas as utilization_replicas
from cluster.controllers.hpa.sync import HpaSync
from cluster.controllers.hpa.target import Scale
from cluster.core.labels import Selector, SelectorError, parse
from cluster.core.quantity import format_quantity
from cluster.engine.actions import Trace

Obj = dict[str, Any]
NO_CUSTOM_METRICS = (
    "unable to fetch metrics from custom metrics API: no custom metrics API (custom.metrics.k8s.io) registered"
)
NO_EXTERNAL_METRICS = (
    "unable to fetch metrics from external metrics API: no external metrics API (external.metrics.k8s.io) registered"
)


class MetricFailure(Exception):
    """A metric that could not be computed: the wrapped error and the condition it sets."""

    def __init__(self, message: str, condition: tuple[str, str, str, str]) -> None:
        super().__init__(message)
        self.message = message
        self.condition = condition


@dataclass
class MetricsResult:
    replicas: int  # -1: do not scale
    metric: str
    statuses: list[Obj] | None
    error: str = ""


def milli_quantity(milli: int) -> str:
    """``resource.NewMilliQuantity(v, DecimalSI).String()``."""
    return format_quantity(Fraction(milli, 1000))


def _unable(sync: HpaSync, reason: str, error: str) -> tuple[str, str, str, str]:
    """``getUnableComputeReplicaCountCondition``: a Warning event now, the condition for later."""
    sync.event("Warning", reason, error)
    return "ScalingActive", "False", reason, f"the HPA was unable to compute the replica count: {error}"


# ---------------------------------------------------------------- selector and pods


def parse_selector(sync: HpaSync, selector: str) -> Selector:
    """``validateAndParseSelector`` (simplification: no check for pods claimed by several HPAs)."""
    if not selector:
        sync.event("Warning", "SelectorRequired", "selector is required")
        sync.set_condition("ScalingActive", "False", "InvalidSelector", "the HPA target's scale is missing a selector")
        raise MetricError("selector is required")
    try:
        return parse(selector)
    except SelectorError as exc:
        message = f"couldn't convert selector into a corresponding internal selector object: {exc}"
        sync.event("Warning", "InvalidSelector", message)
        sync.set_condition("ScalingActive", "False", "InvalidSelector", message)
        raise MetricError(message) from None


class PodSet:
    """The target's pods and, fetched once per sync, their samples from the resource metrics API."""

    def __init__(self, sync: HpaSync, selector: Selector, selector_text: str) -> None:
        self.sync = sync
        self.pods = [p for p in sync.view.list("Pod", sync.namespace)
                     if selector.matches((p.get("metadata") or {}).get("labels") or {})]  # fmt: skip
        self._selector_text = selector_text
        self._samples: list[Any] | None = None

    def samples(self) -> list[Any]:
        if self._samples is None:
            self._samples = self.sync.metrics_server.list_pod_metrics(self.pods, self.sync.now_ms)
            text = f"list pods.metrics.k8s.io in {self.sync.namespace} ({self._selector_text})"
            self.sync.actions.append(Trace("controller-manager", "metrics-server", "GET", text))
        return self._samples


# ---------------------------------------------------------------- resource metrics


def _resource_proposal(pods: PodSet, current: int, name: str, target: Obj, container: str) -> tuple[Proposal, Obj]:
    """``computeStatusForResourceMetricGeneric``: the proposal and the ``current`` value, or ``MetricError``."""
    now = pods.sync.now_ms
    if target.get("averageValue") is not None:
        try:
            metrics = _fetch(pods, name, container)
            goal = milli_value(target["averageValue"])
            proposal = raw_resource_replicas(current, goal, name, pods.pods, metrics, now)
        except MetricError as exc:
            raise MetricError(f"failed to get {name} usage: {exc}") from None
        return proposal, {"averageValue": milli_quantity(proposal.raw_average)}
    if target.get("averageUtilization") is None:
        raise MetricError("invalid resource metric source: neither an average utilization target nor an average "
                          "value (usage) target was set")  # fmt: skip
    try:
        metrics = _fetch(pods, name, container)
        proposal = utilization_replicas(current, int(target["averageUtilization"]), name, pods.pods, metrics, now,
                                        container)  # fmt: skip
    except MetricError as exc:
        raise MetricError(f"failed to get {name} utilization: {exc}") from None
    return proposal, {"averageUtilization": proposal.utilization, "averageValue": milli_quantity(proposal.raw_average)}


def _fetch(pods: PodSet, name: str, container: str) -> Any:
    try:
        return resource_metrics(pods.samples(), name, container)
    except MetricError as exc:
        raise MetricError(f"unable to get metrics for resource {name}: {exc}") from None


def _metric_name(name: str, target: Obj, container: str) -> str:
    if target.get("averageValue") is not None:
        return f"{name} resource"
    return f"{name} container resource utilization (percentage of request)" if container else (
        f"{name} resource utilization (percentage of request)")  # fmt: skip


def resource_metric(sync: HpaSync, spec: Obj, pods: PodSet, current: int) -> tuple[int, str, Obj]:
    """A Resource or ContainerResource metric: (proposal, metric name, currentMetrics entry)."""
    container_metric = spec.get("type") == "ContainerResource"
    field = "containerResource" if container_metric else "resource"
    source = spec.get(field) or {}
    name, target = str(source.get("name", "")), source.get("target") or {}
    container = str(source.get("container", "")) if container_metric else ""
    try:
        proposal, value = _resource_proposal(pods, current, name, target, container)
    except MetricError as exc:
        reason = "FailedGetContainerResourceMetric" if container_metric else "FailedGetResourceMetric"
        condition = _unable(sync, reason, str(exc))
        what = f"{container} container" if container_metric else f"{name} resource"
        raise MetricFailure(f"failed to get {what} metric value: {exc}", condition) from None
    current_value: Obj = {"name": name, "current": value}
    if container_metric:
        current_value = {"name": name, "container": container, "current": value}
    return proposal.replicas, _metric_name(name, target, container), {"type": spec["type"], field: current_value}


# ---------------------------------------------------------------- metrics no adapter serves


def _selector_text(selector: Any) -> str:
    return "<nil>" if not selector else str(selector)


def unserved_metric(sync: HpaSync, spec: Obj) -> None:
    """Pods, Object and External metrics: there is no adapter to ask, so they fail like on such a cluster."""
    kind = spec.get("type")
    source = spec.get({"Pods": "pods", "Object": "object", "External": "external"}.get(str(kind), "")) or {}
    metric = (source.get("metric") or {}).get("name", "")
    if kind == "Pods":
        error = f"unable to get metric {metric}: {NO_CUSTOM_METRICS}"
        raise MetricFailure(f"failed to get pods metric value: {error}", _unable(sync, "FailedGetPodsMetric", error))
    if kind == "Object":
        ref = source.get("describedObject") or {}
        described = f"{ref.get('kind', '')} on {sync.namespace} {ref.get('name', '')}"
        error = f"unable to get metric {metric}: {described}/{NO_CUSTOM_METRICS}"
        condition = _unable(sync, "FailedGetObjectMetric", error)
        raise MetricFailure(f"failed to get object metric value: {error}", condition)
    if kind == "External":
        selector = _selector_text((source.get("metric") or {}).get("selector"))
        error = f"unable to get external metric {sync.namespace}/{metric}/{selector}: {NO_EXTERNAL_METRICS}"
        condition = _unable(sync, "FailedGetExternalMetric", error)
        raise MetricFailure(f"failed to get {metric} external metric value: {error}", condition)
    error = f'unknown metric source type "{kind}"'
    raise MetricFailure(error, _unable(sync, "InvalidMetricSourceType", error))


# ---------------------------------------------------------------- all metrics


def compute_replicas_for_metrics(sync: HpaSync, scale: Scale) -> MetricsResult:
    try:
        selector = parse_selector(sync, scale.selector)
    except MetricError as exc:
        return MetricsResult(-1, "", None, str(exc))
    specs: list[Obj] = list(sync.spec.get("metrics") or [])
    pods = PodSet(sync, selector, scale.selector)
    statuses: list[Obj] = [{"type": ""} for _ in specs]
    replicas, metric, invalid, first = 0, "", 0, None
    for i, spec in enumerate(specs):
        try:
            if spec.get("type") in ("Resource", "ContainerResource"):
                proposal, name, statuses[i] = resource_metric(sync, spec, pods, scale.replicas)
            else:
                unserved_metric(sync, spec)
        except MetricFailure as failure:
            first = first or failure
            invalid += 1
            continue
        if replicas == 0 or proposal > replicas:
            replicas, metric = proposal, name
    error = f"invalid metrics ({invalid} invalid out of {len(specs)}), first error is: {first.message}" if first else ""
    if first is not None and (invalid >= len(specs) or replicas < scale.replicas):
        sync.set_condition(*first.condition)
        return MetricsResult(-1, "", statuses, error)
    if not specs:
        return MetricsResult(-1, "", None, "")
    message = f"the HPA was able to successfully calculate a replica count from {metric}"
    sync.set_condition("ScalingActive", "True", "ValidMetricFound", message)
    return MetricsResult(replicas, metric, statuses, error)
