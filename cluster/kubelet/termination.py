"""Graceful termination: SIGTERM, wait, SIGKILL, then confirm the deletion.

When the API server marks a pod (``deletionTimestamp``), its kubelet sends
SIGTERM to every running container and gives each until the grace period
(``metadata.deletionGracePeriodSeconds``) to exit. nginx exits in a fraction
of a second; a process running as PID 1 without a SIGTERM handler (``sleep``
under ``sh``, the course's Flask app) ignores the signal and is SIGKILLed
when the grace period ends — exit code 137, which is why deleting such a pod
takes the full 30 s. Once everything has stopped the kubelet posts the final
status (phase Succeeded/Failed) and deletes the pod with grace period 0; the
API server then removes it.

Simplification: no preStop hooks.
"""

from __future__ import annotations

from typing import Any

from cluster.kubelet.stages import Step, pairs
from cluster.kubelet.state import PodState, all_records
from cluster.kubelet.stop import plan_stop


def grace_ms(pod: dict[str, Any]) -> int:
    meta = pod.get("metadata") or {}
    seconds = meta.get("deletionGracePeriodSeconds")
    if seconds is None:
        seconds = (pod.get("spec") or {}).get("terminationGracePeriodSeconds", 30)
    return max(0, int(seconds)) * 1000


def begin_termination(step: Step, state: PodState, now: int) -> None:
    """Send SIGTERM to every running container and note when each will be gone."""
    grace = grace_ms(step.pod)
    stops: dict[str, dict[str, Any]] = {}
    for c, rec in pairs(step.pod, state):
        if rec["stage"] == "running":
            name = rec["name"]
            stops[name] = plan_stop(c, rec, now, grace, step.pushed)
            step.event(name, "Normal", "Killing", f"Stopping container {name}")
            step.cri("StopContainer", f"stop container {name} (SIGTERM)", container=name, grace=grace // 1000)
        elif rec["stage"] == "replacing":  # already stopping because its spec changed
            stops[rec["name"]] = {"atMs": rec["dueMs"], "exitCode": rec.get("stopExitCode", 0), "signal": ""}
        elif rec["stage"] not in ("done",):
            rec.update(stage="abandoned", dueMs=None)
    state["kill"] = {"startedAtMs": now, "stops": stops}


def advance_termination(step: Step, state: PodState, now: int) -> bool:
    """Apply the stops that are due; True once every container has stopped."""
    records = {r["name"]: r for r in all_records(state)}
    for name, stop in state["kill"]["stops"].items():
        if stop.get("applied") or stop["atMs"] > now:
            continue
        stop["applied"] = True
        rec = records[name]
        if stop["signal"] == "SIGKILL":
            step.cri("StopContainer", f"kill container {name} (SIGKILL: grace period over)", container=name)
        code = int(stop["exitCode"])
        rec["current"].update(
            finishedAtMs=int(stop["atMs"]), exitCode=code, reason="Completed" if code == 0 else "Error"
        )
        rec.update(stage="done", dueMs=None, exitAtMs=None, started=False, ready=False)
        step.reported("ContainerExited", f"container {name} exited with code {code}", container=name, code=code)
    return all(s.get("applied") for s in state["kill"]["stops"].values())


def terminate(step: Step, state: PodState, now: int) -> bool:
    """One reconcile of a terminating pod; True when the kubelet may confirm the deletion."""
    if state.get("kill") is None:
        begin_termination(step, state, now)
    return advance_termination(step, state, now)
