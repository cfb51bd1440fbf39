"""The kubelet inside the real engine and API server (``SimCluster`` with only the kubelet registered).

Only the kubelet runs, so what is asserted is its own work going through the
real write path: status PUTs, the event recorder, private state, the final
grace-0 delete, and the causal trace.
"""

from __future__ import annotations

from typing import Any

from cluster.apiserver.context import RequestContext
from cluster.engine.actions import ObjKey
from cluster.kubelet import Kubelet
from cluster.sim import SimCluster

START_MS = 1_764_044_333_000
KUBECTL = RequestContext(actor="kubectl")


def _cluster() -> SimCluster:
    cluster = SimCluster(seed=1, now_ms=START_MS, reconcilers=[Kubelet()])
    cluster.bootstrap(2)
    return cluster


def _run(cluster: SimCluster, name: str, node: str = "worker-1", **container: Any) -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"nodeName": node, "containers": [{"name": name, **container}]},
    }
    cluster.api.create(pod, KUBECTL)


def _pod(cluster: SimCluster, name: str) -> dict[str, Any]:
    pod = cluster.get("Pod", "default", name)
    assert pod is not None
    return pod


def test_pod_runs_through_the_real_write_path() -> None:
    cluster = _cluster()
    _run(cluster, "web", image="nginx:1.25")
    cluster.advance(5_000)
    pod = _pod(cluster, "web")
    assert pod["status"]["phase"] == "Running"
    assert [(e["reason"], e["source"]) for e in cluster.events()] == [
        ("Pulling", {"component": "kubelet", "host": "worker-1"}),
        ("Pulled", {"component": "kubelet", "host": "worker-1"}),
        ("Created", {"component": "kubelet", "host": "worker-1"}),
        ("Started", {"component": "kubelet", "host": "worker-1"}),
    ]
    assert cluster.events()[0]["involvedObject"]["fieldPath"] == "spec.containers{web}"
    runtime = [(s.source, s.verb, s.text) for s in cluster.trace if s.target == "runtime"]
    assert runtime == [
        ("kubelet:worker-1", "RunPodSandbox", "create pod sandbox"),
        ("kubelet:worker-1", "PullImage", "pull image nginx:1.25"),
        ("kubelet:worker-1", "StartContainer", "start container web"),
    ]
    writes = [s for s in cluster.trace if s.target == "api-server" and "/status" in s.text]
    assert writes and all(s.source == "kubelet:worker-1" for s in writes)
    node = cluster.get("Node", "", "worker-1")
    assert node is not None and node["status"]["images"][0]["sizeBytes"] == 70_544_014


def test_deletion_waits_for_the_kubelet_and_honours_the_grace_period() -> None:
    cluster = _cluster()
    _run(cluster, "slow", image="kubesandbox/hostname:1.0")
    _run(cluster, "fast", image="nginx:1.25")
    cluster.advance(5_000)
    cluster.api.delete("Pod", "default", "slow", KUBECTL)
    cluster.api.delete("Pod", "default", "fast", KUBECTL)
    cluster.advance(1_000)
    assert cluster.get("Pod", "default", "fast") is None
    assert _pod(cluster, "slow")["metadata"]["deletionGracePeriodSeconds"] == 30
    cluster.advance(28_500)
    assert cluster.get("Pod", "default", "slow") is not None
    cluster.advance(1_000)
    assert cluster.get("Pod", "default", "slow") is None
    assert any(s.verb == "StopContainer" and "SIGKILL" in s.text for s in cluster.trace)


def test_crash_loop_settles_into_back_off_timers() -> None:
    cluster = _cluster()
    _run(cluster, "crash", image="kubesandbox/crasher")
    cluster.advance(120_000)
    status = _pod(cluster, "crash")["status"]["containerStatuses"][0]
    assert status["restartCount"] >= 4
    back_off = [e for e in cluster.events() if e["reason"] == "BackOff"]
    assert len(back_off) == 1 and back_off[0]["count"] >= 3  # one Event, counted like client-go


def test_a_stopped_kubelet_resumes_when_its_node_is_touched() -> None:
    cluster = _cluster()
    node = ObjKey("Node", "", "worker-1")
    cluster.api.set_private(node, {"kubeletStoppedAtMs": cluster.now_ms})
    _run(cluster, "frozen", image="nginx:1.25")
    cluster.advance(30_000)
    assert "containerStatuses" not in _pod(cluster, "frozen")["status"]
    cluster.api.set_private(node, {})
    cluster.api.patch("Node", "", "worker-1", {"metadata": {"labels": {"touched": "yes"}}}, "merge", KUBECTL)
    cluster.advance(5_000)
    assert _pod(cluster, "frozen")["status"]["phase"] == "Running"


def test_same_seed_same_story() -> None:
    def story() -> list[tuple[str, str, str]]:
        cluster = _cluster()
        _run(cluster, "a", image="nginx")
        _run(cluster, "b", node="worker-2", image="nginx:9.9")
        cluster.advance(60_000)
        return [(e["lastTimestamp"], e["reason"], e["message"]) for e in cluster.events()]

    assert story() == story()


def test_full_cluster_deployment_pods_run_with_distinct_ips() -> None:
    cluster = SimCluster.new(seed=7)
    template = {
        "metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
    }
    spec = {"replicas": 3, "selector": {"matchLabels": {"app": "web"}}, "template": template}
    cluster.api.create(
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": spec}, KUBECTL
    )
    cluster.advance(4_000)
    pods = cluster.list("Pod", "default")
    assert len(pods) == 3 and {p["status"]["phase"] for p in pods} == {"Running"}
    ips = [(p["spec"]["nodeName"], p["status"]["podIP"]) for p in pods]
    assert len({ip for _, ip in ips}) == 3
    assert all(ip.startswith("10.244." + node.rsplit("-", 1)[1] + ".") for node, ip in ips)
    name = pods[0]["metadata"]["name"]
    story = [e["reason"] for e in cluster.events("default") if e["involvedObject"]["name"] == name]
    assert story == ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
