"""The trace the map animates, for the course's flows: the expected hops appear in causal order."""

from __future__ import annotations

import pytest

from cluster import faults
from cluster.engine.trace import TraceStep
from cluster.kubectl.base import Env
from cluster.kubectl.shell import run_line
from cluster.sim import SimCluster

Hop = tuple[str, str, str, str]  # from, to, verb, a part of the text


def _kubectl(sim: SimCluster, line: str) -> None:
    assert run_line(Env(api=sim.api, now_ms=lambda: sim.now_ms), line).exit_code == 0


def _in_order(steps: list[TraceStep], hops: list[Hop]) -> None:
    """Each hop is found after the previous one (other steps may come in between)."""
    at = 0
    for source, target, verb, part in hops:
        for i in range(at, len(steps)):
            s = steps[i]
            if s.source.startswith(source) and s.target.startswith(target) and s.verb == verb and part in s.text:
                at = i + 1
                break
        else:
            seen = [f"{s.source}->{s.target} {s.verb} {s.text}" for s in steps[at : at + 40]]
            pytest.fail(f"{source} -> {target} {verb} {part!r} not found after step {at}: {seen}")
    assert [s.seq for s in steps] == sorted(s.seq for s in steps)


@pytest.fixture
def sim() -> SimCluster:
    cluster = SimCluster.new(seed=3, nodes=2)
    _kubectl(cluster, "kubectl create deployment web --image=nginx:1.27 --replicas=2")
    cluster.settle()
    cluster.tracer.drain()
    return cluster


CREATE: list[Hop] = [
    ("kubectl", "api-server", "POST", "create deployment app"),
    ("api-server", "etcd", "write", "create deployment app"),
    ("controller-manager", "api-server", "POST", "create replicaset app-"),
    ("controller-manager", "api-server", "POST", "create pod app-"),
    ("scheduler", "scheduler", "schedule", "choose worker-"),
    ("scheduler", "api-server", "POST binding", "bind pod app-"),
    ("kubelet:worker-", "runtime", "RunPodSandbox", "create pod sandbox"),
    ("kubelet:worker-", "runtime", "PullImage", "pull image"),
    ("kubelet:worker-", "runtime", "StartContainer", "start container"),
    ("kubelet:worker-", "api-server", "PUT status", "update pod app-"),
]


def test_create_deployment(sim: SimCluster) -> None:
    _kubectl(sim, "kubectl create deployment app --image=redis:7")
    sim.settle()
    _in_order(sim.tracer.drain(), CREATE)


def test_scale(sim: SimCluster) -> None:
    _kubectl(sim, "kubectl scale deployment web --replicas=3")
    sim.settle()
    _in_order(
        sim.tracer.drain(),
        [
            ("kubectl", "api-server", "PUT", "update deployment web"),
            ("api-server", "etcd", "write", "update deployment web"),
            ("controller-manager", "api-server", "PUT", "replicaset web-"),
            ("controller-manager", "api-server", "POST", "create pod web-"),
            ("scheduler", "api-server", "POST binding", "bind pod web-"),
            ("kubelet:worker-", "runtime", "StartContainer", "start container"),
        ],
    )


def test_delete_pod(sim: SimCluster) -> None:
    victim = sim.list("Pod", "default")[0]["metadata"]["name"]
    faults.delete_pod(sim, f"default/{victim}")
    sim.settle()
    _in_order(
        sim.tracer.drain(),
        [
            ("kubectl", "api-server", "DELETE", f"delete pod {victim}"),
            ("controller-manager", "api-server", "POST", "create pod web-"),
            ("scheduler", "api-server", "POST binding", "bind pod web-"),
            ("runtime", "kubelet:worker-", "ContainerExited", "exited"),
            ("kubelet:worker-", "runtime", "RemovePodSandbox", "remove pod sandbox"),
            ("kubelet:worker-", "api-server", "DELETE", f"delete pod {victim}"),
        ],
    )


def test_rolling_update(sim: SimCluster) -> None:
    _kubectl(sim, "kubectl set image deployment/web nginx=redis:7")
    sim.settle()
    _in_order(
        sim.tracer.drain(),
        [
            ("kubectl", "api-server", "PUT", "update deployment web"),
            ("api-server", "etcd", "write", "update deployment web"),
            ("controller-manager", "api-server", "POST", "create replicaset web-"),
            ("controller-manager", "api-server", "POST", "create pod web-"),
            ("kubelet:worker-", "runtime", "StartContainer", "start container"),
            ("controller-manager", "api-server", "PUT", "replicaset web-"),
            ("runtime", "kubelet:worker-", "ContainerExited", "exited"),
        ],
    )


def test_node_failure(sim: SimCluster) -> None:
    faults.fail_node(sim, "worker-1")
    sim.advance(60_000)
    faults.recover_node(sim, "worker-1")
    sim.advance(10_000)
    _in_order(
        sim.tracer.drain(),
        [
            ("controller-manager", "api-server", "PUT status", "node worker-1"),
            ("controller-manager", "api-server", "PUT", "node worker-1"),
            ("kubelet:worker-1", "api-server", "PUT status", "node worker-1"),
        ],
    )
