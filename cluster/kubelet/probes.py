"""Startup, readiness and liveness probes: when they first pass, or what they report when they fail.

Probe workers tick every ``periodSeconds`` from the pod's admission and skip
ticks before ``initialDelaySeconds``. Whether a probe passes follows from
what the container serves: the built-in images listen on their registry
ports (nginx on 80, Redis on 6379 …); a container running ``sleep`` listens
on nothing; nginx and Apache answer 404 for paths other than ``/`` and
``/index.html``. So a readiness probe on the wrong port keeps the pod
``0/1`` with ``Readiness probe failed: … connection refused``, and a failing
liveness probe gets the container killed and restarted after
``failureThreshold`` failures, as on a real node.

Simplifications: exec and gRPC probes, and startup probes, always pass; the
outcome is decided once per container start (an app never turns unhealthy
later); a failing readiness probe reports ``Unhealthy`` once per start
instead of at every tick.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cluster.kubelet.images import ImageInfo
from cluster.kubelet.process import Process

STATIC_APPS = {"nginx", "httpd"}
STATIC_PATHS = {"/", "/index.html"}


@dataclass(frozen=True)
class ProbePlan:
    """The probe-driven life of one container instance started at a given time."""

    started_at: int
    ready_at: int | None  # None: the readiness probe never passes
    unhealthy: tuple[tuple[int, str], ...] = ()  # (when, event message) of failed probes
    kill_at: int | None = None  # the liveness probe's last allowed failure: the kubelet kills the container


def listening_ports(info: ImageInfo, process: Process, overridden: bool) -> tuple[int, ...]:
    """What the container serves: the image's ports, unless a command replaced its server."""
    if overridden and process.stop_ms is None:
        return ()  # sh / sleep as PID 1: nothing listens
    return info.ports


def _port(c: dict[str, Any], value: Any) -> str:
    for port in c.get("ports") or []:
        if isinstance(value, str) and port.get("name") == value:
            return str(port.get("containerPort"))
    return str(value)


def failure(probe: dict[str, Any], c: dict[str, Any], info: ImageInfo, ports: tuple[int, ...], ip: str) -> str | None:
    """The prober's failure text for ``probe`` against this container, or None when it passes."""
    if "httpGet" in probe:
        action = probe["httpGet"] or {}
        port = _port(c, action.get("port", 80))
        path = str(action.get("path") or "/")
        scheme = str(action.get("scheme") or "HTTP").lower()
        if not port.isdigit() or int(port) not in ports:
            url = f"{scheme}://{ip}:{port}{path}"
            return f'Get "{url}": dial tcp {ip}:{port}: connect: connection refused'
        if info.app in STATIC_APPS and path.split("?")[0] not in STATIC_PATHS:
            return "HTTP probe failed with statuscode: 404"
        return None
    if "tcpSocket" in probe:
        port = _port(c, (probe["tcpSocket"] or {}).get("port", 0))
        if not port.isdigit() or int(port) not in ports:
            return f"dial tcp {ip}:{port}: connect: connection refused"
    return None


def _tick(origin: int, probe: dict[str, Any], not_before: int) -> int:
    """The first probe tick (``origin + k·period``) at or after ``not_before``."""
    period = max(1, int(probe.get("periodSeconds") or 10)) * 1000
    if not_before <= origin:
        return origin
    return origin + -(-(not_before - origin) // period) * period


def plan_probes(
    c: dict[str, Any], info: ImageInfo, ports: tuple[int, ...], ip: str, origin: int, start: int
) -> ProbePlan:
    """Probe outcomes for an instance of ``c`` started at ``start`` (workers tick from ``origin``)."""

    def first(probe: dict[str, Any], not_before: int) -> int:
        return _tick(origin, probe, max(not_before, start + int(probe.get("initialDelaySeconds") or 0) * 1000))

    startup, readiness, liveness = c.get("startupProbe"), c.get("readinessProbe"), c.get("livenessProbe")
    started_at = first(startup, start) if startup else start
    ready_at: int | None = started_at
    unhealthy: list[tuple[int, str]] = []
    if readiness:
        ready_at = first(readiness, started_at)
        problem = failure(readiness, c, info, ports, ip)
        if problem is not None:
            unhealthy.append((ready_at, f"Readiness probe failed: {problem}"))
            ready_at = None
    kill_at = None
    if liveness:
        problem = failure(liveness, c, info, ports, ip)
        if problem is not None:
            period = max(1, int(liveness.get("periodSeconds") or 10)) * 1000
            tick = first(liveness, started_at)
            times = [tick + i * period for i in range(max(1, int(liveness.get("failureThreshold") or 3)))]
            unhealthy += [(t, f"Liveness probe failed: {problem}") for t in times]
            kill_at = times[-1]
    return ProbePlan(started_at, ready_at, tuple(sorted(unhealthy)), kill_at)
