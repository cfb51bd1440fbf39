"""Every message the server sends about a sandbox, in one place (DESIGN §5).

Group messages (Channels, ``type`` dispatches to a consumer method):
- ``cluster.changes``: ``{"rv", "events": [watch.event…], "trace": [trace.step…]}`` after each commit.
Browser messages (JSON over the WebSocket, one array per batch):
- ``{"type": "watch.event", "event": "ADDED|MODIFIED|DELETED", "rv": int, "object": {...}}``
- ``{"type": "trace.step", "seq": int, "at_ms": int, "from": str, "to": str, "verb": str, "text": str,
  "object": str, "code": str, "params": {}}``
- ``{"type": "terminal.output", "id": str, "stdout": str, "stderr": str, "exit_code": int, "done": bool}``
- ``{"type": "traffic.request", …}`` (the traffic model)
Bursts are coalesced by sending one batch per commit.
"""

from __future__ import annotations

from typing import Any

from cluster.apiserver.store import Change
from cluster.engine.trace import TraceStep

CONTROLLER_CHANNEL = "cluster-controllers"


def group_name(sandbox_id: int) -> str:
    return f"sandbox-{sandbox_id}"


def watch_event(change: Change) -> dict[str, Any]:
    return {"type": "watch.event", "event": change.type, "rv": change.resource_version, "object": change.obj}


def trace_step(step: TraceStep) -> dict[str, Any]:
    return {"type": "trace.step", **step.to_json()}


def changes_message(rv: int, changes: list[Change], trace: list[TraceStep]) -> dict[str, Any]:
    return {
        "type": "cluster.changes",
        "rv": rv,
        "events": [watch_event(c) for c in changes],
        "trace": [trace_step(s) for s in trace],
    }


def wake_message(sandbox_id: int) -> dict[str, Any]:
    return {"type": "sandbox.wake", "sandbox": sandbox_id}
