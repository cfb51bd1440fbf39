"""The pod's QoS class (``status.qosClass``), computed as ``GetPodQOS`` does.

Guaranteed: every container (init containers too) sets CPU and memory
limits, and requests equal limits. BestEffort: nobody requests or limits
CPU or memory. Burstable: everything in between. Only cpu and memory count.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from cluster.core.quantity import QuantityError, parse_quantity

_TRACKED = ("cpu", "memory")


def quantity(value: Any) -> Fraction:
    """``"500m"`` → 1/2; a malformed value (rejected by validation anyway) counts as zero."""
    try:
        return parse_quantity(value)
    except QuantityError:
        return Fraction(0)


def qos_class(pod: dict[str, Any]) -> str:
    spec = pod.get("spec") or {}
    requests: dict[str, Fraction] = {}
    limits: dict[str, Fraction] = {}
    guaranteed = True
    for container in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]:
        resources = container.get("resources") or {}
        lim = {k: quantity(v) for k, v in (resources.get("limits") or {}).items() if k in _TRACKED}
        req = {k: quantity(v) for k, v in (resources.get("requests") or {}).items() if k in _TRACKED}
        req = {**lim, **req}  # requests default to limits
        for name, value in req.items():
            if value != 0:
                requests[name] = requests.get(name, Fraction(0)) + value
        for name, value in lim.items():
            if value != 0:
                limits[name] = limits.get(name, Fraction(0)) + value
        if set(_TRACKED) - {k for k, v in lim.items() if v != 0}:
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and requests == limits:
        return "Guaranteed"
    return "Burstable"
