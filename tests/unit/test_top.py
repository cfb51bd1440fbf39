"""``kubectl top pod|node``: kubectl's metrics printer layout and its errors, on fixed samples and a live cluster."""

from __future__ import annotations

import shlex

import pytest

import cluster.kubectl.commands
import cluster.kubectl.commands.top  # noqa: F401  (registers `top`)
from cluster.core.timefmt import parse_rfc3339
from cluster.engine.actions import ObjKey
from cluster.kubectl.base import Env, Output
from cluster.kubectl.commands.top import go_duration, node_table, pod_table
from cluster.kubectl.main import run_kubectl
from cluster.kubelet import new_node
from cluster.metrics import ContainerUsage, NodeMetrics, PodMetrics
from cluster.sim import SimCluster

MI = 1024 * 1024
T = 1_764_044_340_000


def sample(namespace: str, name: str, *containers: tuple[str, int, int]) -> PodMetrics:
    return PodMetrics(namespace, name, T, 15_000, tuple(ContainerUsage(*c) for c in containers))


SAMPLES = [
    sample("default", "web-b", ("nginx", 600_000, 3 * MI + 256 * 1024)),
    sample("default", "api-a", ("app", 250_000_000, 64 * MI), ("sidecar", 0, 1 * MI)),
    sample("kube-system", "dns", ("coredns", 2_100_000, 12 * MI)),
]


def row(*cells: tuple[str, int]) -> str:
    """A tabwriter line: each cell padded to its column width (every cell is tab-terminated, so all are)."""
    return "".join(text.ljust(width) for text, width in cells)


# ---------------------------------------------------------------- the printer


def test_pods_sorted_by_name_with_trailing_padding() -> None:
    text = pod_table(SAMPLES[:2], containers=False, with_namespace=False, no_headers=False)
    assert text == "\n".join([
        "NAME    CPU(cores)   MEMORY(bytes)   ",
        "api-a   250m         65Mi            ",
        "web-b   1m           3Mi             ",
    ])  # fmt: skip


def test_pods_with_containers_across_namespaces() -> None:
    text = pod_table(SAMPLES, containers=True, with_namespace=True, no_headers=False)
    widths = (14, 8, 10, 13, 16)
    assert text.split("\n") == [
        row(*zip(("NAMESPACE", "POD", "NAME", "CPU(cores)", "MEMORY(bytes)"), widths, strict=True)),
        row(*zip(("default", "api-a", "app", "250m", "64Mi"), widths, strict=True)),
        row(*zip(("default", "api-a", "sidecar", "0m", "1Mi"), widths, strict=True)),
        row(*zip(("default", "web-b", "nginx", "1m", "3Mi"), widths, strict=True)),
        row(*zip(("kube-system", "dns", "coredns", "3m", "12Mi"), widths, strict=True)),
    ]


SORTABLE = [
    sample("default", "a-idle", ("app", 0, 1 * MI)),
    sample("default", "b-cpu", ("app", 900_000_000, 10 * MI)),
    sample("default", "c-mem", ("app", 5_000_000, 800 * MI)),
    sample("default", "d-mid", ("app", 100_000_000, 100 * MI)),
]


@pytest.mark.parametrize(
    ("sort_by", "order"),
    [
        ("", ["a-idle", "b-cpu", "c-mem", "d-mid"]),
        ("cpu", ["b-cpu", "d-mid", "c-mem", "a-idle"]),
        ("memory", ["c-mem", "d-mid", "b-cpu", "a-idle"]),
    ],
)
def test_pods_sort_by(sort_by: str, order: list[str]) -> None:
    shuffled = [SORTABLE[2], SORTABLE[0], SORTABLE[3], SORTABLE[1]]
    text = pod_table(shuffled, containers=False, with_namespace=False, no_headers=True, sort_by=sort_by)
    assert [line.split()[0] for line in text.split("\n")] == order


def test_sum_line_under_the_usage_columns() -> None:
    text = pod_table(SAMPLES[:2], containers=False, with_namespace=False, no_headers=False, show_sum=True)
    assert text.split("\n")[-2:] == [
        "        ________     ________        ",
        "        251m         68Mi            ",
    ]


def test_nodes_with_share_of_allocatable_and_unknown_rows_last() -> None:
    nodes = [new_node("worker-1", 1, T, "worker"), new_node("worker-2", 2, T, "worker")]
    usage = NodeMetrics("worker-1", T, 15_000, 250_000_000, 1024 * MI)
    text = node_table([usage], nodes, no_headers=False)
    widths = (11, 13, 12, 16, 12)
    assert text.split("\n") == [
        row(*zip(("NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"), widths, strict=True)),
        row(*zip(("worker-1", "250m", "12%", "1024Mi", "26%"), widths, strict=True)),  # of 2 CPUs, 4015948Ki
        row(*zip(("worker-2", "<unknown>", "<unknown>", "<unknown>", "<unknown>"), widths, strict=True)),
    ]


@pytest.mark.parametrize(
    ("ms", "text"),
    [(0, "0s"), (350, "350ms"), (5_000, "5s"), (130_500, "2m10.5s"), (180_000, "3m0s"), (3_600_000, "1h0m0s"),
     (3_723_040, "1h2m3.04s")],
)  # fmt: skip
def test_go_duration(ms: int, text: str) -> None:
    assert go_duration(ms) == text


# ---------------------------------------------------------------- against a live cluster


def kubectl(c: SimCluster, line: str) -> Output:
    return run_kubectl(Env(api=c.api, now_ms=lambda: c.now_ms), shlex.split(line)[1:])


def web(c: SimCluster, replicas: int = 2) -> None:
    out = kubectl(c, f"kubectl create deployment web --image=nginx:1.25 --replicas={replicas}")
    assert out.exit_code == 0, out.text


def pod_names(c: SimCluster) -> list[str]:
    return sorted(p["metadata"]["name"] for p in c.list("Pod", "default"))


def test_top_pod_on_a_running_deployment() -> None:
    c = SimCluster.new(seed=4)
    assert (kubectl(c, "kubectl top pods").stderr, kubectl(c, "kubectl top pods").exit_code) == (
        ["No resources found in default namespace."],
        0,
    )
    web(c)
    c.advance(3_000)
    young = kubectl(c, "kubectl top pods")
    assert (young.stderr, young.exit_code) == (["error: metrics not available yet"], 1)
    c.advance(40_000)
    first, second = pod_names(c)
    assert kubectl(c, "kubectl top pods").stdout == [
        "\n".join([
            "NAME" + " " * (len(first) - 1) + "CPU(cores)   MEMORY(bytes)   ",
            f"{first}   1m           3Mi             ",
            f"{second}   1m           3Mi             ",
        ])
    ]  # fmt: skip
    assert kubectl(c, f"kubectl top pod {first} --no-headers").stdout == [f"{first}   1m    3Mi   "]  # minwidth 6


def test_top_pod_explains_pods_without_metrics() -> None:
    c = SimCluster.new(seed=4)
    web(c, 1)
    c.advance(180_000)
    [name] = pod_names(c)
    c.api.set_private(ObjKey("Node", "", "worker-1"), {"kubeletStoppedAtMs": c.now_ms})
    c.api.set_private(ObjKey("Node", "", "worker-2"), {"kubeletStoppedAtMs": c.now_ms})
    pod = c.get("Pod", "default", name)
    assert pod is not None
    age = go_duration(c.now_ms - parse_rfc3339(pod["metadata"]["creationTimestamp"]))
    assert kubectl(c, "kubectl top pods").stderr == [f"error: Metrics not available for pod default/{name}, age: {age}"]
    missing = kubectl(c, f"kubectl top pod {name}")
    assert missing.stderr == [f'Error from server (NotFound): podmetrics.metrics.k8s.io "default/{name}" not found']


def test_top_node_lists_every_node_and_unknown_for_unreachable_ones() -> None:
    c = SimCluster.new(seed=4)
    c.api.set_private(ObjKey("Node", "", "worker-2"), {"kubeletStoppedAtMs": c.now_ms})
    lines = kubectl(c, "kubectl top nodes").stdout[0].split("\n")
    assert lines[0].split() == ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
    assert [line.split()[0] for line in lines[1:]] == ["control-plane", "worker-1", "worker-2"]
    assert lines[3].split() == ["worker-2", "<unknown>", "<unknown>", "<unknown>", "<unknown>"]
    cpu, share = lines[2].split()[1:3]
    assert cpu.endswith("m") and share == f"{int(int(cpu[:-1]) / 2000 * 100)}%"
    single = kubectl(c, "kubectl top node worker-1").stdout[0].split("\n")
    assert [line.split()[0] for line in single] == ["NAME", "worker-1"]
    assert kubectl(c, "kubectl top node worker-2").stderr == [
        'Error from server (NotFound): nodemetrics.metrics.k8s.io "worker-2" not found'
    ]


def test_top_node_without_any_metrics() -> None:
    c = SimCluster.new(seed=4)
    for node in ("control-plane", "worker-1", "worker-2"):
        c.api.set_private(ObjKey("Node", "", node), {"kubeletStoppedAtMs": c.now_ms})
    assert kubectl(c, "kubectl top node").stderr == ["error: metrics not available yet"]


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("kubectl top pod a b", "error: pod [NAME | -l label]\nSee 'kubectl top pod -h' for help and examples"),
        ("kubectl top node a b", "error: node [NAME | -l label]\nSee 'kubectl top node -h' for help and examples"),
        ("kubectl top pod --sort-by=name", "error: --sort-by accepts only cpu or memory"),
        ("kubectl top pod web -l app=web", "error: only one of NAME or --selector can be provided"),
    ],
)
def test_top_usage_errors(line: str, error: str) -> None:
    out = kubectl(SimCluster.new(seed=4), line)
    assert (out.stderr, out.exit_code) == ([error], 1)


def test_top_pod_selects_by_label_and_namespace() -> None:
    c = SimCluster.new(seed=4)
    web(c, 1)
    assert kubectl(c, "kubectl create namespace dev").exit_code == 0
    assert kubectl(c, "kubectl -n dev create deployment api --image=httpd:2.4").exit_code == 0
    c.advance(40_000)
    everything = kubectl(c, "kubectl top pods -A").stdout[0].split("\n")
    assert [line.split()[0] for line in everything] == ["NAMESPACE", "default", "dev"]
    selected = kubectl(c, "kubectl top pods -A -l app=api --no-headers").stdout[0]
    assert selected.split()[0:4] == ["dev", selected.split()[1], "1m", "7Mi"] and selected.split()[1].startswith("api-")
    assert kubectl(c, "kubectl top pods -l app=none").stderr == ["No resources found in default namespace."]


def test_the_hint_for_a_missing_pod_names_a_command_that_works() -> None:
    from tests.unit.test_kubectl_support import Session

    session = Session()
    out = session.run("kubectl top pod nosuch")
    assert out.hints == ["Hint: check the name with `kubectl get pods`; names are case-sensitive and namespaced."]
    assert session.run("kubectl get pods").exit_code == 0
