"""``python manage.py bench control-plane``: figures for the control plane on this machine.

Prints (not asserts) the time to create a sandbox with its nodes Ready, and
the wall time for a deployment scaled 0 → 1,000 replicas on 10 nodes to reach
all Running with the clock at full speed, both for the pure core and through
the database (load, run, flush), plus peak memory.
"""

from __future__ import annotations

import gc
import resource
import statistics
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cluster.sim import SimCluster


def _running(cluster: SimCluster) -> int:
    return sum(1 for p in cluster.list("Pod") if (p.get("status") or {}).get("phase") == "Running")


def _deployment(name: str, replicas: int) -> dict[str, Any]:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
            },
        },
    }


class Command(BaseCommand):
    help = "Benchmarks that print figures (control-plane)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("which", choices=["control-plane"])
        parser.add_argument("--pods", type=int, default=1000)
        parser.add_argument("--nodes", type=int, default=10)
        parser.add_argument("--repeat", type=int, default=20)

    def handle(self, *args: Any, **opts: Any) -> None:
        self.control_plane(opts["pods"], opts["nodes"], opts["repeat"])

    def control_plane(self, pods: int, nodes: int, repeat: int) -> None:
        from cluster import services

        quotas = {"pods": pods + 100, "nodes": nodes + 5, "objects": pods * 2 + 500}
        self.stdout.write(f"KubeSandbox control-plane benchmark ({nodes} nodes, {pods} replicas)")
        core = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            SimCluster.new(nodes=2)
            core.append((time.perf_counter() - t0) * 1000)
        self.stdout.write(f"  create cluster, core only:        median {statistics.median(core):7.1f} ms  (n={repeat})")
        made = []
        for i in range(repeat):
            t0 = time.perf_counter()
            sb = services.sandbox_create(name=f"bench-{i}-{time.time_ns()}", session_key="bench")
            made.append((time.perf_counter() - t0) * 1000)
            services.sandbox_delete(sb)
        self.stdout.write(
            f"  create sandbox (DB, nodes Ready): median {statistics.median(made):7.1f} ms  "
            f"p95 {sorted(made)[int(0.95 * (len(made) - 1))]:7.1f} ms"
        )
        gc.collect()
        cluster = SimCluster.new(nodes=nodes, quotas=quotas)
        cluster.api.create(_deployment("bench", 0))
        cluster.settle()
        sim_start = cluster.now_ms
        t0 = time.perf_counter()
        cluster.api.patch("Deployment", "default", "bench", {"spec": {"replicas": pods}})
        cluster.settle(limit_ms=120_000)
        wall = time.perf_counter() - t0
        running = _running(cluster)
        self.stdout.write(
            f"  scale 0 -> {pods}, core only:       {wall:7.2f} s wall, {running} Running, "
            f"{running / wall:7.0f} pods/s, {cluster.engine.reconcile_count} reconciles, "
            f"{(cluster.now_ms - sim_start) / 1000:.1f} s simulated"
        )
        sb = services.sandbox_create(
            name=f"bench-scale-{time.time_ns()}", session_key="bench", nodes=nodes, paused=True
        )
        from cluster.models import Sandbox

        Sandbox.objects.filter(pk=sb.pk).update(quotas=quotas)
        from cluster import persistence

        persistence.forget(sb.pk)
        services.sandbox_run(sb.pk, lambda c: c.api.create(_deployment("bench", 0)))
        t0 = time.perf_counter()
        services.sandbox_run(
            sb.pk, lambda c: c.api.patch("Deployment", "default", "bench", {"spec": {"replicas": pods}})
        )
        done = services.sandbox_run(
            sb.pk, lambda c: (c.settle(limit_ms=120_000), _running(c))[1], clock_change=lambda clock, wall: clock
        )
        wall = time.perf_counter() - t0
        self.stdout.write(
            f"  scale 0 -> {pods}, through the DB:  {wall:7.2f} s wall, {done} Running, {done / wall:7.0f} pods/s"
        )
        services.sandbox_delete(Sandbox.objects.get(pk=sb.pk))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"  peak memory (max RSS):            {peak:7.1f} MiB")
