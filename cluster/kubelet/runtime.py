"""The container runtime as the kubelet talks to it: ids, CRI calls as trace steps, Go-style texts.

Nothing runs; what the learner sees is the conversation. Each CRI call
(``RunPodSandbox``, ``PullImage``, ``CreateContainer``/``StartContainer``,
``StopContainer``, ``RemovePodSandbox``) becomes one ``kubelet:<node> ->
runtime`` step for the cluster-map animation. Container ids are stable
hashes of (pod uid, container, attempt), so replays give the same ids.
"""

from __future__ import annotations

import hashlib
from typing import Any

from cluster.engine.actions import ObjKey, Trace

RUNTIME = "runtime"
ID_SCHEME = "containerd://"


def _hex(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def container_id(pod_uid: str, container: str, attempt: int) -> str:
    """``containerd://<64 hex>``: one id per started container instance."""
    return ID_SCHEME + _hex(pod_uid, container, attempt)


def go_duration(ms: int) -> str:
    """Go's ``time.Duration.String()`` of a millisecond-truncated duration: ``850ms``, ``2.134s``, ``1m2.5s``."""
    if ms == 0:
        return "0s"
    if ms < 1000:
        return f"{ms}ms"
    minutes, rest = divmod(ms, 60_000)
    seconds = f"{rest // 1000}.{rest % 1000:03d}".rstrip("0").rstrip(".") + "s"
    if not minutes:
        return seconds
    hours, minutes = divmod(minutes, 60)
    return (f"{hours}h" if hours else "") + f"{minutes}m" + seconds


def cri(node: str, verb: str, text: str, pod: ObjKey, **params: Any) -> Trace:
    """A ``kubelet:<node> -> runtime`` step (``verb`` is the CRI method)."""
    return Trace(f"kubelet:{node}", RUNTIME, verb, text, obj=pod, params={"node": node, **params})


def from_runtime(node: str, verb: str, text: str, pod: ObjKey, **params: Any) -> Trace:
    """A ``runtime -> kubelet:<node>`` step: something the runtime reports (a container exited)."""
    return Trace(RUNTIME, f"kubelet:{node}", verb, text, obj=pod, params={"node": node, **params})
