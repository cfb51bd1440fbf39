"""kube-proxy: which endpoint a new connection to a Service goes to.

iptables mode (the default) writes, per Service, a ``KUBE-SVC-*`` chain with
one rule per ready endpoint; endpoint *i* of *n* is jumped to with
``-m statistic --mode random --probability 1/(n−i)`` and the last one
unconditionally, so each endpoint gets 1/n of new connections **at random**,
not in turn (K8S_FACTS §5.1). IPVS mode uses the ``rr`` scheduler: strictly
in turn (§5.2). ``sessionAffinity: ClientIP`` pins a client IP to the
endpoint it first got for ``timeoutSeconds`` (10800 by default) after its
last connection (§5.3).

The mode is a per-sandbox switch kept in private state
``KubeProxy/config``: ``{"mode": "iptables"|"ipvs", "seq": n, "rr": {…},
"affinity": {…}}``. Randomness is counter-based — draw *k* of connection
*seq* is a SplitMix64 hash of (sandbox salt, seq, k) — so the sequence is
deterministic, survives a restart, and needs only one integer of state.

Simplification: one kube-proxy state for the whole cluster (every node's
kube-proxy would hold identical rules; the IPVS cursor and affinity table are
shared rather than per node).
"""

from __future__ import annotations

from typing import Any

from cluster.engine.actions import ObjKey
from cluster.networking.backends import Backend

CONFIG_KEY = ObjKey("KubeProxy", "", "config")
MODES = ("iptables", "ipvs")
DEFAULT_MODE = "iptables"
DEFAULT_AFFINITY_SECONDS = 10800
MAX_AFFINITY_ENTRIES = 1000
_MASK = (1 << 64) - 1


def mode_of(config: dict[str, Any] | None) -> str:
    mode = (config or {}).get("mode")
    return mode if mode in MODES else DEFAULT_MODE


def splitmix64(value: int) -> int:
    value = (value + 0x9E3779B97F4A7C15) & _MASK
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


def draw(salt: int, seq: int, index: int) -> float:
    """A uniform float in [0, 1) for rule ``index`` of connection ``seq``."""
    return splitmix64((salt * 1_000_003 + seq * 64 + index) & _MASK) / 2.0**64


def iptables_probability(i: int, n: int) -> str:
    """The ``--probability`` kube-proxy writes for endpoint ``i`` of ``n`` (10 decimals, e.g. 0.3333333333)."""
    return f"{1 / (n - i):.10f}"


def pick_random(backends: list[Backend], salt: int, seq: int) -> Backend:
    """Walk the KUBE-SVC chain: jump to endpoint i with probability 1/(n−i); the last rule always matches."""
    n = len(backends)
    for i, backend in enumerate(backends[:-1]):
        if draw(salt, seq, i) < 1 / (n - i):
            return backend
    return backends[-1]


def pick_round_robin(backends: list[Backend], cursor: int) -> tuple[Backend, int]:
    return backends[cursor % len(backends)], cursor + 1


def affinity_seconds(service: dict[str, Any]) -> int | None:
    """The ClientIP affinity timeout of the Service, or None without affinity."""
    spec = service.get("spec") or {}
    if spec.get("sessionAffinity") != "ClientIP":
        return None
    config = ((spec.get("sessionAffinityConfig") or {}).get("clientIP") or {}).get("timeoutSeconds")
    return int(config) if config else DEFAULT_AFFINITY_SECONDS


def _sticky(
    table: dict[str, list[Any]], client: str, backends: list[Backend], now_ms: int, timeout_s: int
) -> Backend | None:
    entry = table.get(client)
    if entry is None or now_ms - int(entry[1]) > timeout_s * 1000:
        return None
    return next((b for b in backends if b.address == entry[0]), None)


def _remember(table: dict[str, list[Any]], client: str, backend: Backend, now_ms: int) -> None:
    table[client] = [backend.address, now_ms]
    if len(table) > MAX_AFFINITY_ENTRIES:
        oldest = min(table, key=lambda c: int(table[c][1]))
        del table[oldest]


def choose(
    config: dict[str, Any],
    chain: str,
    backends: list[Backend],
    *,
    client_ip: str,
    now_ms: int,
    salt: int,
    affinity_s: int | None = None,
) -> Backend:
    """Pick the endpoint for one new connection to ``chain`` (``ns/svc:port``); updates ``config`` in place."""
    config["seq"] = seq = int(config.get("seq", 0)) + 1
    table: dict[str, list[Any]] | None = None
    if affinity_s is not None:
        table = config.setdefault("affinity", {}).setdefault(chain, {})
        sticky = _sticky(table, client_ip, backends, now_ms, affinity_s)
        if sticky is not None:
            table[client_ip][1] = now_ms
            return sticky
    if mode_of(config) == "ipvs":
        cursors = config.setdefault("rr", {})
        backend, cursors[chain] = pick_round_robin(backends, int(cursors.get(chain, 0)))
    else:
        backend = pick_random(backends, salt, seq)
    if table is not None:
        _remember(table, client_ip, backend, now_ms)
    return backend
