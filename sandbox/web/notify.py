"""Tell every open page of a sandbox what changed, once the change is committed.

The same rule as ``cluster.services.publish``: a message about a write goes
out only after its transaction commits (``transaction.on_commit``), so no page
ever sees state that a rollback then undoes; a broken channel layer never
fails the write itself.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from cluster import protocol

log = logging.getLogger(__name__)


def group_notify(sandbox_id: int, message: dict[str, Any]) -> None:
    """Send ``message`` to the sandbox's group after the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: _send(sandbox_id, message))


def _send(sandbox_id: int, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(protocol.group_name(sandbox_id), message)
    except Exception:  # a full channel or a Redis hiccup must not fail a committed write
        log.warning("notify failed for sandbox %s", sandbox_id, exc_info=True)
