"""Node lifecycle: noticing a dead kubelet, tainting the node, evicting its pods (K8S_FACTS §3.7).

What a learner sees when a worker dies: for 50 s (``--node-monitor-grace-period``
in 1.32) nothing; then the node turns ``NotReady`` (its conditions become
``Unknown``), gets the ``node.kubernetes.io/unreachable`` NoSchedule and
NoExecute taints, and its pods turn Ready=False so Services stop sending
them traffic. The pods themselves stay until their NoExecute toleration runs
out — 300 s by default — and are then deleted; with the kubelet gone nobody
can confirm the shutdown, so they stay ``Terminating`` until the node comes
back or is deleted (then the pod garbage collector force-deletes them).

Keys: a Node key runs the node monitor (conditions, then taints derived from
them and from ``spec.unschedulable``); a Pod key runs the per-pod part
(MarkPodsNotReady and the taint-eviction manager). Conditions and taints are
written in separate passes, like the real controller's separate requests.

Simplifications: the sandbox writes no kubelet Lease every 10 s — a node's
kubelet counts as alive unless the node's private state holds
``kubeletStoppedAtMs`` (fault injection), and it is declared unreachable
exactly 50 s after that; eviction is not rate-limited per zone; pods are
marked not ready only while their node is ``Unknown`` (a live kubelet that
reports Ready=False owns its pods' status); the NoExecute eviction clock
starts at the taint's ``timeAdded`` (or the pod's scheduling, if later)
rather than at the moment the manager first saw it; the pod GC deletes pods
of a missing node at once instead of after its 40 s quarantine.
"""

from __future__ import annotations

from typing import Any

from cluster.controllers.podutil import parse_time_ms
from cluster.core.objects import Obj, clone, is_terminating, name_of, namespace_of, uid_of
from cluster.core.timefmt import rfc3339
from cluster.engine.actions import Action, Delete, ObjKey, RecordEvent, Result, Update, UpdateStatus
from cluster.engine.reconciler import Watch
from cluster.engine.view import View

NODE_MONITOR_GRACE_MS = 50_000
STOPPED_AT = "kubeletStoppedAtMs"

UNREACHABLE = "node.kubernetes.io/unreachable"
NOT_READY = "node.kubernetes.io/not-ready"
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
# Condition (type, status) -> NoSchedule taint key (TaintNodesByCondition).
CONDITION_TAINTS = {
    ("Ready", "False"): NOT_READY,
    ("Ready", "Unknown"): UNREACHABLE,
    ("MemoryPressure", "True"): "node.kubernetes.io/memory-pressure",
    ("DiskPressure", "True"): "node.kubernetes.io/disk-pressure",
    ("PIDPressure", "True"): "node.kubernetes.io/pid-pressure",
    ("NetworkUnavailable", "True"): "node.kubernetes.io/network-unavailable",
}
TaintId = tuple[str, str]  # key, effect
MANAGED_TAINTS: frozenset[TaintId] = frozenset(
    {(key, "NoSchedule") for key in CONDITION_TAINTS.values()}
    | {(UNREACHABLE, "NoExecute"), (NOT_READY, "NoExecute"), (UNSCHEDULABLE, "NoSchedule")}
)
MONITORED_CONDITIONS = ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")

TAINT_EVICTION_COMPONENT = "taint-eviction-controller"


def condition(obj: Obj, cond_type: str) -> dict[str, Any] | None:
    for cond in (obj.get("status") or {}).get("conditions") or []:
        if cond.get("type") == cond_type:
            return dict(cond)
    return None


def condition_status(obj: Obj, cond_type: str) -> str | None:
    cond = condition(obj, cond_type)
    return str(cond.get("status")) if cond is not None else None


# -- node monitor ------------------------------------------------------------------------------------------------
def unknown_conditions(node: Obj, now_ms: int) -> Obj | None:
    """The node with its monitored conditions set to Unknown, or None when they already are."""
    new: Obj = clone(node)
    conditions = new.setdefault("status", {}).setdefault("conditions", [])
    changed = False
    for cond_type in MONITORED_CONDITIONS:
        cond = next((c for c in conditions if c.get("type") == cond_type), None)
        if cond is None:
            conditions.append(_never_updated(node, cond_type, now_ms))
            changed = True
        elif cond.get("status") != "Unknown":
            cond.update(status="Unknown", reason="NodeStatusUnknown", message="Kubelet stopped posting node status.")
            cond["lastTransitionTime"] = rfc3339(now_ms)
            changed = True
    return new if changed else None


def _never_updated(node: Obj, cond_type: str, now_ms: int) -> dict[str, Any]:
    return {
        "type": cond_type,
        "status": "Unknown",
        "lastHeartbeatTime": node.get("metadata", {}).get("creationTimestamp"),
        "lastTransitionTime": rfc3339(now_ms),
        "reason": "NodeStatusNeverUpdated",
        "message": "Kubelet never posted node status.",
    }


def desired_taints(node: Obj) -> set[TaintId]:
    """The node-controller taints the node's conditions and ``spec.unschedulable`` call for."""
    wanted: set[TaintId] = set()
    for cond in (node.get("status") or {}).get("conditions") or []:
        key = CONDITION_TAINTS.get((str(cond.get("type")), str(cond.get("status"))))
        if key is not None:
            wanted.add((key, "NoSchedule"))
            if key in (UNREACHABLE, NOT_READY):
                wanted.add((key, "NoExecute"))
    if (node.get("spec") or {}).get("unschedulable"):
        wanted.add((UNSCHEDULABLE, "NoSchedule"))
    return wanted


def reconciled_taints(node: Obj, now_ms: int) -> list[dict[str, Any]] | None:
    """The node's taint list with controller taints added/removed, or None when nothing changes."""
    current = list((node.get("spec") or {}).get("taints") or [])
    wanted = desired_taints(node)
    kept = [t for t in current if (t.get("key"), t.get("effect")) not in MANAGED_TAINTS - wanted]
    have = {(t.get("key"), t.get("effect")) for t in kept}
    added = [{"key": k, "effect": e, "timeAdded": rfc3339(now_ms)} for k, e in sorted(wanted - have)]
    if len(kept) == len(current) and not added:
        return None
    return kept + added


def _with_taints(node: Obj, taints: list[dict[str, Any]]) -> Obj:
    new: Obj = clone(node)
    spec = new.setdefault("spec", {})
    if taints:
        spec["taints"] = taints
    else:
        spec.pop("taints", None)
    return new


def _node_status_change(node: Obj, status: str) -> RecordEvent:
    message = f"Node {name_of(node)} status is now: {status}"
    return RecordEvent(node, "Normal", status, message, "node-controller")


def monitor_node(view: View, node: Obj, now_ms: int) -> Result:
    stopped_at = (view.private(ObjKey.of(node)) or {}).get(STOPPED_AT)
    requeue: int | None = None
    if stopped_at is not None:
        deadline = int(stopped_at) + NODE_MONITOR_GRACE_MS
        if now_ms >= deadline:
            updated = unknown_conditions(node, now_ms)
            if updated is not None:
                actions: list[Action] = [UpdateStatus(updated)]
                if condition_status(node, "Ready") == "True":
                    actions.append(_node_status_change(node, "NodeNotReady"))
                return Result(actions)
        else:
            requeue = deadline - now_ms
    taints = reconciled_taints(node, now_ms)
    actions = [Update(_with_taints(node, taints))] if taints is not None else []
    return Result(actions, requeue_after_ms=requeue)


# -- pods: MarkPodsNotReady and the taint-eviction manager ---------------------------------------------------------
def tolerates(toleration: dict[str, Any], taint: dict[str, Any]) -> bool:
    """``Toleration.ToleratesTaint``: empty effect/key match any; operator Exists or Equal (the default)."""
    if toleration.get("effect") and toleration["effect"] != taint.get("effect"):
        return False
    if toleration.get("key") and toleration["key"] != taint.get("key"):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Exists":
        return True
    return operator == "Equal" and (toleration.get("value") or "") == (taint.get("value") or "")


def toleration_window_s(taints: list[dict[str, Any]], tolerations: list[dict[str, Any]]) -> int | None:
    """Seconds the pod may stay (0 = evict now), or None to stay forever."""
    window: int | None = None
    for taint in taints:
        match = next((t for t in tolerations if tolerates(t, taint)), None)
        if match is None:
            return 0
        seconds = match.get("tolerationSeconds")
        if seconds is not None:
            window = max(0, int(seconds)) if window is None else min(window, max(0, int(seconds)))
    return window


def _eviction_start_ms(pod: Obj, taints: list[dict[str, Any]]) -> int:
    added = [t for t in (parse_time_ms(t.get("timeAdded")) for t in taints) if t is not None]
    scheduled = parse_time_ms((condition(pod, "PodScheduled") or {}).get("lastTransitionTime"))
    return max(min(added, default=0), scheduled or 0)


def _set_pod_condition(status: dict[str, Any], cond: dict[str, Any]) -> bool:
    """``UpdatePodCondition``: replace or append; keep lastTransitionTime when the status is unchanged."""
    conditions = status.setdefault("conditions", [])
    for i, old in enumerate(conditions):
        if old.get("type") == cond["type"]:
            if old.get("status") == cond["status"]:
                cond["lastTransitionTime"] = old.get("lastTransitionTime")
            conditions[i] = {**old, **cond}
            return bool(conditions[i] != old)
    conditions.append(cond)
    return True


def _not_ready_condition(now_ms: int) -> dict[str, Any]:
    return {"type": "Ready", "status": "False", "lastTransitionTime": rfc3339(now_ms)}


def _disruption_condition(reason: str, message: str, now_ms: int) -> dict[str, Any]:
    return {
        "type": "DisruptionTarget",
        "status": "True",
        "lastTransitionTime": rfc3339(now_ms),
        "reason": reason,
        "message": message,
    }


def _eviction_due(pod: Obj, node: Obj, now_ms: int) -> tuple[bool, int | None]:
    """(evict now?, ms until the toleration runs out) for a pod on a node with NoExecute taints."""
    if is_terminating(pod):
        return False, None
    taints = [t for t in (node.get("spec") or {}).get("taints") or [] if t.get("effect") == "NoExecute"]
    if not taints:
        return False, None
    window = toleration_window_s(taints, list((pod.get("spec") or {}).get("tolerations") or []))
    if window is None:
        return False, None
    due = _eviction_start_ms(pod, taints) + window * 1000 if window else now_ms
    return (True, None) if now_ms >= due else (False, due - now_ms)


def reconcile_pod(view: View, pod: Obj, now_ms: int) -> Result:
    """MarkPodsNotReady while the node is Unknown, then NoExecute eviction once the toleration runs out.

    Order as the real controllers send it: a not-ready mark is written, then
    reported; an eviction is reported, then the DisruptionTarget condition is
    written, then the pod is deleted (both in one status write when they coincide).
    """
    node_name = (pod.get("spec") or {}).get("nodeName")
    node = view.get("Node", "", node_name) if node_name else None
    if node is None:
        return Result()
    mark_not_ready = condition_status(node, "Ready") == "Unknown" and condition_status(pod, "Ready") == "True"
    evict, wait_ms = _eviction_due(pod, node, now_ms)
    if not mark_not_ready and not evict:
        return Result(requeue_after_ms=wait_ms)  # the common case: a healthy node, nothing to write
    new: Obj = clone(pod)
    status = new.setdefault("status", {})
    events: list[Action] = []
    changed = False
    if mark_not_ready:
        changed = _set_pod_condition(status, _not_ready_condition(now_ms))
        events.append(RecordEvent(pod, "Warning", "NodeNotReady", "Node is not ready", "node-controller"))
    if not evict:
        return Result(([UpdateStatus(new)] if changed else []) + events, requeue_after_ms=wait_ms)
    message = f"Marking for deletion Pod {namespace_of(pod)}/{name_of(pod)}"
    events.append(RecordEvent(pod, "Normal", "TaintManagerEviction", message, TAINT_EVICTION_COMPONENT))
    reason, text = "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint"
    changed = _set_pod_condition(status, _disruption_condition(reason, text, now_ms)) or changed
    writes: list[Action] = [UpdateStatus(new)] if changed else []
    return Result([*events, *writes, Delete(ObjKey.of(pod), uid=uid_of(pod))])


# -- wiring --------------------------------------------------------------------------------------------------------
def _node_and_its_pods(view: View, node: Obj) -> list[ObjKey]:
    return [ObjKey.of(node), *(ObjKey.of(p) for p in view.pods_on_node(name_of(node)))]


def _bound_pod(_view: View, pod: Obj) -> list[ObjKey]:
    return [ObjKey.of(pod)] if (pod.get("spec") or {}).get("nodeName") else []


def _pods_of_node(view: View, node: Obj) -> list[ObjKey]:
    return [ObjKey.of(p) for p in view.pods_on_node(name_of(node))]


class NodeLifecycleController:
    name = "node-controller"
    actor = "controller-manager"

    def watches(self) -> list[Watch]:
        return [Watch("Node", _node_and_its_pods), Watch("Pod", _bound_pod, status_blind=True)]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        obj = view.get_key(key)
        if obj is None:
            return Result()
        if key.kind == "Node":
            return monitor_node(view, obj, now_ms)
        return reconcile_pod(view, obj, now_ms)


class PodGCController:
    """Force-deletes pods bound to a node that no longer exists (``pod-garbage-collector``).

    Like the real PodGC it first marks a still-running pod ``Failed`` with a
    ``DisruptionTarget`` condition, then deletes it with grace period 0: no
    kubelet is left to confirm a graceful shutdown.
    """

    name = "pod-garbage-collector"
    actor = "controller-manager"

    def watches(self) -> list[Watch]:
        return [Watch("Node", _pods_of_node), Watch("Pod", _bound_pod, status_blind=True)]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        pod = view.get_key(key)
        node_name = (pod.get("spec") or {}).get("nodeName") if pod is not None else None
        if pod is None or not node_name or view.get("Node", "", node_name) is not None:
            return Result()
        actions: list[Action] = []
        if (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed"):
            new: Obj = clone(pod)
            status = new.setdefault("status", {})
            status["phase"] = "Failed"
            _set_pod_condition(status, _disruption_condition("DeletionByPodGC", "PodGC: node no longer exists", now_ms))
            actions.append(UpdateStatus(new))
        actions.append(Delete(key, grace_period_seconds=0, uid=uid_of(pod)))
        return Result(actions)
