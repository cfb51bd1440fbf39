"""The ingress controller's control loop: publish an address on each Ingress it serves.

ingress-nginx watches Ingresses of its class, rebuilds its nginx
configuration, records ``Normal Sync Scheduled for sync`` on each change and
publishes where it can be reached in ``status.loadBalancer.ingress`` — on a
minikube-style cluster, the IP of the node it runs on — so ``kubectl get
ingress`` shows an ADDRESS. The sandbox's controller listens on every node
(and ``localhost:80``); the address it publishes is the first Ready worker's.

Simplification: the controller itself is not a pod in ``ingress-nginx``;
it is drawn as part of the nodes.
"""

from __future__ import annotations

from cluster.core.objects import Obj, clone, name_of
from cluster.engine.actions import Action, ObjKey, RecordEvent, Result, SetPrivate, UpdateStatus
from cluster.engine.reconciler import Watch, self_key
from cluster.engine.view import View
from cluster.networking.addresses import node_ip, node_ready
from cluster.networking.ingress import served

COMPONENT = "nginx-ingress-controller"
ACTOR = "ingress-nginx"


def published_address(view: View) -> str:
    nodes = view.list("Node")
    workers = [n for n in nodes if "node-role.kubernetes.io/control-plane" not in (n["metadata"].get("labels") or {})]
    for node in sorted(workers or nodes, key=name_of):
        if node_ready(node) and node_ip(node):
            return node_ip(node)
    return next((node_ip(n) for n in nodes if node_ip(n)), "")


def _ingress_keys(view: View, _node: Obj) -> list[ObjKey]:
    return [ObjKey.of(i) for i in view.list("Ingress")]


class IngressController:
    name = COMPONENT
    actor = ACTOR

    def watches(self) -> list[Watch]:
        return [Watch("Ingress", self_key), Watch("Node", _ingress_keys)]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        ingress = view.get_key(key)
        if ingress is None or ingress["metadata"].get("deletionTimestamp") or not served(ingress):
            return Result()
        actions: list[Action] = []
        generation = int(ingress["metadata"].get("generation") or 1)
        private = view.private(key) or {}
        if private.get("syncedGeneration") != generation:
            actions.append(RecordEvent(ingress, "Normal", "Sync", "Scheduled for sync", COMPONENT))
            actions.append(SetPrivate(key, {**private, "syncedGeneration": generation}))
        address = published_address(view)
        wanted = {"ingress": [{"ip": address}]} if address else {}
        if ((ingress.get("status") or {}).get("loadBalancer") or {}) != wanted:
            updated = clone(ingress)
            updated.setdefault("status", {})["loadBalancer"] = wanted
            actions.append(UpdateStatus(updated))
        return Result(actions, actor=ACTOR)
