"""A sandbox for the traffic tests: a ``SimCluster``, a terminal on it, and the course's manifests.

``Sandbox.sh("kubectl apply -f deployment.yaml")`` runs a terminal line as the
learner would; ``send`` fires one request straight through the routing core.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cluster.kubectl.traffic_programs  # noqa: F401  (registers curl, load, kube-proxy, docker)
from cluster.core.objects import Obj
from cluster.engine.actions import ObjKey
from cluster.kubectl.base import Env, Output
from cluster.kubectl.shell import run_line
from cluster.networking.network import Call, Client, Network, Outcome
from cluster.networking.routing import send
from cluster.sim import SimCluster

# The course's hostname app: 3 replicas behind NodePort 30000 (deployment.yaml / service.yaml).
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: hostname
spec:
  replicas: 3
  selector:
    matchLabels:
      app: hostname
  template:
    metadata:
      labels:
        app: hostname
    spec:
      containers:
      - name: hostname
        image: kubesandbox/hostname:latest
        ports:
        - containerPort: 80
"""
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: hostname-service
spec:
  type: NodePort
  selector:
    app: hostname
  ports:
  - name: http
    protocol: TCP
    port: 80
    targetPort: 80
    nodePort: 30000
"""


@dataclass
class Sandbox:
    cluster: SimCluster
    env: Env
    files: dict[str, str] = field(default_factory=dict)

    def sh(self, line: str) -> Output:
        return run_line(self.env, line)

    def ok(self, line: str) -> Output:
        out = self.sh(line)
        assert out.exit_code == 0, f"{line!r} failed: {out.stderr}"
        return out

    def settle(self) -> None:
        self.cluster.settle()

    def pod(self, name: str, namespace: str = "default") -> Obj:
        pod = self.cluster.get("Pod", namespace, name)
        assert pod is not None, name
        return pod

    def pods(self, prefix: str = "", namespace: str = "default") -> list[Obj]:
        return [p for p in self.cluster.list("Pod", namespace) if p["metadata"]["name"].startswith(prefix)]

    def private(self, kind: str, namespace: str, name: str) -> dict[str, Any]:
        return self.cluster.store.private(ObjKey(kind, namespace, name)) or {}

    def send(self, host: str, port: int = 80, client: Client | None = None, path: str = "/", **call: Any) -> Outcome:
        """One request through the routing core, its writes applied like the terminal applies them."""
        net = Network(self.cluster.engine.view, self.cluster.now_ms)
        out = send(net, client or Client(), Call(host, port, path, **call), self.cluster.now_ms)
        for key, data in net.state.writes():
            self.cluster.api.set_private(key, data)
        return out


def sandbox(*lines: str, files: dict[str, str] | None = None, seed: int = 1, settle: bool = True) -> Sandbox:
    cluster = SimCluster.new(seed=seed)
    all_files = {"deployment.yaml": DEPLOYMENT, "service.yaml": SERVICE, **(files or {})}
    env = Env(api=cluster.api, now_ms=lambda: cluster.now_ms, files=all_files)
    box = Sandbox(cluster, env, all_files)
    for line in lines:
        box.ok(line)
    if settle:
        box.settle()
    return box


def course() -> Sandbox:
    """The course's hostname deployment (3 replicas) and NodePort 30000, settled."""
    return sandbox("kubectl apply -f deployment.yaml", "kubectl apply -f service.yaml")


def test_course_sandbox_runs_three_ready_pods_behind_node_port_30000() -> None:
    box = course()
    pods = box.pods("hostname-")
    assert len(pods) == 3
    assert all(p["status"]["phase"] == "Running" for p in pods)
    svc = box.cluster.get("Service", "default", "hostname-service")
    assert svc is not None and svc["spec"]["ports"][0]["nodePort"] == 30000


def test_send_applies_counter_writes_to_the_answering_pod() -> None:
    box = course()
    out = box.send("localhost", 30000)
    assert out.status == 200
    assert box.private("Pod", "default", out.pod)["traffic"]["requests"] == 1
