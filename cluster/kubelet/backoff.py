"""Exponential back-off like client-go's ``flowcontrol.Backoff``, as data in private state.

The kubelet keeps one back-off entry per container (restarts) and one per
(pod, image) (pulls), starting at 10 s, doubling, capped at 5 minutes. An
entry "expires" — the next failure starts again at 10 s — when the failure
comes more than twice the cap (10 min) after the entry was last bumped: a
container that ran cleanly for ten minutes is forgiven (K8S_FACTS §3.8).

Simplification: no jitter (client-go adds none for the kubelet either).
"""

from __future__ import annotations

from typing import Any

INITIAL_MS = 10_000
MAX_MS = 300_000

Entry = dict[str, Any]  # {"backoffMs": int, "lastUpdateMs": int}


def _expired(entry: Entry, event_ms: int) -> bool:
    return event_ms - int(entry["lastUpdateMs"]) > 2 * MAX_MS


def next_entry(entry: Entry | None, event_ms: int, now_ms: int) -> Entry:
    """``Backoff.Next``: start at 10 s (or again after expiry), else double up to the cap."""
    if entry is None or _expired(entry, event_ms):
        return {"backoffMs": INITIAL_MS, "lastUpdateMs": now_ms}
    return {"backoffMs": min(2 * int(entry["backoffMs"]), MAX_MS), "lastUpdateMs": now_ms}


def in_backoff_since(entry: Entry | None, event_ms: int, now_ms: int) -> bool:
    """``IsInBackOffSince``: is ``now`` still within the back-off counted from ``event_ms``?"""
    if entry is None or _expired(entry, event_ms):
        return False
    return now_ms - event_ms < int(entry["backoffMs"])


def in_backoff_since_update(entry: Entry | None, now_ms: int) -> bool:
    """``IsInBackOffSinceUpdate``: within the back-off counted from the last failure?"""
    if entry is None or _expired(entry, now_ms):
        return False
    return now_ms - int(entry["lastUpdateMs"]) < int(entry["backoffMs"])
