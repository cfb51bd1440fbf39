"""The cluster map's fault buttons on a whole simulated cluster: each breaks what the control plane repairs."""

from __future__ import annotations

from typing import Any

import pytest

from cluster import faults
from cluster.apiserver.context import RequestContext
from cluster.engine.actions import ObjKey
from cluster.sim import SimCluster

KUBECTL = RequestContext(actor="kubectl")


def _deployment(replicas: int = 2, image: str = "nginx:1.27") -> dict[str, Any]:
    labels = {"app": "web"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": "web", "image": image}]}},
        },
    }


@pytest.fixture
def cluster() -> SimCluster:
    sim = SimCluster.new(seed=7, nodes=2)
    sim.api.create(_deployment(), KUBECTL)
    sim.settle()
    return sim


def _pods(sim: SimCluster) -> list[dict[str, Any]]:
    return [p for p in sim.list("Pod", "default") if not p["metadata"].get("deletionTimestamp")]


def _ready(pod: dict[str, Any]) -> bool:
    return any(c["type"] == "Ready" and c["status"] == "True" for c in pod["status"].get("conditions") or [])


def _condition(node: dict[str, Any], kind: str) -> str:
    return next(c["status"] for c in node["status"]["conditions"] if c["type"] == kind)


def test_delete_pod_is_replaced_by_the_replicaset(cluster: SimCluster) -> None:
    victim = _pods(cluster)[0]["metadata"]["name"]
    faults.inject(cluster, "delete-pod", f"default/{victim}")
    assert cluster.get("Pod", "default", victim)["metadata"]["deletionTimestamp"]  # type: ignore[index]
    assert any(s.source == "kubectl" and s.verb == "DELETE" for s in cluster.trace)
    cluster.settle()
    names = [p["metadata"]["name"] for p in _pods(cluster)]
    assert len(names) == 2 and victim not in names
    assert all(_ready(p) for p in _pods(cluster))


def test_crash_container_counts_a_restart_and_recovers(cluster: SimCluster) -> None:
    name = _pods(cluster)[0]["metadata"]["name"]
    faults.crash_container(cluster, f"default/{name}")
    cluster.settle()
    status = cluster.get("Pod", "default", name)["status"]  # type: ignore[index]
    cs = status["containerStatuses"][0]
    assert cs["restartCount"] == 1
    assert cs["lastState"]["terminated"]["exitCode"] == 1
    assert cs["lastState"]["terminated"]["reason"] == "Error"
    assert "running" in cs["state"]


def test_crash_keeps_the_rest_of_the_pods_private_state(cluster: SimCluster) -> None:
    name = _pods(cluster)[0]["metadata"]["name"]
    key = ObjKey("Pod", "default", name)
    cluster.api.set_private(key, {**(cluster.store.private(key) or {}), "other": 1})
    faults.crash_container(cluster, f"default/{name}")
    assert (cluster.store.private(key) or {})["other"] == 1


def test_fail_node_turns_it_not_ready_and_recover_brings_it_back(cluster: SimCluster) -> None:
    key = ObjKey("Node", "", "worker-1")
    ipam = (cluster.store.private(key) or {}).get("ipam")
    faults.fail_node(cluster, "worker-1")
    assert (cluster.store.private(key) or {})["ipam"] == ipam  # merged, never overwritten
    cluster.advance(60_000)
    assert _condition(cluster.get("Node", "", "worker-1"), "Ready") == "Unknown"  # type: ignore[arg-type]
    faults.recover_node(cluster, "worker-1")
    cluster.advance(5_000)
    assert _condition(cluster.get("Node", "", "worker-1"), "Ready") == "True"  # type: ignore[arg-type]
    assert faults.STOPPED_AT not in (cluster.store.private(key) or {})


@pytest.mark.parametrize(("action", "unschedulable"), [("cordon-node", True), ("drain-node", True)])
def test_cordon_and_drain_mark_the_node_unschedulable(cluster: SimCluster, action: str, unschedulable: bool) -> None:
    faults.inject(cluster, action, "worker-1")
    assert cluster.get("Node", "", "worker-1")["spec"].get("unschedulable") is unschedulable  # type: ignore[index]
    faults.inject(cluster, "uncordon-node", "worker-1")
    assert not cluster.get("Node", "", "worker-1")["spec"].get("unschedulable")  # type: ignore[index]


def test_drain_moves_every_pod_to_the_other_worker(cluster: SimCluster) -> None:
    faults.drain_node(cluster, "worker-1")
    cluster.settle()
    pods = _pods(cluster)
    assert len(pods) == 2
    assert {p["spec"]["nodeName"] for p in pods} == {"worker-2"}


def test_slow_image_pull_delays_new_pulls(cluster: SimCluster) -> None:
    for node in ("worker-1", "worker-2"):
        faults.slow_image_pull(cluster, node)
    cluster.api.create({**_deployment(1, "redis:7"), "metadata": {"name": "cache", "namespace": "default"}}, KUBECTL)
    cluster.advance(10_000)
    cache = [p for p in _pods(cluster) if p["metadata"]["name"].startswith("cache-")]
    assert cache and cache[0]["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] == "ContainerCreating"
    cluster.advance(faults.SLOW_PULL_MS)
    cache = [p for p in _pods(cluster) if p["metadata"]["name"].startswith("cache-")]
    assert "running" in cache[0]["status"]["containerStatuses"][0]["state"]


@pytest.mark.parametrize(
    ("action", "target"),
    [("explode", "worker-1"), ("fail-node", "worker-9"), ("crash-container", "default/nope"), ("delete-pod", "a/")],
)
def test_bad_faults_are_rejected(cluster: SimCluster, action: str, target: str) -> None:
    with pytest.raises(faults.FaultError):
        faults.inject(cluster, action, target)
