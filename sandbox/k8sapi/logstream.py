"""``pods/<name>/log?follow=true``: the container's output, then each new line as the simulation prints it.

The stream follows one container instance, as the kubelet does: it ends when
that instance terminates or is restarted, or when the pod is deleted. New
lines are computed by the simulated kubelet's log reconstruction from the
pod as stored, whenever a commit (or the polling fallback) says something
changed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async

from cluster import services
from cluster.kubelet import container_logs
from cluster.models import Sandbox, StoredObject
from cluster.persistence import clock_of
from sandbox.k8sapi import subresources
from sandbox.k8sapi.exchange import ApiRequest
from sandbox.k8sapi.routes import Target
from sandbox.k8sapi.subresources import LogRead
from sandbox.k8sapi.watch import POLL_SECONDS, CommitSignal

Obj = dict[str, Any]
FOLLOW_LIMIT_SECONDS = 4 * 3600


def current(sandbox_id: int, target: Target, follow: LogRead) -> tuple[list[str], bool] | None:
    """All lines of the followed instance so far and whether it has ended; None when the pod is gone."""
    sandbox = Sandbox.objects.filter(pk=sandbox_id).first()
    row = (
        StoredObject.objects.filter(
            sandbox_id=sandbox_id, kind="Pod", namespace=target.namespace or "default", name=target.name
        )
        .values_list("manifest", "private")
        .first()
    )
    if sandbox is None or row is None:
        return None
    pod, private = row
    now_ms = clock_of(sandbox).now(services.wall_ms())
    restarted = subresources.restart_count(pod, follow.container) > follow.restarts
    lines = container_logs(pod, private, follow.container, now_ms, previous=restarted) or []
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    state = next((s.get("state") or {} for s in statuses if s.get("name") == follow.container), {})
    return lines, restarted or bool(state.get("terminated")) or bool(pod["metadata"].get("deletionTimestamp"))


async def stream(req: ApiRequest, target: Target, first: LogRead) -> AsyncIterator[bytes]:
    yield subresources.log_text(first.lines, req).encode("utf-8")
    printed = first.printed
    loop = asyncio.get_running_loop()
    deadline = loop.time() + FOLLOW_LIMIT_SECONDS
    async with CommitSignal(req.sandbox_id) as signal:
        while loop.time() < deadline:
            await signal.wait(POLL_SECONDS)
            found = await sync_to_async(current)(req.sandbox_id, target, first)
            if found is None:
                return
            lines, ended = found
            fresh = subresources.decorate_new(req, lines[printed:], first.started)
            printed = max(printed, len(lines))
            if fresh:
                yield "".join(f"{line}\n" for line in fresh).encode("utf-8")
            if ended:
                return
