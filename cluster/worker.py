"""The controller worker: wakes sandboxes and runs their control plane up to simulated "now".

Two triggers, both level-triggered and safe to repeat:
- a ``sandbox.wake`` message on channel ``cluster-controllers`` (sent after
  every API write), for low latency;
- a ticker that asks the database which sandboxes have a timer due
  (``next_wake_wall_ms``), which also makes a restarted worker pick up
  everything where it stood — nothing lives only in a worker's memory.
A lease row ensures one worker at a time runs a given sandbox.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Coroutine
from typing import Any

from asgiref.sync import sync_to_async
from channels.consumer import AsyncConsumer
from channels.layers import get_channel_layer

from cluster import protocol, services

log = logging.getLogger(__name__)
TICK_SECONDS = 0.2
CONCURRENCY = 4

WORKER_ID = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
_TASKS: set[asyncio.Task[None]] = set()


def spawn(coro: Coroutine[Any, Any, None]) -> None:
    """Start a task and keep a reference until it ends (the loop only holds weak references)."""
    task = asyncio.ensure_future(coro)
    _TASKS.add(task)
    task.add_done_callback(_TASKS.discard)


class Runner:
    """Runs sandbox passes without running the same sandbox twice at once in this process."""

    def __init__(self) -> None:
        self._busy: set[int] = set()
        self._again: set[int] = set()
        self._slots = asyncio.Semaphore(CONCURRENCY)

    async def wake(self, sandbox_id: int) -> None:
        if sandbox_id in self._busy:
            self._again.add(sandbox_id)
            return
        self._busy.add(sandbox_id)
        try:
            while True:
                self._again.discard(sandbox_id)
                async with self._slots:
                    await sync_to_async(_reconcile, thread_sensitive=False)(sandbox_id)
                if sandbox_id not in self._again:
                    break
        finally:
            self._busy.discard(sandbox_id)

    async def tick(self) -> None:
        due = await sync_to_async(services.due_sandboxes, thread_sensitive=False)(services.wall_ms())
        for sandbox_id in due:
            if sandbox_id not in self._busy:
                spawn(self.wake(sandbox_id))

    async def tick_forever(self) -> None:
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("controller worker tick failed")
            await asyncio.sleep(TICK_SECONDS)


def _reconcile(sandbox_id: int) -> None:
    try:
        services.sandbox_reconcile(sandbox_id, WORKER_ID)
    except Exception:
        log.exception("controller worker failed on sandbox %s", sandbox_id)
    finally:
        from django.db import close_old_connections

        close_old_connections()


_RUNNER: Runner | None = None


def runner() -> Runner:
    global _RUNNER
    if _RUNNER is None:
        _RUNNER = Runner()
    return _RUNNER


class ControllerWorkerConsumer(AsyncConsumer):
    """``cluster-controllers`` channel consumer: ``sandbox.wake`` → run that sandbox now."""

    async def sandbox_wake(self, message: dict) -> None:  # type: ignore[type-arg]
        spawn(runner().wake(int(message["sandbox"])))


async def embedded_loop() -> None:
    """Embedded mode: the worker as a task on the web server's own event loop."""
    layer = get_channel_layer()
    spawn(runner().tick_forever())
    if layer is None:
        return
    while True:
        try:
            message = await layer.receive(protocol.CONTROLLER_CHANNEL)
        except Exception:
            log.exception("controller channel receive failed")
            await asyncio.sleep(TICK_SECONDS)
            continue
        if message.get("type") == "sandbox.wake":
            spawn(runner().wake(int(message["sandbox"])))
