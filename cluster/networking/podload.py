"""Load from inside the cluster: a pod running a ``wget``/``curl`` loop, as in the HPA walkthrough.

The Kubernetes HPA tutorial generates load with::

    kubectl run -i --tty load-generator --rm --image=busybox:1.28 --restart=Never -- \\
        /bin/sh -c "while sleep 0.01; do wget -q -O- http://php-apache; done"

Nothing runs in the sandbox's containers, so the load generator recognises
such a loop in a running container's command and plays it: one request at a
time from that pod (cluster DNS and ClusterIPs work), the next one after the
``sleep`` plus the previous answer's latency plus the loop's own overhead —
a closed loop, so a slower (overloaded) backend gets fewer requests per
second, exactly like the real loop. The run stops when the container stops.

Simplification: the URL is the last non-option word after ``wget``/``curl``;
anything more elaborate in the script is not interpreted.
"""

from __future__ import annotations

import re
import shlex
from typing import Any

from cluster.core.objects import Obj, name_of, namespace_of, uid_of
from cluster.networking.containers import container_state
from cluster.networking.urls import UrlError, parse_url

LOOP = re.compile(r"\b(while|until)\b")
CLIENT = re.compile(r"\b(wget|curl)\b")
SLEEP = re.compile(r"\bsleep\s+(\d+(?:\.\d+)?)")
LOOP_OVERHEAD_MS = 5  # fork/exec of wget and the shell's loop
TIMEOUT_COST_MS = 3_000
Loop = tuple[str, str, int]  # container, url, sleep ms


def _script(container: dict[str, Any]) -> str:
    return " ".join(str(w) for w in [*(container.get("command") or []), *(container.get("args") or [])])


def _url(script: str) -> str | None:
    match = CLIENT.search(script)
    if match is None:
        return None
    tail = re.split(r";|&&|\|\||\bdone\b", script[match.end() :])[0]
    try:
        words = shlex.split(tail)
    except ValueError:
        words = tail.split()
    candidates = [w for w in words if not w.startswith("-")]
    return candidates[-1] if candidates else None


def loops(pod: Obj) -> list[Loop]:
    """The request loops in ``pod``'s containers: (container, url, sleep between requests in ms)."""
    found: list[Loop] = []
    for container in (pod.get("spec") or {}).get("containers") or []:
        script = _script(container)
        if not (LOOP.search(script) and CLIENT.search(script)):
            continue
        url = _url(script)
        if not url:
            continue
        try:
            parse_url(url)
        except UrlError:
            continue
        sleep = SLEEP.search(script)
        found.append((str(container.get("name", "")), url, int(float(sleep.group(1)) * 1000) if sleep else 0))
    return found


def has_loop(pod: Obj) -> bool:
    return any(CLIENT.search(_script(c)) for c in (pod.get("spec") or {}).get("containers") or [])


def run_name(pod: Obj) -> str:
    return f"pod/{name_of(pod)}" if namespace_of(pod) == "default" else f"pod/{namespace_of(pod)}/{name_of(pod)}"


def new_loop_run(pod: Obj, loop: Loop, now_ms: int) -> dict[str, Any]:
    container, url, sleep_ms = loop
    target = parse_url(url)
    status = pod.get("status") or {}
    client = {"ip": str(status.get("podIP") or ""), "namespace": namespace_of(pod), "pod": name_of(pod),
              "node": str((pod.get("spec") or {}).get("nodeName") or "")}  # fmt: skip
    return {
        "name": run_name(pod), "target": str(target), "scheme": target.scheme, "host": target.host.strip("[]"),
        "port": target.port, "path": target.path, "method": "GET", "headers": [], "rps": 0, "startedAtMs": now_ms,
        "untilMs": None, "sentUntilMs": now_ms, "nextMs": now_ms, "sent": 0, "ok": 0, "failed": 0, "byPod": {},
        "byStatus": {}, "latencyMsSum": 0, "inflight": [], "doneMs": None, "client": client, "mode": "loop",
        "sleepMs": sleep_ms, "podUID": uid_of(pod), "container": container,
    }  # fmt: skip


def loop_running(pod: Obj | None, private: dict[str, Any] | None, container: str) -> bool:
    if pod is None or pod["metadata"].get("deletionTimestamp"):
        return False
    return container_state(private, container).running


def next_delay_ms(run: dict[str, Any], latency_ms: int, timed_out: bool) -> int:
    """Time from one request of the loop to the next: the answer (or wget giving up), overhead, then sleep."""
    waited = TIMEOUT_COST_MS if timed_out else latency_ms
    return waited + LOOP_OVERHEAD_MS + int(run.get("sleepMs", 0))
