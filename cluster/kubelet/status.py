"""The pod status a kubelet posts, rendered from its memory of the pod.

``kubectl get pods`` derives STATUS, READY and RESTARTS from what is written
here (K8S_FACTS §6.2), and ``describe pod`` shows Container ID, Image ID,
State/Last State, Ready and Restart Count (§6.4), so the shapes follow the
kubelet's ``generateAPIPodStatus``/``convertToAPIContainerStatuses``:

- a container's ``state`` is its latest instance (running / terminated) or,
  if the last start failed, ``waiting`` with the failure (the reason cache),
  the latest terminated instance then moving to ``lastState``;
- ``phase`` follows ``getPhase`` (a crash-looping pod with restartPolicy
  Always stays Running);
- conditions come in the kubelet's order (PodReadyToStartContainers,
  Initialized, Ready, ContainersReady, PodScheduled) and keep their
  ``lastTransitionTime`` while their status does not change.
"""

from __future__ import annotations

from typing import Any

from cluster.core.objects import Obj, clone
from cluster.core.timefmt import rfc3339
from cluster.kubelet.qos import qos_class
from cluster.kubelet.state import PodState, Record, all_records, init_satisfied

KUBELET_CONDITIONS = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")


def _terminated(instance: dict[str, Any] | None) -> dict[str, Any]:
    if not instance or instance.get("finishedAtMs") is None:
        return {}
    return {
        "terminated": {
            "containerID": instance["containerID"],
            "exitCode": int(instance["exitCode"]),
            "finishedAt": rfc3339(int(instance["finishedAtMs"])),
            "reason": instance["reason"],
            "startedAt": rfc3339(int(instance["startedAtMs"])),
        }
    }


def _states(rec: Record, default_reason: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(state, lastState) of one container."""
    current, previous = rec.get("current"), rec.get("previous")
    stage = rec["stage"]
    if stage == "running" and current is not None:
        return {"running": {"startedAt": rfc3339(int(current["startedAtMs"]))}}, _terminated(previous)
    if stage in ("exited", "done"):
        return _terminated(current), _terminated(previous)
    if rec.get("reason"):
        waiting = {"reason": rec["reason"], "message": rec.get("message", "")}
        return {"waiting": waiting}, _terminated(current) or _terminated(previous)
    if current:
        return _terminated(current), _terminated(previous)
    return {"waiting": {"reason": default_reason}}, {}


def _volume_mounts(c: dict[str, Any]) -> list[dict[str, Any]]:
    mounts = []
    for mount in c.get("volumeMounts") or []:
        item: dict[str, Any] = {"mountPath": mount.get("mountPath", ""), "name": mount.get("name", "")}
        if mount.get("readOnly"):
            item.update(readOnly=True, recursiveReadOnly="Disabled")
        mounts.append(item)
    return mounts


def container_status(c: dict[str, Any], rec: Record, default_reason: str = "ContainerCreating") -> dict[str, Any]:
    """One ``containerStatuses`` entry; ``default_reason`` is ``PodInitializing`` in pods with init containers."""
    state, last = _states(rec, default_reason)
    created = int(rec.get("attempt") or 0) > 0
    status: dict[str, Any] = {
        "image": rec["image"]["ref"] if created else str(c.get("image", "")),
        "imageID": rec["image"]["id"] if created else "",
        "lastState": last,
        "name": rec["name"],
        "ready": rec["stage"] == "running" and bool(rec.get("ready")),
        "restartCount": max(0, int(rec.get("attempt") or 0) - 1),
        "started": rec["stage"] == "running" and bool(rec.get("started")),
        "state": state,
    }
    if rec.get("current"):
        status["containerID"] = rec["current"]["containerID"]
    if created and c.get("volumeMounts"):
        status["volumeMounts"] = _volume_mounts(c)
    return status


def _failed_init(inits: list[dict[str, Any]]) -> bool:
    for st in inits:
        terminated = st["state"].get("terminated") or st["lastState"].get("terminated") or {}
        if "running" not in st["state"] and terminated.get("exitCode", 0) != 0:
            return True
    return False


def pod_phase(
    pod: Obj, statuses: list[dict[str, Any]], terminal: bool, inits: list[dict[str, Any]] | None = None
) -> str:
    """``getPhase`` over the rendered container statuses."""
    policy = (pod.get("spec") or {}).get("restartPolicy") or "Always"
    if policy == "Never" and _failed_init(inits or []):
        return "Failed"
    running = waiting = stopped = succeeded = 0
    for st in statuses:
        state = st["state"]
        if "running" in state:
            running += 1
        elif "terminated" in state:
            stopped += 1
            succeeded += state["terminated"]["exitCode"] == 0
        elif st["lastState"].get("terminated"):
            stopped += 1
        else:
            waiting += 1
    if terminal:
        return "Succeeded" if stopped == succeeded and not waiting and not running else "Failed"
    if waiting:
        return "Pending"
    if running:
        return "Running"
    if not stopped:
        return "Pending"
    if policy == "Always":
        return "Running"
    if stopped == succeeded:
        return "Succeeded"
    return "Failed" if policy == "Never" else "Running"


def _condition(ctype: str, status: str, reason: str = "", message: str = "") -> dict[str, Any]:
    cond: dict[str, Any] = {"type": ctype, "status": status, "lastProbeTime": None}
    if reason:
        cond["reason"] = reason
    if message:
        cond["message"] = message
    return cond


def _readiness(statuses: list[dict[str, Any]], phase: str) -> tuple[str, str, str]:
    if phase == "Succeeded":
        return "False", "PodCompleted", ""
    unready = [st["name"] for st in statuses if not st["ready"]]
    if unready:
        return "False", "ContainersNotReady", f"containers with unready status: [{' '.join(unready)}]"
    return "True", "", ""


def _initialized(state: PodState, phase: str) -> dict[str, Any]:
    pending = [r["name"] for r in state.get("initContainers") or [] if not init_satisfied(r)]
    if pending and phase != "Succeeded":
        message = f"containers with incomplete status: [{' '.join(pending)}]"
        return _condition("Initialized", "False", "ContainersNotInitialized", message)
    return _condition("Initialized", "True", "PodCompleted" if phase == "Succeeded" else "")


def conditions(
    pod: Obj, state: PodState, statuses: list[dict[str, Any]], phase: str, terminal: bool, now: int
) -> list[dict[str, Any]]:
    existing = {c.get("type"): c for c in (pod.get("status") or {}).get("conditions") or []}
    ready, reason, message = _readiness(statuses, phase)
    fresh = [
        _condition("PodReadyToStartContainers", "False" if terminal or phase in ("Succeeded", "Failed") else "True"),
        _initialized(state, phase),
        _condition("Ready", ready, reason, message),
        _condition("ContainersReady", ready, reason, message),
        clone(existing["PodScheduled"]) if "PodScheduled" in existing else _condition("PodScheduled", "True"),
    ]
    for cond in fresh:
        old = existing.get(cond["type"])
        keep = old is not None and old.get("status") == cond["status"] and old.get("lastTransitionTime")
        cond["lastTransitionTime"] = old["lastTransitionTime"] if keep and old else rfc3339(now)
    others = [clone(c) for t, c in existing.items() if t not in KUBELET_CONDITIONS]
    return fresh + others


def _restarting(state: PodState) -> bool:
    return any(r["stage"] in ("exited", "crashBackOff", "replacing") for r in state["containers"])


def render_status(pod: Obj, state: PodState, now: int, terminal: bool = False) -> dict[str, Any]:
    """The full ``status`` to post for ``pod`` (fields the kubelet does not own are kept)."""
    spec = pod.get("spec") or {}
    default = "PodInitializing" if spec.get("initContainers") else "ContainerCreating"
    records = {r["name"]: r for r in all_records(state)}

    def render(specs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [container_status(c, records[c["name"]], default) for c in specs if c.get("name") in records]

    statuses, inits = render(spec.get("containers") or []), render(spec.get("initContainers") or [])
    old = pod.get("status") or {}
    phase = pod_phase(pod, statuses, terminal, inits)
    if not terminal and phase in ("Succeeded", "Failed") and _restarting(state):
        phase = "Running"  # the kubelet restarts it within the same sync: never shown as finished
    if old.get("phase") in ("Succeeded", "Failed"):
        phase = old["phase"]  # a terminal phase is never left
    # A shallow copy: every field the kubelet owns is replaced below, the rest is only carried over (the
    # status is compared, or copied by the API server when posted; nothing writes into it).
    status: dict[str, Any] = dict(old)
    status.update(
        phase=phase,
        conditions=conditions(pod, state, statuses, phase, terminal, now),
        hostIP=state["hostIP"],
        hostIPs=[{"ip": state["hostIP"]}],
        podIP=state["podIP"],
        podIPs=[{"ip": state["podIP"]}],
        startTime=rfc3339(int(state["sandboxAtMs"])),
        qosClass=old.get("qosClass") or qos_class(pod),
        containerStatuses=statuses,
    )
    if inits:
        status["initContainerStatuses"] = inits
    return status
