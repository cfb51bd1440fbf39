"""Every message about a sandbox, in one place (DESIGN §5): the Channels group and the browser's WebSocket.

Group messages (Channels, ``type`` dispatches to a consumer method; sent after the commit):
- ``cluster.changes``: ``{"rv", "events": [watch.event…], "trace": [trace.step…]}`` after each commit.
- ``sandbox.clock``: ``{"clock": CLOCK}`` after pause/play/speed/step/advance.
- ``sandbox.reset``: ``{"epoch": int}`` after a reset (a fresh cluster: every page reloads its snapshot).
- ``sandbox.file``: ``{"path", "content": str | None}`` after a file was saved (None: deleted).
- ``sandbox.wake`` (to the controller channel): ``{"sandbox": id}``.

Browser → server (JSON, one object per frame):
- ``hello {rv, epoch}``: resync after a reconnect (answered by ``resync`` or a fresh ``snapshot``).
- ``terminal.input {id, line}``, ``terminal.interrupt {id}`` (Ctrl-C), ``complete {line}``.
- ``file.save {path, content}``, ``file.delete {path}``, ``file.apply {path}``.
- ``edit.save {id, kind, namespace, name, text}`` (the editor of ``kubectl edit``).
- ``clock {action: pause|play|speed|step|advance, value}``, ``reset {}``.
- ``settle {}``: fast-forward until only housekeeping is due (the map's "fast-forward to settled").
- ``fault {action, target}``: a fault button (``cluster.faults.FAULTS``; target a node name or ``ns/pod``).

Server → browser (a JSON object, or an array of them for one coalesced batch):
- ``snapshot``: ``{"rv", "epoch", "objects": [...], "files": [{"path", "content"}], "history": [str],
  "clock": CLOCK, "lang", "namespace", "sandbox": {"id", "name"}}``.
- ``watch.event``: ``{"event": "ADDED|MODIFIED|DELETED", "rv": int, "object": {...}}`` (the state).
- ``trace.step``: ``{"seq", "at_ms", "from", "to", "verb", "text", "object", "code", "params"}``.
- ``traffic.request``: one simulated request (the traffic model's records, forwarded as they come).
- ``resync``: ``{"rv", "events": [watch.event…]}``, the events a reconnecting page missed.
- ``terminal.output``: ``{"id", "stdout": [str], "stderr": [str], "hints": [str], "exit_code", "done",
  "effects": [...], "interrupted": bool}``.
- ``completion``: ``{"line", "items": [str]}``; ``apply.result``: ``{"path", "exit_code", "diagnostics"}``.
- ``file.changed``: ``{"path", "content"}``; ``file.deleted``: ``{"path"}``; ``clock``: ``{"clock": CLOCK}``.
- ``error``: ``{"message", "code"}`` for a malformed request.

where ``CLOCK = {"sim_ms", "wall_ms", "speed", "paused", "server_wall_ms"}`` (simulated time is
``sim_ms + (wall - wall_ms) * speed`` while playing).

Bursts are coalesced: the consumer sends one array per short window, keeping only the last event of each
object within it, so 1,000 pods arriving at once are one frame, never 1,000. ``apply_watch_events`` is the
contract both ends follow (the page's ``static/js/state.js`` mirrors it): snapshot + events == next snapshot.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cluster.apiserver.store import Change
from cluster.engine.trace import TraceStep

CONTROLLER_CHANNEL = "cluster-controllers"
Message = dict[str, Any]

# Browser → server message types.
HELLO = "hello"
TERMINAL_INPUT = "terminal.input"
TERMINAL_INTERRUPT = "terminal.interrupt"
COMPLETE = "complete"
FILE_SAVE = "file.save"
FILE_DELETE = "file.delete"
FILE_APPLY = "file.apply"
EDIT_SAVE = "edit.save"
CLOCK = "clock"
RESET = "reset"
SETTLE = "settle"
FAULT = "fault"
CLIENT_TYPES = (
    HELLO,
    TERMINAL_INPUT,
    TERMINAL_INTERRUPT,
    COMPLETE,
    FILE_SAVE,
    FILE_DELETE,
    FILE_APPLY,
    EDIT_SAVE,
    CLOCK,
    RESET,
    SETTLE,
    FAULT,
)
CLOCK_ACTIONS = ("pause", "play", "speed", "step", "advance")


def group_name(sandbox_id: int) -> str:
    return f"sandbox-{sandbox_id}"


# -- group messages -------------------------------------------------------------------------------------------
def watch_event(change: Change) -> Message:
    return {"type": "watch.event", "event": change.type, "rv": change.resource_version, "object": change.obj}


def trace_step(step: TraceStep) -> Message:
    return {"type": "trace.step", **step.to_json()}


def changes_message(
    rv: int, changes: list[Change], trace: list[TraceStep], traffic: list[Message] | None = None
) -> Message:
    """One group message per commit; ``traffic`` holds ``traffic.request`` messages (counters exact, dots sampled)."""
    return {
        "type": "cluster.changes",
        "rv": rv,
        "events": [watch_event(c) for c in changes],
        "trace": [trace_step(s) for s in trace],
        "traffic": list(traffic or []),
    }


def wake_message(sandbox_id: int) -> Message:
    return {"type": "sandbox.wake", "sandbox": sandbox_id}


def clock_group_message(clock: Message) -> Message:
    return {"type": "sandbox.clock", "clock": clock}


def reset_group_message(epoch: int) -> Message:
    return {"type": "sandbox.reset", "epoch": epoch}


def file_group_message(path: str, content: str | None) -> Message:
    return {"type": "sandbox.file", "path": path, "content": content}


# -- server → browser -----------------------------------------------------------------------------------------
def clock_payload(sim_ms: int, wall_ms: int, speed: float, paused: bool, server_wall_ms: int) -> Message:
    return {"sim_ms": sim_ms, "wall_ms": wall_ms, "speed": speed, "paused": paused, "server_wall_ms": server_wall_ms}


def snapshot(
    *,
    rv: int,
    epoch: int,
    objects: list[Message],
    files: list[Message],
    history: list[str],
    clock: Message,
    lang: str,
    namespace: str,
    sandbox: Message,
) -> Message:
    return {
        "type": "snapshot",
        "rv": rv,
        "epoch": epoch,
        "objects": objects,
        "files": files,
        "history": history,
        "clock": clock,
        "lang": lang,
        "namespace": namespace,
        "sandbox": sandbox,
    }


def resync(rv: int, events: list[Message]) -> Message:
    return {"type": "resync", "rv": rv, "events": events}


def terminal_output(
    command_id: str,
    *,
    stdout: list[str] | None = None,
    stderr: list[str] | None = None,
    hints: list[str] | None = None,
    exit_code: int = 0,
    done: bool = True,
    effects: list[Message] | None = None,
    interrupted: bool = False,
) -> Message:
    return {
        "type": "terminal.output",
        "id": command_id,
        "stdout": list(stdout or []),
        "stderr": list(stderr or []),
        "hints": list(hints or []),
        "exit_code": exit_code,
        "done": done,
        "effects": list(effects or []),
        "interrupted": interrupted,
    }


def completion(line: str, items: list[str]) -> Message:
    return {"type": "completion", "line": line, "items": items}


def apply_result(path: str, exit_code: int, diagnostics: list[Message]) -> Message:
    """``diagnostics``: ``[{"line", "column", "message", "field"}]`` (line/column 1-based, or None)."""
    return {"type": "apply.result", "path": path, "exit_code": exit_code, "diagnostics": diagnostics}


def file_changed(path: str, content: str) -> Message:
    return {"type": "file.changed", "path": path, "content": content}


def file_deleted(path: str) -> Message:
    return {"type": "file.deleted", "path": path}


def clock_message(clock: Message) -> Message:
    return {"type": "clock", "clock": clock}


def error(message: str, code: str = "bad-request") -> Message:
    return {"type": "error", "message": message, "code": code}


# -- the events contract --------------------------------------------------------------------------------------
def object_key(obj: Message) -> str:
    """``Kind/namespace/name``: the identity watch events are applied by."""
    meta = obj.get("metadata") or {}
    return f"{obj.get('kind', '')}/{meta.get('namespace', '')}/{meta.get('name', '')}"


def apply_watch_events(objects: dict[str, Message], events: Iterable[Message]) -> dict[str, Message]:
    """The state after ``events``: ADDED/MODIFIED put the object, DELETED removes it (a new dict)."""
    state = dict(objects)
    for event in events:
        key = object_key(event["object"])
        if event["event"] == "DELETED":
            state.pop(key, None)
        else:
            state[key] = event["object"]
    return state


def coalesce(events: Iterable[Message]) -> list[Message]:
    """Keep only the last watch event of each object, in the order those last events happened.

    Applying the result gives the same state as applying every event, which is all a page needs.
    """
    last: dict[str, Message] = {}
    for event in events:
        key = object_key(event["object"])
        last.pop(key, None)
        last[key] = event
    return list(last.values())
