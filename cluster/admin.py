"""Read-only Django admin for inspecting simulated clusters.

The API server is the only writer of cluster state; an admin edit would bypass
resourceVersion, validation and the watch history, so every model here is
view-only.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from cluster.models import CommandRecord, ObjectChange, Sandbox, SandboxFile, StoredObject


def pretty_json(value: Any) -> SafeString:
    """A JSON document indented for reading, HTML-escaped inside ``<pre>``.

    Keys are sorted, as kubectl prints them: PostgreSQL's jsonb does not keep
    key order, so this is also the only order that is the same on both backends.
    """
    return format_html("<pre>{}</pre>", json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False))


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Sandbox)
class SandboxAdmin(ReadOnlyAdmin):
    list_display = ("name", "slug", "owner", "resource_version", "clock_speed", "clock_paused", "last_active_at")
    list_filter = ("clock_paused", "created_at", "last_active_at")
    search_fields = ("name", "slug", "owner__username", "session_key")
    date_hierarchy = "created_at"
    exclude = ("id_state", "engine_state", "quotas", "settings", "api_token")
    readonly_fields = ("quotas_pretty", "settings_pretty", "engine_state_pretty")

    @admin.display(description="quotas")
    def quotas_pretty(self, sandbox: Sandbox) -> SafeString:
        return pretty_json(sandbox.quotas)

    @admin.display(description="settings")
    def settings_pretty(self, sandbox: Sandbox) -> SafeString:
        return pretty_json(sandbox.settings)

    @admin.display(description="engine state")
    def engine_state_pretty(self, sandbox: Sandbox) -> SafeString:
        return pretty_json(sandbox.engine_state)


@admin.register(StoredObject)
class StoredObjectAdmin(ReadOnlyAdmin):
    list_display = ("kind", "namespace", "name", "sandbox", "resource_version", "phase", "node_name")
    list_filter = ("kind", "phase")
    search_fields = ("name", "namespace", "uid", "owner_uid", "node_name", "sandbox__name")
    list_select_related = ("sandbox",)
    exclude = ("manifest", "labels", "private")
    readonly_fields = ("manifest_pretty", "labels_pretty", "private_pretty")

    @admin.display(description="manifest")
    def manifest_pretty(self, obj: StoredObject) -> SafeString:
        return pretty_json(obj.manifest)

    @admin.display(description="labels")
    def labels_pretty(self, obj: StoredObject) -> SafeString:
        return pretty_json(obj.labels)

    @admin.display(description="private (simulator-only)")
    def private_pretty(self, obj: StoredObject) -> SafeString:
        return pretty_json(obj.private)


@admin.register(ObjectChange)
class ObjectChangeAdmin(ReadOnlyAdmin):
    list_display = ("resource_version", "type", "kind", "namespace", "name", "sandbox")
    list_filter = ("type", "kind")
    search_fields = ("name", "namespace", "sandbox__name")
    list_select_related = ("sandbox",)
    exclude = ("object",)
    readonly_fields = ("object_pretty",)

    @admin.display(description="object")
    def object_pretty(self, change: ObjectChange) -> SafeString:
        return pretty_json(change.object)


@admin.register(SandboxFile)
class SandboxFileAdmin(ReadOnlyAdmin):
    list_display = ("path", "sandbox", "updated_at")
    search_fields = ("path", "sandbox__name")
    list_select_related = ("sandbox",)


@admin.register(CommandRecord)
class CommandRecordAdmin(ReadOnlyAdmin):
    list_display = ("line", "exit_code", "sandbox", "created_at")
    list_filter = ("exit_code",)
    search_fields = ("line", "sandbox__name")
    list_select_related = ("sandbox",)
    date_hierarchy = "created_at"
