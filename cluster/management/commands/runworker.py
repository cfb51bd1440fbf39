"""``runworker`` with the controller ticker: Channels' worker plus the due-timer loop.

Channels' own ``runworker`` only consumes channel messages; the controller
worker must also wake sandboxes whose timers are due (and, after a restart,
every sandbox that has work), so this command starts the ticker beside it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from channels.management.commands.runworker import Command as ChannelsRunWorker
from channels.worker import Worker


class TickingWorker(Worker):
    async def handle(self) -> None:
        from cluster.worker import runner

        ticker = asyncio.ensure_future(runner().tick_forever())
        try:
            await super().handle()
        finally:
            ticker.cancel()


class Command(ChannelsRunWorker):
    help = "Runs the controller worker (channel cluster-controllers) and its timer loop."
    worker_class = TickingWorker

    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)
