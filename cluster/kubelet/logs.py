"""What ``kubectl logs`` reads: the output of a container instance, reconstructed from the kubelet's memory.

Nothing really runs, but each instance's process is known (``process``): the
image's own startup lines (nginx's entrypoint, Flask's banner …), the
``echo`` output of a shell command as far as it has got, and the image's
last words when it exits on its own. ``previous=True`` is
``kubectl logs --previous``: the instance before the latest one.

Simplification: servers print nothing per request.
"""

from __future__ import annotations

from typing import Any

from cluster.core.objects import Obj
from cluster.kubelet.images import lookup, startup_logs
from cluster.kubelet.process import plan_process
from cluster.kubelet.state import PRIVATE_KEY, all_records


def _spec(pod: Obj, name: str) -> dict[str, Any] | None:
    spec = pod.get("spec") or {}
    for c in [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]:
        if c.get("name") == name:
            return dict(c)
    return None


def container_logs(
    pod: Obj, private: dict[str, Any] | None, container: str, now_ms: int, previous: bool = False
) -> list[str] | None:
    """Log lines of ``container`` in ``pod`` (None when no such instance has been started)."""
    state = (private or {}).get(PRIVATE_KEY)
    spec = _spec(pod, container)
    if not state or spec is None:
        return None
    rec = next((r for r in all_records(state) if r["name"] == container), None)
    instance = (rec or {}).get("previous" if previous else "current")
    if rec is None or not instance or not rec.get("image"):
        return None
    info = lookup(str(rec["image"]["ref"]))
    if info is None:
        return []
    started = int(instance["startedAtMs"])
    finished = instance.get("finishedAtMs")
    if not (spec.get("command") or spec.get("args")):
        lines = startup_logs(info, started, str(state.get("podIP", "")))
        natural = finished is not None and instance.get("exitCode") == info.exit_code and info.exit_after_ms is not None
        return lines + (list(info.exit_logs) if natural else [])
    until = (int(finished) if finished is not None else now_ms) - started
    return [line for at, line in plan_process(spec, info).output if at <= until]
