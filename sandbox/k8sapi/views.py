"""The HTTP edge of each sandbox's Kubernetes API: one async view under ``/k8s/<sandbox-id>/``.

The view authenticates the bearer token, parses the path and hands the
request to the synchronous handlers (in Django's sync thread, as a sync view
would run) or, for ``watch`` and ``log?follow``, answers with an async
``StreamingHttpResponse`` that Daphne sends chunked. Every failure becomes a
``Status`` object with the matching HTTP code; bad input never yields an HTML
error page.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

from asgiref.sync import sync_to_async
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.csrf import csrf_exempt

from cluster.core import errors
from sandbox.k8sapi import auth, handlers, logstream, negotiate, subresources, watch
from sandbox.k8sapi.exchange import JSON, TEXT, ApiRequest, Reply, failure
from sandbox.k8sapi.routes import parse_path, served_api

log = logging.getLogger(__name__)


def api_request(request: HttpRequest, sandbox_id: int, path: str) -> ApiRequest:
    try:
        body = request.body
    except RequestDataTooBig as exc:
        raise errors.ApiError(413, "RequestEntityTooLarge", "the request body is too large") from exc
    prefix = request.path[: len(request.path) - len(path)].rstrip("/") if path else request.path.rstrip("/")
    return ApiRequest(
        sandbox_id=sandbox_id,
        method="GET" if request.method == "HEAD" else str(request.method),
        route=parse_path(served_api(), path),
        query={key: request.GET.getlist(key) for key in request.GET},
        accept=request.headers.get("Accept", ""),
        content_type=request.META.get("CONTENT_TYPE", ""),
        body=body,
        user_agent=request.headers.get("User-Agent", ""),
        prefix=prefix,
        host=request.META.get("HTTP_HOST", ""),
    )


def http_response(reply: Reply) -> HttpResponse:
    response = HttpResponse(reply.content(), status=reply.status, content_type=reply.content_type)
    if reply.warnings:
        response.headers["Warning"] = ", ".join(negotiate.warning_header(w) for w in reply.warnings)
    # API errors are ordinary answers (kubectl probes with GETs that 404), and the URL may hold the token:
    # keep them out of Django's "Not Found: /k8s/…" request log.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def is_stream(req: ApiRequest) -> bool:
    target = req.route.target
    if target is None or req.method != "GET":
        return False
    if target.subresource == "log":
        return negotiate.flag(req.query, "follow")
    return not target.subresource and (target.watch_path or negotiate.flag(req.query, "watch"))


async def _chunks(chunks: list[bytes]) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


async def stream_response(req: ApiRequest) -> StreamingHttpResponse:
    target = req.route.target
    assert target is not None
    if target.subresource == "log":
        first = await sync_to_async(subresources.read_log)(req, target)
        return StreamingHttpResponse(logstream.stream(req, target, first), content_type=TEXT)
    spec = watch.watch_spec(req, target)
    first_events, rv, finished = await watch.start(spec)
    body = _chunks(first_events) if finished else watch.stream(spec, first_events, rv)
    return StreamingHttpResponse(body, content_type=JSON)


def authorize(req: ApiRequest, token: str, path: str) -> None:
    if req.route.kind == "version" and not token:
        return
    auth.authorize(auth.authenticate(req.sandbox_id, token), req, "/" + path)


def serve(req: ApiRequest, token: str, path: str) -> Reply | None:
    """Authorize and answer in one trip to the sync thread; None for a stream (the view answers those)."""
    authorize(req, token, path)
    return None if is_stream(req) else handlers.handle(req)


@csrf_exempt
async def api(request: HttpRequest, sandbox_id: int, path: str = "", url_token: str = "") -> HttpResponseBase:
    try:
        req = api_request(request, sandbox_id, path)
        token = auth.presented_token(request.headers.get("Authorization", "")) or url_token
        reply = await sync_to_async(serve)(req, token, path)
        if reply is None:
            return await stream_response(req)
    except errors.ApiError as exc:
        reply = failure(exc)
    except Exception as exc:  # a bug or an outage: still a Status, as the API server answers
        log.exception("Kubernetes API request failed: %s %s", request.method, request.path)
        reply = failure(errors.internal(type(exc).__name__))
    return http_response(reply)
