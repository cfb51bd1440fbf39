"""How long a running container takes to stop, and with which exit code.

The kubelet sends SIGTERM and waits up to the grace period before SIGKILL.
nginx, Apache and Redis exit within a fraction of a second; a process that
runs as PID 1 without a SIGTERM handler (``sleep`` under ``sh``, the
course's Flask app) ignores the signal and dies by SIGKILL when the grace
period is over, exit code 137. A process that exits on its own first keeps
its own exit code.
"""

from __future__ import annotations

from typing import Any

from cluster.kubelet.images import lookup
from cluster.kubelet.process import plan_process
from cluster.kubelet.state import Record

SIGKILL_EXIT = 137


def plan_stop(c: dict[str, Any], rec: Record, now: int, grace_ms: int, pushed: dict[str, Any] | None) -> dict[str, Any]:
    """``{"atMs", "exitCode", "signal"}`` for stopping ``rec``'s running instance from ``now``."""
    info = lookup(str(c.get("image", "")), pushed)
    stop_ms = plan_process(c, info).stop_ms if info is not None else None
    exit_at = rec.get("exitAtMs")
    if exit_at is not None and exit_at - now <= min(grace_ms, stop_ms if stop_ms is not None else grace_ms):
        return {"atMs": int(exit_at), "exitCode": int(rec.get("exitCode") or 0), "signal": ""}
    if stop_ms is not None and stop_ms <= grace_ms:
        return {"atMs": now + stop_ms, "exitCode": 0, "signal": "SIGTERM"}
    return {"atMs": now + grace_ms, "exitCode": SIGKILL_EXIT, "signal": "SIGKILL"}
