"""Access-log lines, in the format each app's server writes them to the container's stdout/stderr.

nginx's official image logs the ``main`` format (combined plus
``$http_x_forwarded_for``) to stdout; Apache logs the common format; the
course's Flask app logs through Werkzeug — and, sitting behind nginx in the
same container, sees nginx's ``127.0.0.1`` and HTTP/1.0 proxy requests.
``kubectl logs`` shows these after the startup lines: ``access_log_lines``
gives them for one container instance.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cluster.networking.apps import HttpRequest, HttpResponse
from cluster.networking.counters import TRAFFIC_KEY


def _moment(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


def _request_line(req: HttpRequest, version: str = "HTTP/1.1") -> str:
    return f"{req.method} {req.path} {version}"


def line_for(kind: str, req: HttpRequest, resp: HttpResponse, at_ms: int) -> str | None:
    """The log line ``kind``'s server writes for one request (None for apps that log nothing)."""
    agent = req.header("User-Agent") or "-"
    referer = req.header("Referer") or "-"
    if kind == "nginx":
        stamp = _moment(at_ms).strftime("%d/%b/%Y:%H:%M:%S +0000")
        forwarded = req.header("X-Forwarded-For") or "-"
        return (
            f'{req.client_ip} - - [{stamp}] "{_request_line(req)}" {resp.status} {resp.size} "{referer}" '
            f'"{agent}" "{forwarded}"'
        )
    if kind == "hostname":
        stamp = _moment(at_ms).strftime("%d/%b/%Y %H:%M:%S")
        return f'127.0.0.1 - - [{stamp}] "{_request_line(req, "HTTP/1.0")}" {resp.status} -'
    if kind in ("httpd", "cpu-hog"):
        stamp = _moment(at_ms).strftime("%d/%b/%Y:%H:%M:%S +0000")
        size = resp.size if resp.size else "-"
        line = f'{req.client_ip} - - [{stamp}] "{_request_line(req)}" {resp.status} {size}'
        return line + (f' "{referer}" "{agent}"' if kind == "cpu-hog" else "")
    if kind == "echo":
        return f"{req.client_ip} {req.method} {req.path} {resp.status}"
    return None


def access_log_lines(private: dict[str, Any] | None, container: str, since_ms: int | None = None) -> list[str]:
    """Access-log lines of ``container`` (those at or after ``since_ms``: the current instance's start).

    ``kubectl logs`` appends these to the startup lines of the running
    instance: ``lines + access_log_lines(private(pod), container, started_at_ms)``.
    """
    log = ((private or {}).get(TRAFFIC_KEY) or {}).get("log") or []
    return [str(line) for at, name, line in log if name == container and (since_ms is None or int(at) >= since_ms)]
