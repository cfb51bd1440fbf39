"""The namespace controller: empties a terminating namespace, then finalizes it.

``kubectl delete namespace dev`` only marks it Terminating; this controller
deletes everything inside (pods still terminate gracefully) and, once the
namespace is empty, removes the ``kubernetes`` finalizer so the API server can
drop it.
"""

from __future__ import annotations

import copy

from cluster.engine.actions import Delete, ObjKey, Result, Update
from cluster.engine.reconciler import Watch, self_key
from cluster.engine.view import View

# Kinds the controller empties, in this order (dependents before owners is not needed: GC copes).
NAMESPACED_KINDS = (
    "HorizontalPodAutoscaler",
    "Ingress",
    "Deployment",
    "ReplicaSet",
    "Pod",
    "Service",
    "Endpoints",
    "EndpointSlice",
    "ConfigMap",
    "Lease",
    "Event",
)


def _namespace_of_obj(_view: View, obj: dict) -> list[ObjKey]:  # type: ignore[type-arg]
    ns = obj.get("metadata", {}).get("namespace")
    return [ObjKey("Namespace", "", ns)] if ns else []


class NamespaceController:
    name = "namespace-controller"
    actor = "controller-manager"

    def watches(self) -> list[Watch]:
        return [Watch("Namespace", self_key)] + [
            Watch(kind, _namespace_of_obj, status_blind=True) for kind in NAMESPACED_KINDS
        ]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        ns = view.get_key(key)
        if ns is None or not ns["metadata"].get("deletionTimestamp"):
            return Result()
        actions: list = []  # type: ignore[type-arg]
        remaining = 0
        for kind in NAMESPACED_KINDS:
            for obj in view.list(kind, key.name):
                remaining += 1
                if not obj["metadata"].get("deletionTimestamp"):
                    actions.append(Delete(ObjKey.of(obj), propagation="Background"))
        if remaining == 0 and (ns.get("spec") or {}).get("finalizers"):
            new = copy.deepcopy(ns)
            new["spec"]["finalizers"] = []
            actions.append(Update(new))
        return Result(actions)
