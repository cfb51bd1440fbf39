"""Progress through a lesson, per learner: an account, or an anonymous browser until it signs up.

Each started lesson has its own sandbox, built in the lesson's starting
scenario. ``baseline`` marks where the current step began (the cluster's
resourceVersion and how many commands had been run), so history and
command checks only count what happened during that step.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cluster.models import Sandbox


class LessonProgress(models.Model):
    user = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="lesson_progress",
    )
    # Anonymous learners are told apart by a random key kept in their session (it survives login's key rotation).
    learner_key = models.CharField(max_length=40, blank=True, db_index=True)
    lesson_id = models.SlugField(max_length=64)
    sandbox = models.ForeignKey(Sandbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    step_index = models.PositiveIntegerField(default=0)
    steps_done = models.JSONField(default=list, blank=True, help_text="[{id, at, commands}] in the order done.")
    hints_used = models.JSONField(default=dict, blank=True, help_text="step id -> hints revealed.")
    baseline = models.JSONField(default=dict, blank=True, help_text="{resource_version, commands} of the step.")
    # CommandRecord ids up to this one were run before the lesson (re)started and do not count.
    command_base = models.BigIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lesson_id"], condition=Q(user__isnull=False), name="lessons_progress_user_uniq"
            ),
            models.UniqueConstraint(
                fields=["learner_key", "lesson_id"],
                condition=Q(user__isnull=True),
                name="lessons_progress_learner_uniq",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lesson_id} step {self.step_index}"

    @property
    def done_ids(self) -> list[str]:
        return [str(entry.get("id")) for entry in self.steps_done or []]
