"""Flushing writes rows that mirror the store exactly, and keeps only the watch history compaction would keep."""

from __future__ import annotations

import pytest

from cluster import persistence, services
from cluster.engine.actions import ObjKey
from cluster.models import ObjectChange, Sandbox, StoredObject

pytestmark = pytest.mark.django_db(transaction=True)


def _assert_rows_mirror_the_store(sb: Sandbox) -> None:
    store = persistence.load(sb).cluster.store
    rows = {ObjKey(r.kind, r.namespace, r.name): r for r in StoredObject.objects.filter(sandbox=sb)}
    assert set(rows) == set(store.keys())
    for key, row in rows.items():
        obj = store.get(key)
        assert obj is not None
        meta = obj["metadata"]
        owner = next((r["uid"] for r in meta.get("ownerReferences") or [] if r.get("controller")), "")
        assert row.manifest == obj
        assert (row.api_version, row.uid, row.resource_version) == (
            obj["apiVersion"],
            meta["uid"],
            int(meta["resourceVersion"]),
        )
        assert (row.generation, row.labels, row.owner_uid) == (
            int(meta.get("generation") or 0),
            meta.get("labels") or {},
            owner,
        )
        assert row.node_name == ((obj.get("spec") or {}).get("nodeName", "") if key.kind == "Pod" else "")
        assert row.phase == str((obj.get("status") or {}).get("phase", "") or "")
        assert row.private == store.private(key)


def test_rows_follow_creates_updates_and_deletes_across_flushes_and_reloads() -> None:
    sb = services.sandbox_create(name="mirror", session_key="t", seed=11, paused=True)
    services.sandbox_exec(sb.pk, "kubectl create deployment web --image=nginx:1.25 --replicas=3")
    services.sandbox_advance(sb.pk, 15_000)
    _assert_rows_mirror_the_store(Sandbox.objects.get(pk=sb.pk))
    services.sandbox_exec(sb.pk, "kubectl scale deployment web --replicas=1")
    services.sandbox_advance(sb.pk, 40_000)
    _assert_rows_mirror_the_store(Sandbox.objects.get(pk=sb.pk))
    persistence.forget(sb.pk)  # a fresh process: everything comes back from the rows
    services.sandbox_exec(sb.pk, "kubectl delete deployment web")
    services.sandbox_advance(sb.pk, 60_000)
    sb = Sandbox.objects.get(pk=sb.pk)
    _assert_rows_mirror_the_store(sb)
    assert not StoredObject.objects.filter(sandbox=sb, kind="Pod").exists()


def test_a_burst_keeps_exactly_the_last_revisions_of_history(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(persistence, "CHANGE_HISTORY_KEEP", 40)
    sb = services.sandbox_create(name="burst", session_key="t", seed=5, paused=True)
    services.sandbox_exec(sb.pk, "kubectl create deployment web --image=nginx:1.25 --replicas=6")
    services.sandbox_advance(sb.pk, 20_000)  # one flush of far more than 40 changes
    sb = Sandbox.objects.get(pk=sb.pk)
    store = persistence.load(sb).cluster.store
    rows = list(ObjectChange.objects.filter(sandbox=sb).order_by("resource_version"))
    assert [r.resource_version for r in rows] == list(range(sb.resource_version - 39, sb.resource_version + 1))
    history = {c.resource_version: c for c in store.history}
    for row in rows:
        change = history[row.resource_version]
        assert (row.type, row.kind, row.namespace, row.name) == (change.type, *change.key)
        assert row.object == change.obj
