"""The HPA in the whole simulated cluster: CPU load scales a cpu-hog deployment out, and back in once it stops."""

from __future__ import annotations

import shlex
from typing import Any

import cluster.controllers.hpa  # registers the controller with the engine
import cluster.kubectl.commands  # noqa: F401  (registers the kubectl verbs)
from cluster.controllers.podutil import is_active, is_ready
from cluster.core.timefmt import parse_rfc3339
from cluster.engine.actions import ObjKey
from cluster.kubectl.base import Env, Output
from cluster.kubectl.main import run_kubectl
from cluster.sim import SimCluster

Obj = dict[str, Any]
SECOND = 1000


def cpu_hog(replicas: int = 1) -> Obj:
    """The HPA walkthrough's php-apache: every request burns ~50 ms of CPU; it requests 200m and may use 500m."""
    labels = {"run": "php-apache"}
    container = {
        "name": "php-apache",
        "image": "registry.k8s.io/hpa-example",
        "ports": [{"containerPort": 80}],
        "resources": {"requests": {"cpu": "200m"}, "limits": {"cpu": "500m"}},
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "php-apache"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [container]}},
        },
    }


def hpa_v1(target: str, cpu_percent: int, min_replicas: int, max_replicas: int) -> Obj:
    """The autoscaling/v1 object ``kubectl autoscale`` builds."""
    return {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": target},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": target},
            "minReplicas": min_replicas,
            "maxReplicas": max_replicas,
            "targetCPUUtilizationPercentage": cpu_percent,
        },
    }


def serving_pods(c: SimCluster) -> list[Obj]:
    return [p for p in c.list("Pod", "default") if is_active(p) and is_ready(p)]


def run_load(c: SimCluster, rps: int, seconds: int) -> None:
    """A load generator behind a Service: ``rps`` requests every second, spread over the ready pods.

    It keeps the per-pod counters the traffic model keeps (``private(pod)["traffic"]["perSecond"]``).
    """
    for _ in range(seconds):
        second = c.now_ms - c.now_ms % SECOND
        pods = serving_pods(c)
        for i, p in enumerate(pods):
            share = rps // len(pods) + (1 if i < rps % len(pods) else 0)
            key = ObjKey.of(p)
            private = dict(c.store.private(key) or {})
            counters = dict(private.get("traffic") or {"requests": 0, "errors": 0, "latencyMsSum": 0})
            buckets = [b for b in counters.get("perSecond", []) if b[0] > second - 120 * SECOND]
            counters["perSecond"] = [*buckets, [second, share]] if share else buckets
            counters["requests"] += share
            private["traffic"] = counters
            c.api.set_private(key, private)
        c.advance(SECOND)


def replicas(c: SimCluster, name: str = "php-apache") -> int:
    deploy = c.get("Deployment", "default", name)
    assert deploy is not None
    return int(deploy["spec"]["replicas"])


def rescales(c: SimCluster) -> list[tuple[str, str]]:
    found = [e for e in c.list("Event", "default") if e["reason"] == "SuccessfulRescale"]
    found.sort(key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))
    return [(e["firstTimestamp"], e["message"]) for e in found]


def test_cpu_load_scales_a_cpu_hog_out_and_back_in() -> None:
    c = SimCluster.new(seed=11, nodes=2)
    c.api.create(cpu_hog())
    c.advance(30 * SECOND)
    stored = c.api.create(hpa_v1("php-apache", 50, 1, 10))
    assert stored["apiVersion"] == "autoscaling/v2"  # served and stored as v2

    start = c.now_ms
    run_load(c, rps=10, seconds=120)  # 500m of work: 250 % of one pod's request
    peak = replicas(c)
    assert 4 <= peak <= 10
    stopped = c.now_ms
    run_load(c, rps=0, seconds=400)
    assert replicas(c) == 1

    events = rescales(c)
    ups = [m for _, m in events if m.endswith("cpu resource utilization (percentage of request) above target")]
    downs = [m for _, m in events if m.endswith("All metrics below target")]
    assert ups and downs and len(ups) + len(downs) == len(events)
    assert [m for _, m in events] == ups + downs  # every scale-up came before any scale-down
    assert ups[0].startswith("New size: ") and int(ups[0].split(";")[0].split(": ")[1]) <= 4  # max(2 × 1, 4)
    assert downs[-1].startswith("New size: 1;")
    first_down = min(parse_rfc3339(t) for t, m in events if m in downs)
    assert first_down - stopped >= 300 * SECOND  # the scale-down stabilization window
    # The whole cycle takes well under 20 simulated minutes: under a minute of wall time at 20×.
    assert max(parse_rfc3339(t) for t, _ in events) - start < 20 * 60 * SECOND


def kubectl(c: SimCluster, line: str) -> Output:
    return run_kubectl(Env(api=c.api, now_ms=lambda: c.now_ms), shlex.split(line)[1:])


def test_kubectl_autoscale_then_get_hpa() -> None:
    c = SimCluster.new(seed=5, nodes=2)
    deploy = cpu_hog(2)
    deploy["metadata"]["name"] = "web"
    c.api.create(deploy)
    c.advance(30 * SECOND)
    created = kubectl(c, "kubectl autoscale deployment web --min=2 --max=5 --cpu-percent=80")
    assert created.stdout == ["horizontalpodautoscaler.autoscaling/web autoscaled"]
    assert kubectl(c, "kubectl get hpa").stdout == [
        "NAME   REFERENCE        TARGETS              MINPODS   MAXPODS   REPLICAS   AGE\n"
        "web    Deployment/web   cpu: <unknown>/80%   2         5         0          0s"
    ]
    c.advance(20 * SECOND)  # the first sync comes 15 s after creation
    assert kubectl(c, "kubectl get hpa").stdout == [
        "NAME   REFERENCE        TARGETS       MINPODS   MAXPODS   REPLICAS   AGE\n"
        "web    Deployment/web   cpu: 0%/80%   2         5         2          20s"
    ]
