"""The Progressing condition and progress deadlines (``pkg/controller/deployment/progress.go``).

``kubectl rollout status`` fails with "exceeded its progress deadline" only
because this condition flips to ``ProgressDeadlineExceeded``; a learner who
deploys an image that never becomes ready waits ``progressDeadlineSeconds``
(600 by default) of simulated time for it. Any sign of progress (more updated,
ready or available pods, fewer old ones) moves ``lastUpdateTime`` forward, and
the deadline is measured from there; a timer brings the deployment back when
the deadline would pass with nothing happening.
"""

from __future__ import annotations

from cluster.controllers.deployment import util
from cluster.controllers.deployment.sync import Plan, calculate_status
from cluster.controllers.podutil import Obj, parse_time_ms


def check_paused_conditions(plan: Plan) -> None:
    """``checkPausedConditions``: mark Progressing Unknown on pause/resume, so a pause never times out."""
    deploy = plan.deploy
    if not util.has_progress_deadline(deploy):
        return
    status = deploy["status"]
    cond = util.get_condition(status, util.PROGRESSING)
    if cond is not None and cond.get("reason") == util.TIMED_OUT:
        return  # a reported lack of progress is not overwritten by a pause
    paused = bool(deploy["spec"].get("paused"))
    paused_cond = cond is not None and cond.get("reason") == util.PAUSED
    if paused and not paused_cond:
        new = util.new_condition(util.PROGRESSING, "Unknown", util.PAUSED, "Deployment is paused", plan.now)
    elif not paused and paused_cond:
        new = util.new_condition(util.PROGRESSING, "Unknown", util.RESUMED, "Deployment is resumed", plan.now)
    else:
        return
    util.set_condition(status, new)


def deployment_complete(deploy: Obj, status: Obj) -> bool:
    """All replicas updated, present and available, and the latest spec observed."""
    desired = util.replicas(deploy)
    return (
        int(status.get("updatedReplicas") or 0) == desired
        and int(status.get("replicas") or 0) == desired
        and int(status.get("availableReplicas") or 0) == desired
        and int(status.get("observedGeneration") or 0) >= int(deploy["metadata"].get("generation") or 0)
    )


def deployment_progressing(old: Obj, new: Obj) -> bool:
    """``DeploymentProgressing``: more updated/ready/available pods, or fewer old ones, than last time."""

    def count(status: Obj, field: str) -> int:
        return int(status.get(field) or 0)

    old_old = count(old, "replicas") - count(old, "updatedReplicas")
    new_old = count(new, "replicas") - count(new, "updatedReplicas")
    return (
        count(new, "updatedReplicas") > count(old, "updatedReplicas")
        or new_old < old_old
        or count(new, "readyReplicas") > count(old, "readyReplicas")
        or count(new, "availableReplicas") > count(old, "availableReplicas")
    )


def _deadline_ms(deploy: Obj, cond: Obj) -> int | None:
    last_update = parse_time_ms(cond.get("lastUpdateTime"))
    if last_update is None:
        return None
    return last_update + int(deploy["spec"]["progressDeadlineSeconds"]) * 1000


def deployment_timed_out(deploy: Obj, status: Obj, now_ms: int) -> bool:
    """``DeploymentTimedOut``: no progress since the Progressing condition's lastUpdateTime + deadline."""
    if not util.has_progress_deadline(deploy):
        return False
    cond = util.get_condition(status, util.PROGRESSING)
    if cond is None or cond.get("reason") == util.NEW_RS_AVAILABLE:
        return False
    if cond.get("reason") == util.TIMED_OUT:
        return True
    deadline = _deadline_ms(deploy, cond)
    return deadline is not None and deadline < now_ms


def _rs_message(deploy: Obj, new_rs: Obj | None, text: str) -> str:
    if new_rs is not None:
        return f'ReplicaSet "{new_rs["metadata"]["name"]}" {text}'
    return f'Deployment "{deploy["metadata"]["name"]}" {text}'


def sync_rollout_status(plan: Plan, all_rss: list[Obj], new_rs: Obj | None) -> None:
    """``syncRolloutStatus``: the new status with Progressing updated, plus a timer for the deadline."""
    deploy, now = plan.deploy, plan.now
    old_status = deploy["status"]
    status = calculate_status(deploy, all_rss, new_rs, now)
    has_deadline = util.has_progress_deadline(deploy)
    if not has_deadline:
        util.remove_condition(status, util.PROGRESSING)
    current = util.get_condition(old_status, util.PROGRESSING)
    already_complete = (
        int(status.get("replicas") or 0) == int(status.get("updatedReplicas") or 0)
        and current is not None
        and current.get("reason") == util.NEW_RS_AVAILABLE
    )
    if has_deadline and not already_complete:
        _update_progressing(plan, old_status, status, current, new_rs)
    util.remove_condition(status, util.REPLICA_FAILURE)
    deploy["status"] = status
    _requeue_stuck(plan, current, status)


def _update_progressing(plan: Plan, old_status: Obj, status: Obj, current: Obj | None, new_rs: Obj | None) -> None:
    deploy, now = plan.deploy, plan.now
    if deployment_complete(deploy, status):
        message = _rs_message(deploy, new_rs, "has successfully progressed.")
        util.set_condition(status, util.new_condition(util.PROGRESSING, "True", util.NEW_RS_AVAILABLE, message, now))
    elif deployment_progressing(old_status, status):
        message = _rs_message(deploy, new_rs, "is progressing.")
        cond = util.new_condition(util.PROGRESSING, "True", util.RS_UPDATED, message, now)
        if current is not None:
            if current.get("status") == "True":
                cond["lastTransitionTime"] = current.get("lastTransitionTime")
            util.remove_condition(status, util.PROGRESSING)
        util.set_condition(status, cond)
    elif deployment_timed_out(deploy, status, plan.now_ms):
        message = _rs_message(deploy, new_rs, "has timed out progressing.")
        util.set_condition(status, util.new_condition(util.PROGRESSING, "False", util.TIMED_OUT, message, now))


def _requeue_stuck(plan: Plan, current: Obj | None, status: Obj) -> None:
    """``requeueStuckDeployment``: look again one second after the deadline would pass without progress."""
    deploy = plan.deploy
    cond = util.get_condition(status, util.PROGRESSING) or current
    if not util.has_progress_deadline(deploy) or cond is None:
        return
    if deployment_complete(deploy, status) or cond.get("reason") in (util.TIMED_OUT, util.NEW_RS_AVAILABLE):
        return
    deadline = _deadline_ms(deploy, cond)
    if deadline is not None:
        plan.requeue_after(max(deadline - plan.now_ms, 0) + 1000)
