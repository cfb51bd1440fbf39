"""The pod row: READY, the STATUS algorithm and RESTARTS, as the API server computes them.

STATUS is not ``status.phase``: a crashing pod is phase ``Running`` but shows
``CrashLoopBackOff``; a deleted pod shows ``Terminating``; init containers
show ``Init:1/2``. The walk below mirrors ``printPod`` in
pkg/printers/internalversion step by step (K8S_FACTS §6.2), including its
quirk of scanning containers from last to first so the *first* container's
reason wins.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cluster.core.timefmt import human_duration, parse_rfc3339, since
from cluster.kubectl.printers.columns import AGE_DOC, Column, Obj, meta, name_column, register, spec, status

_COMPLETED = {"type": "Completed", "status": "True"}
_ROW_CONDITIONS = {
    "Succeeded": [{**_COMPLETED, "reason": "Succeeded", "message": "The pod has completed successfully."}],
    "Failed": [{**_COMPLETED, "reason": "Failed", "message": "The pod failed."}],
}


@dataclass
class PodSummary:
    """READY, STATUS and RESTARTS of one pod."""

    ready: str
    reason: str
    restarts: int
    last_restart_ms: int | None

    def restarts_text(self, now_ms: int) -> str:
        if self.restarts and self.last_restart_ms is not None:
            return f"{self.restarts} ({human_duration(now_ms - self.last_restart_ms)} ago)"
        return str(self.restarts)


class _Walk:
    """Mutable state of the printPod walk."""

    def __init__(self, pod: Obj) -> None:
        pod_status = status(pod)
        self.pod = pod
        self.reason = str(pod_status.get("reason") or pod_status.get("phase") or "")
        self.total = len(spec(pod).get("containers") or [])
        self.ready = 0
        self.restarts = 0
        self.last_restart: int | None = None
        self.sidecar_restarts = 0
        self.last_sidecar_restart: int | None = None
        for condition in pod_status.get("conditions") or []:
            if condition.get("type") == "PodScheduled" and condition.get("reason") == "SchedulingGated":
                self.reason = "SchedulingGated"


def _finished_at(container_status: Obj) -> int | None:
    terminated = (container_status.get("lastState") or {}).get("terminated")
    if not terminated or not terminated.get("finishedAt"):
        return None
    return parse_rfc3339(terminated["finishedAt"])


def _later(current: int | None, candidate: int | None) -> int | None:
    if candidate is None:
        return current
    return candidate if current is None or candidate > current else current


def _sidecars(pod: Obj) -> set[str]:
    """Restartable init containers (``restartPolicy: Always``): sidecars that count as containers."""
    return {c.get("name", "") for c in spec(pod).get("initContainers") or [] if c.get("restartPolicy") == "Always"}


def _init_reason(index: int, total_init: int, cs: Obj) -> str:
    """The ``Init:`` status of the first init container that has not succeeded."""
    state = cs.get("state") or {}
    terminated = state.get("terminated")
    waiting = state.get("waiting")
    if terminated is not None:
        if not terminated.get("reason"):
            signal = terminated.get("signal") or 0
            return f"Init:Signal:{signal}" if signal else f"Init:ExitCode:{terminated.get('exitCode', 0)}"
        return "Init:" + str(terminated["reason"])
    if waiting is not None and waiting.get("reason") and waiting.get("reason") != "PodInitializing":
        return "Init:" + str(waiting["reason"])
    return f"Init:{index}/{total_init}"


def _walk_init(walk: _Walk) -> bool:
    """Account init containers; returns whether the pod is still initializing."""
    sidecars = _sidecars(walk.pod)
    walk.total += len(sidecars)
    init_statuses = status(walk.pod).get("initContainerStatuses") or []
    total_init = len(spec(walk.pod).get("initContainers") or [])
    for index, cs in enumerate(init_statuses):
        walk.restarts += int(cs.get("restartCount") or 0)
        walk.last_restart = _later(walk.last_restart, _finished_at(cs))
        is_sidecar = cs.get("name") in sidecars
        if is_sidecar:
            walk.sidecar_restarts += int(cs.get("restartCount") or 0)
            walk.last_sidecar_restart = _later(walk.last_sidecar_restart, _finished_at(cs))
        terminated = (cs.get("state") or {}).get("terminated")
        if terminated is not None and (terminated.get("exitCode") or 0) == 0:
            continue
        if is_sidecar and cs.get("started"):
            walk.ready += 1 if cs.get("ready") else 0
            continue
        walk.reason = _init_reason(index, total_init, cs)
        return True
    return False


def _container_reason(cs: Obj) -> str | None:
    state = cs.get("state") or {}
    waiting = state.get("waiting") or {}
    terminated = state.get("terminated")
    if waiting.get("reason"):
        return str(waiting["reason"])
    if terminated is not None:
        if terminated.get("reason"):
            return str(terminated["reason"])
        signal = terminated.get("signal") or 0
        return f"Signal:{signal}" if signal else f"ExitCode:{terminated.get('exitCode', 0)}"
    return None


def _walk_containers(walk: _Walk) -> None:
    walk.restarts = walk.sidecar_restarts
    walk.last_restart = walk.last_sidecar_restart
    has_running = False
    for cs in reversed(status(walk.pod).get("containerStatuses") or []):
        walk.restarts += int(cs.get("restartCount") or 0)
        walk.last_restart = _later(walk.last_restart, _finished_at(cs))
        reason = _container_reason(cs)
        if reason is not None:
            walk.reason = reason
        elif cs.get("ready") and (cs.get("state") or {}).get("running") is not None:
            has_running = True
            walk.ready += 1
    if walk.reason == "Completed" and has_running:
        walk.reason = "Running" if _condition_true(walk.pod, "Ready") else "NotReady"


def _condition_true(pod: Obj, kind: str) -> bool:
    return any(c.get("type") == kind and c.get("status") == "True" for c in status(pod).get("conditions") or [])


def pod_summary(pod: Obj) -> PodSummary:
    """READY/STATUS/RESTARTS following ``printPod`` (K8S_FACTS §6.2)."""
    walk = _Walk(pod)
    initializing = _walk_init(walk)
    if not initializing or _condition_true(pod, "Initialized"):
        _walk_containers(walk)
    phase = status(pod).get("phase")
    if meta(pod).get("deletionTimestamp"):
        if status(pod).get("reason") == "NodeLost":
            walk.reason = "Unknown"
        elif phase not in ("Succeeded", "Failed"):
            walk.reason = "Terminating"
    return PodSummary(f"{walk.ready}/{walk.total}", walk.reason, walk.restarts, walk.last_restart)


def _readiness_gates(pod: Obj) -> str:
    gates = spec(pod).get("readinessGates") or []
    if not gates:
        return "<none>"
    conditions = status(pod).get("conditions") or []
    true_count = 0
    for gate in gates:
        for condition in conditions:
            if condition.get("type") == gate.get("conditionType"):
                true_count += condition.get("status") == "True"
                break
    return f"{true_count}/{len(gates)}"


def _pod_ip(pod: Obj) -> str:
    ips = status(pod).get("podIPs") or []
    ip = ips[0].get("ip", "") if ips else ""
    return ip or "<none>"


@register(
    "Pod",
    name_column(),
    Column("Ready", "The aggregate readiness state of this pod for accepting traffic."),
    Column("Status", "The aggregate status of the containers in this pod."),
    Column(
        "Restarts",
        "The number of times the containers in this pod have been restarted and when the last container in this "
        "pod has restarted.",
    ),
    Column("Age", AGE_DOC),
    Column("IP", "podIP address allocated to the pod. Routable at least within the cluster.", priority=1),
    Column("Node", "NodeName indicates in which node this pod is scheduled.", priority=1),
    Column("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods.", priority=1),
    Column("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness.", priority=1),
)
def pod_row(pod: Obj, now_ms: int, wide: bool) -> tuple[list[Any], list[Obj] | None]:
    summary = pod_summary(pod)
    cells: list[Any] = [
        meta(pod).get("name", ""),
        summary.ready,
        summary.reason,
        summary.restarts_text(now_ms),
        since(meta(pod).get("creationTimestamp"), now_ms),
        _pod_ip(pod),
        spec(pod).get("nodeName") or "<none>",
        status(pod).get("nominatedNodeName") or "<none>",
        _readiness_gates(pod),
    ]
    return cells, _ROW_CONDITIONS.get(str(status(pod).get("phase")))
