"""HorizontalPodAutoscaler validation (``pkg/apis/autoscaling/validation``) on the stored autoscaling/v2 form.

v1 objects (what ``kubectl autoscale`` sends) are converted to v2 first; the
conversions live in ``conversion.py`` and are re-exported here.
"""

from __future__ import annotations

from typing import Any

from cluster.apiserver.validation.common import (
    as_dict,
    as_list,
    child,
    in_set,
    index,
    is_int,
    quantity_error,
    validate_object_meta,
    validate_object_meta_update,
)
from cluster.apiserver.validation.conversion import convert_hpa_v1_to_v2, convert_hpa_v2_to_v1
from cluster.core.errors import FieldError, forbidden, invalid, not_supported, required
from cluster.core.names import is_valid_path_segment_name
from cluster.core.quantity import parse_quantity

Obj = dict[str, Any]

__all__ = ["convert_hpa_v1_to_v2", "convert_hpa_v2_to_v1", "validate_hpa"]

METRIC_TYPES = ["Object", "Pods", "Resource", "External", "ContainerResource"]
_SOURCE_FIELD = {
    "Object": "object",
    "Pods": "pods",
    "Resource": "resource",
    "External": "external",
    "ContainerResource": "containerResource",
}
MAX_WINDOW_SECONDS = 3600
MAX_PERIOD_SECONDS = 1800


def validate_target_ref(ref: Obj, path: str) -> list[FieldError]:
    """``ValidateCrossVersionObjectReference``."""
    errors: list[FieldError] = []
    for name in ("kind", "name"):
        value = str(ref.get(name) or "")
        if not value:
            errors.append(required(child(path, name)))
        else:
            errors += [invalid(child(path, name), value, msg) for msg in is_valid_path_segment_name(value)]
    return errors


def _positive_quantity(value: Any, path: str) -> list[FieldError]:
    errs = quantity_error(value, path)
    if errs:
        return errs
    return [] if parse_quantity(value) > 0 else [invalid(path, str(value), "must be positive")]


def validate_metric_target(target: Obj, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    kind = target.get("type")
    if not kind:
        errors.append(required(child(path, "type"), "must specify a metric target type"))
    if kind not in ("Utilization", "Value", "AverageValue"):
        errors.append(invalid(child(path, "type"), kind or "", "must be either Utilization, Value, or AverageValue"))
    for name in ("value", "averageValue"):
        if target.get(name) is not None:
            errors += _positive_quantity(target[name], child(path, name))
    utilization = target.get("averageUtilization")
    if is_int(utilization) and utilization < 1:
        errors.append(invalid(child(path, "averageUtilization"), utilization, "must be greater than 0"))
    return errors


def _resource_source(source: Obj, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    if not source.get("name"):
        errors.append(required(child(path, "name"), "must specify a resource name"))
    target = as_dict(source.get("target"))
    if target.get("averageUtilization") is None and target.get("averageValue") is None:
        errors.append(
            required(
                child(path, "target.averageUtilization"), "must set either a target raw value or a target utilization"
            )
        )
    elif target.get("averageUtilization") is not None and target.get("averageValue") is not None:
        errors.append(
            forbidden(
                child(path, "target.averageValue"), "may not set both a target raw value and a target utilization"
            )
        )
    return errors + validate_metric_target(target, child(path, "target"))


def validate_metric(metric: Obj, path: str) -> list[FieldError]:
    kind = metric.get("type")
    errors: list[FieldError] = []
    if not kind:
        errors.append(required(child(path, "type"), "must specify a metric source type"))
    if kind not in METRIC_TYPES:
        errors.append(not_supported(child(path, "type"), kind or "", METRIC_TYPES))
    expected = _SOURCE_FIELD.get(str(kind))
    present = [f for f in _SOURCE_FIELD.values() if metric.get(f) is not None]
    if expected and metric.get(expected) is None:
        errors.append(required(child(path, expected), "must populate information for the given metric source"))
    errors += [
        forbidden(child(path, f), "must populate the given metric source only") for f in present if f != expected
    ]
    for name in ("resource", "containerResource"):
        if metric.get(name) is not None:
            errors += _resource_source(as_dict(metric[name]), child(path, name))
            if name == "containerResource" and not as_dict(metric[name]).get("container"):
                errors.append(required(child(path, "containerResource.container"), "must specify a container"))
    for name in ("pods", "object", "external"):
        if metric.get(name) is not None:
            source = as_dict(metric[name])
            if not as_dict(source.get("metric")).get("name"):
                errors.append(required(child(path, f"{name}.metric.name"), "must specify a metric name"))
            errors += validate_metric_target(as_dict(source.get("target")), child(path, f"{name}.target"))
    return errors


def _scaling_rules(rules: Any, path: str) -> list[FieldError]:
    if not isinstance(rules, dict):
        return []
    errors: list[FieldError] = []
    window = rules.get("stabilizationWindowSeconds")
    if is_int(window) and window < 0:
        errors.append(
            invalid(child(path, "stabilizationWindowSeconds"), window, "must be greater than or equal to zero")
        )
    elif is_int(window) and window > MAX_WINDOW_SECONDS:
        errors.append(
            invalid(
                child(path, "stabilizationWindowSeconds"), window, f"must be less than or equal to {MAX_WINDOW_SECONDS}"
            )
        )
    if rules.get("selectPolicy") is not None:
        errors += in_set(rules["selectPolicy"], child(path, "selectPolicy"), ("Max", "Min", "Disabled"))
    policies = as_list(rules.get("policies"))
    if not policies:
        errors.append(required(child(path, "policies"), "must specify at least one Policy"))
    for i, policy in enumerate(policies):
        policy, at = as_dict(policy), index(child(path, "policies"), i)
        errors += in_set(policy.get("type"), child(at, "type"), ("Pods", "Percent"))
        if not is_int(policy.get("value")) or policy["value"] <= 0:
            errors.append(invalid(child(at, "value"), policy.get("value"), "must be greater than zero"))
        period = policy.get("periodSeconds")
        if not is_int(period) or period <= 0:
            errors.append(invalid(child(at, "periodSeconds"), period, "must be greater than zero"))
        elif period > MAX_PERIOD_SECONDS:
            errors.append(
                invalid(child(at, "periodSeconds"), period, f"must be less than or equal to {MAX_PERIOD_SECONDS}")
            )
    return errors


def validate_hpa_spec(spec: Obj) -> list[FieldError]:
    """``validateHorizontalPodAutoscalerSpec`` (scale-to-zero is off, so minReplicas must be at least 1)."""
    errors: list[FieldError] = []
    min_replicas, max_replicas = spec.get("minReplicas"), spec.get("maxReplicas")
    if is_int(min_replicas) and min_replicas < 1:
        errors.append(invalid("spec.minReplicas", min_replicas, "must be greater than or equal to 1"))
    if not is_int(max_replicas) or max_replicas < 1:
        errors.append(
            invalid("spec.maxReplicas", max_replicas if max_replicas is not None else 0, "must be greater than 0")
        )
    if is_int(min_replicas) and is_int(max_replicas) and max_replicas < min_replicas:
        errors.append(invalid("spec.maxReplicas", max_replicas, "must be greater than or equal to `minReplicas`"))
    errors += validate_target_ref(as_dict(spec.get("scaleTargetRef")), "spec.scaleTargetRef")
    for i, metric in enumerate(as_list(spec.get("metrics"))):
        errors += validate_metric(as_dict(metric), index("spec.metrics", i))
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        errors += _scaling_rules(behavior.get("scaleUp"), "spec.behavior.scaleUp")
        errors += _scaling_rules(behavior.get("scaleDown"), "spec.behavior.scaleDown")
    return errors


def validate_hpa(new: Obj, old: Obj | None) -> list[FieldError]:
    meta = as_dict(new.get("metadata"))
    errors = (
        validate_object_meta(meta, "subdomain")
        if old is None
        else validate_object_meta_update(meta, as_dict(old.get("metadata")))
    )
    return errors + validate_hpa_spec(as_dict(new.get("spec")))
