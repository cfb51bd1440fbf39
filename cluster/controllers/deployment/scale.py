"""Scaling events and paused deployments (``sync`` and ``scale`` in ``sync.go``).

When only ``spec.replicas`` changed, or the deployment is paused, nothing is
rolled out: the ReplicaSets are resized. With a single active ReplicaSet it
simply takes the new size; mid-rollout the difference is spread over the
active ReplicaSets in proportion to their size (largest first, leftovers to
the largest), using each one's ``max-replicas`` annotation as the size the
deployment had when it was last scaled.
"""

from __future__ import annotations

from cluster.controllers.deployment import util
from cluster.controllers.deployment.sync import (
    Plan,
    cleanup,
    get_all_rss_and_sync_revision,
    scale_and_record,
    scale_replica_set,
    sync_status,
)
from cluster.controllers.podutil import Obj


def is_scaling_event(plan: Plan) -> bool:
    """Some active ReplicaSet was sized for a different ``spec.replicas`` (its desired-replicas annotation)."""
    new_rs, old = get_all_rss_and_sync_revision(plan, create=False)
    desired = util.replicas(plan.deploy)
    for rs in util.active_rss([*old, new_rs]):
        annotated = util.desired_replicas_annotation(rs)
        if annotated is not None and annotated != desired:
            return True
    return False


def sync(plan: Plan) -> None:
    """``sync``: scaling and paused deployments — resize ReplicaSets, never roll out."""
    new_rs, old = get_all_rss_and_sync_revision(plan, create=False)
    scale(plan, new_rs, old)
    if plan.deploy["spec"].get("paused"):
        cleanup(plan, old)
    sync_status(plan, [*old, new_rs] if new_rs else old, new_rs)


def scale(plan: Plan, new_rs: Obj | None, old: list[Obj]) -> None:
    """``scale``: one active ReplicaSet takes it all; otherwise spread the change proportionally."""
    deploy = plan.deploy
    desired = util.replicas(deploy)
    active_or_latest = _find_active_or_latest(new_rs, old)
    if active_or_latest is not None:
        if util.replicas(active_or_latest) != desired:
            scale_and_record(plan, active_or_latest, desired)
        return
    if util.is_saturated(deploy, new_rs):
        for rs in util.active_rss(old):
            scale_and_record(plan, rs, 0)
        return
    if util.is_rolling_update(deploy):
        _scale_proportionally(plan, util.active_rss([*old, new_rs]))


def _find_active_or_latest(new_rs: Obj | None, old: list[Obj]) -> Obj | None:
    if new_rs is None and not old:
        return None
    newest_first = sorted(old, key=util.creation_key, reverse=True)
    active = util.active_rss([*newest_first, new_rs])
    if len(active) == 1:
        return active[0]
    if not active:
        return new_rs if new_rs is not None else newest_first[0]
    return None


def _scale_proportionally(plan: Plan, active: list[Obj]) -> None:
    deploy = plan.deploy
    desired = util.replicas(deploy)
    allowed = desired + util.max_surge(deploy) if desired > 0 else 0
    to_add = allowed - util.spec_replicas_sum(active)
    if to_add > 0:  # larger first; among equals, newer first when growing …
        active = sorted(active, key=util.creation_key, reverse=True)
        active = sorted(active, key=util.replicas, reverse=True)
    elif to_add < 0:  # … and older first when shrinking
        active = sorted(sorted(active, key=util.creation_key), key=util.replicas, reverse=True)
    sizes: list[int] = []
    added = 0
    for rs in active:
        proportion = replica_set_proportion(rs, deploy, to_add, added) if to_add else 0
        sizes.append(util.replicas(rs) + proportion)
        added += proportion
    for index, rs in enumerate(active):
        if index == 0 and to_add:
            sizes[0] = max(sizes[0] + to_add - added, 0)  # leftovers go to the largest
        scale_replica_set(plan, rs, sizes[index])


def replica_set_proportion(rs: Obj, deploy: Obj, to_add: int, added: int) -> int:
    """``GetReplicaSetProportion``: this ReplicaSet's share of ``to_add``, never beyond what is left."""
    if util.replicas(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = _replica_set_fraction(rs, deploy)
    allowed = to_add - added
    return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)


def _replica_set_fraction(rs: Obj, deploy: Obj) -> int:
    size = util.replicas(rs)
    desired = util.replicas(deploy)
    if desired == 0:
        return -size
    max_now = desired + util.max_surge(deploy)
    max_before = util.max_replicas_annotation(rs) or 0
    if max_before == 0:
        max_before = int((deploy.get("status") or {}).get("replicas") or 0)
        if max_before == 0:
            return 0
    return _round_half_away(size * max_now / max_before) - size


def _round_half_away(value: float) -> int:
    """``integer.RoundToInt32``."""
    return int(value + 0.5) if value >= 0 else int(value - 0.5)
