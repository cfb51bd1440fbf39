"""Server-side defaulting: the fields Kubernetes fills in before validating and storing an object.

``default_object`` dispatches on ``kind`` and mutates the object in place.
It is what turns the seven lines of ``kubectl run nginx --image=nginx`` into
the long pod learners see in ``kubectl get pod nginx -o yaml``: versioned
defaults (``pkg/apis/*/v1/defaults.go``) plus, for pods, the mutations of
the default admission plugins. Running it twice changes nothing, so the API
server may apply it on create and on update alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cluster.apiserver.defaults.admission import default_pod_only
from cluster.apiserver.defaults.apps import default_deployment, default_replica_set
from cluster.apiserver.defaults.autoscaling import default_hpa
from cluster.apiserver.defaults.core import (
    default_endpoint_slice,
    default_endpoints,
    default_namespace,
    default_node,
    default_secret,
    default_service,
    no_defaults,
)
from cluster.apiserver.defaults.networking import default_ingress
from cluster.apiserver.defaults.pod import default_container, default_pod_spec, default_pull_policy

Obj = dict[str, Any]

__all__ = ["default_container", "default_object", "default_pod", "default_pod_spec", "default_pull_policy"]


def default_pod(pod: Obj, suffix: Callable[[], str] | None = None) -> None:
    """PodSpec defaults, then Pod-only defaults and admission (``suffix`` names the token volume)."""
    default_pod_spec(pod.setdefault("spec", {}))
    default_pod_only(pod, suffix)


_DEFAULTERS: dict[str, Callable[[Obj], None]] = {
    "Pod": default_pod,
    "Deployment": default_deployment,
    "ReplicaSet": default_replica_set,
    "Service": default_service,
    "Namespace": default_namespace,
    "Node": default_node,
    "Endpoints": default_endpoints,
    "EndpointSlice": default_endpoint_slice,
    "Secret": default_secret,
    "HorizontalPodAutoscaler": default_hpa,
    "Ingress": default_ingress,
    "ConfigMap": no_defaults,
    "Event": no_defaults,
    "Lease": no_defaults,
}


def default_object(obj: Obj, suffix: Callable[[], str] | None = None) -> None:
    """Apply the server-side defaults of ``obj['kind']`` in place; unknown kinds are left alone.

    ``suffix`` supplies the 5 characters of a new pod's ``kube-api-access-``
    volume; by default they are derived from the pod's namespace and name.
    """
    kind = obj.get("kind", "")
    if kind == "Pod":
        default_pod(obj, suffix)
        return
    defaulter = _DEFAULTERS.get(str(kind))
    if defaulter is not None:
        defaulter(obj)
