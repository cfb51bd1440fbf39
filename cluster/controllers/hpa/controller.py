"""The HorizontalPodAutoscaler controller (``pkg/controller/podautoscaler/horizontal.go``).

Every 15 s (``--horizontal-pod-autoscaler-sync-period``) each HPA is synced:
read the target's scale, compute a proposal per metric from the resource
metrics, stabilize and rate-limit it (``behavior``), clamp it to
[minReplicas, maxReplicas], write the new size through the target's
``/scale`` subresource, and record status, conditions and events.

Like the real controller the HPA is *not* synced when it changes: its
work-queue item is always re-added with the fixed 15 s delay, so the first
sync comes 15 s after creation and an edit is picked up at the next tick.
The reconciler reproduces that with the time of the last sync kept in the
HPA's private state: between ticks a reconcile only asks to be requeued,
which also makes it a fixed point.
"""

from __future__ import annotations

from cluster.controllers.hpa import behavior
from cluster.controllers.hpa.memory import Memory
from cluster.controllers.hpa.metrics import compute_replicas_for_metrics
from cluster.controllers.hpa.sync import COMPONENT, HpaSync
from cluster.controllers.hpa.target import ScaleError, get_scale
from cluster.controllers.podutil import parse_time_ms
from cluster.engine.actions import Obj, ObjKey, Patch, Result
from cluster.engine.reconciler import Watch, self_key
from cluster.engine.view import View

SYNC_PERIOD_MS = 15_000


def next_sync_ms(hpa: Obj, memory: Memory) -> int:
    """When this HPA is due: a sync period after the last sync, or after its creation."""
    if memory.last_sync_ms is not None:
        return int(memory.last_sync_ms) + SYNC_PERIOD_MS
    created = parse_time_ms((hpa.get("metadata") or {}).get("creationTimestamp")) or 0
    return created + SYNC_PERIOD_MS


class HorizontalPodAutoscalerController:
    name = COMPONENT
    actor = "controller-manager"

    def watches(self) -> list[Watch]:
        return [Watch("HorizontalPodAutoscaler", self_key)]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        hpa = view.get_key(key)
        if hpa is None or (hpa.get("metadata") or {}).get("deletionTimestamp"):
            return Result()
        memory = Memory.load(view.private(key), str(hpa["metadata"].get("uid", "")))
        due = next_sync_ms(hpa, memory)
        if now_ms < due:
            return Result(requeue_after_ms=due - now_ms)
        sync = HpaSync(view, hpa, memory, now_ms)
        reconcile_autoscaler(sync)
        memory.last_sync_ms = now_ms
        return Result(sync.finish(), requeue_after_ms=SYNC_PERIOD_MS)


def _min_replicas(sync: HpaSync) -> int:
    value = sync.spec.get("minReplicas")
    return 1 if value is None else int(value)


def reconcile_autoscaler(sync: HpaSync) -> None:
    """``reconcileAutoscaler``: one sync of one HPA, collected as actions on ``sync``."""
    try:
        scale = get_scale(sync.view, sync.hpa)
    except ScaleError as exc:
        sync.event("Warning", "FailedGetScale", exc.message)
        message = f"the HPA controller was unable to get the target's current scale: {exc.message}"
        sync.set_condition("AbleToScale", "False", "FailedGetScale", message)
        return
    sync.set_condition("AbleToScale", "True", "SucceededGetScale",
                       "the HPA controller was able to get the target's current scale")  # fmt: skip
    current = scale.replicas
    behavior.record_initial_recommendation(sync.memory, current, sync.now_ms)
    min_replicas, max_replicas = _min_replicas(sync), int(sync.spec.get("maxReplicas") or 0)
    statuses: list[Obj] | None = None
    if current == 0 and min_replicas != 0:
        desired, reason, rescale = 0, "", False
        sync.set_condition("ScalingActive", "False", "ScalingDisabled",
                           "scaling is disabled since the replica count of the target is zero")  # fmt: skip
    elif current > max_replicas:
        desired, reason, rescale = max_replicas, "Current number of replicas above Spec.MaxReplicas", True
    elif current < min_replicas:
        desired, reason, rescale = min_replicas, "Current number of replicas below Spec.MinReplicas", True
    else:
        result = compute_replicas_for_metrics(sync, scale)
        statuses = result.statuses
        if result.replicas == -1:
            sync.keep_replicas_set_metrics(current, statuses)
            if result.error:
                sync.event("Warning", "FailedComputeMetricsReplicas", result.error)
            return
        desired, reason = _rescale_reason(current, result.replicas, result.metric)
        desired = _normalize(sync, current, desired, min_replicas, max_replicas)
        rescale = desired != current
    if rescale:
        _rescale(sync, scale.key, current, desired, reason)
    else:
        desired = current
    sync.set_status(current, desired, statuses, rescale)


def _rescale_reason(current: int, proposal: int, metric: str) -> tuple[int, str]:
    desired = max(0, proposal)
    if desired > current:
        return desired, f"{metric if proposal > 0 else ''} above target"
    if desired < current:
        return desired, "All metrics below target"
    return desired, ""


def _normalize(sync: HpaSync, current: int, desired: int, min_replicas: int, max_replicas: int) -> int:
    spec_behavior = sync.spec.get("behavior")
    if spec_behavior is None:
        return behavior.normalize_desired_replicas(sync.memory, sync.set_condition, sync.now_ms, current, desired,
                                                   min_replicas, max_replicas)  # fmt: skip
    return behavior.normalize_with_behaviors(sync.memory, spec_behavior, sync.set_condition, sync.now_ms, current,
                                             desired, min_replicas, max_replicas)  # fmt: skip


def _rescale(sync: HpaSync, target: ObjKey, current: int, desired: int, reason: str) -> None:
    """Write the new size through ``/scale``; say so in a condition and a ``SuccessfulRescale`` event."""
    sync.actions.append(Patch(target, {"spec": {"replicas": desired}}, "merge", subresource="scale"))
    sync.set_condition("AbleToScale", "True", "SucceededRescale",
                       f"the HPA controller was able to update the target scale to {desired}")  # fmt: skip
    sync.event("Normal", "SuccessfulRescale", f"New size: {desired}; reason: {reason}")
    behavior.store_scale_event(sync.memory, sync.spec.get("behavior"), sync.now_ms, current, desired)
