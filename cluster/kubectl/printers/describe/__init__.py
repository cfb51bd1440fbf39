"""``kubectl describe``: pure text from an object, the objects it needs, and its events.

``related`` carries what kubectl would have fetched alongside the object:
``{"ReplicaSet": [...]}`` for a Deployment, ``{"Pod": [...]}`` for a ReplicaSet
or Node (plus an optional ``"Lease"``), ``{"EndpointSlice": [...]}`` (or
``{"Endpoints": [...]}``) for a Service, ``{"Service": [...], "EndpointSlice":
[...]}`` for an Ingress, ``{"ResourceQuota"/"LimitRange": [...]}`` for a
Namespace. ``events`` are the events about the object (``None`` = ``--show-events=false``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cluster.kubectl.printers.describe.misc import (
    describe_configmap,
    describe_generic,
    describe_hpa,
    describe_namespace,
    describe_secret,
)
from cluster.kubectl.printers.describe.network import (
    describe_endpoints,
    describe_endpointslice,
    describe_ingress,
    describe_service,
)
from cluster.kubectl.printers.describe.node import describe_node
from cluster.kubectl.printers.describe.pod import describe_pod
from cluster.kubectl.printers.describe.workloads import describe_deployment, describe_replicaset

Obj = dict[str, Any]
Related = dict[str, list[Obj]]
_Describer = Callable[[Obj, Related, "list[Obj] | None", int], str]

_DESCRIBERS: dict[str, _Describer] = {
    "Pod": lambda obj, related, events, now: describe_pod(obj, events, now),
    "Deployment": lambda obj, related, events, now: describe_deployment(
        obj, related.get("ReplicaSet") or [], events, now
    ),
    "ReplicaSet": lambda obj, related, events, now: describe_replicaset(obj, related.get("Pod") or [], events, now),
    "Service": describe_service,
    "Ingress": describe_ingress,
    "Node": describe_node,
    "Namespace": lambda obj, related, events, now: describe_namespace(obj, related),
    "HorizontalPodAutoscaler": lambda obj, related, events, now: describe_hpa(obj, events, now),
    "ConfigMap": lambda obj, related, events, now: describe_configmap(obj, events, now),
    "Secret": lambda obj, related, events, now: describe_secret(obj),
    "Endpoints": lambda obj, related, events, now: describe_endpoints(obj, events, now),
    "EndpointSlice": lambda obj, related, events, now: describe_endpointslice(obj, events, now),
}


def describe(kind: str, obj: Obj, related: Related | None, events: list[Obj] | None, now_ms: int) -> str:
    """The text of ``kubectl describe <kind> <name>`` (ends with a newline)."""
    describer = _DESCRIBERS.get(kind)
    if describer is None:
        return describe_generic(obj, events, now_ms)
    return describer(obj, related or {}, events, now_ms)


__all__ = [
    "describe",
    "describe_configmap",
    "describe_deployment",
    "describe_endpoints",
    "describe_endpointslice",
    "describe_generic",
    "describe_hpa",
    "describe_ingress",
    "describe_namespace",
    "describe_node",
    "describe_pod",
    "describe_replicaset",
    "describe_secret",
    "describe_service",
]
