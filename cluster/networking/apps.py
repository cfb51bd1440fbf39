"""What the simulated containers answer: the HTTP responses of the built-in apps.

Each image in the sandbox's registry runs a known app (``ImageInfo.app``):
``nginx`` serves its welcome page and its own 404/405 pages with a
``Server: nginx/<version>`` header; ``httpd`` says "It works!"; the course's
``hostname`` app (Flask behind nginx) answers with the pod's hostname and IP,
which is how a learner *sees* load balancing; ``echo`` returns the request as
JSON; ``cpu-hog`` is the HPA walkthrough's PHP page that burns CPU and says
``OK!``; Redis speaks no HTTP and drops the connection. A container whose
app listens on no such port refuses the connection.

Simplifications: headers are the ones a learner notices (Server, Date,
Content-Type, Content-Length, Last-Modified/ETag for static files); bodies are
served uncompressed; keep-alive is not modelled (one request per connection).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any

from cluster.networking import pages

REASONS = {
    200: "OK",
    301: "Moved Permanently",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    405: "Not Allowed",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
    504: "Gateway Time-out",
}
# What each app costs per request when idle (ms); cpu-hog's PHP loop is the expensive one.
BASE_LATENCY_MS = {"nginx": 1, "httpd": 1, "hostname": 3, "echo": 1, "cpu-hog": 50}
# Binaries that start the image's own server when a container overrides ``command``.
SERVER_BINARIES = {"nginx", "httpd", "httpd-foreground", "apache2-foreground", "python", "python3", "flask", "gunicorn"}


@dataclass(frozen=True)
class App:
    """The server a container runs: which app, its version and ``Server`` header, the ports it listens on."""

    kind: str
    version: str = ""
    server: str = ""
    ports: tuple[int, ...] = ()


@dataclass
class HttpRequest:
    method: str
    path: str
    host: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    client_ip: str = ""  # the source address the server sees (after any SNAT)

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")


@dataclass
class HttpResponse:
    status: int
    headers: list[tuple[str, str]]
    body: str
    reason: str = ""

    @property
    def status_line(self) -> str:
        return f"HTTP/1.1 {self.status} {self.reason or REASONS.get(self.status, '')}".rstrip()

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")

    @property
    def size(self) -> int:
        return len(self.body.encode())


@dataclass(frozen=True)
class PodInfo:
    """The answering pod as its app sees itself."""

    name: str
    namespace: str
    ip: str
    node: str


def http_date(ms: int) -> str:
    return formatdate(ms / 1000, usegmt=True)


def _headers(
    server: str,
    now_ms: int,
    content_type: str,
    body: str,
    extra: list[tuple[str, str]] | None = None,
) -> list[tuple[str, str]]:
    head = [("Server", server)] if server else []
    head += [("Date", http_date(now_ms)), ("Content-Type", content_type), ("Content-Length", str(len(body.encode())))]
    return head + (extra or [])


def _strip_head(method: str, response: HttpResponse) -> HttpResponse:
    if method == "HEAD":
        response.body = ""
    return response


def _static_headers(body: str, modified_ms: int) -> list[tuple[str, str]]:
    return [
        ("Last-Modified", http_date(modified_ms)),
        ("Connection", "keep-alive"),
        ("ETag", f'"{modified_ms // 1000:x}-{len(body.encode()):x}"'),
        ("Accept-Ranges", "bytes"),
    ]


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split(".") if p.isdigit())


def nginx(app: App, req: HttpRequest, now_ms: int) -> HttpResponse:
    server = app.server or "nginx"
    path = req.path.split("?")[0]
    if path in ("/", "/index.html"):
        if req.method not in ("GET", "HEAD"):
            body = pages.nginx_error(405, "Not Allowed", server)
            return HttpResponse(405, _headers(server, now_ms, "text/html", body, [("Connection", "keep-alive")]), body)
        body = pages.NGINX_WELCOME if _version_tuple(app.version) >= (1, 21) else pages.NGINX_WELCOME_OLD
        built = 1_700_000_000_000 + sum(_version_tuple(app.version)) * 86_400_000
        return _strip_head(
            req.method,
            HttpResponse(200, _headers(server, now_ms, "text/html", body, _static_headers(body, built)), body),
        )
    body = pages.nginx_error(404, "Not Found", server)
    return _strip_head(
        req.method, HttpResponse(404, _headers(server, now_ms, "text/html", body, [("Connection", "keep-alive")]), body)
    )


def hostname(app: App, req: HttpRequest, pod: PodInfo, now_ms: int) -> HttpResponse:
    """The course's Flask app behind nginx in the same container (nginx writes the status line and Server)."""
    server = app.server or "nginx/1.25.5"
    kind = "text/html; charset=utf-8"
    keep = [("Connection", "keep-alive")]
    if req.path.split("?")[0] != "/":
        body = pages.FLASK_NOT_FOUND
        return _strip_head(req.method, HttpResponse(404, _headers(server, now_ms, kind, body, keep), body))
    if req.method not in ("GET", "HEAD", "OPTIONS"):
        body = pages.FLASK_METHOD_NOT_ALLOWED
        allow = [*keep, ("Allow", "GET, HEAD, OPTIONS")]
        return HttpResponse(405, _headers(server, now_ms, kind, body, allow), body, "Not Allowed")
    body = f"hostname: {pod.name}, ip: {pod.ip}"
    return _strip_head(req.method, HttpResponse(200, _headers(server, now_ms, kind, body, keep), body))


def httpd(app: App, req: HttpRequest, now_ms: int) -> HttpResponse:
    server = app.server or "Apache"
    if req.path.split("?")[0] in ("/", "/index.html"):
        body = pages.HTTPD_IT_WORKS
        extra = [
            ("Last-Modified", http_date(1_181_677_830_000)),
            ("ETag", '"2d-432a5e4a73a80"'),
            ("Accept-Ranges", "bytes"),
        ]
        return _strip_head(req.method, HttpResponse(200, _headers(server, now_ms, "text/html", body, extra), body))
    body = pages.HTTPD_NOT_FOUND
    return _strip_head(
        req.method, HttpResponse(404, _headers(server, now_ms, "text/html; charset=iso-8859-1", body), body)
    )


def cpu_hog(app: App, req: HttpRequest, now_ms: int) -> HttpResponse:
    body = "OK!"
    extra = [("X-Powered-By", "PHP/5.6.14"), ("Vary", "Accept-Encoding")]
    return _strip_head(
        req.method, HttpResponse(200, _headers(app.server or "Apache", now_ms, "text/html", body, extra), body)
    )


def echo(req: HttpRequest, pod: PodInfo, now_ms: int) -> HttpResponse:
    path, _, query = req.path.partition("?")
    payload: dict[str, Any] = {
        "host": {"hostname": pod.name, "ip": pod.ip},
        "http": {"method": req.method, "path": path, "query": query, "protocol": "HTTP/1.1"},
        "request": {
            "headers": {k.lower(): v for k, v in req.headers},
            "body": req.body,
            "remoteAddress": req.client_ip,
        },
    }
    body = json.dumps(payload, separators=(",", ":"))
    return _strip_head(
        req.method, HttpResponse(200, _headers("", now_ms, "application/json; charset=utf-8", body), body)
    )


def respond(app: App, req: HttpRequest, pod: PodInfo, now_ms: int) -> HttpResponse | None:
    """The app's answer; None when it closes the connection without an HTTP reply (Redis)."""
    if app.kind == "nginx":
        return nginx(app, req, now_ms)
    if app.kind == "hostname":
        return hostname(app, req, pod, now_ms)
    if app.kind == "httpd":
        return httpd(app, req, now_ms)
    if app.kind == "cpu-hog":
        return cpu_hog(app, req, now_ms)
    if app.kind == "echo":
        return echo(req, pod, now_ms)
    return None


def api_server_plain_http() -> HttpResponse:
    """What kube-apiserver (a TLS-only Go server) answers to plain HTTP."""
    body = pages.API_SERVER_PLAIN_HTTP
    return HttpResponse(
        400, [("Content-Type", "text/plain; charset=utf-8"), ("Connection", "close")], body, "Bad Request"
    )


def error_page(status: int, server: str, now_ms: int) -> HttpResponse:
    """An nginx-generated error (the ingress controller's 404 / 503 / 502)."""
    reason = REASONS[status]
    body = pages.nginx_error(status, reason, server)
    return HttpResponse(status, _headers(server, now_ms, "text/html", body, [("Connection", "keep-alive")]), body)
