"""Defaults for autoscaling/v2 HorizontalPodAutoscalers (``pkg/apis/autoscaling/v2/defaults.go``).

``minReplicas`` defaults to 1 and an HPA without metrics scales on 80 %
average CPU utilization. ``behavior`` is only completed when the user wrote
part of it (each direction gets its default rules, field by field); when it
is absent altogether the controller applies the defaults at run time and
nothing is stored.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]

DEFAULT_CPU_UTILIZATION = 80


def default_cpu_metric(utilization: int = DEFAULT_CPU_UTILIZATION) -> Obj:
    return {
        "type": "Resource",
        "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": utilization}},
    }


def scale_up_rules() -> Obj:
    return {
        "policies": [
            {"periodSeconds": 15, "type": "Pods", "value": 4},
            {"periodSeconds": 15, "type": "Percent", "value": 100},
        ],
        "selectPolicy": "Max",
        "stabilizationWindowSeconds": 0,
    }


def scale_down_rules() -> Obj:
    """No stabilization window is stored: the controller falls back to its 300 s flag."""
    return {"policies": [{"periodSeconds": 15, "type": "Percent", "value": 100}], "selectPolicy": "Max"}


def _complete_rules(given: Any, defaults: Obj) -> Obj:
    """``copyHPAScalingRules``: every field the user set wins over the default."""
    if not isinstance(given, dict):
        return defaults
    for key in ("selectPolicy", "stabilizationWindowSeconds", "policies"):
        if given.get(key) is not None:
            defaults[key] = given[key]
    return defaults


def default_hpa(hpa: Obj) -> None:
    spec = hpa.setdefault("spec", {})
    if spec.get("minReplicas") is None:
        spec["minReplicas"] = 1
    if not spec.get("metrics"):
        spec["metrics"] = [default_cpu_metric()]
    behavior = spec.get("behavior")
    if isinstance(behavior, dict):
        behavior["scaleUp"] = _complete_rules(behavior.get("scaleUp"), scale_up_rules())
        behavior["scaleDown"] = _complete_rules(behavior.get("scaleDown"), scale_down_rules())
