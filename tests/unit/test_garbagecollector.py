"""Garbage collector: dangling owners, orphan and foreground finalizers, and its fixed point."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.controllers.garbagecollector import GarbageCollector, classify_owners, gc_mapper
from cluster.core.objects import Obj
from cluster.engine.actions import Action, Delete, ObjKey, Patch, Result, Update
from tests.unit.fakes import FakeView

NOW = 1_764_044_333_000


def ref(kind: str, name: str, uid: str, block: bool = True) -> dict[str, Any]:
    api = "apps/v1" if kind in ("Deployment", "ReplicaSet") else "v1"
    return {"apiVersion": api, "kind": kind, "name": name, "uid": uid, "controller": True, "blockOwnerDeletion": block}


def obj(
    kind: str,
    name: str,
    uid: str,
    owners: list[dict[str, Any]] | None = None,
    finalizers: list[str] | None = None,
) -> Obj:
    meta: dict[str, Any] = {"name": name, "namespace": "default", "uid": uid}
    if owners:
        meta["ownerReferences"] = owners
    if finalizers:
        meta["finalizers"] = finalizers
        meta["deletionTimestamp"] = "2025-11-25T04:18:53Z"
    return {"apiVersion": "v1", "kind": kind, "metadata": meta}


def reconcile(view: FakeView, kind: str, name: str) -> Result:
    return GarbageCollector().reconcile(view, ObjKey(kind, "default", name), NOW)


def apply(view: FakeView, actions: list[Action]) -> None:
    """Just enough API-server semantics for these tests: merge-patch of ownerReferences, finalizers, deletes."""
    for action in actions:
        if isinstance(action, Patch):
            current = view.get_key(action.key)
            assert current is not None
            refs = action.patch["metadata"]["ownerReferences"]
            if refs is None:
                current["metadata"].pop("ownerReferences", None)
            else:
                current["metadata"]["ownerReferences"] = refs
        elif isinstance(action, Update):
            meta = action.obj["metadata"]
            if meta.get("deletionTimestamp") and not meta.get("finalizers"):
                view.remove(ObjKey.of(action.obj))
            else:
                view.add(action.obj)
        elif isinstance(action, Delete):
            target = view.get_key(action.key)
            assert target is not None and target["metadata"]["uid"] == action.uid
            if action.propagation == "Foreground":
                target["metadata"]["deletionTimestamp"] = "2025-11-25T04:18:53Z"
                target["metadata"]["finalizers"] = ["foregroundDeletion"]
            else:
                view.remove(action.key)


def converge(view: FakeView, limit: int = 20) -> None:
    """Reconcile every object until no reconcile acts (what the engine does)."""
    for _ in range(limit):
        acted = False
        for key in sorted(view.objects):
            result = reconcile(view, key.kind, key.name)
            if result.actions:
                apply(view, result.actions)
                acted = True
        if not acted:
            return
    raise AssertionError("garbage collector did not converge")


def test_dependent_whose_owner_is_gone_is_deleted_in_background() -> None:
    view = FakeView([obj("Pod", "web-1", "p1", [ref("ReplicaSet", "web", "rs1")])])

    result = reconcile(view, "Pod", "web-1")

    assert result.actions == [Delete(ObjKey("Pod", "default", "web-1"), propagation="Background", uid="p1")]


def test_owner_with_same_name_but_new_uid_counts_as_absent() -> None:
    view = FakeView([obj("ReplicaSet", "web", "rs2"), obj("Pod", "web-1", "p1", [ref("ReplicaSet", "web", "rs1")])])

    solid, dangling, waiting = classify_owners(view, view.objects[ObjKey("Pod", "default", "web-1")])

    assert (solid, [d["uid"] for d in dangling], waiting) == ([], ["rs1"], [])
    assert isinstance(reconcile(view, "Pod", "web-1").actions[0], Delete)


def test_dangling_reference_is_dropped_when_another_owner_remains() -> None:
    keep = ref("ConfigMap", "cfg", "c1", block=False)
    view = FakeView([obj("ConfigMap", "cfg", "c1"), obj("Pod", "p", "p1", [ref("ReplicaSet", "gone", "rs1"), keep])])

    result = reconcile(view, "Pod", "p")

    assert result.actions == [Patch(ObjKey("Pod", "default", "p"), {"metadata": {"ownerReferences": [keep]}})]


def test_dependent_with_live_owner_is_left_alone() -> None:
    view = FakeView([obj("ReplicaSet", "web", "rs1"), obj("Pod", "web-1", "p1", [ref("ReplicaSet", "web", "rs1")])])

    assert reconcile(view, "Pod", "web-1").actions == []
    assert reconcile(view, "ReplicaSet", "web").actions == []


def test_background_cascade_removes_replicaset_then_its_pods() -> None:
    view = FakeView(
        [
            obj("ReplicaSet", "web-abc", "rs1", [ref("Deployment", "web", "d1")]),
            obj("Pod", "web-abc-1", "p1", [ref("ReplicaSet", "web-abc", "rs1")]),
            obj("Pod", "web-abc-2", "p2", [ref("ReplicaSet", "web-abc", "rs1")]),
        ]
    )

    converge(view)

    assert view.objects == {}


def test_orphan_strips_owner_references_then_removes_the_finalizer() -> None:
    rs = obj("ReplicaSet", "web", "rs1", finalizers=["orphan"])
    view = FakeView([rs, *(obj("Pod", f"web-{i}", f"p{i}", [ref("ReplicaSet", "web", "rs1")]) for i in (1, 2))])

    result = reconcile(view, "ReplicaSet", "web")

    patches = [a for a in result.actions if isinstance(a, Patch)]
    assert [p.key.name for p in patches] == ["web-1", "web-2"]
    assert all(p.patch == {"metadata": {"ownerReferences": None}} for p in patches)
    assert isinstance(result.actions[-1], Update)
    assert "finalizers" not in result.actions[-1].obj["metadata"]
    converge(view)
    assert sorted(k.name for k in view.objects) == ["web-1", "web-2"]
    assert all("ownerReferences" not in o["metadata"] for o in view.objects.values())


def test_foreground_keeps_owner_until_blocking_dependents_are_gone() -> None:
    deploy = obj("Deployment", "web", "d1", finalizers=["foregroundDeletion"])
    rs = obj("ReplicaSet", "web-abc", "rs1", [ref("Deployment", "web", "d1")])
    pod = obj("Pod", "web-abc-1", "p1", [ref("ReplicaSet", "web-abc", "rs1")])
    view = FakeView([deploy, rs, pod])

    first = reconcile(view, "Deployment", "web")

    # The RS has a child, so it is deleted in the foreground too; the Deployment keeps its finalizer.
    assert first.actions == [Delete(ObjKey("ReplicaSet", "default", "web-abc"), propagation="Foreground", uid="rs1")]
    apply(view, first.actions)
    assert reconcile(view, "Deployment", "web").actions == []  # the RS still blocks
    second = reconcile(view, "ReplicaSet", "web-abc")
    assert second.actions == [Delete(ObjKey("Pod", "default", "web-abc-1"), propagation="Background", uid="p1")]
    apply(view, second.actions)
    third = reconcile(view, "ReplicaSet", "web-abc")
    assert isinstance(third.actions[0], Update)
    apply(view, third.actions)
    assert ObjKey("Deployment", "default", "web") in view.objects
    apply(view, reconcile(view, "Deployment", "web").actions)
    assert view.objects == {}


def test_foreground_does_not_wait_for_non_blocking_dependents() -> None:
    owner = obj("ConfigMap", "cfg", "c1", finalizers=["foregroundDeletion"])
    view = FakeView([owner, obj("Pod", "p", "p1", [ref("ConfigMap", "cfg", "c1", block=False)])])

    actions = reconcile(view, "ConfigMap", "cfg").actions

    assert isinstance(actions[0], Delete) and actions[0].key.name == "p"
    assert isinstance(actions[1], Update) and "finalizers" not in actions[1].obj["metadata"]


def test_dependent_with_a_solid_owner_survives_a_foreground_owner() -> None:
    other = ref("ConfigMap", "cfg", "c1", block=False)
    deploy = obj("Deployment", "web", "d1", finalizers=["foregroundDeletion"])
    view = FakeView(
        [deploy, obj("ConfigMap", "cfg", "c1"), obj("Pod", "p", "p1", [ref("Deployment", "web", "d1"), other])]
    )

    actions = reconcile(view, "Deployment", "web").actions

    assert actions == [Patch(ObjKey("Pod", "default", "p"), {"metadata": {"ownerReferences": [other]}})]


def test_dependents_already_terminating_are_not_deleted_again() -> None:
    pod = obj("Pod", "web-1", "p1", [ref("ReplicaSet", "web", "rs1")])
    pod["metadata"]["deletionTimestamp"] = "2025-11-25T04:19:23Z"
    view = FakeView([pod])

    assert reconcile(view, "Pod", "web-1").actions == []


@pytest.mark.parametrize(
    ("objects", "changed", "expected"),
    [
        # an owner that is gone requeues its dependents
        ([obj("Pod", "a", "p1", [ref("ReplicaSet", "rs", "rs1")])], obj("ReplicaSet", "rs", "rs1"), ["Pod/default/a"]),
        # a dependent's change requeues its owner only while the owner is being deleted
        (
            [obj("ReplicaSet", "rs", "rs1", finalizers=["foregroundDeletion"])],
            obj("Pod", "a", "p1", [ref("ReplicaSet", "rs", "rs1")]),
            ["ReplicaSet/default/rs"],
        ),
        ([obj("ReplicaSet", "rs", "rs1")], obj("Pod", "a", "p1", [ref("ReplicaSet", "rs", "rs1")]), []),
        # a live object with owners is its own key
        (
            [obj("ReplicaSet", "rs", "rs1"), obj("Pod", "a", "p1", [ref("ReplicaSet", "rs", "rs1")])],
            obj("Pod", "a", "p1", [ref("ReplicaSet", "rs", "rs1")]),
            ["Pod/default/a"],
        ),
    ],
)
def test_mapper_requeues_who_cares(objects: list[Obj], changed: Obj, expected: list[str]) -> None:
    view = FakeView(objects)

    assert sorted(str(k) for k in gc_mapper(view, changed)) == expected


def test_watches_the_workload_kinds_but_not_events() -> None:
    kinds = {w.kind for w in GarbageCollector().watches()}

    assert {"Pod", "ReplicaSet", "Deployment", "EndpointSlice", "Service"} <= kinds
    assert "Event" not in kinds


# -- in the simulated cluster ---------------------------------------------------------------------------------------
def replicaset(replicas: int = 2) -> Obj:
    labels = {"app": "web"}
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "web", "namespace": "default", "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
            },
        },
    }


def deployment(replicas: int = 2) -> Obj:
    rs = replicaset(replicas)
    return {**rs, "kind": "Deployment", "spec": rs["spec"]}


@pytest.fixture
def sim() -> Any:
    from cluster.sim import SimCluster

    return SimCluster.new()


def web_pods(sim: Any) -> list[Obj]:
    return [p for p in sim.list("Pod", "default") if p["metadata"].get("labels", {}).get("app") == "web"]


def test_sim_deleting_a_deployment_cascades_to_its_replicaset_and_pods(sim: Any) -> None:
    sim.api.create(deployment())
    sim.settle()
    assert len(sim.list("ReplicaSet", "default")) == 1 and len(web_pods(sim)) == 2

    sim.api.delete("Deployment", "default", "web", propagation="Background")
    assert sim.get("Deployment", "default", "web") is None  # the owner goes at once; dependents follow
    sim.settle()

    assert sim.list("ReplicaSet", "default") == [] and web_pods(sim) == []
    gc_deletes = [s for s in sim.trace if s.verb == "DELETE" and s.params.get("component") == "garbage-collector"]
    assert gc_deletes and all(s.source == "controller-manager" for s in gc_deletes)


def test_sim_orphan_deletion_keeps_pods_and_strips_their_owner_references(sim: Any) -> None:
    sim.api.create(replicaset())
    sim.settle()

    sim.api.delete("ReplicaSet", "default", "web", propagation="Orphan")
    sim.settle()

    pods = web_pods(sim)
    assert sim.get("ReplicaSet", "default", "web") is None
    assert len(pods) == 2
    assert all("ownerReferences" not in p["metadata"] and not p["metadata"].get("deletionTimestamp") for p in pods)


def test_sim_foreground_deletion_keeps_the_owner_until_its_pods_are_gone(sim: Any) -> None:
    sim.api.create(replicaset())
    sim.settle()

    sim.api.delete("ReplicaSet", "default", "web", propagation="Foreground")
    sim.run_until(sim.now_ms)

    rs = sim.get("ReplicaSet", "default", "web")
    assert rs is not None and rs["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert all(p["metadata"].get("deletionTimestamp") for p in web_pods(sim))
    while web_pods(sim):
        assert sim.get("ReplicaSet", "default", "web") is not None
        assert sim.step()
    sim.settle()
    assert sim.get("ReplicaSet", "default", "web") is None


def test_sim_fixed_point_after_a_cascade(sim: Any) -> None:
    sim.api.create(deployment(3))
    sim.settle()
    sim.api.delete("ReplicaSet", "default", sim.list("ReplicaSet", "default")[0]["metadata"]["name"])
    sim.settle()
    gc = GarbageCollector()

    keys = [ObjKey.of(o) for kind in ("Deployment", "ReplicaSet", "Pod") for o in sim.list(kind)]

    assert len(keys) == 5  # the Deployment made a new ReplicaSet with 3 new pods
    assert all(gc.reconcile(sim.engine.view, key, sim.now_ms).actions == [] for key in keys)
