"""The persistence models: constraints, defaults, ordering, cascades, migrations, admin."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client

from cluster.models import ObjectChange, Sandbox, StoredObject

pytestmark = pytest.mark.django_db


def make_sandbox(name: str = "demo", owner: User | None = None, **fields: Any) -> Sandbox:
    values: dict[str, Any] = {
        "name": name,
        "slug": name,
        "owner": owner,
        "seed": 42,
        "clock_sim_ms": 1_795_000_000_000,
        "clock_wall_ms": 1_795_000_000_000,
        "id_state": {"version": 3, "state": [1, 2, 3]},
    }
    return Sandbox.objects.create(**{**values, **fields})


def pod_manifest(name: str, namespace: str = "default") -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": {"app": "web"}, "uid": f"uid-{name}"},
        "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]},
        "status": {"phase": "Pending", "message": "대기 중"},
    }


def make_object(sandbox: Sandbox, name: str, namespace: str = "default", kind: str = "Pod") -> StoredObject:
    return StoredObject.objects.create(
        sandbox=sandbox,
        api_version="v1",
        kind=kind,
        namespace=namespace,
        name=name,
        uid=f"uid-{name}",
        resource_version=1,
        manifest=pod_manifest(name, namespace),
        labels={"app": "web"},
    )


def test_sandbox_defaults_and_str() -> None:
    sandbox = make_sandbox("첫-클러스터")
    sandbox.refresh_from_db()
    assert str(sandbox) == "첫-클러스터"
    assert (sandbox.resource_version, sandbox.clock_speed, sandbox.clock_paused) == (0, 1.0, False)
    assert (sandbox.engine_state, sandbox.quotas, sandbox.settings) == ({}, {}, {})
    assert (sandbox.lease_owner, sandbox.lease_until_ms, sandbox.next_wake_wall_ms) == ("", 0, None)
    assert sandbox.id_state == {"version": 3, "state": [1, 2, 3]}


def test_manifest_round_trips_exactly() -> None:
    obj = make_object(make_sandbox(), "web-1")
    stored = StoredObject.objects.get(pk=obj.pk)
    assert stored.manifest == pod_manifest("web-1")
    assert stored.private is None
    assert str(stored) == "Pod/default/web-1"


def test_reverse_accessors_leave_the_managers_alone() -> None:
    sandbox = make_sandbox()
    make_object(sandbox, "web-1")
    assert Sandbox.objects.get(pk=sandbox.pk) == sandbox
    assert [o.name for o in sandbox.stored_objects.all()] == ["web-1"]
    assert sandbox.changes.count() == 0


def test_object_key_is_unique_per_sandbox() -> None:
    sandbox = make_sandbox()
    make_object(sandbox, "web-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_object(sandbox, "web-1")


@pytest.mark.parametrize(
    ("other_sandbox", "namespace", "kind"),
    [
        (True, "default", "Pod"),  # same key in another sandbox
        (False, "kube-system", "Pod"),  # another namespace
        (False, "default", "Service"),  # another kind
    ],
)
def test_object_key_differs_in_any_part(other_sandbox: bool, namespace: str, kind: str) -> None:
    sandbox = make_sandbox("a")
    make_object(sandbox, "web-1")
    target = make_sandbox("b") if other_sandbox else sandbox
    make_object(target, "web-1", namespace=namespace, kind=kind)
    assert StoredObject.objects.filter(name="web-1").count() == 2


def test_owned_sandbox_names_are_unique_per_owner() -> None:
    alice = User.objects.create_user("alice")
    bob = User.objects.create_user("bob")
    make_sandbox("lab", owner=alice)
    make_sandbox("lab", owner=bob)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_sandbox("lab", owner=alice)


def test_anonymous_sandboxes_may_share_a_name() -> None:
    make_sandbox("lab", session_key="s1")
    make_sandbox("lab", session_key="s2")
    assert Sandbox.objects.filter(name="lab", owner__isnull=True).count() == 2


def test_changes_are_ordered_by_resource_version() -> None:
    sandbox = make_sandbox()
    for rv, change_type in [(3, "DELETED"), (1, "ADDED"), (2, "MODIFIED")]:
        ObjectChange.objects.create(
            sandbox=sandbox,
            resource_version=rv,
            type=change_type,
            kind="Pod",
            namespace="default",
            name="web-1",
            object=pod_manifest("web-1"),
        )
    assert list(sandbox.changes.values_list("resource_version", "type")) == [
        (1, "ADDED"),
        (2, "MODIFIED"),
        (3, "DELETED"),
    ]


def test_deleting_a_sandbox_deletes_its_objects_and_changes() -> None:
    keep, drop = make_sandbox("keep"), make_sandbox("drop")
    for sandbox in (keep, drop):
        make_object(sandbox, "web-1")
        ObjectChange.objects.create(
            sandbox=sandbox, resource_version=1, type="ADDED", kind="Pod", namespace="default", name="web-1", object={}
        )
    drop.delete()
    assert list(StoredObject.objects.values_list("sandbox__name", flat=True)) == ["keep"]
    assert list(ObjectChange.objects.values_list("sandbox__name", flat=True)) == ["keep"]


def test_deleting_the_owner_deletes_their_sandboxes() -> None:
    alice = User.objects.create_user("alice")
    make_sandbox("lab", owner=alice)
    alice.delete()
    assert not Sandbox.objects.exists()


def test_migrations_match_the_models() -> None:
    out = io.StringIO()
    call_command("makemigrations", "cluster", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


@pytest.mark.parametrize("model", ["sandbox", "storedobject", "objectchange"])
def test_admin_is_read_only(admin_client: Client, model: str) -> None:
    page = admin_client.get(f"/admin/cluster/{model}/")
    assert page.status_code == 200
    assert f'href="/admin/cluster/{model}/add/"' not in page.content.decode()
    assert admin_client.get(f"/admin/cluster/{model}/add/").status_code == 403


def test_admin_shows_the_manifest_pretty_printed_and_refuses_edits(admin_client: Client) -> None:
    obj = make_object(make_sandbox(), "web-1")
    url = f"/admin/cluster/storedobject/{obj.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert "<pre>{\n  &quot;apiVersion&quot;: &quot;v1&quot;,\n  &quot;kind&quot;: &quot;Pod&quot;," in page
    assert "대기 중" in page
    admin_client.post(url, {"name": "renamed"})
    obj.refresh_from_db()
    assert obj.name == "web-1"


def test_the_collector_is_tuned_for_the_simulations_allocation_rate() -> None:
    import gc

    from cluster.apps import GC_GEN0_THRESHOLD

    assert gc.get_threshold()[0] == GC_GEN0_THRESHOLD  # set when Django loads the app, in every process
