"""On login or sign-up, an anonymous learner's lesson progress moves to the account.

The sandbox pages move the session's sandboxes themselves; progress rows
follow their learner key, which lives in the session and so survives the
session-key rotation that ``login()`` performs.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from sandbox.lessons.services import LEARNER_SESSION_KEY, progress_claim


@receiver(user_logged_in, dispatch_uid="lessons-progress-claim")
def claim_progress_on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    learner_key = session.get(LEARNER_SESSION_KEY, "") if session is not None else ""
    if learner_key:
        progress_claim(learner_key=learner_key, user_id=user.pk)
