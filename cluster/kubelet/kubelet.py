"""The simulated kubelet: one reconciler standing for the kubelet on every node.

For a pod bound to a node it admits the pod (sandbox, IP), walks each
container through its stages (``stages``), handles graceful termination
(``termination``) and posts the status a real kubelet would
(``status``). For a node it reports healthy conditions again once its
kubelet runs after a fault. Everything it must remember lives in private
state (``state``), so a restarted worker resumes where it stopped; every
result is attributed to ``kubelet:<node>`` in the trace.

A node's kubelet is stopped while the node's private state carries
``kubeletStoppedAtMs`` (set by fault injection): then its pods and the node
are left exactly as they are.
"""

from __future__ import annotations

from typing import Any

from cluster.core.ids import stable_random
from cluster.core.objects import Obj, clone
from cluster.engine.actions import Action, Delete, ObjKey, RecordEvent, Result, SetPrivate, UpdateStatus
from cluster.engine.reconciler import Watch
from cluster.engine.view import View
from cluster.kubelet import nodestatus
from cluster.kubelet.ipam import allocate
from cluster.kubelet.runtime import cri
from cluster.kubelet.stages import Step, advance
from cluster.kubelet.state import PRIVATE_KEY, PodState, all_records, new_record, pod_due
from cluster.kubelet.status import render_status
from cluster.kubelet.termination import terminate

COMPONENT = "kubelet"
REGISTRY_KEY = ObjKey("ImageRegistry", "", "docker.io")
SANDBOX_RETRY_MS = 10_000


def node_key(node: str) -> ObjKey:
    return ObjKey("Node", "", node)


def kubelet_stopped(view: View, node: str) -> bool:
    return (view.private(node_key(node)) or {}).get("kubeletStoppedAtMs") is not None


def _pushed_images(view: View) -> dict[str, Any] | None:
    registry = view.private(REGISTRY_KEY) or {}
    images = registry.get("images")
    return images if isinstance(images, dict) else None


def same_ignoring_none(a: Any, b: Any) -> bool:
    """Equal once ``None`` members of mappings are dropped, so a status that went through JSON compares equal.

    Walks both values in step and stops at the first difference (no
    canonical copies are built); list items keep their ``None`` values.
    """
    if isinstance(a, dict) and isinstance(b, dict):
        present = [k for k, v in a.items() if v is not None]
        if len(present) != sum(1 for v in b.values() if v is not None):
            return False
        return all(k in b and same_ignoring_none(a[k], b[k]) for k in present)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same_ignoring_none(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


# -- admission -------------------------------------------------------------------------------------------------
class IpsInUse:
    """The pod IPs on a node held by pods other than the one being admitted (``ip in ...``).

    Asked per candidate address, through the view's pods-by-IP index, rather
    than gathered from every pod on the node for each admission.
    """

    def __init__(self, view: View, node: str, uid: str | None) -> None:
        self._view, self._node, self._uid = view, node, uid

    def __contains__(self, ip: object) -> bool:
        holders = self._view.pods_with_ip(self._node, str(ip))
        return any(p["metadata"].get("uid") != self._uid for p in holders)


def _pod_ip(view: View, pod: Obj, node: Obj, actions: list[Action]) -> str | None:
    """Host network pods share the node's IP; others get the next free one from the node's podCIDR."""
    if (pod.get("spec") or {}).get("hostNetwork"):
        return nodestatus.internal_ip(node)
    name = node["metadata"]["name"]
    in_use = IpsInUse(view, name, pod["metadata"].get("uid"))
    private = view.private(node_key(name)) or {}
    last = (private.get("ipam") or {}).get("lastReservedIP")
    ip = allocate((node.get("spec") or {}).get("podCIDR"), last, in_use)
    if ip is not None:
        actions.append(SetPrivate(node_key(name), {**private, "ipam": {"lastReservedIP": ip}}))
    return ip


def _admit(view: View, pod: Obj, node: Obj, key: ObjKey, now: int, actions: list[Action]) -> PodState | None:
    """Create the pod sandbox: IP, start time, and a record per container (the first one due soon)."""
    node_name = node["metadata"]["name"]
    ip = _pod_ip(view, pod, node, actions)
    if ip is None:
        cidr = (node.get("spec") or {}).get("podCIDR", "")
        message = (
            "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox: "
            f'plugin type="host-local" failed (add): failed to allocate for range 0: no IP addresses available '
            f"in range set: {cidr}"
        )
        actions.append(RecordEvent(pod, "Warning", "FailedCreatePodSandBox", message, COMPONENT, node_name))
        return None
    uid = str(pod["metadata"].get("uid", ""))
    first_due = now + stable_random(uid, "sandbox").randint(150, 450)
    spec = pod.get("spec") or {}
    inits = [
        new_record(str(c.get("name", "")), "blocked", None, init=True, sidecar=c.get("restartPolicy") == "Always")
        for c in spec.get("initContainers") or []
    ]
    apps = [new_record(str(c.get("name", "")), "blocked", None) for c in spec.get("containers") or []]
    first = (inits or apps)[0] if inits or apps else None
    if first is not None:
        first.update(stage="waiting", dueMs=first_due)
    actions.append(cri(node_name, "RunPodSandbox", "create pod sandbox", key, podIP=ip))
    return {
        "uid": uid,
        "sandboxAtMs": now,
        "hostIP": nodestatus.internal_ip(node),
        "podIP": ip,
        "initContainers": inits,
        "containers": apps,
    }


# -- pods --------------------------------------------------------------------------------------------------------
def _finish(pod: Obj, key: ObjKey, node: str, actions: list[Action]) -> None:
    actions.append(cri(node, "RemovePodSandbox", "remove pod sandbox", key))
    actions.append(Delete(key, grace_period_seconds=0, uid=str(pod["metadata"].get("uid", ""))))


def _post_status(pod: Obj, status: dict[str, Any], actions: list[Action]) -> None:
    """Post ``status`` unless it says what the pod already says.

    Most syncs change nothing, and plain equality (implying canonical
    equality) settles those without canonicalising. The request carries the
    pod's own metadata (for its resourceVersion and uid preconditions): the
    API server copies the status it takes and never writes to the request.
    """
    current = pod.get("status") or {}
    if status == current or same_ignoring_none(status, current):
        return
    actions.append(UpdateStatus({**pod, "status": status}))


def _unadmitted(pod: Obj, key: ObjKey, node: str) -> Result:
    """A pod this kubelet never started: nothing to stop, so a deletion is confirmed at once."""
    actions: list[Action] = []
    if pod["metadata"].get("deletionTimestamp"):
        actions.append(Delete(key, grace_period_seconds=0, uid=str(pod["metadata"].get("uid", ""))))
    return Result(actions, actor=f"kubelet:{node}")


def reconcile_pod(view: View, key: ObjKey, now: int) -> Result:
    pod = view.get_key(key)
    node_name = str(((pod or {}).get("spec") or {}).get("nodeName") or "")
    if pod is None or not node_name:
        return Result()
    actor = f"kubelet:{node_name}"
    node = view.get("Node", "", node_name)
    if node is None or kubelet_stopped(view, node_name):
        return Result(actor=actor)
    private = view.private(key) or {}
    saved = private.get(PRIVATE_KEY)
    if saved is not None and saved.get("uid") != pod["metadata"].get("uid"):
        saved = None
    if saved is None and (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return _unadmitted(pod, key, node_name)
    if saved is None and pod["metadata"].get("deletionTimestamp"):
        return _unadmitted(pod, key, node_name)
    actions: list[Action] = []
    state = clone(saved) if saved is not None else _admit(view, pod, node, key, now, actions)
    if state is None:
        return Result(actions, requeue_after_ms=SANDBOX_RETRY_MS, actor=actor)
    return _sync(view, pod, node, key, state, saved, private, now, actions)


def _sync(
    view: View,
    pod: Obj,
    node: Obj,
    key: ObjKey,
    state: PodState,
    saved: PodState | None,
    private: dict[str, Any],
    now: int,
    actions: list[Action],
) -> Result:
    node_name = node["metadata"]["name"]
    inits = frozenset(str(c.get("name", "")) for c in (pod.get("spec") or {}).get("initContainers") or [])
    images = nodestatus.image_names(node)
    origin = int(state["sandboxAtMs"])
    slow = int((view.private(node_key(node_name)) or {}).get("slowPullMs") or 0)
    step = Step(pod, key, node_name, _pushed_images(view), images, origin, inits, str(state["podIP"]), slow)
    finished = False
    if pod["metadata"].get("deletionTimestamp"):
        finished = terminate(step, state, now)
    else:
        advance(step, state, now)
    actions.extend(step.actions)
    ever_started = any(int(r.get("attempt") or 0) > 0 for r in all_records(state))
    if not finished or ever_started:
        _post_status(pod, render_status(pod, state, now, terminal=finished), actions)
    node_update = nodestatus.with_images(node, step.pulled) if step.pulled else None
    if node_update is not None:
        actions.append(UpdateStatus(node_update))
    if state != saved:
        actions.append(SetPrivate(key, {**private, PRIVATE_KEY: state}))
    if finished:
        _finish(pod, key, node_name, actions)
        return Result(actions, actor=f"kubelet:{node_name}")
    due = pod_due(state)
    requeue = None if due is None else max(1, due - now)
    return Result(actions, requeue_after_ms=requeue, actor=f"kubelet:{node_name}")


# -- nodes -------------------------------------------------------------------------------------------------------
def reconcile_node(view: View, key: ObjKey, now: int) -> Result:
    """Report the node healthy again when its kubelet runs but the node is not Ready."""
    node = view.get_key(key)
    if node is None or kubelet_stopped(view, key.name):
        return Result(actor=f"kubelet:{key.name}")
    if nodestatus.is_ready(node):
        return Result(actor=f"kubelet:{key.name}")
    actions: list[Action] = []
    ready = next((c for c in node.get("status", {}).get("conditions") or [] if c.get("type") == "Ready"), None)
    if ready is not None and ready.get("reason") == "NodeStatusUnknown":
        actions.append(RecordEvent(node, "Normal", "Starting", "Starting kubelet.", COMPONENT, key.name))
    actions.append(UpdateStatus(nodestatus.with_ready_conditions(node, now)))
    message = f"Node {key.name} status is now: NodeReady"
    actions.append(RecordEvent(node, "Normal", "NodeReady", message, COMPONENT, key.name))
    return Result(actions, actor=f"kubelet:{key.name}")


# -- the reconciler ------------------------------------------------------------------------------------------------
def _pod_keys(_view: View, pod: Obj) -> list[ObjKey]:
    return [ObjKey.of(pod)] if (pod.get("spec") or {}).get("nodeName") else []


def _node_keys(view: View, node: Obj) -> list[ObjKey]:
    """The node itself and every pod on it (a kubelet restart or a new image may move them on)."""
    name = node["metadata"]["name"]
    return [node_key(name)] + [ObjKey.of(p) for p in view.pods_on_node(name)]


class Kubelet:
    """The kubelet of every node (Pod keys: pods with ``spec.nodeName``; Node keys: the nodes)."""

    name = COMPONENT
    actor = COMPONENT

    def watches(self) -> list[Watch]:
        return [Watch("Pod", _pod_keys, status_blind=True), Watch("Node", _node_keys, status_blind=True)]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        if key.kind == "Pod":
            return reconcile_pod(view, key, now_ms)
        if key.kind == "Node":
            return reconcile_node(view, key, now_ms)
        return Result()
