"""Kind-specific validation with Kubernetes 1.32's field paths and messages.

``validate_object(new, old)`` dispatches on ``kind`` (``old`` is None on
create) and returns ``FieldError``s; the API server turns a non-empty list
into the 422 ``The Deployment "web" is invalid: …`` error. The object name
itself is checked by the API server with the kind's name rule; labels,
annotations, ``generateName`` and everything below ``spec`` are checked here.
Objects are expected to be defaulted already, as in Kubernetes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cluster.apiserver.validation.apps import validate_deployment, validate_replica_set
from cluster.apiserver.validation.autoscaling import validate_hpa
from cluster.apiserver.validation.conversion import convert_hpa_v1_to_v2, convert_hpa_v2_to_v1
from cluster.apiserver.validation.core import (
    validate_config_map,
    validate_endpoint_slice,
    validate_endpoints,
    validate_event,
    validate_lease,
    validate_namespace,
    validate_node,
    validate_secret,
)
from cluster.apiserver.validation.networking import validate_ingress
from cluster.apiserver.validation.pod import validate_pod, validate_pod_update
from cluster.apiserver.validation.service import validate_service
from cluster.core.errors import FieldError

Obj = dict[str, Any]
Validator = Callable[[Obj, "Obj | None"], list[FieldError]]

__all__ = ["convert_hpa_v1_to_v2", "convert_hpa_v2_to_v1", "validate_object"]


def _pod(new: Obj, old: Obj | None) -> list[FieldError]:
    return validate_pod(new) if old is None else validate_pod_update(new, old)


_VALIDATORS: dict[str, Validator] = {
    "Pod": _pod,
    "Deployment": validate_deployment,
    "ReplicaSet": validate_replica_set,
    "Service": validate_service,
    "Namespace": validate_namespace,
    "Node": validate_node,
    "ConfigMap": validate_config_map,
    "Secret": validate_secret,
    "Endpoints": validate_endpoints,
    "EndpointSlice": validate_endpoint_slice,
    "Event": validate_event,
    "Lease": validate_lease,
    "HorizontalPodAutoscaler": validate_hpa,
    "Ingress": validate_ingress,
}


def validate_object(new: Obj, old: Obj | None = None) -> list[FieldError]:
    """Validation errors for ``new`` (``old``: the stored object on update); unknown kinds pass."""
    validator = _VALIDATORS.get(str(new.get("kind", "")))
    return validator(new, old) if validator else []
