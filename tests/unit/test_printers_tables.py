"""Server-side Table generation: column definitions and the cell rules of K8S_FACTS §6.2."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.core.timefmt import rfc3339, rfc3339_micro
from cluster.kubectl.printers import to_table
from tests.unit.test_printers_support import NOW, deployment, pod, replicaset
from tests.unit.test_printers_support_net import endpoints, event, hpa, node, service, simple

Obj = dict[str, Any]


def cells(kind: str, obj: Obj) -> list[Any]:
    row: list[Any] = to_table(kind, [obj], NOW)["rows"][0]["cells"]
    return row


def ago(seconds: int) -> str:
    return rfc3339(NOW - seconds * 1000)


def test_table_shape_matches_meta_v1_table() -> None:
    table = to_table("Deployment", [deployment()], NOW, resource_version="845")
    assert (table["kind"], table["apiVersion"], table["metadata"]) == (
        "Table",
        "meta.k8s.io/v1",
        {"resourceVersion": "845"},
    )
    names = [(c["name"], c["type"], c["format"], c["priority"]) for c in table["columnDefinitions"]]
    assert names == [
        ("Name", "string", "name", 0),
        ("Ready", "string", "", 0),
        ("Up-to-date", "string", "", 0),
        ("Available", "string", "", 0),
        ("Age", "string", "", 0),
        ("Containers", "string", "", 1),
        ("Images", "string", "", 1),
        ("Selector", "string", "", 1),
    ]
    row = table["rows"][0]
    assert row["object"]["kind"] == "PartialObjectMetadata"
    assert row["object"]["metadata"]["labels"] == {"app": "web2"}
    assert "spec" not in row["object"]


def test_narrow_table_drops_wide_columns_and_cells() -> None:
    table = to_table("Deployment", [deployment()], NOW, wide=False)
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Ready", "Up-to-date", "Available", "Age"]
    assert len(table["rows"][0]["cells"]) == 5


def test_watch_tables_leave_out_headers_and_can_embed_the_object() -> None:
    table = to_table("Pod", [pod()], NOW, no_headers=True, include_object="Object")
    assert table["columnDefinitions"] is None
    assert table["rows"][0]["object"]["kind"] == "Pod"
    assert to_table("Pod", [pod()], NOW, include_object="None")["rows"][0]["object"] is None


def test_integer_cells_are_ints() -> None:
    assert cells("Deployment", deployment(replicas=3, ready=2, updated=1, available=2))[:5] == [
        "web2",
        "2/3",
        1,
        2,
        "2m2s",
    ]
    assert cells("ReplicaSet", replicaset(replicas=3, ready=1))[:4] == ["web2-7c5ddbdf54", 3, 3, 1]
    assert cells("ConfigMap", simple("ConfigMap", "cfg", data={"a": "1"}, binaryData={"b": "AA=="}))[1] == 2
    assert cells("HorizontalPodAutoscaler", hpa())[4:6] == [5, 2]


def test_workload_wide_cells() -> None:
    assert cells("Deployment", deployment())[5:] == ["nginx", "nginx:1.25", "app=web2"]
    assert cells("ReplicaSet", replicaset())[5:] == ["nginx", "nginx:1.25", "app=web2,pod-template-hash=7c5ddbdf54"]


def lb_status(*addresses: str) -> Obj:
    return {"loadBalancer": {"ingress": [{"ip": a} if a[0].isdigit() else {"hostname": a} for a in addresses]}}


@pytest.mark.parametrize(
    ("svc", "cluster_ip", "external", "ports"),
    [
        (service(svc_type="ClusterIP", ports=[{"port": 80, "protocol": "TCP"}]), "10.96.123.45", "<none>", "80/TCP"),
        (service(), "10.96.123.45", "<none>", "8080:31234/TCP"),
        (service(svc_type="ClusterIP", cluster_ip="None", ports=[]), "None", "<none>", "<none>"),
        (service(svc_type="LoadBalancer"), "10.96.123.45", "<pending>", "8080:31234/TCP"),
        (
            service(svc_type="LoadBalancer", status=lb_status("203.0.113.10", "a.example.com")),
            "10.96.123.45",
            "203.0.113.10,a.example.com",
            "8080:31234/TCP",
        ),
        (
            service(svc_type="ClusterIP", external_ips=["1.2.3.4", "5.6.7.8"]),
            "10.96.123.45",
            "1.2.3.4,5.6.7.8",
            "8080:31234/TCP",
        ),
        (
            service(
                svc_type="ClusterIP",
                ports=[{"port": 80, "protocol": "TCP"}, {"port": 53, "protocol": "UDP", "name": "dns"}],
            ),
            "10.96.123.45",
            "<none>",
            "80/TCP,53/UDP",
        ),
    ],
)
def test_service_cells(svc: Obj, cluster_ip: str, external: str, ports: str) -> None:
    assert cells("Service", svc)[2:5] == [cluster_ip, external, ports]


def test_service_external_name_and_missing_cluster_ips() -> None:
    svc = service(svc_type="ExternalName")
    svc["spec"]["externalName"] = "db.example.com"
    del svc["spec"]["clusterIPs"]
    assert cells("Service", svc)[2:4] == ["<none>", "db.example.com"]


def test_load_balancer_address_clipped_only_in_narrow_tables() -> None:
    svc = service(svc_type="LoadBalancer", status=lb_status("lb-1234567890.example.com"))
    assert cells("Service", svc)[3] == "lb-1234567890.example.com"
    assert to_table("Service", [svc], NOW, wide=False)["rows"][0]["cells"][3] == "lb-1234567890..."


def test_service_selector_wide_cell() -> None:
    assert cells("Service", service())[6] == "app=web2"
    assert cells("Service", service(selector={}))[6] == "<none>"


@pytest.mark.parametrize(
    ("obj", "status", "roles"),
    [
        (node(), "Ready", "<none>"),
        (node(ready="False"), "NotReady", "<none>"),
        (node(ready="Unknown"), "NotReady", "<none>"),
        (node(unschedulable=True), "Ready,SchedulingDisabled", "<none>"),
        (node(roles=("worker", "control-plane")), "Ready", "control-plane,worker"),
    ],
)
def test_node_status_and_roles(obj: Obj, status: str, roles: str) -> None:
    assert cells("Node", obj)[1:3] == [status, roles]


def test_node_without_ready_condition_is_unknown_and_role_label_counts() -> None:
    bare = node()
    bare["status"]["conditions"] = []
    bare["metadata"]["labels"]["kubernetes.io/role"] = "edge"
    assert cells("Node", bare)[1:3] == ["Unknown", "edge"]


def test_node_wide_cells_fall_back_to_unknown() -> None:
    bare = node()
    bare["status"]["nodeInfo"] = {"kubeletVersion": "v1.32.4"}
    bare["status"]["addresses"] = []
    assert cells("Node", bare)[4:] == ["v1.32.4", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"]


def test_event_cells_narrow_and_wide_positions() -> None:
    e = event(
        "BackOff",
        "Back-off restarting failed container  \n",
        type_="Warning",
        first=ago(8 * 3600),
        last=ago(63),
        count=3,
        host="worker-1",
        field_path="spec.containers{nginx}",
    )
    assert cells("Event", e) == [
        "63s",
        "Warning",
        "BackOff",
        "pod/web2-7c5ddbdf54-x7k2p",
        "spec.containers{nginx}",
        "kubelet, worker-1",
        "Back-off restarting failed container",
        "8h",
        3,
        "web2-7c5ddbdf54-x7k2p.18b2f3a1c0d4e5f6",
    ]
    assert to_table("Event", [e], NOW, wide=False)["rows"][0]["cells"] == [
        "63s",
        "Warning",
        "BackOff",
        "pod/web2-7c5ddbdf54-x7k2p",
        "Back-off restarting failed container",
    ]


def test_event_time_fallbacks_series_and_default_count() -> None:
    e = event("Scheduled", "ok")
    for key in ("firstTimestamp", "lastTimestamp", "count"):
        del e[key]
    e["eventTime"] = rfc3339_micro(NOW - 58_400)
    assert cells("Event", e)[0] == "58s"
    assert cells("Event", e)[7:9] == ["58s", 1]
    e["series"] = {"count": 7, "lastObservedTime": ago(5)}
    assert (cells("Event", e)[0], cells("Event", e)[8]) == ("5s", 7)
    e["involvedObject"] = {"kind": "Node"}
    assert cells("Event", e)[3] == "node"


@pytest.mark.parametrize(
    ("obj", "text"),
    [
        (endpoints("web", []), "<none>"),
        (endpoints("web", ["10.244.1.5", "10.244.2.3"]), "10.244.1.5:80,10.244.2.3:80"),
        (
            endpoints("web", ["10.244.1.5", "10.244.2.3", "10.244.2.4", "10.244.1.9", "10.244.1.10"]),
            "10.244.1.5:80,10.244.2.3:80,10.244.2.4:80 + 2 more...",
        ),
        (endpoints("web", ["fd00::5"]), "[fd00::5]:80"),
    ],
)
def test_endpoints_cell(obj: Obj, text: str) -> None:
    assert cells("Endpoints", obj)[1] == text


def test_endpoints_with_two_ports_list_each_address_per_port() -> None:
    obj = endpoints("web", ["10.244.1.5", "10.244.2.3"])
    obj["subsets"][0]["ports"] = [{"name": "http", "port": 80}, {"name": "https", "port": 443}]
    assert cells("Endpoints", obj)[1] == "10.244.1.5:80,10.244.2.3:80,10.244.1.5:443 + 1 more..."


def test_endpointslice_cells() -> None:
    obj = simple(
        "EndpointSlice",
        "web-abcde",
        addressType="IPv4",
        ports=[{"name": "http", "port": 80}, {"name": "named"}, {}, {"port": 9}],
        endpoints=[{"addresses": [f"10.0.0.{i}"]} for i in range(5)],
    )
    assert cells("EndpointSlice", obj)[1:4] == [
        "IPv4",
        "80,named,* + 1 more...",
        "10.0.0.0,10.0.0.1,10.0.0.2 + 2 more...",
    ]
    empty = simple("EndpointSlice", "web-x", addressType="IPv4", ports=[], endpoints=[])
    assert cells("EndpointSlice", empty)[2:4] == ["<unset>", "<unset>"]


@pytest.mark.parametrize(
    ("obj", "targets"),
    [
        (hpa(), "cpu: 45%/80%"),
        (hpa(current=None), "cpu: <unknown>/80%"),
    ],
)
def test_hpa_targets(obj: Obj, targets: str) -> None:
    assert cells("HorizontalPodAutoscaler", obj)[1:4] == ["Deployment/web", targets, "2"]


def test_hpa_v1_fields_and_unset_min_pods() -> None:
    v1 = {
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "creationTimestamp": ago(60)},
        "spec": {
            "scaleTargetRef": {"kind": "Deployment", "name": "web"},
            "maxReplicas": 5,
            "targetCPUUtilizationPercentage": 50,
        },
        "status": {"currentReplicas": 1, "currentCPUUtilizationPercentage": 12},
    }
    assert cells("HorizontalPodAutoscaler", v1)[2:6] == ["cpu: 12%/50%", "<unset>", 5, 1]


def test_hpa_more_than_two_metrics_and_value_targets() -> None:
    obj = hpa()
    memory = {
        "type": "Resource",
        "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "200Mi"}},
    }
    pods = {
        "type": "Pods",
        "pods": {"metric": {"name": "rps"}, "target": {"type": "AverageValue", "averageValue": "10"}},
    }
    obj["spec"]["metrics"] += [memory, pods]
    obj["status"]["currentMetrics"].append(
        {"type": "Resource", "resource": {"name": "memory", "current": {"averageValue": "100Mi"}}}
    )
    assert cells("HorizontalPodAutoscaler", obj)[2] == "cpu: 45%/80%, memory: 100Mi/200Mi + 1 more..."
    obj["spec"]["metrics"] = []
    assert cells("HorizontalPodAutoscaler", obj)[2] == "<none>"


def test_ingress_cells() -> None:
    ingress = simple(
        "Ingress",
        "web",
        spec={"ingressClassName": "nginx", "rules": [{"host": f"h{i}.example.com"} for i in range(5)], "tls": [{}]},
        status={"loadBalancer": {"ingress": [{"ip": "192.168.49.2"}]}},
    )
    assert cells("Ingress", ingress)[1:5] == [
        "nginx",
        "h0.example.com,h1.example.com,h2.example.com + 2 more...",
        "192.168.49.2",
        "80, 443",
    ]
    catch_all = simple("Ingress", "all", spec={"rules": [{"http": {}}]})
    assert cells("Ingress", catch_all)[1:5] == ["<none>", "*", "", "80"]


def test_small_kinds() -> None:
    assert cells("Namespace", simple("Namespace", "dev", namespace=None, status={"phase": "Active"}))[1] == "Active"
    assert cells("Lease", simple("Lease", "worker-1", spec={"holderIdentity": "worker-1"}))[1] == "worker-1"
    assert cells("Lease", simple("Lease", "x", spec={}))[1] == ""
    assert cells("Secret", simple("Secret", "s", type="Opaque", data={"a": "YQ==", "b": "Yg=="}))[1:3] == ["Opaque", 2]


def test_unknown_kind_gets_default_table() -> None:
    table = to_table("Widget", [simple("Widget", "w1", created="2026-11-25T04:18:53Z")], NOW)
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Created At"]
    assert table["columnDefinitions"][1]["type"] == "date"
    assert table["rows"][0]["cells"] == ["w1", "2026-11-25T04:18:53Z"]


def test_age_cell_uses_human_duration() -> None:
    assert cells("Namespace", simple("Namespace", "ns", namespace=None, created=ago(3 * 3600 + 1800)))[2] == "3h30m"
    assert cells("Namespace", {"kind": "Namespace", "metadata": {"name": "x"}})[2] == "<unknown>"
