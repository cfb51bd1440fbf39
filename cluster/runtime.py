"""Embedded mode: start the controller worker inside the web process on first use.

The in-memory channel layer cannot cross processes, so in embedded mode the
worker must share the web server's event loop. Daphne gives no start-up hook,
so the ASGI app starts the worker task the first time it is called.
"""

from __future__ import annotations

import asyncio
from typing import Any

_STARTED: dict[int, asyncio.Task[Any]] = {}


def ensure_embedded_worker() -> None:
    from cluster.worker import embedded_loop

    loop = asyncio.get_running_loop()
    task = _STARTED.get(id(loop))
    if task is None or task.done():
        _STARTED[id(loop)] = loop.create_task(embedded_loop())


def with_embedded_worker(app: Any) -> Any:
    async def application(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope.get("type") in ("http", "websocket"):
            ensure_embedded_worker()
        await app(scope, receive, send)

    return application
