"""Who may touch a sandbox: its owner, or for an anonymous visitor the browser session that created it.

Every view and the WebSocket resolve a sandbox through ``sandbox_of`` so that
a sandbox id in a URL never grants anything by itself: somebody else's
sandbox is indistinguishable from one that does not exist (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from cluster.models import Sandbox


@dataclass(frozen=True)
class Caller:
    """The signed-in user (``user_id``) or the anonymous browser session (``session_key``)."""

    user_id: int | None
    session_key: str

    @property
    def anonymous(self) -> bool:
        return self.user_id is None

    @classmethod
    def of_request(cls, request: HttpRequest) -> Caller:
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        return cls(user_id, request.session.session_key or "")

    @classmethod
    def of_scope(cls, scope: dict[str, Any]) -> Caller:
        """The same caller as ``of_request``, from a Channels scope (``AuthMiddlewareStack`` fills it)."""
        user = scope.get("user")
        user_id = user.pk if user is not None and user.is_authenticated else None
        session = scope.get("session")
        return cls(user_id, (session.session_key if session is not None else "") or "")


def sandboxes_of(caller: Caller) -> QuerySet[Sandbox]:
    """The caller's sandboxes, most recently used first."""
    if caller.user_id is not None:
        found = Sandbox.objects.filter(owner_id=caller.user_id)
    elif caller.session_key:
        found = Sandbox.objects.filter(owner__isnull=True, session_key=caller.session_key)
    else:
        found = Sandbox.objects.none()
    return found.order_by("-last_active_at", "-id")


def sandbox_of(caller: Caller, sandbox_id: int) -> Sandbox:
    """The caller's sandbox ``sandbox_id``; ``Sandbox.DoesNotExist`` if it is missing or somebody else's."""
    return sandboxes_of(caller).get(pk=sandbox_id)


def owns(caller: Caller, sandbox_id: int) -> bool:
    return sandboxes_of(caller).filter(pk=sandbox_id).exists()
