"""The metrics model: what metrics-server reports for pods, containers and nodes, derived from load."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.core.timefmt import rfc3339
from cluster.engine.actions import ObjKey
from cluster.kubelet import new_node
from cluster.metrics import PROFILES, MetricsServer, node_baseline, requests_in_window, scrape_time
from cluster.metrics.model import milli_cpu
from tests.unit.fakes import FakeView

Obj = dict[str, Any]
MI = 1024 * 1024
SCRAPE = 1_764_044_340_000  # a metrics-server scrape (a multiple of 15 s)
LONG_AGO = SCRAPE - 600_000


def container(name: str = "app", image: str = "nginx:1.25", **resources: Obj) -> Obj:
    return {"name": name, "image": image, "resources": resources}


def pod(name: str = "web-1", *containers: Obj, started_ms: int = LONG_AGO, node: str = "worker-1",
        phase: str = "Running", running: bool = True) -> Obj:  # fmt: skip
    specs = list(containers) or [container()]
    state = {"running": {"startedAt": rfc3339(started_ms)}} if running else {"waiting": {"reason": "ContainerCreating"}}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "labels": {"app": "web"}, "uid": f"uid-{name}"},
        "spec": {"nodeName": node, "containers": specs},
        "status": {"phase": phase, "containerStatuses": [{"name": c["name"], "state": state} for c in specs]},
    }


def traffic(count_per_second: int, start_ms: int, seconds: int) -> Obj:
    buckets = [[start_ms + i * 1000, count_per_second] for i in range(seconds)]
    return {"traffic": {"requests": count_per_second * seconds, "errors": 0, "latencyMsSum": 0, "perSecond": buckets}}


def cluster_view(*pods: Obj, now_ms: int = SCRAPE) -> FakeView:
    view = FakeView([new_node("worker-1", 1, LONG_AGO, "worker"), new_node("worker-2", 2, LONG_AGO, "worker")], now_ms)
    for p in pods:
        view.add(p)
    return view


def with_load(view: FakeView, p: Obj, rps: int, start_ms: int = SCRAPE - 15_000, seconds: int = 15) -> None:
    view.privates[ObjKey.of(p)] = traffic(rps, start_ms, seconds)


# ---------------------------------------------------------------- idle usage per app


@pytest.mark.parametrize(
    ("image", "cpu", "memory_mi"),
    [
        ("nginx:1.25", 1, 3),
        ("registry.k8s.io/hpa-example", 1, 9),
        ("httpd:2.4", 1, 7),
        ("busybox:1.36", 0, 0),
        ("docker.io/kubesandbox/hostname:1.0", 2, 21),
        ("example.com/unknown/app:1", 1, 5),
    ],
)
def test_idle_usage_per_app(image: str, cpu: int, memory_mi: int) -> None:
    p = pod("web-1", container("app", image))
    sample = MetricsServer(cluster_view(p)).pod_metrics(p, SCRAPE)
    assert sample is not None
    assert (sample.cpu_millis, sample.memory_bytes // MI) == (cpu, memory_mi)


# ---------------------------------------------------------------- load


@pytest.mark.parametrize(
    ("rps", "limits", "cpu"),
    [
        (0, {}, 1),  # idle hpa-example: 0.9 millicores, shown rounded up
        (2, {}, 101),  # 2 req/s × 50 ms of CPU = 100m, plus idle
        (10, {}, 501),
        (10, {"cpu": "200m"}, 200),  # CFS throttling: never above the limit
        (100, {}, 1968),  # without a limit, at most the node's 2 CPUs less what its system daemons use
    ],
)
def test_cpu_follows_request_rate_up_to_the_limit(rps: int, limits: Obj, cpu: int) -> None:
    p = pod("hog-1", container("hog", "registry.k8s.io/hpa-example", limits=limits))
    view = cluster_view(p)
    with_load(view, p, rps)
    sample = MetricsServer(view).pod_metrics(p, SCRAPE)
    assert sample is not None and sample.cpu_millis == cpu


def test_memory_grows_with_load_and_stops_at_its_limit() -> None:
    idle, busy, capped = (pod(n, container("hog", "registry.k8s.io/hpa-example")) for n in ("a", "b", "c"))
    capped["spec"]["containers"][0]["resources"] = {"limits": {"memory": "12Mi"}}
    view = cluster_view(idle, busy, capped)
    with_load(view, busy, 10)
    with_load(view, capped, 10)
    server = MetricsServer(view)
    usage = {p["metadata"]["name"]: server.pod_metrics(p, SCRAPE).memory_bytes for p in (idle, busy, capped)}  # type: ignore[union-attr]
    assert usage["a"] < usage["b"]
    assert usage["b"] - usage["a"] == 10 * MI  # 1Mi per request/s
    assert usage["c"] == 12 * MI


@pytest.mark.parametrize(
    ("buckets", "expected"),
    [
        ([[SCRAPE - 15_000, 3], [SCRAPE - 1_000, 4]], 7),  # first and last second of the window
        ([[SCRAPE - 16_000, 5]], 0),  # before the window
        ([[SCRAPE, 5]], 0),  # after the scrape: counted by the next one
        ([[SCRAPE - 5_000, -2], [SCRAPE - 4_000, "x"], [SCRAPE - 3_000]], 0),  # garbage is ignored
    ],
)
def test_requests_in_window(buckets: list[Any], expected: int) -> None:
    assert requests_in_window({"perSecond": buckets}, SCRAPE - 15_000, SCRAPE) == expected


def test_samples_move_on_the_15_second_grid() -> None:
    p = pod("hog-1", container("hog", "registry.k8s.io/hpa-example"))
    view = cluster_view(p)
    with_load(view, p, 10, start_ms=SCRAPE, seconds=15)  # load only after this scrape
    server = MetricsServer(view)
    assert scrape_time(SCRAPE + 14_999) == SCRAPE
    assert server.pod_metrics(p, SCRAPE + 14_999).cpu_millis == 1  # type: ignore[union-attr]
    later = server.pod_metrics(p, SCRAPE + 15_000)
    assert later is not None and later.cpu_millis == 501 and later.timestamp_ms == SCRAPE + 15_000
    assert later.window_ms == 15_000


def test_only_the_serving_container_gets_the_load() -> None:
    p = pod("web-1", container("nginx", "nginx:1.25"), container("sidecar", "busybox:1.36"))
    view = cluster_view(p)
    with_load(view, p, 400)
    sample = MetricsServer(view).pod_metrics(p, SCRAPE)
    assert sample is not None
    assert sample.container("nginx").cpu_millis == 101  # type: ignore[union-attr]  # 400 × 0.25 ms + idle
    assert sample.container("sidecar").cpu_millis == 0  # type: ignore[union-attr]


# ---------------------------------------------------------------- when there is no sample


@pytest.mark.parametrize(
    ("started_ms", "has_metrics"),
    [(SCRAPE - 15_000, True), (SCRAPE - 14_000, False), (SCRAPE - 1_000, False)],
)
def test_a_container_needs_a_whole_window_before_the_scrape(started_ms: int, has_metrics: bool) -> None:
    p = pod("web-1", started_ms=started_ms)
    sample = MetricsServer(cluster_view(p)).pod_metrics(p, SCRAPE + 10_000)
    assert (sample is not None) == has_metrics


@pytest.mark.parametrize(
    "change",
    [
        lambda p: p["status"].update(phase="Pending"),
        lambda p: p["spec"].pop("nodeName"),
        lambda p: p["status"]["containerStatuses"][0].update(state={"waiting": {"reason": "CrashLoopBackOff"}}),
        lambda p: p["spec"].update(nodeName="worker-9"),
    ],
    ids=["pending", "unscheduled", "not-running", "unknown-node"],
)
def test_pods_that_are_not_running_have_no_metrics(change: Any) -> None:
    p = pod("web-1")
    change(p)
    assert MetricsServer(cluster_view(p)).pod_metrics(p, SCRAPE) is None


def test_nothing_is_scraped_from_a_node_whose_kubelet_is_down() -> None:
    down, up = pod("a", node="worker-1"), pod("b", node="worker-2")
    view = cluster_view(down, up)
    view.privates[ObjKey("Node", "", "worker-1")] = {"kubeletStoppedAtMs": SCRAPE - 5_000}
    server = MetricsServer(view)
    assert server.pod_metrics(down, SCRAPE) is None
    assert server.pod_metrics(up, SCRAPE) is not None
    assert [m.name for m in server.list_node_metrics(view.list("Node"), SCRAPE)] == ["worker-2"]


# ---------------------------------------------------------------- nodes


def test_node_usage_is_its_baseline_plus_its_running_containers() -> None:
    busy, young, elsewhere = pod("a"), pod("b", started_ms=SCRAPE - 2_000), pod("c", node="worker-2")
    view = cluster_view(busy, young, elsewhere)
    with_load(view, busy, 400)
    node = view.get("Node", "", "worker-1")
    assert node is not None
    server = MetricsServer(view)
    sample, busy_sample = server.node_metrics(node, SCRAPE), server.pod_metrics(busy, SCRAPE)
    assert sample is not None and busy_sample is not None
    assert server.pod_metrics(young, SCRAPE) is None  # too young for pod metrics, but the node's cgroup has it
    idle, base = PROFILES["nginx"], node_baseline(node)
    assert sample.cpu_nanocores == base.nanocores + busy_sample.cpu_nanocores + idle.idle_nanocores
    assert sample.memory_bytes == base.memory_bytes + busy_sample.memory_bytes + idle.idle_bytes
    assert busy_sample.cpu_nanocores == idle.idle_nanocores + 100_000_000  # 400 req/s × 0.25 ms


def test_node_baselines_are_stable_and_bigger_on_the_control_plane() -> None:
    control = new_node("control-plane", 0, LONG_AGO, "control-plane")
    worker = new_node("worker-1", 1, LONG_AGO, "worker")
    assert node_baseline(control) == node_baseline(control)
    assert milli_cpu(node_baseline(control).nanocores) > 100 > milli_cpu(node_baseline(worker).nanocores)
    assert node_baseline(control).memory_bytes > 600 * MI > 200 * MI < node_baseline(worker).memory_bytes


# ---------------------------------------------------------------- the metrics.k8s.io objects


def test_pod_metrics_in_wire_form() -> None:
    p = pod("web-1", container("nginx", "nginx:1.25"))
    sample = MetricsServer(cluster_view(p)).pod_metrics(p, SCRAPE + 3_000)
    assert sample is not None
    assert sample.to_api(SCRAPE + 3_000) == {
        "kind": "PodMetrics",
        "apiVersion": "metrics.k8s.io/v1beta1",
        "metadata": {"name": "web-1", "namespace": "default", "creationTimestamp": rfc3339(SCRAPE + 3_000),
                     "labels": {"app": "web"}},
        "timestamp": rfc3339(SCRAPE),
        "window": "15s",
        "containers": [{"name": "nginx", "usage": {"cpu": "600u", "memory": "3328Ki"}}],
    }  # fmt: skip


def test_a_saturated_node_shares_its_cpu_by_request_and_never_reports_more_than_it_has() -> None:
    big = pod("big", container("hog", "registry.k8s.io/hpa-example", requests={"cpu": "300m"}))
    small = pod("small", container("hog", "registry.k8s.io/hpa-example", requests={"cpu": "100m"}))
    modest = pod("modest", container("hog", "registry.k8s.io/hpa-example", requests={"cpu": "100m"}))
    view = cluster_view(big, small, modest)
    with_load(view, big, 100)  # wants 5 CPUs
    with_load(view, small, 100)  # wants 5 CPUs
    with_load(view, modest, 2)  # wants 101m: less than its share, so it gets all of it
    server = MetricsServer(view)
    cpu = {p["metadata"]["name"]: server.pod_metrics(p, SCRAPE).cpu_millis for p in (big, small, modest)}  # type: ignore[union-attr]
    assert cpu["modest"] == 101
    assert cpu["big"] == pytest.approx(3 * cpu["small"], abs=2)  # cpu.shares 300 : 100
    node = server.node_metrics(view.get("Node", "", "worker-1"), SCRAPE)  # type: ignore[arg-type]
    assert node is not None and node.cpu_millis <= 2000
    assert sum(cpu.values()) >= 1960  # the node is used to the full


def test_share_cpu_gives_every_demand_when_it_fits() -> None:
    from cluster.metrics.usage import share_cpu

    assert share_cpu([100, 200], [1, 1], 1000) == [100, 200]
    assert share_cpu([900, 900], [1, 1], 1000) == [500, 500]
    assert share_cpu([900, 100], [1, 1], 600) == [500, 100]
