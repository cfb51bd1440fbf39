"""The Deployment controller: declarative rollouts on top of ReplicaSets.

``syncDeployment`` from ``pkg/controller/deployment/deployment_controller.go``:
claim the ReplicaSets (adopt orphans that match, release those that stopped
matching), then, in this order — a deployment being deleted only gets its
status refreshed; Progressing is marked on pause/resume; a paused deployment
or a change of ``spec.replicas`` is handled by resizing (``sync``); anything
else is a rollout by the deployment's strategy. Pods are never touched: the
controller only resizes ReplicaSets and lets the ReplicaSet controller act.

One reconcile runs ``syncDeployment`` on the working copies until it stops
changing anything. Kubernetes gets the same sequence from consecutive syncs
(each ReplicaSet write requeues the deployment at once): the sync that
creates the new ReplicaSet may also scale an old one down, and the next one
then scales the new ReplicaSet up again. Folding them keeps the scale-up /
scale-down alternation, the bounds and the events, and makes every reconcile
a fixed point once its writes are applied.

Simplification: adopting or releasing a ReplicaSet ends the reconcile (the
ReplicaSet's change requeues the deployment at once), where Kubernetes would
carry on and usually hit a conflict writing the same ReplicaSet.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from cluster.controllers.deployment import util
from cluster.controllers.deployment.progress import check_paused_conditions
from cluster.controllers.deployment.recreate import PodMap, rollout_recreate
from cluster.controllers.deployment.rolling import rollout_rolling
from cluster.controllers.deployment.scale import is_scaling_event, sync
from cluster.controllers.deployment.sync import COMPONENT, Plan, SyncAborted, get_all_rss_and_sync_revision, sync_status
from cluster.controllers.podutil import Obj, claim, controller_ref, is_terminating, labels_of, selector_matches
from cluster.engine.actions import ObjKey, Result
from cluster.engine.reconciler import Watch, self_key
from cluster.engine.view import View

PodMapSource = Callable[[], PodMap]
# Each sync changes at least one ReplicaSet size, so a handful always reaches the fixed point.
MAX_SYNCS_PER_RECONCILE = 10


class DeploymentController:
    name = COMPONENT
    actor = "controller-manager"

    def watches(self) -> list[Watch]:
        return [
            Watch("Deployment", self_key),
            Watch("ReplicaSet", replica_set_deployments),
            Watch("Pod", pod_deployments, status_blind=True),
        ]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        deploy = view.get_key(key)
        if deploy is None:
            return Result()
        selector = deploy.get("spec", {}).get("selector")
        candidates = view.list("ReplicaSet", key.namespace)
        claimed = claim(deploy, candidates, lambda rs: selector_matches(selector, labels_of(rs)))
        if claimed.patches:
            return Result(list(claimed.patches))
        plan = Plan(view, deploy, now_ms)
        plan.adopt_replica_sets(claimed.owned)
        with contextlib.suppress(SyncAborted):  # Kubernetes returns an error here and the sync requeues
            for _ in range(MAX_SYNCS_PER_RECONCILE):
                before = plan.fingerprint()
                plan.requeue_after_ms = None
                _sync_deployment(plan, lambda: pod_map(view, deploy, plan.rss))
                if plan.fingerprint() == before:
                    break
        return plan.result()


def _sync_deployment(plan: Plan, pods: PodMapSource) -> None:
    deploy = plan.deploy
    if is_terminating(deploy):
        new_rs, old = get_all_rss_and_sync_revision(plan, create=False)
        sync_status(plan, [*old, new_rs] if new_rs else old, new_rs)
        return
    check_paused_conditions(plan)
    if deploy["spec"].get("paused") or is_scaling_event(plan):
        sync(plan)
    elif util.is_recreate(deploy):
        rollout_recreate(plan, pods())
    else:
        rollout_rolling(plan)


# ---------------------------------------------------------------- pods grouped by ReplicaSet (for Recreate)


def pod_map(view: View, deploy: Obj, rss: list[Obj]) -> PodMap:
    """``getPodMapForDeployment``: pods selected by the deployment, grouped by controlling ReplicaSet uid.

    Inactive pods are included: Recreate must see a terminating old pod.
    """
    selector = deploy.get("spec", {}).get("selector")
    grouped: PodMap = {rs["metadata"]["uid"]: [] for rs in rss if rs["metadata"].get("uid")}
    for pod in view.list("Pod", deploy["metadata"]["namespace"]):
        ref = controller_ref(pod)
        if ref is not None and ref.get("uid") in grouped and selector_matches(selector, labels_of(pod)):
            grouped[str(ref["uid"])].append(pod)
    return grouped


# ---------------------------------------------------------------- watch mapping


def replica_set_deployments(view: View, rs: Obj) -> list[ObjKey]:
    """The ReplicaSet's controlling Deployment; for an orphan, every Deployment that could adopt it."""
    namespace = rs.get("metadata", {}).get("namespace", "")
    ref = controller_ref(rs)
    if ref is not None:
        if ref.get("kind") != "Deployment":
            return []
        return [ObjKey("Deployment", namespace, str(ref.get("name", "")))]
    return [ObjKey.of(d) for d in view.list("Deployment", namespace) if _could_adopt(d, rs)]


def _could_adopt(deploy: Obj, rs: Obj) -> bool:
    selector = deploy.get("spec", {}).get("selector") or {}
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        return False
    return selector_matches(selector, labels_of(rs))


def pod_deployments(view: View, pod: Obj) -> list[ObjKey]:
    """A pod's change matters only to a Recreate deployment waiting for its old pods to go."""
    namespace = pod.get("metadata", {}).get("namespace", "")
    ref = controller_ref(pod)
    if ref is None or ref.get("kind") != "ReplicaSet":
        return []
    rs = view.get("ReplicaSet", namespace, str(ref.get("name", "")))
    owner = controller_ref(rs) if rs is not None else None
    if owner is None or owner.get("kind") != "Deployment":
        return []
    deploy = view.get("Deployment", namespace, str(owner.get("name", "")))
    if deploy is None or not util.is_recreate(deploy):
        return []
    return [ObjKey.of(deploy)]
