"""The HPA's view of its target: the ``/scale`` subresource of a Deployment, ReplicaSet or StatefulSet.

The controller never reads a Deployment as such; it resolves
``scaleTargetRef`` (``apiVersion`` + ``kind``) to a resource through the REST
mapper and GETs ``<resource>/scale``: ``spec.replicas`` is the current size,
``status.selector`` (the workload's label selector as a string) picks the pods
whose metrics count. Writing goes back through the same subresource.

Simplification: the REST mapper knows the built-in scalable kinds only, so a
custom resource with a scale subresource cannot be a target.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cluster.core.labels import SelectorError, selector_string
from cluster.engine.actions import ObjKey
from cluster.engine.view import View

Obj = dict[str, Any]

# (group, kind) -> resource, for every built-in kind with a scale subresource
SCALABLE = {
    ("apps", "Deployment"): "deployments",
    ("apps", "ReplicaSet"): "replicasets",
    ("apps", "StatefulSet"): "statefulsets",
    ("", "ReplicationController"): "replicationcontrollers",
}


class ScaleError(Exception):
    """The target's scale could not be read; ``message`` is what the event and condition say."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Scale:
    """``autoscaling/v1 Scale`` of the target."""

    key: ObjKey
    replicas: int  # spec.replicas
    status_replicas: int  # status.replicas
    selector: str  # status.selector


def target_ref(hpa: Obj) -> Obj:
    return dict((hpa.get("spec") or {}).get("scaleTargetRef") or {})


def reference(hpa: Obj) -> str:
    """``Deployment/default/web``: how the controller names the target in its errors."""
    ref = target_ref(hpa)
    return f"{ref.get('kind', '')}/{(hpa.get('metadata') or {}).get('namespace', '')}/{ref.get('name', '')}"


def _group(api_version: str) -> str:
    """``schema.ParseGroupVersion``: ``apps/v1`` -> ``apps``, ``v1`` (or empty) -> the core group."""
    parts = api_version.split("/") if api_version else []
    if len(parts) > 2:
        raise ScaleError(f"unexpected GroupVersion string: {api_version}")
    return parts[0] if len(parts) == 2 else ""


def _selector(obj: Obj) -> str:
    try:
        return selector_string((obj.get("spec") or {}).get("selector"))
    except SelectorError:
        return ""


def get_scale(view: View, hpa: Obj) -> Scale:
    """GET the target's scale subresource, or raise ``ScaleError`` with the API's message."""
    ref = target_ref(hpa)
    kind, name = str(ref.get("kind") or ""), str(ref.get("name") or "")
    group = _group(str(ref.get("apiVersion") or ""))
    resource = SCALABLE.get((group, kind))
    if resource is None:
        raise ScaleError(f'no matches for kind "{kind}" in group "{group}"')
    namespace = (hpa.get("metadata") or {}).get("namespace", "")
    obj = view.get(kind, namespace, name)
    if obj is None:
        qualified = f"{resource}/scale.{group}" if group else f"{resource}/scale"
        raise ScaleError(f'{qualified} "{name}" not found')
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    replicas = int(spec["replicas"]) if spec.get("replicas") is not None else 1
    return Scale(ObjKey(kind, namespace, name), replicas, int(status.get("replicas") or 0), _selector(obj))
