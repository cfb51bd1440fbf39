"""Running REST requests against a sandbox's cluster through the same service every client uses.

``services.sandbox_run`` loads the sandbox's cluster, brings it to the
current simulated time, runs the operation through the API server core
(validation, quotas, admission, the trace), lets the control plane react and
commits in one transaction, then publishes the changes, so the browser shows
"kubectl (your laptop) -> API server" and what followed. A request the API
server refuses still commits: its trace step (the rejected request) is part
of what the learner sees.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from cluster import services
from cluster.apiserver.context import RequestContext
from cluster.core import errors
from cluster.models import Sandbox
from cluster.sim import SimCluster
from sandbox.k8sapi import negotiate
from sandbox.k8sapi.exchange import ApiRequest

T = TypeVar("T")
ACTOR = "kubectl-laptop"


def run(sandbox_id: int, operation: Callable[[SimCluster], T]) -> T:
    """``operation`` against the sandbox's cluster, committed; an ``ApiError`` it raises is re-raised after that."""

    def guarded(cluster: SimCluster) -> tuple[T | None, errors.ApiError | None]:
        try:
            return operation(cluster), None
        except errors.ApiError as exc:
            return None, exc

    try:
        value, failed = services.sandbox_run(sandbox_id, guarded)
    except Sandbox.DoesNotExist as exc:  # deleted while the request was on its way
        raise errors.ApiError(404, "NotFound", "the server could not find the requested resource") from exc
    if failed is not None:
        raise failed
    return value  # type: ignore[return-value]


def component(user_agent: str) -> str:
    """The client program, from its User-Agent (``kubectl/v1.32.4 (linux/amd64) …`` -> ``kubectl``)."""
    name = user_agent.split("/", 1)[0].strip()
    return name or "client"


def read_context(req: ApiRequest) -> RequestContext:
    return RequestContext(actor=ACTOR, component=component(req.user_agent), user_agent=req.user_agent)


def write_context(req: ApiRequest, *, body_dry_run: list[str] | None = None) -> RequestContext:
    return RequestContext(
        actor=ACTOR,
        component=component(req.user_agent),
        user_agent=req.user_agent,
        dry_run=negotiate.dry_run(req.query, body_dry_run),
        field_manager=negotiate.text(req.query, "fieldManager"),
        field_validation=negotiate.field_validation(req.query),
    )
