"""Per-pod traffic counters, kept in the pod's private state under ``traffic``.

``{"podUID", "requests", "errors", "latencyMsSum", "perSecond": [[second_ms, count], …], "log": [[at_ms,
container, line], …]}`` — ``perSecond`` covers the last 120 s and is what the
metrics pipeline turns into CPU usage (so HPA sees the load); ``log`` holds the
newest access-log lines ``kubectl logs`` appends after the startup lines.
Counters are exact even when the page only gets sampled request records.
"""

from __future__ import annotations

from typing import Any

TRAFFIC_KEY = "traffic"
WINDOW_MS = 120_000
MAX_LOG_LINES = 100


def fresh(pod_uid: str) -> dict[str, Any]:
    return {"podUID": pod_uid, "requests": 0, "errors": 0, "latencyMsSum": 0, "perSecond": [], "log": []}


def copy(traffic: dict[str, Any]) -> dict[str, Any]:
    """A working copy: buckets are mutated in place, log entries never are (so they are shared)."""
    working = dict(traffic)
    working["perSecond"] = [list(b) for b in traffic.get("perSecond") or []]
    working["log"] = list(traffic.get("log") or [])
    return working


def count(traffic: dict[str, Any], at_ms: int, *, requests: int = 1, errors: int = 0, latency_ms: int = 0) -> None:
    """Add ``requests`` served at ``at_ms`` (``errors`` of them failed) to the counters, in place."""
    traffic["requests"] = int(traffic.get("requests", 0)) + requests
    traffic["errors"] = int(traffic.get("errors", 0)) + errors
    traffic["latencyMsSum"] = int(traffic.get("latencyMsSum", 0)) + latency_ms
    if requests <= 0:
        return
    second = at_ms - at_ms % 1000
    buckets: list[list[int]] = traffic.setdefault("perSecond", [])
    if buckets and buckets[-1][0] == second:
        buckets[-1][1] += requests
        return
    for bucket in buckets:
        if bucket[0] == second:
            bucket[1] += requests
            return
    buckets.append([second, requests])
    buckets.sort(key=lambda b: b[0])


def add_errors(traffic: dict[str, Any], errors: int) -> None:
    traffic["errors"] = int(traffic.get("errors", 0)) + errors


def prune(traffic: dict[str, Any], now_ms: int) -> None:
    floor = now_ms - now_ms % 1000 - WINDOW_MS
    buckets = traffic.get("perSecond") or []
    if buckets and buckets[0][0] < floor:
        traffic["perSecond"] = [b for b in buckets if b[0] >= floor]


def append_log(traffic: dict[str, Any], at_ms: int, container: str, line: str) -> None:
    log: list[list[Any]] = traffic.setdefault("log", [])
    log.append([at_ms, container, line])
    if len(log) > MAX_LOG_LINES + MAX_LOG_LINES // 4:
        del log[: len(log) - MAX_LOG_LINES]


def rate_last_second(traffic: dict[str, Any] | None, at_ms: int) -> int:
    """Requests the pod got in the second before ``at_ms``'s second (its current load)."""
    previous = at_ms - at_ms % 1000 - 1000
    for second, requests in reversed((traffic or {}).get("perSecond") or []):
        if second == previous:
            return int(requests)
        if second < previous:
            break
    return 0
