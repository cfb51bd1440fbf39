"""The kubelet's memory of one pod, kept in the pod's private state so a restarted worker resumes.

A real kubelet holds, per pod, the sandbox, each container's runtime state,
its back-off entries and the last start failure (the "reason cache"). Here
that is one JSON dict under ``private(pod)["kubelet"]``:

``{"uid", "sandboxAtMs", "hostIP", "podIP", "initContainers": [record, …], "containers": [record, …], "kill": {…}}``

and one record per container, in spec order::

    {"name", "stage", "dueMs",            # where the container is and when it moves on
     "attempt",                           # container instances created (restartCount = attempt - 1)
     "pullAttempt", "pullStartedAtMs", "pullBackoff", "crashBackoff",
     "reason", "message",                 # the reason cache: last start failure shown as `waiting`
     "current", "previous",               # latest / previous instance:
                                          #   {containerID, startedAtMs, finishedAtMs, exitCode, reason}
     "image",                             # {"ref", "id"} once resolved
     "exitAtMs", "exitCode", "startupAtMs", "readyAtMs", "started", "ready",
     "init", "sidecar"}                   # an init container; a restartable ("sidecar") one

Stages: ``blocked`` (an earlier container is still being started) →
``waiting`` (due: decide pull / start) → ``pulling`` → ``running`` →
``exited`` (due: restart decision) → ``crashBackOff`` → ``waiting`` …; pull
failures go ``pullFailed`` → ``pullBackOff`` → ``waiting``; dead ends are
``neverPull``, ``invalidName`` and ``done``. Init containers run first, one
after another, each to a successful exit (a sidecar only has to start); the
app containers stay ``blocked`` until then. The pod status is rendered from
this (``status.render_status``), never the other way round.
"""

from __future__ import annotations

from typing import Any

PRIVATE_KEY = "kubelet"

Record = dict[str, Any]
PodState = dict[str, Any]

# Stages in which a container has not yet got past its first start attempt (later containers wait).
STARTING = ("blocked", "waiting", "pulling")


def new_record(name: str, stage: str, due_ms: int | None, init: bool = False, sidecar: bool = False) -> Record:
    return {
        "init": init,
        "sidecar": sidecar,
        "name": name,
        "stage": stage,
        "dueMs": due_ms,
        "attempt": 0,
        "pullAttempt": 0,
        "reason": "",
        "message": "",
        "current": None,
        "previous": None,
        "started": False,
        "ready": False,
    }


def record_due(rec: Record) -> int | None:
    """When this container next changes on its own (None: only an outside change can move it)."""
    if rec["stage"] != "running":
        return rec.get("dueMs")
    pending = [rec.get("exitAtMs"), rec.get("killAtMs")]
    if rec.get("unhealthy"):
        pending.append(rec["unhealthy"][0][0])
    if not rec.get("started"):
        pending.append(rec.get("startupAtMs"))
    if not rec.get("ready"):
        pending.append(rec.get("readyAtMs"))
    times = [t for t in pending if t is not None]
    return min(times) if times else None


def pod_due(state: PodState) -> int | None:
    kill = state.get("kill")
    if kill is not None:
        stops = [s["atMs"] for s in kill["stops"].values() if not s.get("applied")]
        return min(stops) if stops else None
    times = [t for t in (record_due(r) for r in all_records(state)) if t is not None]
    return min(times) if times else None


def all_records(state: PodState) -> list[Record]:
    """Init containers first, then app containers (the order the kubelet starts them in)."""
    return [*(state.get("initContainers") or []), *state["containers"]]


def init_satisfied(rec: Record) -> bool:
    """Has this init container done its part: exited 0, or (a sidecar) started?"""
    if rec.get("sidecar"):
        return bool(rec["stage"] == "running" and rec.get("started"))
    current = rec.get("current") or {}
    return rec["stage"] == "done" and current.get("exitCode") == 0
