"""kube-scheduler as a level-triggered reconciler: one key per unbound pod.

Binding is ``POST pods/<name>/binding`` (a ``Bind`` action) plus the
``Scheduled`` event. A pod that fits nowhere gets ``PodScheduled=False``
(reason ``Unschedulable``) and a ``FailedScheduling`` warning, and is tried
again when the cluster changes — any Node change, or a bound pod going away
(deleted, or Succeeded/Failed, which frees its requests) — and on a timer.

Retry timing follows the scheduling queue: after the n-th failed attempt the
pod backs off 1 s, 2 s, 4 s, 8 s, then 10 s (``podMaxBackoffDuration``);
a cluster event during back-off waits for it to expire. The attempt count
lives in the pod's private state. Once the back-off is capped the retries
follow a fixed 10 s grid and write nothing, so a stuck pod costs no writes.
The warning is recorded again (``count`` goes up, as in ``kubectl describe``)
when the message changes, or after 5 minutes
(``podMaxInUnschedulablePodsDuration``), never on every retry.
"""

from __future__ import annotations

from typing import Any

from cluster.core.ids import stable_random
from cluster.core.objects import clone
from cluster.core.timefmt import rfc3339
from cluster.engine.actions import Action, Bind, ObjKey, RecordEvent, Result, SetPrivate, Trace, UpdateStatus
from cluster.engine.reconciler import Watch
from cluster.engine.view import View
from cluster.scheduler.cache import TERMINAL_PHASES, SchedulerCache, bound_node
from cluster.scheduler.framework import Decision, schedule_on, schedule_pod

Obj = dict[str, Any]

SCHEDULER_NAME = "default-scheduler"
INITIAL_BACKOFF_MS = 1_000
MAX_BACKOFF_MS = 10_000
REPORT_INTERVAL_MS = 5 * 60_000
NOTE_LENGTH_LIMIT = 1024


def backoff_ms(attempts: int) -> int:
    """Back-off after ``attempts`` failed attempts: 1 s doubling, capped at 10 s."""
    return int(min(INITIAL_BACKOFF_MS * 2 ** max(attempts - 1, 0), MAX_BACKOFF_MS))


CAPPED_ATTEMPTS = next(n for n in range(1, 64) if backoff_ms(n) == MAX_BACKOFF_MS)


def is_pending(pod: Obj) -> bool:
    """Unbound, not being deleted, not gated, and ours to schedule."""
    spec = pod.get("spec") or {}
    if spec.get("nodeName") or (pod.get("metadata") or {}).get("deletionTimestamp"):
        return False
    if spec.get("schedulingGates"):
        return False
    if (pod.get("status") or {}).get("phase") in TERMINAL_PHASES:
        return False
    return (spec.get("schedulerName") or SCHEDULER_NAME) == SCHEDULER_NAME


def pod_scheduled_condition(pod: Obj) -> dict[str, Any] | None:
    for cond in (pod.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "PodScheduled":
            return dict(cond)
    return None


def is_parked(pod: Obj) -> bool:
    """A pending pod whose last scheduling attempt failed (``PodScheduled=False``)."""
    cond = pod_scheduled_condition(pod)
    return is_pending(pod) and cond is not None and cond.get("status") == "False"


def truncate_message(message: str) -> str:
    """Event notes are capped at 1024 bytes (``truncateMessage``)."""
    if len(message) <= NOTE_LENGTH_LIMIT:
        return message
    return message[: NOTE_LENGTH_LIMIT - 4] + " ..."


def _pod_label(pod: Obj) -> str:
    meta = pod.get("metadata") or {}
    return f"{meta.get('namespace', '')}/{meta.get('name', '')}"


class Scheduler:
    name = SCHEDULER_NAME
    actor = "scheduler"

    def __init__(self) -> None:
        self.cache = SchedulerCache()
        self._verdicts: dict[ObjKey, tuple[tuple[int, str], Decision]] = {}

    def watches(self) -> list[Watch]:
        return [Watch("Pod", self._map_pod), Watch("Node", self._map_node)]

    # -- what to requeue ---------------------------------------------------------------------------------
    def _map_pod(self, view: View, pod: Obj) -> list[ObjKey]:
        key = ObjKey.of(pod)
        had_node = self.cache.holds(key)
        self.cache.sync_pod(view, key, is_parked)
        current = view.get_key(key)
        if current is None:
            self._verdicts.pop(key, None)
        elif is_pending(current):
            return [key]
        if had_node and not self.cache.holds(key):
            return self.parked()  # deleted or finished: its requests are free again
        return []

    def _map_node(self, view: View, _node: Obj) -> list[ObjKey]:
        if not self.cache.trusted(view):
            self.cache.attach(view, is_parked)
        self.cache.node_changed()
        return self.parked()

    def parked(self) -> list[ObjKey]:
        """Pods waiting after a failed attempt: what a cluster event moves back to the active queue."""
        return sorted(self.cache.parked)

    # -- reconcile -------------------------------------------------------------------------------------------
    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        pod = view.get_key(key)
        state = view.private(key) or {}
        if pod is None or not is_pending(pod):
            return Result([SetPrivate(key, None)] if pod is not None and state else [])
        if state:
            due = _next_attempt_ms(state, now_ms)
            if now_ms < due:
                return Result(requeue_after_ms=due - now_ms)
        decision = self.decide(view, pod, int(state.get("attempts", 0)))
        if decision.node is not None:
            return Result(_bind(key, pod, decision, state))
        return _failure(key, pod, decision, state, now_ms)

    def decide(self, view: View, pod: Obj, attempt: int) -> Decision:
        """Run one scheduling cycle against the view's nodes and bound, non-terminal pods."""
        if self.cache.trusted(view):
            return self._decide_cached(view, pod, attempt)
        nodes = view.list("Node")
        tie_break = stable_random((pod.get("metadata") or {}).get("uid", ""), "schedule", attempt)
        pods_by_node = {}
        for node in nodes:
            name = node["metadata"]["name"]
            pods_by_node[name] = [p for p in view.pods_on_node(name) if bound_node(p) == name]
        return schedule_pod(pod, nodes, pods_by_node, tie_break, infos=self.cache.infos)

    def _decide_cached(self, view: View, pod: Obj, attempt: int) -> Decision:
        """From the event-fed cache; a retry of an unschedulable pod in an unchanged cluster is free."""
        key = ObjKey.of(pod)
        inputs = (self.cache.generation, repr(pod.get("spec")))
        known = self._verdicts.get(key)
        if known is not None and known[0] == inputs:
            return known[1]
        tie_break = stable_random((pod.get("metadata") or {}).get("uid", ""), "schedule", attempt)
        decision = schedule_on(pod, self.cache.snapshot(view.list("Node")), tie_break)
        if decision.node is None:
            if len(self._verdicts) > 10_000:
                self._verdicts.clear()
            self._verdicts[key] = (inputs, decision)
        else:
            self._verdicts.pop(key, None)
        return decision


def _next_attempt_ms(state: dict[str, Any], now_ms: int) -> int:
    """When the pod leaves back-off; once capped, the next point of its 10-second grid."""
    attempts, last = int(state.get("attempts", 0)), int(state.get("lastAttemptMs", 0))
    due = last + backoff_ms(attempts)
    if attempts < CAPPED_ATTEMPTS or now_ms < due:
        return due
    return due + (now_ms - due) // MAX_BACKOFF_MS * MAX_BACKOFF_MS


def _bind(key: ObjKey, pod: Obj, decision: Decision, state: dict[str, Any]) -> list[Action]:
    node = str(decision.node)
    actions: list[Action] = [
        Trace("scheduler", "scheduler", "schedule", f"choose {node} for {_pod_label(pod)}", key, decision.summary()),
        Bind(key, node),
        RecordEvent(pod, "Normal", "Scheduled", f"Successfully assigned {_pod_label(pod)} to {node}", SCHEDULER_NAME),
    ]
    if state:
        actions.append(SetPrivate(key, None))
    return actions


def _failure(key: ObjKey, pod: Obj, decision: Decision, state: dict[str, Any], now_ms: int) -> Result:
    message = decision.message
    actions: list[Action] = []
    updated = _with_unschedulable_condition(pod, message, now_ms)
    if updated is not None:
        actions.append(UpdateStatus(updated))
    new_state = dict(state)
    if int(state.get("attempts", 0)) < CAPPED_ATTEMPTS:
        new_state.update(attempts=int(state.get("attempts", 0)) + 1, lastAttemptMs=now_ms)
    stale = now_ms - int(state.get("eventMs", now_ms - REPORT_INTERVAL_MS)) >= REPORT_INTERVAL_MS
    if state.get("message") != message or stale:
        actions.append(RecordEvent(pod, "Warning", "FailedScheduling", truncate_message(message), SCHEDULER_NAME))
        new_state.update(message=message, eventMs=now_ms)
    if new_state != state:
        actions.append(SetPrivate(key, new_state))
    due = _next_attempt_ms(new_state, now_ms)
    if due <= now_ms:
        due += MAX_BACKOFF_MS
    return Result(actions, requeue_after_ms=due - now_ms)


def _with_unschedulable_condition(pod: Obj, message: str, now_ms: int) -> Obj | None:
    """The pod with ``PodScheduled=False/Unschedulable``; None when that is already its condition."""
    current = pod_scheduled_condition(pod)
    if current and (current.get("status"), current.get("reason"), current.get("message")) == (
        "False",
        "Unschedulable",
        message,
    ):
        return None
    keep_time = current is not None and current.get("status") == "False" and current.get("lastTransitionTime")
    condition = {
        "type": "PodScheduled",
        "status": "False",
        "lastProbeTime": None,
        "lastTransitionTime": current["lastTransitionTime"] if current and keep_time else rfc3339(now_ms),
        "reason": "Unschedulable",
        "message": message,
    }
    updated: Obj = clone(pod)
    status = updated.setdefault("status", {})
    conditions = [c for c in status.get("conditions") or [] if c.get("type") != "PodScheduled"]
    status["conditions"] = [*conditions, condition]
    status.setdefault("phase", "Pending")
    return updated
