"""Deployment and ReplicaSet validation (``pkg/apis/apps/validation`` and the apps/v1 registry strategies).

The selector must select the template's labels (``spec.template.metadata.labels:
Invalid value: map[string]string{…}: `selector` does not match template
`labels```), counts must not be negative, the rolling-update bounds must
allow progress, and in apps/v1 the selector is immutable after creation.
"""

from __future__ import annotations

from typing import Any

from cluster.apiserver.validation.common import (
    NIL,
    as_dict,
    child,
    int_or_percent_value,
    is_int,
    nonnegative,
    percent_errors,
    validate_object_meta,
    validate_object_meta_update,
)
from cluster.apiserver.validation.podspec import validate_pod_template
from cluster.core.errors import FieldError, forbidden, invalid, not_supported, required
from cluster.core.goformat import GoLiteral, go_quote, label_selector
from cluster.core.labels import Selector, SelectorError, from_label_selector, validate_label_selector

Obj = dict[str, Any]

SELECTOR_MISMATCH = "`selector` does not match template `labels`"
STRATEGY_TYPES = ["Recreate", "RollingUpdate"]


def _selector_value(selector: Any) -> Any:
    """A ``*v1.LabelSelector``; Go's field errors print a nil pointer as the string ``"null"``."""
    return label_selector(selector) if isinstance(selector, dict) else NIL


def _labels_value(labels: Any) -> Any:
    return labels if isinstance(labels, dict) and labels else GoLiteral("map[string]string(nil)")


def _selector_errors(selector: Any) -> list[FieldError]:
    if selector is None:
        return [required("spec.selector")]
    errors = validate_label_selector(as_dict(selector), "spec.selector")
    sel = as_dict(selector)
    if not sel.get("matchLabels") and not sel.get("matchExpressions"):
        errors.append(invalid("spec.selector", _selector_value(selector), "empty selector is invalid for deployment"))
    return errors


def _template_for_replica_set(spec: Obj, selector: Selector) -> list[FieldError]:
    """``ValidatePodTemplateSpecForReplicaSet``."""
    template = as_dict(spec.get("template"))
    labels = as_dict(template.get("metadata")).get("labels")
    errors: list[FieldError] = []
    if not selector.empty and not selector.matches(as_dict(labels)):
        errors.append(invalid("spec.template.metadata.labels", _labels_value(labels), SELECTOR_MISMATCH))
    errors += validate_pod_template(template, "spec.template")
    pod_spec = as_dict(template.get("spec"))
    policy = pod_spec.get("restartPolicy")
    if policy not in (None, "", "Always"):
        errors.append(not_supported("spec.template.spec.restartPolicy", policy, ["Always"]))
    if pod_spec.get("activeDeadlineSeconds") is not None:
        deadline = pod_spec["activeDeadlineSeconds"]
        errors.append(
            invalid(
                "spec.template.spec.activeDeadlineSeconds",
                deadline,
                "activeDeadlineSeconds in ReplicaSet is not Supported",
            )
        )
    return errors


def _selector_and_template(spec: Obj) -> list[FieldError]:
    errors = _selector_errors(spec.get("selector"))
    try:
        selector = from_label_selector(spec.get("selector") if isinstance(spec.get("selector"), dict) else None)
    except SelectorError:
        return [*errors, invalid("spec.selector", _selector_value(spec.get("selector")), "invalid label selector")]
    return errors + _template_for_replica_set(spec, selector)


def _positive_int_or_percent(value: Any, path: str) -> list[FieldError]:
    if isinstance(value, str):
        return [invalid(path, value, msg) for msg in percent_errors(value)]
    return nonnegative(value, path)


def validate_rolling_update(rolling: Obj, path: str) -> list[FieldError]:
    """``ValidateRollingUpdateDeployment``.

    The offending IntOrString is shown as its plain value (``0``, ``"0%"``),
    the form the fact sheet records for these messages.
    """
    surge, unavailable = rolling.get("maxSurge"), rolling.get("maxUnavailable")
    errors = _positive_int_or_percent(unavailable, child(path, "maxUnavailable"))
    errors += _positive_int_or_percent(surge, child(path, "maxSurge"))
    if int_or_percent_value(unavailable) == 0 and int_or_percent_value(surge) == 0:
        errors.append(
            invalid(
                child(path, "maxUnavailable"),
                unavailable if unavailable is not None else 0,
                "may not be 0 when `maxSurge` is 0",
            )
        )
    if isinstance(unavailable, str) and not percent_errors(unavailable) and int(unavailable[:-1]) > 100:
        errors.append(invalid(child(path, "maxUnavailable"), unavailable, "must not be greater than 100%"))
    return errors


def _strategy_literal(strategy: Obj) -> GoLiteral:
    rolling = (
        "(*apps.RollingUpdateDeployment)(nil)"
        if strategy.get("rollingUpdate") is None
        else "(*apps.RollingUpdateDeployment)(0xc000a3c120)"
    )
    return GoLiteral(
        f"apps.DeploymentStrategy{{Type:{go_quote(str(strategy.get('type', '')))}, RollingUpdate:{rolling}}}"
    )


def validate_strategy(strategy: Obj, path: str = "spec.strategy") -> list[FieldError]:
    """``ValidateDeploymentStrategy``."""
    kind = strategy.get("type")
    if kind == "Recreate":
        if strategy.get("rollingUpdate") is not None:
            return [forbidden(child(path, "rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'")]
        return []
    if kind == "RollingUpdate":
        if strategy.get("rollingUpdate") is None:
            return [required(child(path, "rollingUpdate"), "this should be defaulted and never be nil")]
        return validate_rolling_update(as_dict(strategy["rollingUpdate"]), child(path, "rollingUpdate"))
    return [not_supported(path, _strategy_literal(strategy), STRATEGY_TYPES)]


def validate_deployment_spec(spec: Obj) -> list[FieldError]:
    """``ValidateDeploymentSpec``, in its order."""
    errors = nonnegative(spec.get("replicas"), "spec.replicas")
    errors += _selector_and_template(spec)
    errors += validate_strategy(as_dict(spec.get("strategy")))
    errors += nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds")
    errors += nonnegative(spec.get("revisionHistoryLimit"), "spec.revisionHistoryLimit")
    deadline = spec.get("progressDeadlineSeconds")
    if is_int(deadline):
        errors += nonnegative(deadline, "spec.progressDeadlineSeconds")
        min_ready = spec.get("minReadySeconds")
        if deadline <= (min_ready if is_int(min_ready) else 0):
            errors.append(invalid("spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"))
    return errors


def validate_replica_set_spec(spec: Obj) -> list[FieldError]:
    """``ValidateReplicaSetSpec`` (its empty-selector message says "deployment" upstream too)."""
    errors = nonnegative(spec.get("replicas"), "spec.replicas")
    errors += nonnegative(spec.get("minReadySeconds"), "spec.minReadySeconds")
    return errors + _selector_and_template(spec)


def _normalized_selector(selector: Any) -> Any:
    """Semantic equality: empty and missing lists/maps are the same."""
    if not isinstance(selector, dict):
        return selector
    return {k: v for k, v in selector.items() if v not in (None, {}, [])}


def immutable_selector(new: Obj, old: Obj) -> list[FieldError]:
    """apps/v1 strategies: ``spec.selector: Invalid value: v1.LabelSelector{…}: field is immutable``."""
    new_sel, old_sel = as_dict(new.get("spec")).get("selector"), as_dict(old.get("spec")).get("selector")
    if _normalized_selector(new_sel) == _normalized_selector(old_sel):
        return []
    return [invalid("spec.selector", _selector_value(new_sel), "field is immutable")]


def validate_deployment(new: Obj, old: Obj | None) -> list[FieldError]:
    meta, spec = as_dict(new.get("metadata")), as_dict(new.get("spec"))
    if old is None:
        return validate_object_meta(meta, "subdomain") + validate_deployment_spec(spec)
    errors = validate_object_meta_update(meta, as_dict(old.get("metadata")))
    return errors + validate_deployment_spec(spec) + immutable_selector(new, old)


def validate_replica_set(new: Obj, old: Obj | None) -> list[FieldError]:
    meta, spec = as_dict(new.get("metadata")), as_dict(new.get("spec"))
    if old is None:
        return validate_object_meta(meta, "subdomain") + validate_replica_set_spec(spec)
    errors = validate_object_meta_update(meta, as_dict(old.get("metadata")))
    return errors + validate_replica_set_spec(spec) + immutable_selector(new, old)
