"""Who is calling: one token per sandbox, checked on every request.

A sandbox's token (``Sandbox.api_token``) is minted with
``secrets.token_urlsafe`` the first time a kubeconfig is made for it and can
be regenerated, which locks out every copy of the old kubeconfig. A request
without a valid token is 401 ``Unauthorized``; a valid token used on another
sandbox is 403 ``Forbidden``, worded as the RBAC authorizer words it. Only
``/version`` answers anonymous callers, as ``system:public-info-viewer``
allows on a real cluster.

The token is accepted as a bearer token, as the password of HTTP Basic
credentials (``curl -u x:<token>``), and in the URL, ``/k8s/<id>/token/<token>/…``:
kubectl sends a kubeconfig's credentials only over TLS, so a kubeconfig for
a plain-HTTP site carries the token in its server URL (``kubeconfig.api_url``).
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from cluster.models import Sandbox
from sandbox.k8sapi import negotiate, status
from sandbox.k8sapi.exchange import ApiRequest

TOKEN_BYTES = 32


@dataclass(frozen=True)
class Caller:
    """The sandbox whose token was presented (None: anonymous)."""

    sandbox_id: int | None

    @property
    def user(self) -> str:
        return f"kubesandbox:sandbox-{self.sandbox_id}" if self.sandbox_id is not None else "system:anonymous"


def presented_token(authorization: str) -> str:
    """The token in an ``Authorization`` header: ``Bearer <token>``, or ``Basic`` with the token as password."""
    scheme, _, value = authorization.strip().partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2]
    return ""


def authenticate(sandbox_id: int, token: str) -> Caller:
    """The caller presenting ``token`` on sandbox ``sandbox_id``'s URL (401 if the token is nobody's)."""
    if not token:
        raise status.unauthorized()
    expected = Sandbox.objects.filter(pk=sandbox_id).values_list("api_token", flat=True).first()
    if expected and secrets.compare_digest(expected.encode(), token.encode()):
        return Caller(sandbox_id)
    owner = Sandbox.objects.filter(api_token=token).values_list("pk", flat=True).first()
    if owner is None:
        raise status.unauthorized()
    return Caller(int(owner))


def verb_of(req: ApiRequest) -> str:
    target = req.route.target
    named = bool(target and target.name)
    if req.method in ("GET", "HEAD"):
        if negotiate.flag(req.query, "watch") or (target is not None and target.watch_path):
            return "watch"
        return "get" if named or target is None else "list"
    return {"POST": "create", "PUT": "update", "PATCH": "patch"}.get(
        req.method, "delete" if named else "deletecollection"
    )


def authorize(caller: Caller, req: ApiRequest, path: str) -> None:
    """403 unless the caller's token belongs to the sandbox the URL names.

    Discovery, OpenAPI and ``/version`` are open to every authenticated caller,
    as the ``system:discovery`` role grants on a real cluster (they are the same
    for every sandbox); unknown paths are forbidden like any resource.
    """
    if caller.sandbox_id == req.sandbox_id:
        return
    target = req.route.target
    if target is None and req.route.kind not in ("not-found", "resource") and caller.sandbox_id is not None:
        return
    if target is None:
        raise status.forbidden(caller.user, verb_of(req), path=path)
    raise status.forbidden(
        caller.user,
        verb_of(req),
        resource=target.served.plural,
        group=target.served.group,
        namespace=target.namespace or "",
        name=target.name,
        subresource=target.subresource,
    )


def sandbox_api_token(sandbox: Sandbox, *, regenerate: bool = False) -> str:
    """The sandbox's API token, minted (or replaced, with ``regenerate``) and saved when needed."""
    if sandbox.api_token and not regenerate:
        return sandbox.api_token
    token = secrets.token_urlsafe(TOKEN_BYTES)
    Sandbox.objects.filter(pk=sandbox.pk).update(api_token=token)
    sandbox.api_token = token
    return token
