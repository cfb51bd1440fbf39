"""Sandbox lifecycle for the web: the visitor's sandbox, a user's named sandboxes, and moving them on sign-in.

An anonymous visitor gets one sandbox, found again through the browser
session; signing up or logging in moves it to the account (renamed if the
account already has one of that name). Creating, resetting and deleting go
through ``cluster.services``; this module adds what the page needs around
them: the course files, the epoch that tells open pages a reset happened.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from cluster import protocol, services
from cluster.models import Sandbox
from sandbox.web.files import files_seed
from sandbox.web.notify import group_notify
from sandbox.web.ownership import Caller, sandboxes_of

DEFAULT_NAME = "sandbox"
MAX_NAME = 63
MAX_SANDBOXES_PER_USER = 20


class SandboxNameError(ValueError):
    pass


def name_clean(name: str) -> str:
    """A sandbox name: trimmed, single-spaced, 1–63 characters."""
    cleaned = re.sub(r"\s+", " ", name or "").strip()
    if not cleaned:
        raise SandboxNameError(_("The name may not be empty."))
    if len(cleaned) > MAX_NAME:
        raise SandboxNameError(_("The name may be at most %(max)d characters long.") % {"max": MAX_NAME})
    return cleaned


def _slug(name: str) -> str:
    return (slugify(name, allow_unicode=True) or DEFAULT_NAME)[:MAX_NAME]


def name_free(owner_id: int | None, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… — the first name the owner does not use yet."""
    if owner_id is None:
        return base
    taken = set(Sandbox.objects.filter(owner_id=owner_id).values_list("name", flat=True))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        suffix = f"-{n}"
        candidate = base[: MAX_NAME - len(suffix)] + suffix
    return candidate


def web_sandbox_create(*, caller: Caller, name: str = DEFAULT_NAME) -> Sandbox:
    """A new sandbox for the caller, with a booted cluster and the course's files."""
    if caller.user_id is not None and sandboxes_of(caller).count() >= MAX_SANDBOXES_PER_USER:
        raise SandboxNameError(_("An account may have at most %(max)d sandboxes.") % {"max": MAX_SANDBOXES_PER_USER})
    name = name_free(caller.user_id, name_clean(name))
    owner = get_user_model().objects.get(pk=caller.user_id) if caller.user_id is not None else None
    sb = services.sandbox_create(name=name, owner=owner, session_key="" if owner else caller.session_key)
    if sb.slug != _slug(name):
        Sandbox.objects.filter(pk=sb.pk).update(slug=_slug(name))
        sb.slug = _slug(name)
    files_seed(sb.pk)
    return sb


def visitor_sandbox(*, caller: Caller) -> Sandbox:
    """The caller's most recently used sandbox, created on the first visit."""
    found = sandboxes_of(caller).first()
    return found if found is not None else web_sandbox_create(caller=caller)


def sandbox_rename(*, sandbox: Sandbox, name: str) -> Sandbox:
    name = name_clean(name)
    if name == sandbox.name:
        return sandbox
    if sandbox.owner_id is not None and Sandbox.objects.filter(owner_id=sandbox.owner_id, name=name).exists():
        raise SandboxNameError(_('You already have a sandbox named "%(name)s".') % {"name": name})
    sandbox.name, sandbox.slug = name, _slug(name)
    sandbox.save(update_fields=["name", "slug"])
    return sandbox


def sandbox_epoch(sandbox: Sandbox) -> int:
    """Which incarnation of the cluster this is: a reset starts a new one (resourceVersions restart)."""
    return int((sandbox.settings or {}).get("epoch", 0))


def web_sandbox_reset(*, sandbox_id: int) -> Sandbox:
    """A fresh cluster under the same sandbox (files and history stay); every open page reloads."""
    sb = Sandbox.objects.get(pk=sandbox_id)
    services.sandbox_reset(sb)
    with transaction.atomic():
        sb = Sandbox.objects.select_for_update().get(pk=sandbox_id)
        epoch = sandbox_epoch(sb) + 1
        sb.settings = {**(sb.settings or {}), "epoch": epoch}
        Sandbox.objects.filter(pk=sandbox_id).update(settings=sb.settings)
        group_notify(sandbox_id, protocol.reset_group_message(epoch))
    return sb


def web_sandbox_delete(*, sandbox: Sandbox) -> None:
    services.sandbox_delete(sandbox)


def sandboxes_claim(*, session_key: str, user_id: int) -> list[Sandbox]:
    """Move the anonymous session's sandboxes to the account (on sign-up or login); returns them."""
    if not session_key:
        return []
    moved: list[Sandbox] = []
    with transaction.atomic():
        for sb in Sandbox.objects.select_for_update().filter(owner__isnull=True, session_key=session_key):
            sb.name = name_free(user_id, sb.name)
            sb.owner_id, sb.session_key = user_id, ""
            sb.save(update_fields=["name", "owner", "session_key"])
            moved.append(sb)
    return moved
