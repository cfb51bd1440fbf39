"""Turning load into usage: request rates over metrics-server's window, and a container's CPU and memory.

metrics-server scrapes every kubelet every 15 s (``--metric-resolution``)
and reports the rate over the last window, so a sample is fixed for 15 s and
moves in steps; usage here is computed for the scrape at or before ``now``
over the 15 s before it. The traffic model counts each pod's requests per
second (``private(pod)["traffic"]["perSecond"]``: ``[[second_start_ms,
count], …]`` for the last 120 s); a pod without counters has no load.

The kubelet enforces a CPU limit with CFS throttling, so usage never passes
it; without a limit a container can at most use the node. When the
containers of a node want more CPU than the node has, the kernel shares it
out by ``cpu.shares`` (proportional to each container's CPU request):
``share_cpu`` does that water-filling, so a node never reports more than it
has. Simplification: memory is capped at its limit too (no OOM kill from
load).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cluster.metrics.profiles import AppProfile

WINDOW_MS = 15_000  # metrics-server --metric-resolution, and the window each sample covers


def scrape_time(now_ms: int) -> int:
    """The latest scrape at or before ``now_ms`` (scrapes run on a fixed 15 s grid)."""
    return now_ms - now_ms % WINDOW_MS


def requests_in_window(traffic: dict[str, Any] | None, start_ms: int, end_ms: int) -> int:
    """Requests the pod served in seconds starting within ``[start_ms, end_ms)``."""
    total = 0
    for bucket in (traffic or {}).get("perSecond") or []:
        try:
            second, count = int(bucket[0]), int(bucket[1])
        except (TypeError, ValueError, IndexError):
            continue
        if start_ms <= second < end_ms:
            total += max(0, count)
    return total


@dataclass(frozen=True)
class Caps:
    """The most a container can use: its limits, else (CPU) the node's allocatable CPU."""

    cpu_nanocores: int | None = None
    memory_bytes: int | None = None


def _capped(value: int, cap: int | None) -> int:
    return value if cap is None else min(value, cap)


def container_usage(profile: AppProfile, requests: int, window_ms: int, caps: Caps) -> tuple[int, int]:
    """``(nanocores, bytes)`` of a container that served ``requests`` requests during ``window_ms``."""
    cpu = profile.idle_nanocores + requests * profile.cpu_ns_per_request * 1000 // window_ms
    memory = profile.idle_bytes + requests * profile.bytes_per_rps * 1000 // window_ms
    return _capped(cpu, caps.cpu_nanocores), _capped(memory, caps.memory_bytes)


MIN_SHARES = 2  # millicores: the kernel's minimum cpu.shares, what a container without a CPU request gets


def share_cpu(demands: list[int], weights: list[int], capacity: int) -> list[int]:
    """What each container gets of ``capacity`` nanocores: its demand when everything fits; otherwise CFS's
    proportional share by weight (``cpu.shares``), a container that needs less than its share leaving the rest
    to the others."""
    if sum(demands) <= capacity:
        return list(demands)
    given = [0] * len(demands)
    active = [i for i, demand in enumerate(demands) if demand > 0]
    left = max(0, capacity)
    while active and left > 0:
        weight = sum(max(1, weights[i]) for i in active)
        content = [i for i in active if demands[i] - given[i] <= left * max(1, weights[i]) // weight]
        if not content:
            for i in active:
                given[i] += left * max(1, weights[i]) // weight
            break
        for i in content:
            left -= demands[i] - given[i]
            given[i] = demands[i]
        active = [i for i in active if i not in content]
    return given
