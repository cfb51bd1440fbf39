"""One REST request and its reply, independent of Django's request/response classes.

The view turns a Django request into an ``ApiRequest`` and a ``Reply`` back
into a response; every handler in between is a plain function of these.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cluster.core import errors
from sandbox.k8sapi.routes import Route

JSON = "application/json"
TEXT = "text/plain"


@dataclass
class ApiRequest:
    sandbox_id: int
    method: str
    route: Route
    query: dict[str, list[str]] = field(default_factory=dict)
    accept: str = ""
    content_type: str = ""
    body: bytes = b""
    user_agent: str = ""
    prefix: str = ""  # the sandbox's URL prefix, e.g. "/k8s/7" (for server-relative URLs)
    host: str = ""  # the Host the client used (for serverAddressByClientCIDRs)


@dataclass
class Reply:
    status: int
    body: Any
    content_type: str = JSON
    warnings: list[str] = field(default_factory=list)

    def content(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode("utf-8")
        return json_bytes(self.body)


def json_bytes(data: Any) -> bytes:
    """Compact JSON plus a newline, as the API server writes it."""
    return (json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n").encode("utf-8")


def ok(body: Any, status: int = 200, warnings: list[str] | None = None, content_type: str = JSON) -> Reply:
    return Reply(status, body, content_type, list(warnings or []))


def failure(exc: errors.ApiError) -> Reply:
    return Reply(exc.code, exc.status())
