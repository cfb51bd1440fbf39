"""The ``cluster`` Django app: the thin shell around the pure simulation core."""

from __future__ import annotations

from django.apps import AppConfig


class ClusterConfig(AppConfig):
    name = "cluster"
    verbose_name = "Simulated clusters"
    default_auto_field = "django.db.models.BigAutoField"
