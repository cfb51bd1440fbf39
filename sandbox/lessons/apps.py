"""The lessons app: progress models, the /learn/ pages, and moving progress to an account on login."""

from __future__ import annotations

from django.apps import AppConfig


class LessonsConfig(AppConfig):
    name = "sandbox.lessons"
    label = "lessons"
    verbose_name = "Lessons"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from sandbox.lessons import signals  # noqa: F401  (connects the login receiver)
