"""The sandbox page's WebSocket: ``ws/sandbox/<id>/`` (DESIGN §5; shapes in ``cluster.protocol``).

A thin dispatcher: a browser message's ``type`` picks an ``on_*`` method, a
group message's ``type`` picks the Channels handler of the same name, and the
work happens in the ``sandbox.web`` services on a worker thread.

What the consumer itself keeps is per connection: the last resourceVersion
the page has (events at or below it are never sent twice; a hole in the
sequence, possible when several processes publish, is filled from the
``ObjectChange`` history), the terminal's current namespace and running
stream, and the outbox that coalesces bursts into one array per short window.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from cluster import protocol
from cluster.faults import FaultError
from cluster.kubectl.files import FileError
from cluster.models import Sandbox
from sandbox.web import controls, files, snapshot, terminal
from sandbox.web.i18n import language_of_scope
from sandbox.web.ownership import Caller, owns
from sandbox.web.sandboxes import web_sandbox_reset

log = logging.getLogger(__name__)
Message = dict[str, Any]
FLUSH_DELAY_S = 0.04  # the coalescing window: a burst of commits within it becomes one frame
MAX_TRACE_PER_FRAME = 2_000  # the animation cannot show more; the state (watch events) is never cut
NOT_FOUND_CODE = 4404
MAX_FRAME_CHARS = 900_000  # Daphne refuses WebSocket messages over 1 MiB: a bigger batch goes as several arrays


def _text(message: Message, key: str, limit: int = 300_000) -> str:
    value = message.get(key, "")
    if not isinstance(value, str) or len(value) > limit:
        raise ValueError(f"{key} must be a string of at most {limit} characters")
    return value


def _int(message: Message, key: str, default: int = -1) -> int:
    value = message.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{key} must be an integer")
    return value


def frames(messages: list[Message], limit: int = MAX_FRAME_CHARS) -> list[str]:
    """JSON arrays of ``messages`` in order, each under ``limit`` characters (a lone bigger message goes alone)."""
    out: list[str] = []
    parts: list[str] = []
    size = 0
    for message in messages:
        text = json.dumps(message, separators=(",", ":"), ensure_ascii=False)
        if parts and size + len(text) + 1 > limit:
            out.append("[" + ",".join(parts) + "]")
            parts, size = [], 0
        parts.append(text)
        size += len(text) + 1
    if parts:
        out.append("[" + ",".join(parts) + "]")
    return out


class SandboxConsumer(AsyncJsonWebsocketConsumer):
    sandbox_id: int
    group: str

    async def connect(self) -> None:
        self.sandbox_id = int(self.scope["url_route"]["kwargs"]["sandbox_id"])
        self.rv: int | None = None
        self.epoch = 0
        self.stream: dict[str, Any] | None = None
        self.stream_id = ""
        self.outbox: list[Message] = []
        self.flush_task: asyncio.Task[None] | None = None
        if not await database_sync_to_async(owns)(Caller.of_scope(self.scope), self.sandbox_id):
            await self.close(code=NOT_FOUND_CODE)
            return
        self.group = protocol.group_name(self.sandbox_id)
        self.lang = language_of_scope(self.scope)
        self.namespace = await database_sync_to_async(self._namespace_load)()
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        query = parse_qs((self.scope.get("query_string") or b"").decode("latin-1"))
        if query.get("resume") != ["1"]:  # a reconnecting page sends ``hello`` with what it has instead
            await self.send_snapshot()

    async def disconnect(self, code: int) -> None:
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)
        if self.stream is not None:
            terminal.terminal_stream_stop(self.stream)
            self.stream = None
        if self.flush_task is not None:
            self.flush_task.cancel()

    # -- browser → server ---------------------------------------------------------------------------------------
    @classmethod
    async def decode_json(cls, text_data: str) -> Any:
        """A frame that is not JSON is answered like an unknown message, not by dropping the connection."""
        try:
            return json.loads(text_data)
        except (ValueError, RecursionError):
            return None

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        handler = self.HANDLERS.get(kind) if isinstance(kind, str) else None
        if handler is None:
            await self.send_json(protocol.error(f"unknown message type {kind!r}"))
            return
        try:
            await handler(self, content)
        except ValueError as exc:
            await self.send_json(protocol.error(str(exc)))
        except Sandbox.DoesNotExist:
            await self.close(code=NOT_FOUND_CODE)
        except Exception:
            log.exception("sandbox %s: %s failed", self.sandbox_id, kind)
            await self.send_json(protocol.error("the server could not handle this request", "internal"))

    async def on_hello(self, message: Message) -> None:
        rv, epoch = _int(message, "rv"), _int(message, "epoch", 0)
        found = await database_sync_to_async(snapshot.changes_since)(sandbox_id=self.sandbox_id, rv=rv, epoch=epoch)
        if found is None:
            await self.send_snapshot()
            return
        self.rv, self.epoch = max(found["rv"], rv), epoch
        self.outbox = [m for m in self.outbox if m.get("type") != "watch.event" or m["rv"] > self.rv]
        await self.send_json(found)
        clock = await database_sync_to_async(self._clock)()
        await self.send_json(protocol.clock_message(clock))

    async def on_terminal_input(self, message: Message) -> None:
        command_id, line = _text(message, "id", 100), _text(message, "line", 100_000)
        await self._stream_end(reply=False)
        run = await database_sync_to_async(terminal.terminal_run)(
            sandbox_id=self.sandbox_id, command_id=command_id, line=line, lang=self.lang, namespace=self.namespace
        )
        if run.namespace:
            self.namespace = run.namespace
            await database_sync_to_async(self._namespace_save)()
        if run.stream is not None:
            self.stream, self.stream_id = run.stream, command_id
        await self.send_json(run.message)

    async def on_terminal_interrupt(self, message: Message) -> None:
        command_id = _text(message, "id", 100)
        if self.stream is None:
            await self.send_json(protocol.terminal_output(command_id, exit_code=130, interrupted=True))
            return
        await self._stream_end(reply=True)

    async def on_complete(self, message: Message) -> None:
        line = _text(message, "line", 10_000)
        items = await database_sync_to_async(terminal.terminal_complete)(
            sandbox_id=self.sandbox_id, line=line, lang=self.lang, namespace=self.namespace
        )
        await self.send_json(protocol.completion(line, items[:1000]))

    async def on_file_save(self, message: Message) -> None:
        path, content = _text(message, "path", 1000), _text(message, "content")
        try:
            await database_sync_to_async(files.file_save)(sandbox_id=self.sandbox_id, path=path, content=content)
        except FileError as exc:
            await self.send_json(protocol.error(str(exc), "file"))

    async def on_file_delete(self, message: Message) -> None:
        path = _text(message, "path", 1000)
        try:
            await database_sync_to_async(files.file_delete)(sandbox_id=self.sandbox_id, path=path)
        except FileError as exc:
            await self.send_json(protocol.error(str(exc), "file"))

    async def on_file_apply(self, message: Message) -> None:
        command_id, path = _text(message, "id", 100), _text(message, "path", 1000)
        run, result = await database_sync_to_async(terminal.file_apply)(
            sandbox_id=self.sandbox_id, command_id=command_id, path=path, lang=self.lang, namespace=self.namespace
        )
        await self.send_json(run.message)
        await self.send_json(result)

    async def on_edit_save(self, message: Message) -> None:
        reply = await database_sync_to_async(terminal.edit_object_save)(
            sandbox_id=self.sandbox_id,
            command_id=_text(message, "id", 100),
            kind=_text(message, "kind", 100),
            namespace=_text(message, "namespace", 253),
            name=_text(message, "name", 253),
            text=_text(message, "text"),
            lang=self.lang,
        )
        await self.send_json(reply)

    async def on_clock(self, message: Message) -> None:
        action = _text(message, "action", 20)
        try:
            await database_sync_to_async(controls.clock_change)(
                sandbox_id=self.sandbox_id, action=action, value=message.get("value")
            )
        except controls.ClockError as exc:
            await self.send_json(protocol.error(str(exc), "clock"))

    async def on_settle(self, message: Message) -> None:
        await database_sync_to_async(controls.settle)(sandbox_id=self.sandbox_id)

    async def on_fault(self, message: Message) -> None:
        action, target = _text(message, "action", 40), _text(message, "target", 600)
        try:
            await database_sync_to_async(controls.fault_inject)(
                sandbox_id=self.sandbox_id, action=action, target=target
            )
        except FaultError as exc:
            await self.send_json(protocol.error(str(exc), "fault"))

    async def on_reset(self, message: Message) -> None:
        await database_sync_to_async(web_sandbox_reset)(sandbox_id=self.sandbox_id)

    HANDLERS: dict[str, Callable[[SandboxConsumer, Message], Awaitable[None]]] = {
        protocol.HELLO: on_hello,
        protocol.TERMINAL_INPUT: on_terminal_input,
        protocol.TERMINAL_INTERRUPT: on_terminal_interrupt,
        protocol.COMPLETE: on_complete,
        protocol.FILE_SAVE: on_file_save,
        protocol.FILE_DELETE: on_file_delete,
        protocol.FILE_APPLY: on_file_apply,
        protocol.EDIT_SAVE: on_edit_save,
        protocol.CLOCK: on_clock,
        protocol.RESET: on_reset,
        protocol.SETTLE: on_settle,
        protocol.FAULT: on_fault,
    }

    # -- group → browser --------------------------------------------------------------------------------------
    async def cluster_changes(self, message: Message) -> None:
        if self.rv is None:
            return  # not synchronised yet: ``hello`` reads these from the history
        events = [e for e in message.get("events") or [] if e["rv"] > self.rv]
        if events and events[0]["rv"] != self.rv + 1:
            found = await database_sync_to_async(snapshot.changes_since)(
                sandbox_id=self.sandbox_id, rv=self.rv, epoch=self.epoch
            )
            if found is None:
                await self.send_snapshot()
                return
            events = found["events"]
        if events:
            self.rv = events[-1]["rv"]
            if self.stream is not None:
                await self._stream_push(events)
        self.outbox.extend(events)
        self.outbox.extend(message.get("trace") or [])
        self.outbox.extend(message.get("traffic") or [])
        self._flush_soon()

    async def sandbox_clock(self, message: Message) -> None:
        await self.send_json(protocol.clock_message(message["clock"]))

    async def sandbox_reset(self, message: Message) -> None:
        await self._stream_end(reply=True)
        await self.send_snapshot()

    async def sandbox_file(self, message: Message) -> None:
        if message.get("content") is None:
            await self.send_json(protocol.file_deleted(message["path"]))
        else:
            await self.send_json(protocol.file_changed(message["path"], message["content"]))

    # -- helpers --------------------------------------------------------------------------------------------------
    async def send_snapshot(self) -> None:
        rv, epoch, text = await database_sync_to_async(self._snapshot)()
        self.rv, self.epoch = rv, epoch
        self.outbox = [m for m in self.outbox if m.get("type") != "watch.event" or m["rv"] > rv]
        await self.send(text_data=text)

    def _snapshot(self) -> tuple[int, int, str]:
        rv, text = snapshot.snapshot_text(sandbox_id=self.sandbox_id, lang=self.lang, namespace=self.namespace)
        epoch = snapshot.sandbox_epoch(Sandbox.objects.get(pk=self.sandbox_id))
        return rv, epoch, text

    def _clock(self) -> Message:
        return snapshot.clock_of_sandbox(Sandbox.objects.get(pk=self.sandbox_id))

    def _namespace_key(self) -> str:
        return f"kubesandbox-namespace-{self.sandbox_id}"

    def _namespace_load(self) -> str:
        session = self.scope.get("session")
        return str(session.get(self._namespace_key(), "default")) if session is not None else "default"

    def _namespace_save(self) -> None:
        session = self.scope.get("session")
        if session is not None:
            session[self._namespace_key()] = self.namespace
            session.save()

    async def _stream_push(self, events: list[Message]) -> None:
        stream = self.stream
        assert stream is not None
        lines, done = await database_sync_to_async(terminal.terminal_stream_update)(
            sandbox_id=self.sandbox_id, stream=stream, events=events, lang=self.lang, namespace=self.namespace
        )
        if stream is not self.stream:
            return  # interrupted while the update ran
        if lines or done:
            await self.send_json(protocol.terminal_output(self.stream_id, stdout=lines, done=done))
        if done:
            self.stream = None

    async def _stream_end(self, *, reply: bool) -> None:
        """Stop the running stream (Ctrl-C, a new command, a reset); ``reply`` tells the page it ended."""
        if self.stream is None:
            return
        terminal.terminal_stream_stop(self.stream)
        self.stream = None
        if reply:
            await self.send_json(protocol.terminal_output(self.stream_id, exit_code=130, interrupted=True))

    def _flush_soon(self) -> None:
        if self.outbox and (self.flush_task is None or self.flush_task.done()):
            self.flush_task = asyncio.ensure_future(self._flush_later())

    async def _flush_later(self) -> None:
        while self.outbox:  # what arrived while a frame was being sent goes out in the next one
            await asyncio.sleep(FLUSH_DELAY_S)
            batch, self.outbox = self.outbox, []
            events = protocol.coalesce(m for m in batch if m.get("type") == "watch.event")
            others = [m for m in batch if m.get("type") != "watch.event"][-MAX_TRACE_PER_FRAME:]
            for frame in frames(events + others):
                await self.send(text_data=frame)
