"""Whole-cluster properties of the simulated control plane: determinism, fixed points, quotas, conflicts."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.core import errors
from cluster.engine.actions import Trace
from cluster.sim import SimCluster

SECOND = 1000


def deployment(name: str, replicas: int, image: str = "nginx:1.25") -> dict[str, Any]:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": "nginx", "image": image}]}},
        },
    }


def scenario(seed: int) -> SimCluster:
    cluster = SimCluster.new(seed=seed)
    cluster.api.create(deployment("web", 3))
    cluster.advance(10 * SECOND)
    victim = cluster.list("Pod", "default")[0]["metadata"]["name"]
    cluster.api.delete("Pod", "default", victim)
    cluster.api.patch("Deployment", "default", "web", {"spec": {"replicas": 5}})
    cluster.advance(60 * SECOND)
    cluster.api.patch(
        "Deployment",
        "default",
        "web",
        {"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]}}}},
        "strategic",
    )
    cluster.settle()
    return cluster


def event_stream(cluster: SimCluster) -> list[tuple[Any, ...]]:
    return [
        (
            e["firstTimestamp"],
            e["lastTimestamp"],
            e["type"],
            e["reason"],
            e["involvedObject"]["name"],
            e["message"],
            e["count"],
        )
        for e in cluster.events()
    ]


def test_same_seed_and_commands_give_identical_events_and_names() -> None:
    first, second = scenario(42), scenario(42)
    assert event_stream(first) == event_stream(second)
    assert [p["metadata"]["name"] for p in first.list("Pod")] == [p["metadata"]["name"] for p in second.list("Pod")]
    assert [(s.source, s.target, s.verb, s.text) for s in first.trace] == [
        (s.source, s.target, s.verb, s.text) for s in second.trace
    ]
    other = scenario(43)
    assert [p["metadata"]["name"] for p in other.list("Pod")] != [p["metadata"]["name"] for p in first.list("Pod")]


def test_every_reconciler_is_at_a_fixed_point_once_settled() -> None:
    cluster = scenario(7)
    engine = cluster.engine
    for reconciler in engine.reconcilers:
        for watch in reconciler.watches():
            for obj in cluster.store.list(watch.kind):
                for key in watch.mapper(engine.view, obj):
                    result = reconciler.reconcile(engine.view, key, cluster.now_ms)
                    acted = [a for a in result.actions if not isinstance(a, Trace)]
                    assert acted == [], f"{reconciler.name} still acts on {key}: {acted}"


def test_rollout_finishes_with_the_new_image_everywhere() -> None:
    cluster = scenario(5)
    pods = cluster.list("Pod", "default")
    assert len(pods) == 5
    assert {p["spec"]["containers"][0]["image"] for p in pods} == {"nginx:1.27"}
    assert {p["status"]["phase"] for p in pods} == {"Running"}
    assert len({p["status"]["podIP"] for p in pods}) == 5


def test_self_healing_replaces_a_deleted_pod() -> None:
    cluster = SimCluster.new(seed=3)
    cluster.api.create(deployment("web", 2))
    cluster.advance(10 * SECOND)
    before = {p["metadata"]["name"] for p in cluster.list("Pod", "default")}
    victim = sorted(before)[0]
    cluster.api.delete("Pod", "default", victim)
    terminating = cluster.get("Pod", "default", victim)
    assert terminating is not None and terminating["metadata"]["deletionTimestamp"]
    cluster.advance(1 * SECOND)
    names = {
        p["metadata"]["name"] for p in cluster.list("Pod", "default") if not p["metadata"].get("deletionTimestamp")
    }
    assert victim not in names and len(names) == 2
    cluster.advance(40 * SECOND)
    assert cluster.get("Pod", "default", victim) is None
    reasons = [e["reason"] for e in cluster.events("default") if e["involvedObject"]["name"] == victim]
    assert "Killing" in reasons


def test_huge_replica_count_is_stopped_by_the_pod_quota() -> None:
    cluster = SimCluster.new(seed=1, quotas={"pods": 20, "nodes": 20, "objects": 2000})
    cluster.api.create(deployment("big", 100_000))
    cluster.advance(5 * SECOND)
    assert len(cluster.list("Pod", "default")) == 20
    failed = [e for e in cluster.events("default") if e["reason"] == "FailedCreate"]
    assert failed, "the ReplicaSet controller reports the quota like a real ResourceQuota"
    assert "exceeded quota" in failed[0]["message"]
    assert failed[0]["message"].startswith("Error creating: pods")
    # Slow start stops a sync at its first failed create: one event per attempt, not one per skipped pod.
    assert [e.get("count", 1) for e in failed] == [1] * len(failed)
    with pytest.raises(errors.ApiError) as err:
        cluster.api.create(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": "extra"},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            }
        )
    assert err.value.code == 403
    assert err.value.message == (
        'pods "extra" is forbidden: exceeded quota: sandbox-quota, requested: pods=1, used: pods=20, limited: pods=20'
    )


def test_stale_update_is_a_409_conflict() -> None:
    cluster = SimCluster.new(seed=1)
    created = cluster.api.create(deployment("web", 1))
    fresh = cluster.api.get("Deployment", "default", "web")
    fresh["spec"]["replicas"] = 2
    cluster.api.update(fresh)
    created["spec"]["replicas"] = 3
    with pytest.raises(errors.ApiError) as err:
        cluster.api.update(created)
    assert err.value.code == 409
    assert err.value.message == (
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )


def test_cascade_and_orphan_deletion() -> None:
    cluster = SimCluster.new(seed=2)
    cluster.api.create(deployment("keep", 2))
    cluster.api.create(deployment("gone", 2))
    cluster.advance(10 * SECOND)
    cluster.api.delete("Deployment", "default", "keep", propagation="Orphan")
    cluster.api.delete("Deployment", "default", "gone")
    cluster.advance(60 * SECOND)
    pods = cluster.list("Pod", "default")
    assert [p["metadata"]["labels"]["app"] for p in pods] == ["keep", "keep"]
    [rs] = cluster.list("ReplicaSet", "default")
    assert "ownerReferences" not in rs["metadata"] or rs["metadata"]["ownerReferences"] == []
    assert all(p["metadata"]["ownerReferences"][0]["uid"] == rs["metadata"]["uid"] for p in pods)


def test_trace_follows_the_control_loop_in_causal_order() -> None:
    cluster = SimCluster.new(seed=9)
    cluster.tracer.drain()
    cluster.api.create(deployment("web", 1))
    cluster.settle()
    steps = [(s.source.split(":")[0], s.target, s.verb) for s in cluster.tracer.drain()]

    def first(pred: Any) -> int:
        return next(i for i, s in enumerate(steps) if pred(s))

    post = first(lambda s: s[0] == "kubectl" and s[2] == "POST")
    rs = first(lambda s: s[0] == "controller-manager" and s[2] == "POST")
    bind = first(lambda s: s[0] == "scheduler" and s[2].startswith("POST binding"))
    start = first(lambda s: s[0] == "kubelet" and s[1] == "runtime" and "Start" in s[2])
    assert steps[post + 1] == ("api-server", "etcd", "write")
    assert post < rs < bind < start
