"""The Recreate strategy (``pkg/controller/deployment/recreate.go``).

Old and new pods must never run together: scale every old ReplicaSet to 0,
wait until not a single old pod is left running (terminating pods still
count), and only then create or scale up the new ReplicaSet to ``replicas``.
The wait is why the controller also watches pods: the last old pod
disappearing changes no ReplicaSet, yet it is what unblocks the rollout.
"""

from __future__ import annotations

from cluster.controllers.deployment import util
from cluster.controllers.deployment.progress import deployment_complete, sync_rollout_status
from cluster.controllers.deployment.sync import Plan, cleanup, get_all_rss_and_sync_revision, scale_and_record
from cluster.controllers.podutil import TERMINAL_PHASES, Obj

PodMap = dict[str, list[Obj]]


def rollout_recreate(plan: Plan, pod_map: PodMap) -> None:
    new_rs, old = get_all_rss_and_sync_revision(plan, create=False)
    all_rss = [*old, new_rs] if new_rs is not None else list(old)
    if scale_down_old_for_recreate(plan, util.active_rss(old)) or old_pods_running(new_rs, old, pod_map):
        sync_rollout_status(plan, all_rss, new_rs)
        return
    if new_rs is None:
        new_rs, old = get_all_rss_and_sync_revision(plan, create=True)
        assert new_rs is not None
        all_rss = [*old, new_rs]
    scale_and_record(plan, new_rs, util.replicas(plan.deploy))
    if deployment_complete(plan.deploy, plan.deploy["status"]):
        cleanup(plan, old)
    sync_rollout_status(plan, all_rss, new_rs)


def scale_down_old_for_recreate(plan: Plan, old: list[Obj]) -> bool:
    scaled = False
    for rs in old:
        if util.replicas(rs) != 0 and scale_and_record(plan, rs, 0):
            scaled = True
    return scaled


def old_pods_running(new_rs: Obj | None, old: list[Obj], pod_map: PodMap) -> bool:
    """Any old ReplicaSet still reports pods, or any non-terminal pod of an old ReplicaSet still exists."""
    if util.actual_replicas_sum(old) > 0:
        return True
    new_uid = (new_rs or {}).get("metadata", {}).get("uid")
    for rs_uid, pods in pod_map.items():
        if new_uid is not None and rs_uid == new_uid:
            continue
        if any((pod.get("status") or {}).get("phase") not in TERMINAL_PHASES for pod in pods):
            return True
    return False
