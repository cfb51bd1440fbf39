"""ReplicaSet controller: claiming, creating, victim ranking, status and idempotence."""

from __future__ import annotations

import copy
from typing import Any

import jsonpatch
import pytest

from cluster.controllers.podutil import format_time, is_available
from cluster.controllers.replicaset import (
    ReplicaSetController,
    deletion_cost,
    log2_age,
    pod_replica_sets,
    rank_for_deletion,
)
from cluster.engine.actions import Create, Delete, ObjKey, Patch, RecordEvent, Result, UpdateStatus
from tests.unit.fakes import FakeView

Obj = dict[str, Any]
NOW = 1_764_044_333_000
SECOND = 1000
SELECTOR = {"matchLabels": {"app": "web"}}


def make_rs(name: str = "web-abc", replicas: int = 3, uid: str = "rs-uid", **spec: Any) -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": "default", "uid": uid, "generation": 1, "resourceVersion": "5"},
        "spec": {
            "replicas": replicas,
            "selector": copy.deepcopy(SELECTOR),
            "template": {
                "metadata": {"labels": {"app": "web"}, "annotations": {"note": "x"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx"}]},
            },
            **spec,
        },
        "status": {},
    }


def owner_ref(rs: Obj) -> Obj:
    meta = rs["metadata"]
    return {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": meta["name"], "uid": meta["uid"], "controller": True}


def make_pod(
    name: str,
    owner: Obj | None = None,
    *,
    labels: dict[str, str] | None = None,
    node: str = "worker-1",
    phase: str = "Running",
    ready_at: int | None = NOW - 3600 * SECOND,
    created_at: int = NOW - 7200 * SECOND,
    restarts: int = 0,
    cost: str | None = None,
    uid: str | None = None,
    deleting: bool = False,
) -> Obj:
    meta: Obj = {
        "name": name,
        "namespace": "default",
        "uid": uid or f"uid-{name}",
        "labels": labels if labels is not None else {"app": "web"},
        "creationTimestamp": format_time(created_at),
    }
    if owner is not None:
        meta["ownerReferences"] = [owner_ref(owner)]
    if cost is not None:
        meta["annotations"] = {"controller.kubernetes.io/pod-deletion-cost": cost}
    if deleting:
        meta["deletionTimestamp"] = format_time(NOW)
    conditions = []
    if ready_at is not None:
        conditions.append({"type": "Ready", "status": "True", "lastTransitionTime": format_time(ready_at)})
    else:
        conditions.append({"type": "Ready", "status": "False", "lastTransitionTime": format_time(created_at)})
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {"nodeName": node} if node else {},
        "status": {
            "phase": phase,
            "conditions": conditions,
            "containerStatuses": [{"name": "nginx", "restartCount": restarts}],
        },
    }


def reconcile(view: FakeView, rs: Obj, now_ms: int = NOW) -> Result:
    return ReplicaSetController().reconcile(view, ObjKey.of(rs), now_ms)


def apply(view: FakeView, result: Result) -> None:
    """Apply actions the way the API server would (enough for a fixed-point check)."""
    created = 0
    for action in result.actions:
        if isinstance(action, Create):
            obj = copy.deepcopy(action.obj)
            created += 1
            obj["metadata"]["name"] = obj["metadata"].pop("generateName") + f"new{created}"
            obj["metadata"]["uid"] = f"uid-new{created}"
            view.add(obj)
        elif isinstance(action, Delete):
            view.remove(action.key)
        elif isinstance(action, Patch):
            current = view.get_key(action.key)
            assert current is not None
            view.add(jsonpatch.apply_patch(current, action.patch))
        elif isinstance(action, UpdateStatus):
            stored = view.get_key(ObjKey.of(action.obj))
            assert stored is not None
            stored["status"] = copy.deepcopy(action.obj["status"])


def of_type(result: Result, kind: type) -> list[Any]:
    return [a for a in result.actions if isinstance(a, kind)]


# ---------------------------------------------------------------- creating


def test_creates_missing_pods_from_template_with_event_placeholder() -> None:
    rs = make_rs(replicas=3)
    result = reconcile(FakeView([rs]), rs)
    creates = of_type(result, Create)
    assert len(creates) == 3
    pod = creates[0].obj
    assert pod["metadata"]["generateName"] == "web-abc-"
    assert pod["metadata"]["namespace"] == "default"
    assert pod["metadata"]["labels"] == {"app": "web"}
    assert pod["metadata"]["annotations"] == {"note": "x"}
    assert pod["metadata"]["ownerReferences"] == [
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "name": "web-abc",
            "uid": "rs-uid",
            "controller": True,
            "blockOwnerDeletion": True,
        }
    ]
    assert pod["spec"] == {"containers": [{"name": "nginx", "image": "nginx"}]}
    # each Create is immediately followed by its event, whose pod name the engine fills in
    kinds = [type(a).__name__ for a in result.actions]
    assert kinds == ["Create", "RecordEvent"] * 3 + ["UpdateStatus"]
    event = result.actions[1]
    assert isinstance(event, RecordEvent)
    assert (event.type, event.reason, event.message) == ("Normal", "SuccessfulCreate", "Created pod: {created}")
    assert event.component == "replicaset-controller"


def test_burst_limit_caps_creations_per_sync() -> None:
    rs = make_rs(replicas=700)
    assert len(of_type(reconcile(FakeView([rs]), rs), Create)) == 500


def test_status_counts_and_fixed_point() -> None:
    rs = make_rs(replicas=3)
    view = FakeView([rs, make_pod("web-abc-aaaaa", rs)])
    first = reconcile(view, rs)
    status = of_type(first, UpdateStatus)[0].obj["status"]
    assert status == {
        "replicas": 3,
        "fullyLabeledReplicas": 3,
        "readyReplicas": 1,
        "availableReplicas": 1,
        "observedGeneration": 1,
    }
    apply(view, first)
    again = reconcile(view, rs)
    assert again.actions == []


def test_zero_counters_are_omitted_but_replicas_stays() -> None:
    rs = make_rs(replicas=0)
    result = reconcile(FakeView([rs]), rs)
    assert of_type(result, UpdateStatus)[0].obj["status"] == {"replicas": 0, "observedGeneration": 1}


def test_gone_or_deleting_replicaset_does_nothing() -> None:
    rs = make_rs()
    assert ReplicaSetController().reconcile(FakeView([]), ObjKey.of(rs), NOW).actions == []
    rs["metadata"]["deletionTimestamp"] = format_time(NOW)
    assert reconcile(FakeView([rs]), rs).actions == []


def test_inactive_pods_do_not_count() -> None:
    rs = make_rs(replicas=2)
    pods = [
        make_pod("done", rs, phase="Succeeded"),
        make_pod("failed", rs, phase="Failed"),
        make_pod("leaving", rs, deleting=True),
        make_pod("live", rs),
    ]
    result = reconcile(FakeView([rs, *pods]), rs)
    assert len(of_type(result, Create)) == 1
    assert of_type(result, Delete) == []


# ---------------------------------------------------------------- claiming


def test_adopts_matching_orphan_and_counts_it() -> None:
    rs = make_rs(replicas=1)
    orphan = make_pod("stray")
    result = reconcile(FakeView([rs, orphan]), rs)
    [patch] = of_type(result, Patch)
    assert patch.key == ObjKey("Pod", "default", "stray")
    assert patch.patch_type == "json"
    patched = jsonpatch.apply_patch(orphan, patch.patch)
    assert patched["metadata"]["ownerReferences"] == [
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "name": "web-abc",
            "uid": "rs-uid",
            "controller": True,
            "blockOwnerDeletion": True,
        }
    ]
    assert of_type(result, Create) == []


def test_releases_relabelled_pod_and_replaces_it() -> None:
    rs = make_rs(replicas=1)
    relabelled = make_pod("debug-me", rs, labels={"app": "debug"})
    result = reconcile(FakeView([rs, relabelled]), rs)
    [patch] = of_type(result, Patch)
    released = jsonpatch.apply_patch(relabelled, patch.patch)
    assert "ownerReferences" not in released["metadata"]
    assert len(of_type(result, Create)) == 1


@pytest.mark.parametrize(
    "pod",
    [
        make_pod("terminating-orphan", deleting=True),
        make_pod("other-labels", labels={"app": "api"}),
        {
            **make_pod("foreign"),
            "metadata": {
                **make_pod("foreign")["metadata"],
                "ownerReferences": [
                    {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "x", "uid": "other", "controller": True}
                ],
            },
        },
    ],
    ids=["terminating-orphan", "non-matching", "owned-by-another"],
)
def test_pods_that_are_not_adopted(pod: Obj) -> None:
    rs = make_rs(replicas=1)
    result = reconcile(FakeView([rs, pod]), rs)
    assert of_type(result, Patch) == []
    assert len(of_type(result, Create)) == 1


def test_pod_watch_maps_owned_and_orphan_pods() -> None:
    web = make_rs("web-abc", uid="u1")
    api = make_rs("api-abc", uid="u2")
    api["spec"]["selector"] = {"matchLabels": {"app": "api"}}
    view = FakeView([web, api])
    assert pod_replica_sets(view, make_pod("p", api)) == [ObjKey("ReplicaSet", "default", "api-abc")]
    assert pod_replica_sets(view, make_pod("orphan")) == [ObjKey("ReplicaSet", "default", "web-abc")]
    assert pod_replica_sets(view, make_pod("nobody", labels={"app": "db"})) == []


# ---------------------------------------------------------------- scale-down victims


def _pair(rule: str) -> tuple[Obj, Obj, list[Obj]]:
    """(pod deleted first, pod deleted later, related pods) where exactly ``rule`` decides."""
    base: dict[str, Any] = {}
    first, later = dict(base), dict(base)
    related: list[Obj] = []
    if rule == "unscheduled":
        first.update(node="", phase="Pending", ready_at=None)
        later.update(phase="Pending", ready_at=None)
    elif rule == "phase":
        first.update(phase="Pending", ready_at=None)
        later.update(phase="Running", ready_at=None)
    elif rule == "not-ready":
        first.update(ready_at=None)
    elif rule == "deletion-cost":
        first.update(cost="-5")
        later.update(cost="10")
    elif rule == "doubled-up":
        first.update(node="worker-2")
        related = [make_pod(f"sibling-{i}", node="worker-2") for i in range(2)]
    elif rule == "ready-time":
        first.update(ready_at=NOW - 10 * SECOND)
        later.update(ready_at=NOW - 3600 * SECOND)
    elif rule == "restarts":
        first.update(restarts=4)
        later.update(restarts=1)
    elif rule == "created":
        first.update(created_at=NOW - 100 * SECOND)
        later.update(created_at=NOW - 5000 * SECOND)
    # the uid order points the other way, so only the rule under test can put "first" first
    return make_pod("a", uid="uid-z", **first), make_pod("b", uid="uid-a", **later), related


RULES = ["unscheduled", "phase", "not-ready", "deletion-cost", "doubled-up", "ready-time", "restarts", "created"]


@pytest.mark.parametrize("rule", RULES)
def test_victim_ranking_each_rule_decides(rule: str) -> None:
    first, later, related = _pair(rule)
    related = [first, later, *related]
    assert rank_for_deletion([later, first], related, NOW) == [first, later]
    assert rank_for_deletion([first, later], related, NOW) == [first, later]


def test_rules_apply_in_order_earlier_rule_wins() -> None:
    # not-ready (rule 3) beats a lower deletion cost (rule 4)
    not_ready = make_pod("a", ready_at=None, cost="100")
    cheap = make_pod("b", cost="-100")
    assert rank_for_deletion([cheap, not_ready], [], NOW) == [not_ready, cheap]


def test_log2_buckets_tie_break_by_uid() -> None:
    # ready 70 s vs 100 s ago: both in the 2^36 ns bucket, so the lower uid goes first
    newer = make_pod("newer", uid="uid-9", ready_at=NOW - 70 * SECOND)
    older = make_pod("older", uid="uid-1", ready_at=NOW - 100 * SECOND)
    assert log2_age(NOW - 70 * SECOND, NOW) == log2_age(NOW - 100 * SECOND, NOW) == 36
    assert rank_for_deletion([newer, older], [], NOW) == [older, newer]
    # 10 s vs 100 s ago: different buckets, the more recently ready pod goes first
    fresh = make_pod("fresh", uid="uid-9", ready_at=NOW - 10 * SECOND)
    assert rank_for_deletion([older, fresh], [], NOW) == [fresh, older]


@pytest.mark.parametrize(("raw", "cost"), [("5", 5), ("-3", -3), ("0", 0), ("+4", 0), ("007", 0), ("x", 0), (None, 0)])
def test_deletion_cost_parsing(raw: str | None, cost: int) -> None:
    assert deletion_cost(make_pod("p", cost=raw)) == cost


def test_scale_down_deletes_most_deletable_with_events() -> None:
    rs = make_rs(replicas=1)
    pods = [make_pod("running", rs), make_pod("pending", rs, phase="Pending", ready_at=None), make_pod("x", rs)]
    pods[2]["spec"] = {}  # unscheduled
    pods[2]["status"]["phase"] = "Pending"
    result = reconcile(FakeView([rs, *pods]), rs)
    deletes = of_type(result, Delete)
    assert [d.key.name for d in deletes] == ["x", "pending"]
    events = [(e.reason, e.message) for e in of_type(result, RecordEvent)]
    assert events == [("SuccessfulDelete", "Deleted pod: x"), ("SuccessfulDelete", "Deleted pod: pending")]
    assert of_type(result, UpdateStatus)[0].obj["status"]["replicas"] == 1


def test_doubled_up_rank_counts_pods_of_sibling_replicasets() -> None:
    deploy_ref = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "d-uid", "controller": True}
    old = make_rs("web-old", replicas=1, uid="old-uid")
    new = make_rs("web-new", replicas=2, uid="new-uid")
    for rs, hash_ in ((old, "old"), (new, "new")):
        rs["metadata"]["ownerReferences"] = [deploy_ref]
        rs["spec"]["selector"] = {"matchLabels": {"app": "web", "pod-template-hash": hash_}}
    old_labels = {"app": "web", "pod-template-hash": "old"}
    lonely = make_pod("lonely", old, labels=old_labels, node="worker-1", uid="uid-a")
    crowded = make_pod("crowded", old, labels=old_labels, node="worker-2", uid="uid-z")
    new_pods = [
        make_pod(f"n{i}", new, labels={"app": "web", "pod-template-hash": "new"}, node="worker-2") for i in (1, 2)
    ]
    result = reconcile(FakeView([old, new, lonely, crowded, *new_pods]), old)
    assert [d.key.name for d in of_type(result, Delete)] == ["crowded"]


# ---------------------------------------------------------------- availability


def test_min_ready_seconds_availability_and_requeue() -> None:
    rs = make_rs(replicas=2, minReadySeconds=30)
    view = FakeView([rs, make_pod("old", rs), make_pod("young", rs, ready_at=NOW - 10 * SECOND)])
    result = reconcile(view, rs)
    status = of_type(result, UpdateStatus)[0].obj["status"]
    assert status["readyReplicas"] == 2
    assert status["availableReplicas"] == 1
    assert result.requeue_after_ms == 20 * SECOND
    assert is_available(make_pod("young", rs, ready_at=NOW - 10 * SECOND), 30, NOW + 20 * SECOND)
    apply(view, result)
    later = reconcile(view, rs, NOW + 20 * SECOND)
    assert of_type(later, UpdateStatus)[0].obj["status"]["availableReplicas"] == 2
    assert later.requeue_after_ms is None
