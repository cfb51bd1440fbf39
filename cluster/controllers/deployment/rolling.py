"""The RollingUpdate strategy (``pkg/controller/deployment/rolling.go``).

Each sync does *either* a scale-up of the new ReplicaSet (bounded by
``replicas + maxSurge`` pods in total) *or* a scale-down of old ones (never
below ``replicas - maxUnavailable`` available pods, unhealthy old pods first),
then reports status. Waiting for new pods to become available between the two
is what makes a 3-replica rollout at 25%/25% go one pod at a time.
"""

from __future__ import annotations

from cluster.controllers.deployment import util
from cluster.controllers.deployment.progress import deployment_complete, sync_rollout_status
from cluster.controllers.deployment.sync import (
    Plan,
    cleanup,
    get_all_rss_and_sync_revision,
    new_rs_replicas,
    scale_and_record,
)
from cluster.controllers.podutil import Obj


def rollout_rolling(plan: Plan) -> None:
    new_rs, old = get_all_rss_and_sync_revision(plan, create=True)
    assert new_rs is not None
    all_rss = [*old, new_rs]
    if reconcile_new_rs(plan, all_rss, new_rs) or reconcile_old_rss(plan, all_rss, util.active_rss(old), new_rs):
        sync_rollout_status(plan, all_rss, new_rs)
        return
    if deployment_complete(plan.deploy, plan.deploy["status"]):
        cleanup(plan, old)
    sync_rollout_status(plan, all_rss, new_rs)


def reconcile_new_rs(plan: Plan, all_rss: list[Obj], new_rs: Obj) -> bool:
    """Grow the new ReplicaSet as far as maxSurge allows (or shrink it if it exceeds ``replicas``)."""
    desired = util.replicas(plan.deploy)
    size = util.replicas(new_rs)
    if size == desired:
        return False
    if size > desired:
        return scale_and_record(plan, new_rs, desired)
    return scale_and_record(plan, new_rs, new_rs_replicas(plan.deploy, all_rss, new_rs))


def reconcile_old_rss(plan: Plan, all_rss: list[Obj], old: list[Obj], new_rs: Obj) -> bool:
    """Shrink old ReplicaSets while keeping ``replicas - maxUnavailable`` pods available."""
    if util.spec_replicas_sum(old) == 0:
        return False
    deploy = plan.deploy
    min_available = util.replicas(deploy) - util.max_unavailable(deploy)
    new_unavailable = util.replicas(new_rs) - int((new_rs.get("status") or {}).get("availableReplicas") or 0)
    max_scaled_down = util.spec_replicas_sum(all_rss) - min_available - new_unavailable
    if max_scaled_down <= 0:
        return False
    cleaned = cleanup_unhealthy_replicas(plan, old, max_scaled_down)
    scaled = scale_down_old_for_rolling_update(plan, [*old, new_rs], old)
    return cleaned + scaled > 0


def cleanup_unhealthy_replicas(plan: Plan, old: list[Obj], max_cleanup: int) -> int:
    """Drop old ReplicaSets' unavailable replicas first (oldest ReplicaSet first): they cost no availability."""
    total = 0
    for rs in sorted(old, key=util.creation_key):
        if total >= max_cleanup:
            break
        size = util.replicas(rs)
        available = int((rs.get("status") or {}).get("availableReplicas") or 0)
        if size == 0 or size == available:
            continue
        count = min(max_cleanup - total, size - available)
        scale_and_record(plan, rs, size - count)
        total += count
    return total


def scale_down_old_for_rolling_update(plan: Plan, all_rss: list[Obj], old: list[Obj]) -> int:
    """Scale old ReplicaSets (oldest first) down by however many available pods exceed the minimum."""
    deploy = plan.deploy
    min_available = util.replicas(deploy) - util.max_unavailable(deploy)
    available = util.available_replicas_sum(all_rss)
    if available <= min_available:
        return 0
    budget = available - min_available
    total = 0
    for rs in sorted(old, key=util.creation_key):
        if total >= budget:
            break
        size = util.replicas(rs)
        if size == 0:
            continue
        count = min(size, budget - total)
        scale_and_record(plan, rs, size - count)
        total += count
    return total
