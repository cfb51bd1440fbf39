"""autoscaling/v1 <-> autoscaling/v2 HorizontalPodAutoscaler conversion.

``kubectl autoscale`` creates autoscaling/v1 HPAs while the API server stores
(and ``kubectl get -o yaml`` shows) autoscaling/v2. v1 only knows a CPU
utilization target; as in Kubernetes, everything else a v2 object holds
(other metrics, behavior, conditions) travels through v1 in
``autoscaling.alpha.kubernetes.io/*`` annotations so that a round trip is
lossless.

Simplification: the annotations carry the v2 JSON shapes (Kubernetes uses
the older v2beta1 shapes for metrics).
"""

from __future__ import annotations

import json
from typing import Any

Obj = dict[str, Any]

METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics"
CURRENT_METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/current-metrics"
CONDITIONS_ANNOTATION = "autoscaling.alpha.kubernetes.io/conditions"
BEHAVIOR_ANNOTATION = "autoscaling.alpha.kubernetes.io/behavior"
_ANNOTATIONS = (METRICS_ANNOTATION, CURRENT_METRICS_ANNOTATION, CONDITIONS_ANNOTATION, BEHAVIOR_ANNOTATION)


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _is_cpu_utilization(metric: Any) -> bool:
    resource = (metric or {}).get("resource") or {}
    target = resource.get("target") or {}
    return (
        (metric or {}).get("type") == "Resource"
        and resource.get("name") == "cpu"
        and target.get("type") == "Utilization"
    )


def _is_cpu_current(metric: Any) -> bool:
    resource = (metric or {}).get("resource") or {}
    return (metric or {}).get("type") == "Resource" and resource.get("name") == "cpu"


def _load(annotations: dict[str, Any], key: str) -> Any:
    text = annotations.get(key)
    if not isinstance(text, str):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _meta_without_annotations(meta: Obj) -> Obj:
    meta = _copy(meta)
    annotations = {k: v for k, v in (meta.get("annotations") or {}).items() if k not in _ANNOTATIONS}
    if annotations:
        meta["annotations"] = annotations
    else:
        meta.pop("annotations", None)
    return meta


def _v1_spec_to_v2(spec: Obj, annotations: dict[str, Any]) -> Obj:
    out: Obj = {"scaleTargetRef": _copy(spec.get("scaleTargetRef") or {}), "maxReplicas": spec.get("maxReplicas")}
    if spec.get("minReplicas") is not None:
        out["minReplicas"] = spec["minReplicas"]
    metrics: list[Any] = []
    if spec.get("targetCPUUtilizationPercentage") is not None:
        target = {"type": "Utilization", "averageUtilization": spec["targetCPUUtilizationPercentage"]}
        metrics.append({"type": "Resource", "resource": {"name": "cpu", "target": target}})
    metrics += _load(annotations, METRICS_ANNOTATION) or []
    if metrics:
        out["metrics"] = metrics
    behavior = _load(annotations, BEHAVIOR_ANNOTATION)
    if behavior:
        out["behavior"] = behavior
    return out


def _v1_status_to_v2(status: Obj, annotations: dict[str, Any]) -> Obj:
    out: Obj = {k: _copy(status[k]) for k in ("observedGeneration", "lastScaleTime", "currentReplicas") if k in status}
    out["desiredReplicas"] = status.get("desiredReplicas", 0)
    current: list[Any] = []
    if status.get("currentCPUUtilizationPercentage") is not None:
        value = {"averageUtilization": status["currentCPUUtilizationPercentage"]}
        current.append({"type": "Resource", "resource": {"name": "cpu", "current": value}})
    current += _load(annotations, CURRENT_METRICS_ANNOTATION) or []
    if current:
        out["currentMetrics"] = current
    conditions = _load(annotations, CONDITIONS_ANNOTATION)
    if conditions:
        out["conditions"] = conditions
    return out


def convert_hpa_v1_to_v2(obj: Obj) -> Obj:
    """A new autoscaling/v2 object equivalent to the given autoscaling/v1 one."""
    meta = obj.get("metadata") or {}
    annotations = meta.get("annotations") or {}
    out: Obj = {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": _meta_without_annotations(meta),
        "spec": _v1_spec_to_v2(obj.get("spec") or {}, annotations),
    }
    if "status" in obj:
        out["status"] = _v1_status_to_v2(obj.get("status") or {}, annotations)
    return out


def _annotate(meta: Obj, key: str, value: Any) -> None:
    if value:
        meta.setdefault("annotations", {})[key] = json.dumps(value, separators=(",", ":"))


def _v2_spec_to_v1(spec: Obj, meta: Obj) -> Obj:
    out: Obj = {"scaleTargetRef": _copy(spec.get("scaleTargetRef") or {}), "maxReplicas": spec.get("maxReplicas")}
    if spec.get("minReplicas") is not None:
        out["minReplicas"] = spec["minReplicas"]
    metrics = spec.get("metrics") or []
    cpu = next((m for m in metrics if _is_cpu_utilization(m)), None)
    if cpu is not None:
        out["targetCPUUtilizationPercentage"] = cpu["resource"]["target"].get("averageUtilization")
    _annotate(meta, METRICS_ANNOTATION, [m for m in metrics if m is not cpu])
    _annotate(meta, BEHAVIOR_ANNOTATION, spec.get("behavior"))
    return out


def _v2_status_to_v1(status: Obj, meta: Obj) -> Obj:
    out: Obj = {k: _copy(status[k]) for k in ("observedGeneration", "lastScaleTime", "currentReplicas") if k in status}
    out["desiredReplicas"] = status.get("desiredReplicas", 0)
    current = status.get("currentMetrics") or []
    cpu = next((m for m in current if _is_cpu_current(m)), None)
    if cpu is not None and (cpu["resource"].get("current") or {}).get("averageUtilization") is not None:
        out["currentCPUUtilizationPercentage"] = cpu["resource"]["current"]["averageUtilization"]
    _annotate(meta, CURRENT_METRICS_ANNOTATION, [m for m in current if m is not cpu])
    _annotate(meta, CONDITIONS_ANNOTATION, status.get("conditions"))
    return out


def convert_hpa_v2_to_v1(obj: Obj) -> Obj:
    """A new autoscaling/v1 object for the stored v2 one (what ``kubectl get hpa.v1.autoscaling`` shows)."""
    meta = _meta_without_annotations(obj.get("metadata") or {})
    out: Obj = {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "metadata": meta}
    out["spec"] = _v2_spec_to_v1(obj.get("spec") or {}, meta)
    if "status" in obj:
        out["status"] = _v2_status_to_v1(obj.get("status") or {}, meta)
    return out
