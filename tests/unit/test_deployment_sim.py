"""Deployments and ReplicaSets inside the full simulated cluster (API server, scheduler, kubelet, engine)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from cluster import sim
from cluster.controllers.deployment import DeploymentController, util
from cluster.controllers.podutil import is_active, is_ready
from cluster.controllers.replicaset import ReplicaSetController
from cluster.engine.actions import ObjKey

Obj = dict[str, Any]
SECOND = 1000


def deployment(name: str = "web", replicas: int = 3, image: str = "nginx:1.25", **spec: Any) -> Obj:
    """What ``kubectl create deployment web --image=nginx:1.25 --replicas=3`` sends."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": {"app": name}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "strategy": {},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "nginx", "image": image, "resources": {}}]},
            },
            **spec,
        },
    }


def active_pods(cluster: Any, image: str | None = None) -> list[Obj]:
    pods = [p for p in cluster.list("Pod", "default") if is_active(p)]
    return [p for p in pods if image is None or p["spec"]["containers"][0]["image"] == image]


def rolled_out(cluster: Any, name: str = "web") -> bool:
    deploy = cluster.get("Deployment", "default", name)
    cond = util.get_condition(deploy["status"], util.PROGRESSING) or {}
    return bool(cond.get("reason") == util.NEW_RS_AVAILABLE)


def run_until(cluster: Any, done: Any, limit_s: int = 300) -> None:
    for _ in range(limit_s):
        if done(cluster):
            return
        cluster.advance(SECOND)
    raise AssertionError("condition not reached in simulated time")


def replica_sets(cluster: Any) -> list[Obj]:
    return sorted(cluster.list("ReplicaSet", "default"), key=util.creation_key)


def set_image(cluster: Any, image: str) -> None:
    patch = {"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": image}]}}}}
    cluster.api.patch("Deployment", "default", "web", patch, patch_type="strategic")


@pytest.fixture
def cluster() -> Any:
    c = sim.SimCluster.new(seed=7, nodes=2)
    c.api.create(deployment())
    run_until(c, rolled_out)
    return c


def test_create_deployment_end_to_end(cluster: Any) -> None:
    deploy = cluster.get("Deployment", "default", "web")
    [rs] = replica_sets(cluster)
    pod_hash = rs["metadata"]["labels"]["pod-template-hash"]
    assert rs["metadata"]["name"] == f"web-{pod_hash}"
    assert set(pod_hash) <= set("456789bcdf")
    assert deploy["metadata"]["generation"] == 1
    assert deploy["metadata"]["annotations"][util.REVISION] == "1"
    status = deploy["status"]
    assert (status["replicas"], status["updatedReplicas"], status["readyReplicas"], status["availableReplicas"]) == (
        3,
        3,
        3,
        3,
    )
    assert status["observedGeneration"] == 1
    pods = active_pods(cluster)
    assert len(pods) == 3
    assert all(p["metadata"]["name"].startswith(f"web-{pod_hash}-") for p in pods)
    messages = [(e["reason"], e["message"]) for e in cluster.events("default")]
    assert ("ScalingReplicaSet", f"Scaled up replica set web-{pod_hash} from 0 to 3") in messages
    created = [m for r, m in messages if r == "SuccessfulCreate"]
    assert sorted(created) == sorted(f"Created pod: {p['metadata']['name']}" for p in pods)


@pytest.mark.parametrize(("replicas", "max_pods", "min_available"), [(3, 4, 3), (10, 13, 8)])
def test_rolling_update_in_the_simulator_respects_bounds(replicas: int, max_pods: int, min_available: int) -> None:
    cluster = sim.SimCluster.new(seed=3, nodes=3)
    cluster.api.create(deployment(replicas=replicas))
    run_until(cluster, rolled_out)
    worst = {"pods": 0, "available": replicas}

    def check(_type: str, _old: Obj | None, _new: Obj | None) -> None:
        pods = active_pods(cluster)
        worst["pods"] = max(worst["pods"], len(pods))
        worst["available"] = min(worst["available"], sum(1 for p in pods if is_ready(p)))

    cluster.store.listeners.append(check)  # after every write the engine applies
    set_image(cluster, "nginx:1.27")
    run_until(cluster, lambda c: rolled_out(c) and len(active_pods(c, "nginx:1.27")) == replicas)
    assert worst == {"pods": max_pods, "available": min_available}
    assert [util.revision(rs) for rs in replica_sets(cluster)] == [1, 2]
    assert [util.replicas(rs) for rs in replica_sets(cluster)] == [0, replicas]


def test_scale_down_and_fixed_point(cluster: Any) -> None:
    cluster.api.patch("Deployment", "default", "web", {"spec": {"replicas": 1}})
    cluster.settle()
    assert len(active_pods(cluster)) == 1
    for controller, kind in ((DeploymentController(), "Deployment"), (ReplicaSetController(), "ReplicaSet")):
        for obj in cluster.list(kind, "default"):
            result = controller.reconcile(cluster.engine.view, ObjKey.of(obj), cluster.now_ms)
            assert result.actions == [], f"{controller.name} still acting on {ObjKey.of(obj)}"


def test_recreate_in_the_simulator(cluster: Any) -> None:
    cluster.api.patch(
        "Deployment", "default", "web", {"spec": {"strategy": {"type": "Recreate", "rollingUpdate": None}}}
    )
    cluster.settle()
    mixed = []

    def check(_type: str, _old: Obj | None, _new: Obj | None) -> None:
        images = {p["spec"]["containers"][0]["image"] for p in cluster.list("Pod", "default")}
        if len(images) > 1:
            mixed.append(images)

    cluster.store.listeners.append(check)
    set_image(cluster, "nginx:1.27")
    run_until(cluster, lambda c: rolled_out(c) and len(active_pods(c, "nginx:1.27")) == 3, limit_s=600)
    assert mixed == []


def test_progress_deadline_in_the_simulator(cluster: Any) -> None:
    cluster.api.patch("Deployment", "default", "web", {"spec": {"progressDeadlineSeconds": 30}})
    set_image(cluster, "nginx:does-not-exist-tag")
    cluster.advance(90 * SECOND)
    cond = util.get_condition(cluster.get("Deployment", "default", "web")["status"], util.PROGRESSING)
    assert cond is not None and cond["reason"] == "ProgressDeadlineExceeded"


def test_rollback_in_the_simulator(cluster: Any) -> None:
    set_image(cluster, "nginx:1.27")
    run_until(cluster, lambda c: rolled_out(c) and len(active_pods(c, "nginx:1.27")) == 3)
    first = replica_sets(cluster)[0]
    template = copy.deepcopy(first["spec"]["template"])
    del template["metadata"]["labels"]["pod-template-hash"]
    cluster.api.patch(
        "Deployment", "default", "web", [{"op": "replace", "path": "/spec/template", "value": template}], "json"
    )
    run_until(cluster, lambda c: rolled_out(c) and len(active_pods(c, "nginx:1.25")) == 3)
    revisions = {rs["metadata"]["name"]: util.revision(rs) for rs in replica_sets(cluster)}
    assert revisions[first["metadata"]["name"]] == 3
    assert sorted(revisions.values()) == [2, 3]
