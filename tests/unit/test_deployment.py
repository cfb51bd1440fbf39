"""Deployment controller, one sync at a time: what it writes for a given state of the world."""

from __future__ import annotations

import copy
from typing import Any

import jsonpatch

from cluster.controllers.deployment import DeploymentController, util
from cluster.controllers.deployment.controller import pod_deployments, replica_set_deployments
from cluster.controllers.podutil import format_time
from cluster.engine.actions import Create, ObjKey, Patch, RecordEvent, Result, Update, UpdateStatus
from tests.unit.fakes import FakeView

Obj = dict[str, Any]
NOW = 1_764_044_333_000
TEMPLATE: Obj = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}
D_REF = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", "uid": "d-uid", "controller": True}


def deployment(replicas: int = 3, **spec: Any) -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "web",
            "namespace": "default",
            "uid": "d-uid",
            "generation": 1,
            "resourceVersion": "7",
            "creationTimestamp": format_time(NOW - 60_000),
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600,
            "template": copy.deepcopy(TEMPLATE),
            **spec,
        },
        "status": {},
    }


def replica_set(
    deploy: Obj, image: str, replicas: int, revision: int, available: int | None = None, age_s: int = 600
) -> Obj:
    template = copy.deepcopy(deploy["spec"]["template"])
    template["spec"]["containers"][0]["image"] = image
    pod_hash = util.pod_template_hash(template)
    template["metadata"]["labels"]["pod-template-hash"] = pod_hash
    ready = replicas if available is None else available
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": f"web-{pod_hash}",
            "namespace": "default",
            "uid": f"rs-{image}",
            "generation": 1,
            "resourceVersion": "3",
            "labels": dict(template["metadata"]["labels"]),
            "creationTimestamp": format_time(NOW - age_s * 1000),
            "ownerReferences": [{**D_REF, "blockOwnerDeletion": True}],
            "annotations": {
                util.REVISION: str(revision),
                util.DESIRED_REPLICAS: str(util.replicas(deploy)),
                util.MAX_REPLICAS: str(util.replicas(deploy) + util.max_surge(deploy)),
            },
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web", "pod-template-hash": pod_hash}},
            "template": template,
        },
        "status": {
            "replicas": replicas,
            "readyReplicas": ready,
            "availableReplicas": ready,
            "observedGeneration": 1,
        },
    }


def reconcile(view: FakeView, deploy: Obj, now_ms: int = NOW) -> Result:
    return DeploymentController().reconcile(view, ObjKey.of(deploy), now_ms)


def of_type(result: Result, kind: type) -> list[Any]:
    return [a for a in result.actions if isinstance(a, kind)]


def status_update(result: Result) -> Obj:
    [update] = of_type(result, UpdateStatus)
    obj: Obj = update.obj
    return obj


def condition(status: Obj, kind: str) -> tuple[str, str, str]:
    cond = util.get_condition(status, kind)
    assert cond is not None
    return cond["status"], cond["reason"], cond["message"]


def test_new_deployment_creates_its_first_replicaset() -> None:
    deploy = deployment(3)
    deploy["metadata"]["annotations"] = {util.CHANGE_CAUSE: "first"}
    result = reconcile(FakeView([deploy]), deploy)
    [create] = of_type(result, Create)
    rs = create.obj
    pod_hash = util.pod_template_hash(TEMPLATE)
    assert rs["metadata"]["name"] == f"web-{pod_hash}"
    assert rs["metadata"]["labels"] == {"app": "web", "pod-template-hash": pod_hash}
    assert rs["metadata"]["ownerReferences"] == [{**D_REF, "blockOwnerDeletion": True}]
    assert rs["metadata"]["annotations"] == {
        util.CHANGE_CAUSE: "first",
        util.REVISION: "1",
        util.DESIRED_REPLICAS: "3",
        util.MAX_REPLICAS: "4",
    }
    assert rs["spec"]["replicas"] == 3
    assert rs["spec"]["selector"] == {"matchLabels": {"app": "web", "pod-template-hash": pod_hash}}
    assert rs["spec"]["template"]["metadata"]["labels"] == {"app": "web", "pod-template-hash": pod_hash}
    [event] = of_type(result, RecordEvent)
    assert (event.reason, event.message) == ("ScalingReplicaSet", f"Scaled up replica set web-{pod_hash} from 0 to 3")
    assert event.component == "deployment-controller"
    updated = status_update(result)
    assert updated["metadata"]["annotations"][util.REVISION] == "1"
    status = updated["status"]
    assert status["observedGeneration"] == 1
    assert status["unavailableReplicas"] == 3
    assert "replicas" not in status and "availableReplicas" not in status  # zero counters are omitted
    assert condition(status, "Progressing") == (
        "True",
        "NewReplicaSetCreated",
        f'Created new replica set "web-{pod_hash}"',
    )
    assert condition(status, "Available") == (
        "False",
        "MinimumReplicasUnavailable",
        "Deployment does not have minimum availability.",
    )
    assert [c["type"] for c in status["conditions"]] == ["Progressing", "Available"]


def test_complete_rollout_reports_success_and_is_a_fixed_point() -> None:
    deploy = deployment(3)
    rs = replica_set(deploy, "nginx", 3, 1)
    view = FakeView([deploy, rs])
    first = reconcile(view, deploy)
    stored = status_update(first)
    assert condition(stored["status"], "Progressing") == (
        "True",
        "NewReplicaSetAvailable",
        f'ReplicaSet "{rs["metadata"]["name"]}" has successfully progressed.',
    )
    assert condition(stored["status"], "Available") == (
        "True",
        "MinimumReplicasAvailable",
        "Deployment has minimum availability.",
    )
    assert first.requeue_after_ms is None
    view.add(stored)
    assert reconcile(view, deploy).actions == []


def test_template_change_starts_rolling_update_with_surge() -> None:
    deploy = deployment(4)  # surge 1, unavailable 1
    deploy["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:new"
    old = replica_set(deploy, "nginx", 4, 1)
    result = reconcile(FakeView([deploy, old]), deploy)
    [create] = of_type(result, Create)
    assert create.obj["metadata"]["annotations"][util.REVISION] == "2"
    # the same reconcile also scales the old RS down by the unavailability budget
    [update] = of_type(result, Update)
    assert update.obj["metadata"]["name"] == old["metadata"]["name"]
    assert update.obj["spec"]["replicas"] == 3
    messages = [e.message for e in of_type(result, RecordEvent)]
    new_name, old_name = create.obj["metadata"]["name"], old["metadata"]["name"]
    assert messages == [
        f"Scaled up replica set {new_name} from 0 to 1",  # 4 + surge 1 − 4 running
        f"Scaled down replica set {old_name} from 4 to 3",  # the unavailability budget, in the same sync
    ]
    # the freed surge slot is refilled only once the old ReplicaSet reports 3 pods
    assert create.obj["spec"]["replicas"] == 1
    old["spec"]["replicas"] = 3
    old["status"].update(replicas=3, readyReplicas=3, availableReplicas=3)
    created = copy.deepcopy(create.obj)
    created["metadata"].update(uid="new-uid", creationTimestamp=format_time(NOW), resourceVersion="9", generation=1)
    created["status"] = {"replicas": 1}
    later = reconcile(FakeView([deploy, old, created]), deploy)
    assert [e.message for e in of_type(later, RecordEvent)] == [f"Scaled up replica set {new_name} from 1 to 2"]


def test_unhealthy_old_replicas_are_removed_first() -> None:
    deploy = deployment(4)
    deploy["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:new"
    old = replica_set(deploy, "nginx", 3, 1, available=1, age_s=900)
    new = replica_set(deploy, "nginx:new", 2, 2, available=0, age_s=60)
    result = reconcile(FakeView([deploy, old, new]), deploy)
    # maxScaledDown = 5 − 3 − 2 = 0: nothing may go, even though old pods are unavailable
    assert of_type(result, Update) == []
    new["status"]["availableReplicas"] = 2
    result = reconcile(FakeView([deploy, old, new]), deploy)
    updates = {u.obj["metadata"]["name"]: u.obj["spec"]["replicas"] for u in of_type(result, Update)}
    assert updates[old["metadata"]["name"]] == 1  # 2 unhealthy replicas cleaned up
    old_name, new_name = old["metadata"]["name"], new["metadata"]["name"]
    assert [e.message for e in of_type(result, RecordEvent)] == [f"Scaled down replica set {old_name} from 3 to 1"]
    assert new_name not in updates


def test_scaling_mid_rollout_is_proportional() -> None:
    deploy = deployment(10)
    deploy["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:new"
    old = replica_set(deploy, "nginx", 8, 1, available=8, age_s=900)
    new = replica_set(deploy, "nginx:new", 5, 2, available=0, age_s=60)
    deploy["spec"]["replicas"] = 20  # was 10 (13 with surge); now 20 (25 with surge)
    deploy["metadata"]["generation"] = 2
    result = reconcile(FakeView([deploy, old, new]), deploy)
    sizes = {u.obj["metadata"]["name"]: u.obj["spec"]["replicas"] for u in of_type(result, Update)}
    assert sizes == {old["metadata"]["name"]: 15, new["metadata"]["name"]: 10}
    for update in of_type(result, Update):
        annotations = update.obj["metadata"]["annotations"]
        assert (annotations[util.DESIRED_REPLICAS], annotations[util.MAX_REPLICAS]) == ("20", "25")


def test_paused_deployment_scales_but_does_not_roll_out() -> None:
    deploy = deployment(3, paused=True)
    old = replica_set(deploy, "nginx", 3, 1)
    deploy["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:new"
    deploy["spec"]["replicas"] = 5
    result = reconcile(FakeView([deploy, old]), deploy)
    assert of_type(result, Create) == []
    [update] = of_type(result, Update)
    assert update.obj["spec"]["replicas"] == 5
    status = status_update(result)["status"]
    assert condition(status, "Progressing") == ("Unknown", "DeploymentPaused", "Deployment is paused")
    assert result.requeue_after_ms is None  # a paused deployment never times out


def test_resume_mid_rollout_marks_progressing_resumed_and_restarts_the_deadline() -> None:
    deploy = deployment(3)
    old = replica_set(deploy, "nginx", 3, 1, age_s=900)
    deploy["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:new"
    new = replica_set(deploy, "nginx:new", 1, 2, available=0, age_s=60)
    paused = util.new_condition("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", "t")
    deploy["status"] = {
        "observedGeneration": 1,
        "replicas": 4,
        "updatedReplicas": 1,
        "readyReplicas": 3,
        "availableReplicas": 3,
        "unavailableReplicas": 1,
        "conditions": [paused],
    }
    deploy["metadata"]["annotations"] = {util.REVISION: "2"}
    result = reconcile(FakeView([deploy, old, new]), deploy)
    assert of_type(result, Create) == [] and of_type(result, Update) == []
    status = status_update(result)["status"]
    assert condition(status, "Progressing") == ("Unknown", "DeploymentResumed", "Deployment is resumed")
    assert result.requeue_after_ms == 601_000


def test_orphan_replicaset_is_adopted_before_anything_else() -> None:
    deploy = deployment(3)
    orphan = replica_set(deploy, "nginx", 3, 1)
    del orphan["metadata"]["ownerReferences"]
    result = reconcile(FakeView([deploy, orphan]), deploy)
    [patch] = result.actions
    assert isinstance(patch, Patch)
    adopted = jsonpatch.apply_patch(orphan, patch.patch)
    assert adopted["metadata"]["ownerReferences"] == [{**D_REF, "blockOwnerDeletion": True}]


def test_hash_collision_bumps_collision_count() -> None:
    deploy = deployment(3)
    squatter = replica_set(deploy, "nginx", 1, 1)
    squatter["metadata"]["ownerReferences"] = [{**D_REF, "name": "other", "uid": "other-uid"}]
    result = reconcile(FakeView([deploy, squatter]), deploy)
    assert of_type(result, Create) == []
    assert status_update(result)["status"]["collisionCount"] == 1
    deploy["status"] = {"collisionCount": 1}
    [create] = of_type(reconcile(FakeView([deploy, squatter]), deploy), Create)
    assert create.obj["metadata"]["name"] == f"web-{util.pod_template_hash(TEMPLATE, 1)}"


def test_watch_mapping() -> None:
    deploy = deployment(3, strategy={"type": "Recreate"})
    rs = replica_set(deploy, "nginx", 3, 1)
    orphan = copy.deepcopy(rs)
    del orphan["metadata"]["ownerReferences"]
    view = FakeView([deploy, rs])
    key = ObjKey("Deployment", "default", "web")
    assert replica_set_deployments(view, rs) == [key]
    assert replica_set_deployments(view, orphan) == [key]
    pod = {
        "kind": "Pod",
        "metadata": {
            "name": "p",
            "namespace": "default",
            "ownerReferences": [{"kind": "ReplicaSet", "name": rs["metadata"]["name"], "controller": True}],
        },
    }
    assert pod_deployments(view, pod) == [key]
    view.add(deployment(3))  # RollingUpdate: pods do not concern it
    assert pod_deployments(view, pod) == []
