"""kubectl's rendering of Tables: tabwriter alignment, decorations, multi-kind ``get`` and ``get -w``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from cluster.core.kinds import KindInfo
from cluster.core.timefmt import rfc3339
from cluster.kubectl.printers import TableStream, render_get, render_table, to_table
from cluster.kubectl.printers.tabwriter import TabWriter, tabbed
from tests.unit.test_printers_support import NOW, deployment, pod, replicaset
from tests.unit.test_printers_support_net import endpoint_slice, endpoints, event, hpa, node, service, simple

Obj = dict[str, Any]
Golden = Callable[[str, str], None]

POD = KindInfo("Pod", "", "v1", "pods", True)
SERVICE = KindInfo("Service", "", "v1", "services", True)
DEPLOYMENT = KindInfo("Deployment", "apps", "v1", "deployments", True)
REPLICASET = KindInfo("ReplicaSet", "apps", "v1", "replicasets", True)
HPA = KindInfo("HorizontalPodAutoscaler", "autoscaling", "v2", "horizontalpodautoscalers", True)
NODE = KindInfo("Node", "", "v1", "nodes", False)


def ago(seconds: int) -> str:
    return rfc3339(NOW - seconds * 1000)


def appendix_b_tables() -> list[tuple[KindInfo, Obj]]:
    return [
        (POD, to_table("Pod", [pod()], NOW)),
        (SERVICE, to_table("Service", [service()], NOW)),
        (DEPLOYMENT, to_table("Deployment", [deployment(replicas=1, ready=1, updated=1, available=1)], NOW)),
        (REPLICASET, to_table("ReplicaSet", [replicaset(replicas=1, ready=1)], NOW)),
        (HPA, to_table("HorizontalPodAutoscaler", [], NOW)),
    ]


def test_get_all_matches_the_observed_layout() -> None:
    assert render_get(appendix_b_tables()) == (
        "NAME                        READY   STATUS    RESTARTS   AGE\n"
        "pod/web2-7c5ddbdf54-x7k2p   1/1     Running   0          5m\n"
        "\n"
        "NAME          TYPE       CLUSTER-IP     EXTERNAL-IP   PORT(S)          AGE\n"
        "service/pe2   NodePort   10.96.123.45   <none>        8080:31234/TCP   4s\n"
        "\n"
        "NAME                   READY   UP-TO-DATE   AVAILABLE   AGE\n"
        "deployment.apps/web2   1/1     1            1           2m2s\n"
        "\n"
        "NAME                              DESIRED   CURRENT   READY   AGE\n"
        "replicaset.apps/web2-7c5ddbdf54   1         1         1       2m2s\n"
    )


def short_pod() -> Obj:
    return pod("nginx", rs=None, labels={"run": "nginx"}, node="worker", ip="10.1.1.1")


def test_pod_headers_match_observed_wide_and_all_namespaces_headers() -> None:
    table = to_table("Pod", [short_pod()], NOW)
    wide_header = render_table(table, wide=True).splitlines()[0]
    assert (
        wide_header == "NAME    READY   STATUS    RESTARTS   AGE   IP         NODE     NOMINATED NODE   READINESS GATES"
    )
    assert (
        render_table(table, all_namespaces=True).splitlines()[0]
        == "NAMESPACE   NAME    READY   STATUS    RESTARTS   AGE"
    )


def test_single_kind_with_many_objects_has_no_prefix_and_no_trailing_spaces() -> None:
    text = render_get([(POD, to_table("Pod", [pod(), short_pod()], NOW))])
    assert text.splitlines()[1].startswith("web2-7c5ddbdf54-x7k2p   ")
    assert all(line == line.rstrip() for line in text.splitlines())


def test_several_kinds_get_prefixes_even_when_only_one_has_rows() -> None:
    text = render_get([(POD, to_table("Pod", [short_pod()], NOW)), (SERVICE, to_table("Service", [], NOW))])
    assert text == ("NAME        READY   STATUS    RESTARTS   AGE\npod/nginx   1/1     Running   0          5m\n")


def test_same_kind_tables_share_one_header() -> None:
    text = render_get([(POD, to_table("Pod", [short_pod()], NOW)), (POD, to_table("Pod", [pod()], NOW))])
    assert text == (
        "NAME                    READY   STATUS    RESTARTS   AGE\n"
        "nginx                   1/1     Running   0          5m\n"
        "web2-7c5ddbdf54-x7k2p   1/1     Running   0          5m\n"
    )


def test_get_all_with_all_namespaces_and_no_headers() -> None:
    tables = [(NODE, to_table("Node", [node()], NOW)), (POD, to_table("Pod", [short_pod()], NOW))]
    assert render_get(tables, all_namespaces=True) == (
        "NAME            STATUS   ROLES    AGE   VERSION\n"
        "node/worker-1   Ready    <none>   5d    v1.32.4\n"
        "\n"
        "NAMESPACE   NAME        READY   STATUS    RESTARTS   AGE\n"
        "default     pod/nginx   1/1     Running   0          5m\n"
    )
    assert render_get(tables, no_headers=True) == (
        "node/worker-1   Ready   <none>   5d    v1.32.4\npod/nginx   1/1   Running   0     5m\n"
    )


def test_nothing_found_renders_nothing() -> None:
    assert render_table(to_table("Pod", [], NOW)) == ""
    assert render_get([(POD, to_table("Pod", [], NOW)), (SERVICE, to_table("Service", [], NOW))]) == ""


def test_cells_are_cut_at_line_breaks_and_escaped() -> None:
    e = event("Failed", "first line\nsecond line", first=ago(10))
    e["involvedObject"]["name"] = "bad\x1bname"
    lines = render_table(to_table("Event", [e], NOW)).splitlines()
    assert lines[1].endswith("pod/bad^[name   first line...")


def test_show_kind_prefixes_the_first_name_formatted_column() -> None:
    text = render_table(to_table("Event", [event("Pulled", "ok", first=ago(10))], NOW), wide=True, show_kind="event")
    assert "event/web2-7c5ddbdf54-x7k2p.18b2f3a1c0d4e5f6" in text.splitlines()[1]


TABLE_CASES: dict[str, tuple[str, list[Obj]]] = {
    "pods": (
        "Pod",
        [
            pod(),
            pod("web2-7c5ddbdf54-b9qzm", statuses=[{**pod()["status"]["containerStatuses"][0], "restartCount": 1}]),
            pod("api-5d8f7b6c4d-crash", created=ago(8 * 3600), labels={"app": "api"}, rs="api-5d8f7b6c4d"),
        ],
    ),
    "deployments": ("Deployment", [deployment(), deployment("api", replicas=2, ready=0, updated=2, available=0)]),
    "replicasets": (
        "ReplicaSet",
        [replicaset(), replicaset(pod_hash="6d57fb5cfd", replicas=0, ready=0, created=ago(3600))],
    ),
    "services": (
        "Service",
        [
            service(
                "kubernetes",
                svc_type="ClusterIP",
                cluster_ip="10.96.0.1",
                ports=[{"port": 443, "protocol": "TCP"}],
                selector={},
                created=ago(5 * 86400),
            ),
            service(),
            service("lb", svc_type="LoadBalancer"),
        ],
    ),
    "nodes": (
        "Node",
        [
            node("control-plane", roles=("control-plane",), ip="192.168.49.2"),
            node(),
            node("worker-2", ready="Unknown", unschedulable=True, ip="192.168.49.4"),
        ],
    ),
    "namespaces": (
        "Namespace",
        [
            simple("Namespace", n, namespace=None, created=ago(5 * 86400), status={"phase": "Active"})
            for n in ("default", "kube-system", "dev")
        ],
    ),
    "events": (
        "Event",
        [
            event(
                "Scheduled",
                "Successfully assigned default/web2-7c5ddbdf54-x7k2p to worker-1",
                component="default-scheduler",
                first=ago(58),
            ),
            event(
                "Pulling",
                'Pulling image "nginx:1.25"',
                first=ago(57),
                host="worker-1",
                field_path="spec.containers{nginx}",
            ),
            event(
                "BackOff",
                "Back-off restarting failed container app",
                type_="Warning",
                first=ago(8 * 3600),
                last=ago(63),
                count=3,
            ),
        ],
    ),
    "endpoints": (
        "Endpoints",
        [
            endpoints("kubernetes", ["192.168.49.2"], port=8443),
            endpoints("pe2", ["10.244.1.5", "10.244.2.3", "10.244.2.4", "10.244.1.9"]),
            endpoints("empty", []),
        ],
    ),
    "endpointslices": ("EndpointSlice", [endpoint_slice("pe2", ["10.244.1.5", "10.244.2.3"])]),
    "configmaps": (
        "ConfigMap",
        [
            simple("ConfigMap", "kube-root-ca.crt", created=ago(5 * 86400), data={"ca.crt": "x"}),
            simple("ConfigMap", "app", data={}),
        ],
    ),
    "hpa": ("HorizontalPodAutoscaler", [hpa(), hpa(current=None)]),
    "ingress": (
        "Ingress",
        [
            simple(
                "Ingress",
                "web",
                spec={"ingressClassName": "nginx", "rules": [{"host": "web.example.com"}]},
                status={"loadBalancer": {"ingress": [{"ip": "192.168.49.2"}]}},
            )
        ],
    ),
    "leases": (
        "Lease",
        [simple("Lease", "worker-1", namespace="kube-node-lease", spec={"holderIdentity": "worker-1"})],
    ),
}


@pytest.mark.parametrize("name", sorted(TABLE_CASES))
def test_table_goldens(name: str, golden: Golden) -> None:
    kind, objects = TABLE_CASES[name]
    table = to_table(kind, objects, NOW)
    golden(f"printers/get_{name}.txt", render_table(table))
    golden(f"printers/get_{name}_wide.txt", render_table(table, wide=True))


def test_pods_all_namespaces_labels_and_label_columns(golden: Golden) -> None:
    objects = [
        pod(),
        pod(
            "coredns-668d6bf9bc-5xk2w", namespace="kube-system", labels={"k8s-app": "kube-dns"}, rs="coredns-668d6bf9bc"
        ),
    ]
    table = to_table("Pod", objects, NOW)
    golden("printers/get_pods_all_namespaces.txt", render_table(table, all_namespaces=True))
    golden("printers/get_pods_show_labels.txt", render_table(table, show_labels=True))
    golden(
        "printers/get_pods_label_columns.txt",
        render_table(table, label_columns=["app", "example.com/tier"], show_labels=True),
    )


def test_label_columns_use_the_last_path_segment_and_blank_for_missing() -> None:
    lines = render_table(
        to_table("Pod", [short_pod()], NOW), label_columns=["app.kubernetes.io/name", "run"]
    ).splitlines()
    assert lines[0].endswith("AGE   NAME   RUN")
    assert lines[1].endswith("5m           nginx")


def test_get_all_golden(golden: Golden) -> None:
    tables = [
        (POD, to_table("Pod", [pod(), pod("web2-7c5ddbdf54-b9qzm", namespace="dev")], NOW)),
        (
            SERVICE,
            to_table(
                "Service",
                [
                    service(
                        "kubernetes",
                        svc_type="ClusterIP",
                        cluster_ip="10.96.0.1",
                        ports=[{"port": 443, "protocol": "TCP"}],
                        selector={},
                        created=ago(5 * 86400),
                    ),
                    service(),
                ],
                NOW,
            ),
        ),
        (DEPLOYMENT, to_table("Deployment", [deployment()], NOW)),
        (
            REPLICASET,
            to_table("ReplicaSet", [replicaset(), replicaset(pod_hash="6d57fb5cfd", replicas=0, ready=0)], NOW),
        ),
        (HPA, to_table("HorizontalPodAutoscaler", [hpa()], NOW)),
    ]
    golden("printers/get_all_all_namespaces.txt", render_get(tables, all_namespaces=True))
    golden("printers/get_all_wide.txt", render_get(tables, wide=True))


def test_watch_stream_keeps_header_once_and_widths_only_grow() -> None:
    stream = TableStream()
    first = stream.header_and_rows(to_table("Pod", [short_pod()], NOW))
    assert first == ["NAME    READY   STATUS    RESTARTS   AGE", "nginx   1/1     Running   0          5m"]
    longer = pod("nginx-with-a-long-name", rs=None, statuses=[])
    longer["status"]["phase"] = "Pending"
    event_table = to_table("Pod", [longer], NOW, no_headers=True)
    assert stream.rows(event_table) == ["nginx-with-a-long-name   0/1     Pending   0          5m"]
    again = to_table("Pod", [short_pod()], NOW, no_headers=True)
    assert stream.rows(again) == ["nginx                    1/1     Running   0          5m"]


def test_watch_stream_reprints_header_when_columns_change() -> None:
    stream = TableStream()
    stream.header_and_rows(to_table("Pod", [short_pod()], NOW))
    assert stream.rows(to_table("Pod", [short_pod()], NOW))[0].startswith("nginx")
    changed = stream.rows(to_table("Namespace", [simple("Namespace", "dev", namespace=None)], NOW))
    assert changed[0].startswith("NAME")


def test_tabwriter_minimum_width_padding_and_last_column() -> None:
    assert tabbed("a\tb\tc\nlonger\tx\ty\n", minwidth=6, padding=3) == "a        b     c\nlonger   x     y\n"


def test_tabwriter_column_blocks_end_at_lines_with_fewer_cells() -> None:
    text = "Name:\tx\nIPs:\n  IP:\t10.0.0.1\nControlled By:\tReplicaSet/web\n"
    assert tabbed(text) == "Name:  x\nIPs:\n  IP:           10.0.0.1\nControlled By:  ReplicaSet/web\n"


def test_tabwriter_remembers_widths_across_flushes() -> None:
    writer = TabWriter(6, 3, remember_widths=True)
    writer.write("a-long-name\tx\n")
    assert writer.flush() == "a-long-name   x\n"
    writer.write("b\ty\n")
    assert writer.flush() == "b             y\n"
    writer.reset_widths()
    writer.write("b\ty\n")
    assert writer.flush() == "b     y\n"
