"""Persistence of simulated clusters, shaped like etcd.

etcd is a key-value store of JSON objects with one global revision. Here a
``Sandbox`` row holds one cluster's revision counter and clock, a
``StoredObject`` row holds one API object exactly as it is served (the full
manifest as JSON) plus the few columns hot queries filter on, and
``ObjectChange`` rows are the watch history that ``watch``, reconnecting
browsers and replay read from.

Only ``cluster.services`` writes these rows; the simulation core never sees
them, it gets plain dicts.
"""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Sandbox(models.Model):
    """One simulated cluster: its owner, seed, clock and revision counter.

    Simulated time is a linear function of wall time anchored at
    (``clock_wall_ms``, ``clock_sim_ms``): ``sim = clock_sim_ms +
    (wall - clock_wall_ms) * clock_speed`` while not paused; pausing, changing
    speed or fast-forwarding re-anchors it.
    """

    id = models.BigAutoField(primary_key=True)
    owner = models.ForeignKey(
        django_settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sandboxes",
    )
    # Anonymous learners own their sandboxes through the session.
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    name = models.CharField(max_length=63)
    slug = models.SlugField(max_length=63, db_index=True)
    seed = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    last_active_at = models.DateTimeField(default=timezone.now)

    clock_sim_ms = models.BigIntegerField(help_text="Simulated time (Unix ms) at the anchor.")
    clock_wall_ms = models.BigIntegerField(help_text="Wall time (Unix ms) at the anchor.")
    clock_speed = models.FloatField(default=1.0)
    clock_paused = models.BooleanField(default=False)

    # The etcd revision: every write takes the next value.
    resource_version = models.BigIntegerField(default=0)
    id_state = models.JSONField(help_text="State of the seeded uid/name generator.")
    engine_state = models.JSONField(default=dict, blank=True)
    quotas = models.JSONField(default=dict, blank=True)
    settings = models.JSONField(default=dict, blank=True)

    # One worker at a time per sandbox: whoever holds an unexpired lease.
    lease_owner = models.CharField(max_length=64, blank=True)
    lease_until_ms = models.BigIntegerField(default=0)
    # When a worker should next wake this sandbox (wall ms); null = nothing due.
    next_wake_wall_ms = models.BigIntegerField(null=True, blank=True, db_index=True)
    api_token = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        constraints = [
            # Anonymous sandboxes (owner null) are told apart by session, not by a constraint.
            models.UniqueConstraint(
                fields=["owner", "name"],
                condition=Q(owner__isnull=False),
                name="cluster_sandbox_owner_name_uniq",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StoredObject(models.Model):
    """One API object (the etcd value), with indexed copies of hot fields.

    ``manifest`` is authoritative; ``labels``, ``owner_uid``, ``node_name`` and
    ``phase`` are denormalised from it on every write so the worker and the
    REST API can filter without parsing JSON. ``private`` is simulator-only
    component state (e.g. a kubelet's stage timers) and is never served.
    """

    # The unique constraint's index starts with sandbox_id, so the FK needs no index of its own.
    # The reverse accessor is ``stored_objects``: ``objects`` would replace ``Sandbox.objects``, the manager.
    sandbox = models.ForeignKey(Sandbox, on_delete=models.CASCADE, related_name="stored_objects", db_index=False)
    api_version = models.CharField(max_length=64)
    kind = models.CharField(max_length=64)
    namespace = models.CharField(max_length=253, blank=True)
    name = models.CharField(max_length=253)
    uid = models.CharField(max_length=36, db_index=True)
    resource_version = models.BigIntegerField()
    generation = models.BigIntegerField(default=0)
    manifest = models.JSONField()
    labels = models.JSONField(default=dict, blank=True)
    owner_uid = models.CharField(max_length=36, blank=True, db_index=True)
    node_name = models.CharField(max_length=253, blank=True)
    phase = models.CharField(max_length=32, blank=True)
    private = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sandbox", "kind", "namespace", "name"],
                name="cluster_storedobject_key_uniq",
            ),
        ]
        indexes = [
            models.Index(fields=["sandbox", "kind", "namespace"], name="cluster_obj_kind_ns_idx"),
            models.Index(fields=["sandbox", "node_name"], name="cluster_obj_node_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.namespace}/{self.name}" if self.namespace else f"{self.kind}/{self.name}"


class ObjectChange(models.Model):
    """One watch event: the object as it was right after the change at ``resource_version``.

    Simplification: kept as a bounded log per sandbox (compacted past a limit)
    rather than etcd's full MVCC history; a watch from a compacted revision
    gets 410 Gone, as it would from the real API server.
    """

    class Type(models.TextChoices):
        ADDED = "ADDED"
        MODIFIED = "MODIFIED"
        DELETED = "DELETED"

    # Indexed through the (sandbox, resource_version) index below.
    sandbox = models.ForeignKey(Sandbox, on_delete=models.CASCADE, related_name="changes", db_index=False)
    resource_version = models.BigIntegerField()
    type = models.CharField(max_length=8, choices=Type.choices)
    kind = models.CharField(max_length=64)
    namespace = models.CharField(max_length=253, blank=True)
    name = models.CharField(max_length=253)
    object = models.JSONField()

    class Meta:
        ordering = ["resource_version", "id"]
        indexes = [
            models.Index(fields=["sandbox", "resource_version"], name="cluster_change_rv_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.kind}/{self.name} @{self.resource_version}"


class SandboxFile(models.Model):
    """One file in the learner's home directory: a manifest, or one of the course's app sources.

    The terminal (``cat``, ``kubectl apply -f``, ``>`` redirection) and the
    page's editor share these files; the simulation core receives them as a
    plain ``{path: content}`` dict and never sees the rows.
    """

    # Indexed through the unique constraint, which starts with sandbox_id.
    sandbox = models.ForeignKey(Sandbox, on_delete=models.CASCADE, related_name="files", db_index=False)
    path = models.CharField(max_length=255)
    content = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(fields=["sandbox", "path"], name="cluster_sandboxfile_path_uniq"),
        ]

    def __str__(self) -> str:
        return self.path


class CommandRecord(models.Model):
    """One line the learner ran in the terminal: the shell history (↑/↓, ``history``) and what lessons count.

    ``sim_ms`` is the sandbox's simulated time when the line ran, so a lesson
    can tell "before the pods were Running" from "after".
    """

    sandbox = models.ForeignKey(Sandbox, on_delete=models.CASCADE, related_name="commands", db_index=False)
    line = models.TextField()
    exit_code = models.IntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    sim_ms = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["sandbox", "id"], name="cluster_command_sandbox_idx"),
        ]

    def __str__(self) -> str:
        return self.line
