"""The API server's own Service: ``default/kubernetes`` and its Endpoints come back if they are deleted.

kube-apiserver runs a controller (``controlplane/controller/kubernetesservice``)
that, every 10 seconds, makes sure the ``kubernetes`` Service in ``default``
exists and that its Endpoints and EndpointSlice list the API server. A learner who runs
``kubectl delete svc --all`` sees it return within ten seconds, as on a real
cluster.

Level-triggered without a clock of its own: a deletion wakes the reconciler,
which waits for the next 10-second tick of the simulated clock (where the real
ticker would fire) and recreates whatever is missing then. An idle sandbox has
no timer for it.
"""

from __future__ import annotations

from cluster.bootstrap import kubernetes_service
from cluster.core.objects import Obj
from cluster.engine.actions import Action, Create, ObjKey, Result
from cluster.engine.reconciler import Watch
from cluster.engine.view import View

INTERVAL_MS = 10_000
KEY = ObjKey("Service", "default", "kubernetes")


def _own(_view: View, obj: Obj) -> list[ObjKey]:
    meta = obj.get("metadata") or {}
    return [KEY] if (meta.get("namespace"), meta.get("name")) == ("default", "kubernetes") else []


class KubernetesServiceController:
    name = "kubernetes-service"
    actor = "api-server"

    def watches(self) -> list[Watch]:
        return [Watch(kind, _own, status_blind=True) for kind in ("Service", "Endpoints", "EndpointSlice")]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        wanted = kubernetes_service()
        missing = [obj for obj in wanted if view.get(obj["kind"], "default", "kubernetes") is None]
        if not missing:
            return Result()
        if now_ms % INTERVAL_MS:
            return Result(requeue_after_ms=INTERVAL_MS - now_ms % INTERVAL_MS)
        actions: list[Action] = [Create(obj) for obj in missing]
        return Result(actions)
