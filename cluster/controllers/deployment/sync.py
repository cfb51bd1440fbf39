"""Deployment plumbing shared by both strategies (``pkg/controller/deployment/sync.go``).

One reconcile of a Deployment is planned on working copies: the deployment
and every ReplicaSet it controls are copied once, the upstream algorithm
mutates those copies step by step exactly as the Go code mutates its objects,
and the ``Plan`` turns the result into at most one write per object (a
``Create`` or ``Update`` per ReplicaSet, one status update for the
deployment). Kubernetes issues a write at each step and lets the resulting
409s requeue the sync; applying the same steps to copies reaches the same
state in one reconcile, which is what makes it a fixed point.

The deployment's revision annotation travels with its status update, as in
Kubernetes (the Deployment status strategy keeps metadata annotations and does
not bump ``generation``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cluster.controllers.deployment import util
from cluster.controllers.podutil import Obj, format_time, is_controlled_by, is_terminating, new_controller_ref
from cluster.core.objects import clone
from cluster.engine.actions import Action, Create, Delete, ObjKey, RecordEvent, Result, Update, UpdateStatus
from cluster.engine.view import View

COMPONENT = "deployment-controller"


class SyncAborted(Exception):
    """Stop this sync after what was planned so far (Kubernetes returns an error and requeues)."""


@dataclass
class Plan:
    """Working copies of one deployment and its ReplicaSets, and the writes they add up to."""

    view: View
    original: Obj
    now_ms: int
    deploy: Obj = field(init=False)
    rss: list[Obj] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    requeue_after_ms: int | None = None
    _written: dict[str, Obj] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.deploy = clone(self.original)
        self.deploy.setdefault("status", {})

    @property
    def now(self) -> str:
        return format_time(self.now_ms)

    def adopt_replica_sets(self, owned: list[Obj]) -> None:
        self.rss = [clone(rs) for rs in owned]

    def create_rs(self, rs: Obj) -> None:
        self.rss.append(rs)
        self._written[rs["metadata"]["name"]] = rs
        self.actions.append(Create(rs))

    def update_rs(self, rs: Obj) -> None:
        """Queue a PUT of ``rs``; later changes to the same working copy ride along with it."""
        name = rs["metadata"]["name"]
        if name not in self._written:
            self._written[name] = rs
            self.actions.append(Update(rs))

    def delete_rs(self, rs: Obj) -> None:
        self.rss = [other for other in self.rss if other is not rs]
        self._written[rs["metadata"]["name"]] = rs
        self.actions.append(Delete(ObjKey.of(rs)))

    def has_pending_write(self, rs: Obj) -> bool:
        return rs["metadata"]["name"] in self._written

    def fingerprint(self) -> tuple[int, list[Obj], Obj]:
        """What a sync can change: the writes so far, ReplicaSet specs and annotations, the deployment."""
        sizes = [{"spec": rs["spec"], "annotations": rs["metadata"].get("annotations")} for rs in self.rss]
        return (
            len(self.actions),
            clone(sizes),
            clone({"status": self.deploy["status"], "meta": self.deploy["metadata"]}),
        )

    def event(self, reason: str, message: str, kind: str = "Normal") -> None:
        self.actions.append(RecordEvent(self.original, kind, reason, message, COMPONENT))

    def requeue_after(self, delay_ms: int) -> None:
        if self.requeue_after_ms is None or delay_ms < self.requeue_after_ms:
            self.requeue_after_ms = delay_ms

    def result(self) -> Result:
        actions = list(self.actions)
        before, after = self.original, self.deploy
        if (before.get("status") or {}) != after["status"] or _annotations(before) != _annotations(after):
            actions.append(UpdateStatus(after))
        return Result(actions, requeue_after_ms=self.requeue_after_ms)


def _annotations(obj: Obj) -> dict[str, str]:
    return obj.get("metadata", {}).get("annotations") or {}


# ---------------------------------------------------------------- scaling one ReplicaSet


def scale_replica_set(plan: Plan, rs: Obj, new_scale: int) -> bool:
    """``scaleReplicaSet``: set the size and the desired/max annotations; True when the size changed."""
    desired = util.replicas(plan.deploy)
    max_replicas = desired + util.max_surge(plan.deploy)
    old_scale = util.replicas(rs)
    size_changed = old_scale != new_scale
    if not size_changed and not util.replicas_annotations_need_update(rs, desired, max_replicas):
        return False
    rs["spec"]["replicas"] = new_scale
    util.set_replicas_annotations(rs, desired, max_replicas)
    plan.update_rs(rs)
    if size_changed:
        direction = "up" if old_scale < new_scale else "down"
        name = rs["metadata"]["name"]
        plan.event("ScalingReplicaSet", f"Scaled {direction} replica set {name} from {old_scale} to {new_scale}")
    return size_changed


def scale_and_record(plan: Plan, rs: Obj, new_scale: int) -> bool:
    """``scaleReplicaSetAndRecordEvent``: only touches the ReplicaSet when its size differs."""
    if util.replicas(rs) == new_scale:
        return False
    return scale_replica_set(plan, rs, new_scale)


# ---------------------------------------------------------------- the new ReplicaSet and revisions


def get_all_rss_and_sync_revision(plan: Plan, create: bool) -> tuple[Obj | None, list[Obj]]:
    """``getAllReplicaSetsAndSyncRevision``: (new ReplicaSet or None, all old ReplicaSets)."""
    new_rs = util.find_new_rs(plan.deploy, plan.rss)
    old = [rs for rs in plan.rss if rs is not new_rs]
    new_revision = util.max_revision(old) + 1
    if new_rs is not None:
        _sync_existing_new_rs(plan, new_rs, new_revision)
        return new_rs, old
    if not create:
        return None, old
    return _create_new_rs(plan, old, new_revision), old


def _sync_existing_new_rs(plan: Plan, rs: Obj, new_revision: int) -> None:
    """Bring the new ReplicaSet's annotations and minReadySeconds up to date, then the deployment's revision.

    Kubernetes does the deployment half on the next sync when it had to
    update the ReplicaSet; both halves happen here at once.
    """
    deploy = plan.deploy
    changed = util.set_new_rs_annotations(deploy, rs, new_revision, exists=True)
    min_ready = int(deploy["spec"].get("minReadySeconds") or 0)
    if int(rs["spec"].get("minReadySeconds") or 0) != min_ready:
        _set_min_ready_seconds(rs, min_ready)
        changed = True
    if changed:
        plan.update_rs(rs)
    util.set_deployment_revision(deploy, (rs["metadata"].get("annotations") or {}).get(util.REVISION, ""))
    status = deploy["status"]
    if util.has_progress_deadline(deploy) and util.get_condition(status, util.PROGRESSING) is None:
        message = f'Found new replica set "{rs["metadata"]["name"]}"'
        util.set_condition(status, util.new_condition(util.PROGRESSING, "True", util.FOUND_NEW_RS, message, plan.now))


def _set_min_ready_seconds(rs: Obj, value: int) -> None:
    if value:
        rs["spec"]["minReadySeconds"] = value
    else:
        rs["spec"].pop("minReadySeconds", None)


def new_rs_replicas(deploy: Obj, all_rss: list[Obj], new_rs: Obj) -> int:
    """``NewRSNewReplicas``: how big the new ReplicaSet may be right now.

    Simplification: a ReplicaSet counts with ``max(spec.replicas,
    status.replicas)`` rather than ``spec.replicas`` alone, so the surge slot
    an old ReplicaSet's scale-down frees is refilled only once its controller
    has actually let the pod go. Kubernetes bounds only the sum of sizes and
    may briefly run one pod too many while two ReplicaSet controllers race;
    here at most ``replicas + maxSurge`` pods are active at every instant.
    """
    desired = util.replicas(deploy)
    if util.is_recreate(deploy):
        return desired
    max_total = desired + util.max_surge(deploy)
    current = sum(max(util.replicas(rs), util.actual_replicas_sum([rs])) for rs in all_rss)
    if current >= max_total:
        return util.replicas(new_rs)
    return util.replicas(new_rs) + min(max_total - current, desired - util.replicas(new_rs))


def _build_new_rs(deploy: Obj, pod_hash: str) -> Obj:
    template = clone(deploy["spec"].get("template") or {})
    template_meta = template.setdefault("metadata", {})
    labels = {**(template_meta.get("labels") or {}), util.HASH_LABEL: pod_hash}
    template_meta["labels"] = labels
    selector = clone(deploy["spec"].get("selector") or {})
    selector["matchLabels"] = {**(selector.get("matchLabels") or {}), util.HASH_LABEL: pod_hash}
    spec: Obj = {"replicas": 0}
    _set_min_ready_seconds({"spec": spec}, int(deploy["spec"].get("minReadySeconds") or 0))
    spec.update({"selector": selector, "template": template})
    meta = deploy["metadata"]
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"{meta['name']}-{pod_hash}",
            "namespace": meta["namespace"],
            "labels": dict(labels),
            "ownerReferences": [new_controller_ref(deploy)],
        },
        "spec": spec,
    }


def _create_new_rs(plan: Plan, old: list[Obj], new_revision: int) -> Obj:
    """Create ``<deployment>-<pod-template-hash>``; on a name clash with a foreign ReplicaSet, bump collisionCount."""
    deploy = plan.deploy
    status = deploy["status"]
    pod_hash = util.pod_template_hash(deploy["spec"].get("template") or {}, status.get("collisionCount"))
    rs = _build_new_rs(deploy, pod_hash)
    clash = plan.view.get("ReplicaSet", rs["metadata"]["namespace"], rs["metadata"]["name"])
    if clash is not None:
        template = deploy["spec"].get("template")
        if is_controlled_by(clash, deploy) and util.equal_ignore_hash(template, clash["spec"].get("template")):
            return clash  # ours already (Kubernetes: AlreadyExists from a stale cache)
        status["collisionCount"] = int(status.get("collisionCount") or 0) + 1
        raise SyncAborted
    rs["spec"]["replicas"] = new_rs_replicas(deploy, [*old, rs], rs)
    util.set_new_rs_annotations(deploy, rs, new_revision, exists=False)
    plan.create_rs(rs)
    name, count = rs["metadata"]["name"], rs["spec"]["replicas"]
    if count > 0:
        plan.event("ScalingReplicaSet", f"Scaled up replica set {name} from 0 to {count}")
    util.set_deployment_revision(deploy, str(new_revision))
    if util.has_progress_deadline(deploy):
        message = f'Created new replica set "{name}"'
        util.set_condition(status, util.new_condition(util.PROGRESSING, "True", util.NEW_RS_CREATED, message, plan.now))
    return rs


# ---------------------------------------------------------------- cleanup and status


def cleanup(plan: Plan, old: list[Obj]) -> None:
    """``cleanupDeployment``: delete the oldest idle ReplicaSets beyond ``revisionHistoryLimit``."""
    deploy = plan.deploy
    if not util.has_revision_history_limit(deploy):
        return
    alive = [rs for rs in old if not is_terminating(rs)]
    excess = len(alive) - int(deploy["spec"]["revisionHistoryLimit"])
    for rs in sorted(alive, key=util.revision_key)[: max(excess, 0)]:
        if _deletable(plan, rs):
            plan.delete_rs(rs)


def _deletable(plan: Plan, rs: Obj) -> bool:
    status = rs.get("status") or {}
    if int(status.get("replicas") or 0) != 0 or util.replicas(rs) != 0 or plan.has_pending_write(rs):
        return False
    return int(rs["metadata"].get("generation") or 0) <= int(status.get("observedGeneration") or 0)


def calculate_status(deploy: Obj, all_rss: list[Obj], new_rs: Obj | None, now: str) -> Obj:
    """``calculateStatus``: counts summed over the ReplicaSets plus the Available condition.

    Zero counters are omitted, as on the wire (they are all ``omitempty``).
    """
    available = util.available_replicas_sum(all_rss)
    unavailable = max(util.spec_replicas_sum(all_rss) - available, 0)
    status: Obj = {}
    counts = {
        "observedGeneration": int(deploy["metadata"].get("generation") or 0),
        "replicas": util.actual_replicas_sum(all_rss),
        "updatedReplicas": util.actual_replicas_sum([new_rs]),
        "readyReplicas": util.ready_replicas_sum(all_rss),
        "availableReplicas": available,
        "unavailableReplicas": unavailable,
    }
    status.update({k: v for k, v in counts.items() if v})
    old_status = deploy.get("status") or {}
    if old_status.get("conditions"):
        status["conditions"] = [dict(c) for c in old_status["conditions"]]
    if old_status.get("collisionCount") is not None:
        status["collisionCount"] = old_status["collisionCount"]
    if available >= util.replicas(deploy) - util.max_unavailable(deploy):
        cond = util.new_condition(
            util.AVAILABLE, "True", util.MIN_AVAILABLE, "Deployment has minimum availability.", now
        )
    else:
        message = "Deployment does not have minimum availability."
        cond = util.new_condition(util.AVAILABLE, "False", util.MIN_UNAVAILABLE, message, now)
    util.set_condition(status, cond)
    return status


def sync_status(plan: Plan, all_rss: list[Obj], new_rs: Obj | None) -> None:
    """``syncDeploymentStatus``: recompute the status (written by ``Plan.result`` if it changed)."""
    plan.deploy["status"] = calculate_status(plan.deploy, all_rss, new_rs, plan.now)
