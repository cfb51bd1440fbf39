"""Shared helpers for the kubectl emulator tests: a seeded sandbox and a terminal transcript.

``Session`` runs terminal lines against a fresh ``SimCluster`` and records
them the way a terminal shows them (``$ line``, the interleaved output, a
``[exit N]`` marker for failures, ``# hint:`` for our plain-language hints),
so a golden file reads like a real kubectl session.
"""

from __future__ import annotations

from typing import Any

from cluster.kubectl.base import Env, Output
from cluster.kubectl.shell import run_line
from cluster.sim import SimCluster

DEPLOYMENT_YAML = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
"""

SERVICE_YAML = """apiVersion: v1
kind: Service
metadata:
  name: nginx-service
spec:
  type: NodePort
  selector:
    app: nginx
  ports:
    - name: http
      protocol: TCP
      port: 80
      targetPort: 80
      nodePort: 30000
"""

FILES = {"deployment.yaml": DEPLOYMENT_YAML, "service.yaml": SERVICE_YAML}


class Session:
    """A learner at the terminal of a fresh sandbox (seed 1, two workers)."""

    def __init__(self, files: dict[str, str] | None = None, *, lang: str = "en", seed: int = 1) -> None:
        self.cluster = SimCluster.new(seed=seed)
        self.skew_ms = 0  # extra time seen by kubectl only (AGE columns), without running the control plane
        self.env = Env(api=self.cluster.api, now_ms=self.now_ms, files=dict(files or {}), lang=lang)
        self.lines: list[str] = []

    def now_ms(self) -> int:
        return self.cluster.now_ms + self.skew_ms

    def run(self, line: str) -> Output:
        out = run_line(self.env, line)
        self.lines.append(f"$ {line}")
        if out.text:
            self.lines.append(out.text)
        if out.exit_code:
            self.lines.append(f"[exit {out.exit_code}]")
        self.lines += [f"# {hint}" for hint in out.hints]
        return out

    def script(self, *lines: str) -> None:
        for line in lines:
            self.run(line)

    def settle(self) -> None:
        self.cluster.settle()

    def advance(self, ms: int) -> None:
        self.cluster.advance(ms)

    def transcript(self) -> str:
        return "\n".join(self.lines) + "\n"


def names(out: Output) -> list[str]:
    return [line.split()[0] for line in out.stdout[0].splitlines()[1:]] if out.stdout else []


def obj(session: Session, kind: str, namespace: str, name: str) -> dict[str, Any]:
    found = session.cluster.get(kind, namespace, name)
    assert found is not None, f"{kind} {namespace}/{name} not found"
    return found
