"""The sandbox WebSocket end to end through Channels' ``WebsocketCommunicator`` (embedded mode, SQLite).

Sandboxes here start with the clock paused, so the control plane acts only when
a test advances simulated time (no wall-clock waiting, no sleeps).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.backends.db import SessionStore

from cluster import persistence, protocol, services
from cluster.models import CommandRecord, ObjectChange, Sandbox, SandboxFile
from sandbox.routing import websocket_urlpatterns
from sandbox.web.files import files_seed

pytestmark = pytest.mark.django_db(transaction=True)
Message = dict[str, Any]
TIMEOUT = 10

SELECTOR_MISMATCH = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: "3"
    spec:
      containers:
      - name: nginx
        image: nginx
"""


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    yield
    persistence._CACHE.clear()


def _session() -> str:
    store = SessionStore()
    store.create()
    return str(store.session_key)


def _sandbox(session_key: str, *, seed: int = 7) -> Sandbox:
    sb = services.sandbox_create(name="sandbox", session_key=session_key, seed=seed, paused=True)
    files_seed(sb.pk)
    return sb


class Client:
    """A communicator plus a buffer: frames may be one message or an array of them (a coalesced batch)."""

    def __init__(self, communicator: WebsocketCommunicator) -> None:
        self.ws = communicator
        self.pending: list[Message] = []
        self.frames: list[Any] = []

    async def next(self) -> Message:
        if not self.pending:
            frame = await self.ws.receive_json_from(timeout=TIMEOUT)
            self.frames.append(frame)
            self.pending.extend(frame if isinstance(frame, list) else [frame])
        return self.pending.pop(0)

    async def until(self, match: Any) -> tuple[Message, list[Message]]:
        """The first message ``match`` accepts, and every message received before it."""
        seen: list[Message] = []
        while True:
            message = await self.next()
            if match(message):
                return message, seen
            seen.append(message)

    async def send(self, message: Message) -> None:
        await self.ws.send_json_to(message)


def _communicator(sandbox_id: int, session_key: str, query: str = "") -> WebsocketCommunicator:
    app = AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
    path = f"/ws/sandbox/{sandbox_id}/" + (f"?{query}" if query else "")
    return WebsocketCommunicator(app, path, headers=[(b"cookie", f"sessionid={session_key}".encode())])


@pytest.fixture
async def connected() -> AsyncIterator[tuple[Client, Sandbox, Message]]:
    key = await sync_to_async(_session)()
    sb = await sync_to_async(_sandbox)(key)
    client = Client(_communicator(sb.pk, key))
    ok, _ = await client.ws.connect()
    assert ok
    snapshot = await client.next()
    yield client, sb, snapshot
    await client.ws.disconnect()


def _state(objects: list[Message]) -> dict[str, Message]:
    return {protocol.object_key(o): o for o in objects}


def _watch_events(messages: list[Message]) -> list[Message]:
    return [m for m in messages if m["type"] == "watch.event"]


def _is_output(command_id: str) -> Any:
    return lambda m: m["type"] == "terminal.output" and m["id"] == command_id


async def test_connect_sends_the_snapshot(connected: tuple[Client, Sandbox, Message]) -> None:
    _, sb, snapshot = connected
    row = await sync_to_async(Sandbox.objects.get)(pk=sb.pk)
    assert snapshot["type"] == "snapshot"
    assert snapshot["rv"] == row.resource_version
    assert snapshot["sandbox"] == {"id": sb.pk, "name": "sandbox"}
    nodes = sorted(o["metadata"]["name"] for o in snapshot["objects"] if o["kind"] == "Node")
    assert nodes == ["control-plane", "worker-1", "worker-2"]
    assert {f["path"] for f in snapshot["files"]} >= {"deployment.yaml", "service.yaml", "broken-deployment.yaml"}
    assert snapshot["history"] == []
    assert snapshot["clock"]["paused"] is True
    assert (snapshot["lang"], snapshot["namespace"], snapshot["epoch"]) == ("en", "default", 0)


async def test_command_round_trip_records_history_and_streams_the_events(
    connected: tuple[Client, Sandbox, Message],
) -> None:
    client, sb, snapshot = connected
    await client.send({"type": "terminal.input", "id": "c1", "line": "kubectl create deployment web --image=nginx"})
    output, _ = await client.until(_is_output("c1"))
    assert output["stdout"] == ["deployment.apps/web created"]
    assert (output["stderr"], output["exit_code"], output["done"]) == ([], 0, True)
    event, _ = await client.until(lambda m: m["type"] == "watch.event")
    assert (event["event"], event["object"]["kind"], event["object"]["metadata"]["name"]) == (
        "ADDED",
        "Deployment",
        "web",
    )
    assert event["rv"] > snapshot["rv"]
    records = await sync_to_async(list)(CommandRecord.objects.filter(sandbox_id=sb.pk).values_list("line", "exit_code"))
    assert records == [("kubectl create deployment web --image=nginx", 0)]

    await client.send({"type": "terminal.input", "id": "c2", "line": "kubectl get deployment nope"})
    output, _ = await client.until(_is_output("c2"))
    assert output["stderr"] == ['Error from server (NotFound): deployments.apps "nope" not found']
    assert output["exit_code"] == 1
    assert output["hints"]  # one plain-language hint, shown apart from kubectl's text


async def test_history_and_terminal_files_persist(connected: tuple[Client, Sandbox, Message]) -> None:
    client, sb, _ = connected
    await client.send({"type": "terminal.input", "id": "c1", "line": "echo hello > notes.txt"})
    await client.until(_is_output("c1"))
    changed, _ = await client.until(lambda m: m["type"] == "file.changed")
    assert changed == {"type": "file.changed", "path": "notes.txt", "content": "hello\n"}
    stored = await sync_to_async(SandboxFile.objects.get)(sandbox_id=sb.pk, path="notes.txt")
    assert stored.content == "hello\n"
    await client.send({"type": "terminal.input", "id": "c2", "line": "history"})
    output, _ = await client.until(_is_output("c2"))
    assert output["stdout"] == ["    1  echo hello > notes.txt", "    2  history"]


async def test_another_sessions_sandbox_is_refused() -> None:
    owner, stranger = await sync_to_async(_session)(), await sync_to_async(_session)()
    sb = await sync_to_async(_sandbox)(owner)
    ws = _communicator(sb.pk, stranger)
    connected, code = await ws.connect()
    assert (connected, code) == (False, 4404)
    missing = _communicator(sb.pk + 1000, owner)
    assert await missing.connect() == (False, 4404)


async def test_reconnect_gets_exactly_the_missed_events() -> None:
    key = await sync_to_async(_session)()
    sb = await sync_to_async(_sandbox)(key)
    first = Client(_communicator(sb.pk, key))
    await first.ws.connect()
    snapshot = await first.next()
    await first.ws.disconnect()

    # While the page is away: a command, and the control plane running for 20 simulated seconds.
    await sync_to_async(services.sandbox_exec)(sb.pk, "kubectl create deployment web --image=nginx --replicas=2")
    await sync_to_async(services.sandbox_advance)(sb.pk, 20_000)

    again = Client(_communicator(sb.pk, key, "resume=1"))
    await again.ws.connect()
    await again.send({"type": "hello", "rv": snapshot["rv"], "epoch": snapshot["epoch"]})
    resync, _ = await again.until(lambda m: m["type"] == "resync")
    missed = await sync_to_async(list)(
        ObjectChange.objects.filter(sandbox_id=sb.pk, resource_version__gt=snapshot["rv"])
        .order_by("resource_version")
        .values_list("resource_version", flat=True)
    )
    assert [e["rv"] for e in resync["events"]] == missed
    assert resync["rv"] == missed[-1]

    # The snapshot plus the missed events is the state a fresh snapshot shows.
    after = protocol.apply_watch_events(_state(snapshot["objects"]), resync["events"])
    fresh = Client(_communicator(sb.pk, key))
    await fresh.ws.connect()
    now = await fresh.next()
    assert now["rv"] == resync["rv"]
    assert after == _state(now["objects"])
    await again.ws.disconnect()
    await fresh.ws.disconnect()


async def test_hello_from_another_epoch_or_a_compacted_rv_gets_a_snapshot(
    connected: tuple[Client, Sandbox, Message],
) -> None:
    client, sb, snapshot = connected
    await client.send({"type": "hello", "rv": snapshot["rv"], "epoch": snapshot["epoch"] + 1})
    again, _ = await client.until(lambda m: m["type"] in ("snapshot", "resync"))
    assert again["type"] == "snapshot"
    # Compaction drops the oldest history: a page behind it cannot be told what it missed.
    await sync_to_async(ObjectChange.objects.filter(sandbox_id=sb.pk, resource_version__lte=5).delete)()
    await client.send({"type": "hello", "rv": 2, "epoch": snapshot["epoch"]})
    again, _ = await client.until(lambda m: m["type"] in ("snapshot", "resync"))
    assert again["type"] == "snapshot"
    await client.send({"type": "hello", "rv": 5, "epoch": snapshot["epoch"]})
    again, _ = await client.until(lambda m: m["type"] in ("snapshot", "resync"))
    assert again["type"] == "resync"
    assert [e["rv"] for e in again["events"]] == list(range(6, snapshot["rv"] + 1))


async def test_live_events_applied_to_the_snapshot_equal_the_next_snapshot(
    connected: tuple[Client, Sandbox, Message],
) -> None:
    client, sb, snapshot = connected
    await client.send({"type": "terminal.input", "id": "c1", "line": "kubectl create deployment web --image=nginx"})
    await client.until(_is_output("c1"))
    await client.send({"type": "clock", "action": "advance", "value": "30s"})
    await client.until(lambda m: m["type"] == "clock")
    await client.send({"type": "terminal.input", "id": "c2", "line": "kubectl scale deployment web --replicas=3"})
    _, before = await client.until(_is_output("c2"))
    await client.send({"type": "clock", "action": "advance", "value": "30s"})
    _, during = await client.until(lambda m: m["type"] == "clock")
    await client.send({"type": "terminal.input", "id": "c3", "line": "kubectl get pods"})
    _, tail = await client.until(_is_output("c3"))
    # The last batch may still be in the coalescing window: wait for the page's rv to reach the sandbox's.
    events = _watch_events(before + during + tail)
    row = await sync_to_async(Sandbox.objects.get)(pk=sb.pk)
    while not events or events[-1]["rv"] < row.resource_version:
        events.append((await client.until(lambda m: m["type"] == "watch.event"))[0])
    state = protocol.apply_watch_events(_state(snapshot["objects"]), events)
    running = [o for o in state.values() if o["kind"] == "Pod" and o["status"].get("phase") == "Running"]
    assert len(running) == 3

    fresh = Client(_communicator(sb.pk, sb.session_key))
    await fresh.ws.connect()
    now = await fresh.next()
    assert state == _state(now["objects"])
    await fresh.ws.disconnect()


async def test_a_burst_of_pods_is_coalesced_into_few_frames(connected: tuple[Client, Sandbox, Message]) -> None:
    client, _, _ = connected
    await client.send({"type": "terminal.input", "id": "c1", "line": "kubectl create deployment big --image=nginx"})
    await client.until(_is_output("c1"))
    await client.send({"type": "terminal.input", "id": "c2", "line": "kubectl scale deployment big --replicas=300"})
    await client.until(_is_output("c2"))
    client.frames.clear()
    await client.send({"type": "clock", "action": "advance", "value": "1m"})
    await client.until(lambda m: m["type"] == "clock")
    pods: set[str] = set()
    while len(pods) < 300:
        event, _ = await client.until(lambda m: m["type"] == "watch.event" and m["object"]["kind"] == "Pod")
        pods.add(event["object"]["metadata"]["name"])
    batches = [f for f in client.frames if isinstance(f, list)]
    assert sum(len(f) for f in batches) >= 300
    assert len(client.frames) <= 5  # thousands of watch events, a handful of WebSocket frames


async def test_streaming_get_watch_until_ctrl_c(connected: tuple[Client, Sandbox, Message]) -> None:
    client, _, _ = connected
    await client.send({"type": "terminal.input", "id": "w", "line": "kubectl get pods -w"})
    first, _ = await client.until(_is_output("w"))
    assert first["done"] is False
    await client.send({"type": "terminal.input", "id": "c", "line": "kubectl run solo --image=nginx"})
    # A new command ends the watch, as typing after Ctrl-C would; start it again and let the pod appear.
    await client.until(_is_output("c"))
    await client.send({"type": "terminal.input", "id": "w2", "line": "kubectl get pods -w"})
    await client.until(_is_output("w2"))
    await client.send({"type": "clock", "action": "advance", "value": "10s"})
    more, _ = await client.until(lambda m: _is_output("w2")(m) and m["stdout"])
    assert more["done"] is False
    assert any(line.startswith("solo ") for line in more["stdout"])
    await client.send({"type": "terminal.interrupt", "id": "w2"})
    end, _ = await client.until(lambda m: _is_output("w2")(m) and m["done"])
    assert (end["interrupted"], end["exit_code"]) == (True, 130)


async def test_completion_files_and_apply_diagnostics(connected: tuple[Client, Sandbox, Message]) -> None:
    client, sb, _ = connected
    await client.send({"type": "complete", "line": "kub"})
    completion, _ = await client.until(lambda m: m["type"] == "completion")
    assert completion["line"] == "kub"
    assert "kubectl" in completion["items"]

    await client.send({"type": "file.apply", "id": "a1", "path": "broken-deployment.yaml"})
    output, _ = await client.until(_is_output("a1"))
    assert output["exit_code"] == 1
    assert "found character that cannot start any token" in output["stderr"][0]
    result, _ = await client.until(lambda m: m["type"] == "apply.result")
    assert [(d["line"], d["column"]) for d in result["diagnostics"]] == [(5, 1)]

    await client.send({"type": "file.save", "path": "./mismatch.yaml", "content": SELECTOR_MISMATCH})
    changed, _ = await client.until(lambda m: m["type"] == "file.changed")
    assert changed["path"] == "mismatch.yaml"
    await client.send({"type": "file.apply", "id": "a2", "path": "mismatch.yaml"})
    result, _ = await client.until(lambda m: m["type"] == "apply.result")
    fields = {(d["field"], d["line"]) for d in result["diagnostics"]}
    assert ("spec.template.metadata.labels", 12) in fields

    await client.send({"type": "file.apply", "id": "a3", "path": "deployment.yaml"})
    output, _ = await client.until(_is_output("a3"))
    assert output["stdout"] == ["deployment.apps/hostname created"]
    result, _ = await client.until(lambda m: m["type"] == "apply.result")
    assert (result["exit_code"], result["diagnostics"]) == (0, [])
    lines = await sync_to_async(list)(CommandRecord.objects.filter(sandbox_id=sb.pk).values_list("line", flat=True))
    assert lines[-1] == "kubectl apply -f deployment.yaml"

    await client.send({"type": "file.delete", "path": "mismatch.yaml"})
    deleted, _ = await client.until(lambda m: m["type"] == "file.deleted")
    assert deleted["path"] == "mismatch.yaml"
    assert not await sync_to_async(SandboxFile.objects.filter(sandbox_id=sb.pk, path="mismatch.yaml").exists)()


async def test_kubectl_edit_opens_the_editor_and_saves(connected: tuple[Client, Sandbox, Message]) -> None:
    client, _, _ = connected
    await client.send({"type": "terminal.input", "id": "c1", "line": "kubectl create deployment web --image=nginx"})
    await client.until(_is_output("c1"))
    await client.send({"type": "terminal.input", "id": "e", "line": "kubectl edit deployment web"})
    output, _ = await client.until(_is_output("e"))
    effect = next(e for e in output["effects"] if e["type"] == "edit-object")
    assert (effect["kind"], effect["namespace"], effect["name"]) == ("Deployment", "default", "web")
    edited = effect["yaml"].replace("replicas: 1", "replicas: 2", 1)
    await client.send({"type": "edit.save", "id": "s", "kind": "Deployment", "namespace": "default", "name": "web",
                       "text": edited})  # fmt: skip
    saved, _ = await client.until(_is_output("s"))
    assert saved["stdout"] == ["deployment.apps/web edited"]


async def test_clock_controls_and_reset(connected: tuple[Client, Sandbox, Message]) -> None:
    client, _, snapshot = connected
    await client.send({"type": "clock", "action": "play"})
    clock, _ = await client.until(lambda m: m["type"] == "clock")
    assert clock["clock"]["paused"] is False
    await client.send({"type": "clock", "action": "speed", "value": 5})
    clock, _ = await client.until(lambda m: m["type"] == "clock")
    assert clock["clock"]["speed"] == 5
    await client.send({"type": "clock", "action": "speed", "value": 500})
    error, _ = await client.until(lambda m: m["type"] == "error")
    assert error["code"] == "clock"
    await client.send({"type": "clock", "action": "pause"})
    clock, _ = await client.until(lambda m: m["type"] == "clock")
    before = clock["clock"]["sim_ms"]
    await client.send({"type": "clock", "action": "advance", "value": "2m"})
    clock, _ = await client.until(lambda m: m["type"] == "clock")
    assert clock["clock"]["sim_ms"] == before + 120_000

    await client.send({"type": "terminal.input", "id": "c1", "line": "kubectl create namespace dev"})
    await client.until(_is_output("c1"))
    await client.send({"type": "reset"})
    fresh, _ = await client.until(lambda m: m["type"] == "snapshot")
    assert fresh["epoch"] == snapshot["epoch"] + 1
    assert not [o for o in fresh["objects"] if o["kind"] == "Namespace" and o["metadata"]["name"] == "dev"]
    assert fresh["history"] == ["kubectl create namespace dev"]  # files and history survive a reset


async def test_malformed_messages_get_an_error(connected: tuple[Client, Sandbox, Message]) -> None:
    client, _, _ = connected
    await client.send({"type": "cluster.changes", "rv": 0, "events": []})
    error, _ = await client.until(lambda m: m["type"] == "error")
    assert "unknown message type" in error["message"]
    await client.send({"type": "terminal.input", "id": 5, "line": "ls"})
    error, _ = await client.until(lambda m: m["type"] == "error")
    assert error["message"] == "id must be a string of at most 100 characters"
    await client.send({"type": "file.save", "path": "../etc/passwd", "content": "x"})
    error, _ = await client.until(lambda m: m["type"] == "error")
    assert error["code"] == "file"
    for frame in ("not json", "[" * 100_000):  # the connection survives frames that are not JSON at all
        await client.ws.send_to(text_data=frame)
        error, _ = await client.until(lambda m: m["type"] == "error")
        assert error["message"] == "unknown message type None"
    await client.send({"type": "terminal.input", "id": "after", "line": "kubectl get ns default -o name"})
    output, _ = await client.until(_is_output("after"))
    assert output["stdout"] == ["namespace/default"]


async def test_namespace_switch_is_remembered_for_the_session() -> None:
    key = await sync_to_async(_session)()
    sb = await sync_to_async(_sandbox)(key)
    await sync_to_async(services.sandbox_exec)(sb.pk, "kubectl create namespace dev")
    client = Client(_communicator(sb.pk, key))
    await client.ws.connect()
    await client.next()
    await client.send(
        {"type": "terminal.input", "id": "n", "line": "kubectl config set-context --current --namespace=dev"}
    )
    output, _ = await client.until(_is_output("n"))
    assert any(e.get("type") == "namespace" for e in output["effects"])
    await client.ws.disconnect()
    again = Client(_communicator(sb.pk, key))
    await again.ws.connect()
    snapshot = await again.next()
    assert snapshot["namespace"] == "dev"
    await again.ws.disconnect()
