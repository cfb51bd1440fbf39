"""The sandbox's "cloud": LoadBalancer IPs from 192.168.49.200–250, ingress addresses, NodePort allocation."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.engine.actions import ObjKey, RecordEvent, UpdateStatus
from cluster.networking.cloud import WHY, LoadBalancerController, pick_ip
from cluster.networking.ingress_controller import IngressController
from tests.unit.fakes import FakeView
from tests.unit.test_networking_rig import sandbox


def lb_service(name: str, ips: tuple[str, ...] = (), **spec: Any) -> dict[str, Any]:
    status = {"loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"} for ip in ips]}} if ips else {}
    return {
        "apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": "default", "uid": name},
        "spec": {"type": "LoadBalancer", "ports": [{"port": 80, "nodePort": 31000}], **spec}, "status": status,
    }  # fmt: skip


def reconcile(view: FakeView, name: str) -> list[Any]:
    return LoadBalancerController().reconcile(view, ObjKey("Service", "default", name), 0).actions


def test_first_free_pool_address_is_assigned_with_the_service_controllers_events() -> None:
    view = FakeView([lb_service("a", ("192.168.49.200",)), lb_service("b")])
    actions = reconcile(view, "b")
    events = [(a.type, a.reason, a.message) for a in actions if isinstance(a, RecordEvent)]
    assert events == [("Normal", "EnsuringLoadBalancer", "Ensuring load balancer"),
                      ("Normal", "EnsuredLoadBalancer", "Ensured load balancer")]  # fmt: skip
    (update,) = [a for a in actions if isinstance(a, UpdateStatus)]
    assert update.obj["status"]["loadBalancer"] == {"ingress": [{"ip": "192.168.49.201", "ipMode": "VIP"}]}


def test_a_service_that_has_its_address_is_left_alone() -> None:
    view = FakeView([lb_service("a", ("192.168.49.200",))])
    assert reconcile(view, "a") == []


@pytest.mark.parametrize(
    ("requested", "used", "expected"),
    [
        ("192.168.49.210", set(), ("192.168.49.210", "")),
        ("192.168.49.210", {"192.168.49.210"}, (None, "requested IP 192.168.49.210 is already allocated")),
        ("10.0.0.1", set(), (None, "requested IP 10.0.0.1 is not in the pool 192.168.49.200-192.168.49.250")),
        ("", {f"192.168.49.{i}" for i in range(200, 251)},
         (None, "no available IPs in pool 192.168.49.200-192.168.49.250")),
    ],
)  # fmt: skip
def test_pick_ip(requested: str, used: set[str], expected: tuple[str | None, str]) -> None:
    assert pick_ip(requested, used) == expected


def test_an_exhausted_pool_leaves_the_service_pending_with_a_warning() -> None:
    full = [lb_service(f"s{i}", (f"192.168.49.{i}",)) for i in range(200, 251)]
    view = FakeView([*full, lb_service("late")])
    (event,) = reconcile(view, "late")
    assert isinstance(event, RecordEvent) and (event.type, event.reason) == ("Warning", "SyncLoadBalancerFailed")


def test_a_service_no_longer_of_type_load_balancer_releases_its_address() -> None:
    svc = lb_service("a", ("192.168.49.200",))
    svc["spec"]["type"] = "NodePort"
    actions = reconcile(FakeView([svc]), "a")
    (update,) = [a for a in actions if isinstance(a, UpdateStatus)]
    assert update.obj["status"]["loadBalancer"] == {}
    assert [a.reason for a in actions if isinstance(a, RecordEvent)] == ["DeletingLoadBalancer", "DeletedLoadBalancer"]


def test_services_with_another_load_balancer_class_are_not_ours() -> None:
    assert reconcile(FakeView([lb_service("a", loadBalancerClass="example.com/lb")]), "a") == []


def test_end_to_end_external_ip_is_never_left_pending_and_explains_why() -> None:
    box = sandbox("kubectl create deployment web --image=nginx:1.25",
                  "kubectl expose deployment web --type=LoadBalancer --port=80")  # fmt: skip
    row = box.ok("kubectl get svc web").text.splitlines()[1]
    assert row.split()[3] == "192.168.49.200" and "<pending>" not in row
    steps = [s for s in box.cluster.trace if s.source == "cloud-controller-manager" and s.target == "cloud"]
    assert steps and steps[0].params["why"] == WHY and "cloud provider" in WHY and "MetalLB" in WHY
    box.ok("kubectl delete svc web")
    box.ok("kubectl expose deployment web --type=LoadBalancer --port=80 --name=web2")
    box.settle()
    svc = box.cluster.get("Service", "default", "web2")
    assert svc is not None and svc["status"]["loadBalancer"]["ingress"][0]["ip"] == "192.168.49.200"  # reused


def test_ingress_gets_the_first_worker_address_and_a_sync_event_once_per_generation() -> None:
    ingress = {
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": "site", "namespace": "default", "generation": 1}, "spec": {"rules": []},
    }  # fmt: skip
    nodes = [
        {"apiVersion": "v1", "kind": "Node", "metadata": {"name": n, "labels": labels},
         "status": {"addresses": [{"type": "InternalIP", "address": ip}],
                    "conditions": [{"type": "Ready", "status": "True"}]}}
        for n, ip, labels in (("control-plane", "192.168.49.2", {"node-role.kubernetes.io/control-plane": ""}),
                              ("worker-1", "192.168.49.3", {}), ("worker-2", "192.168.49.4", {}))
    ]  # fmt: skip
    view = FakeView([ingress, *nodes])
    result = IngressController().reconcile(view, ObjKey("Ingress", "default", "site"), 0)
    kinds = [type(a).__name__ for a in result.actions]
    assert kinds == ["RecordEvent", "SetPrivate", "UpdateStatus"]
    update = result.actions[2]
    assert isinstance(update, UpdateStatus)
    assert update.obj["status"]["loadBalancer"] == {"ingress": [{"ip": "192.168.49.3"}]}
    view.add(update.obj)
    view.privates[ObjKey("Ingress", "default", "site")] = result.actions[1].data  # type: ignore[union-attr]
    assert IngressController().reconcile(view, ObjKey("Ingress", "default", "site"), 0).actions == []


def node_port_service(name: str, namespace: str, node_port: int) -> str:
    return f"""apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: {namespace}
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - port: 80
    nodePort: {node_port}
"""


@pytest.mark.parametrize(
    ("node_port", "message"),
    [
        (40000, 'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 40000: provided port is not in '
                "the valid range. The range of valid ports is 30000-32767"),
        (29999, 'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 29999: provided port is not in '
                "the valid range. The range of valid ports is 30000-32767"),
        (30000, 'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 30000: provided port is already '
                "allocated"),
    ],
)  # fmt: skip
def test_node_port_errors_are_the_apiservers(node_port: int, message: str) -> None:
    files = {
        "taken.yaml": node_port_service("taken", "other", 30000),
        "web.yaml": node_port_service("web", "default", node_port),
    }
    box = sandbox("kubectl create namespace other", "kubectl apply -f taken.yaml", files=files)
    out = box.sh("kubectl apply -f web.yaml")
    assert out.exit_code == 1 and out.stderr == [message]  # NodePorts are unique across namespaces
    assert box.cluster.get("Service", "default", "web") is None


def test_a_free_node_port_in_the_static_band_can_be_requested() -> None:
    box = sandbox("kubectl apply -f web.yaml", files={"web.yaml": node_port_service("web", "default", 30000)})
    svc = box.cluster.get("Service", "default", "web")
    assert svc is not None and svc["spec"]["ports"][0]["nodePort"] == 30000


def test_node_ports_are_allocated_from_the_dynamic_band_and_unique() -> None:
    box = sandbox(*(f"kubectl create service nodeport s{i} --tcp=80:80" for i in range(20)))
    ports = [
        s["spec"]["ports"][0]["nodePort"] for s in box.cluster.list("Service") if s["metadata"]["name"] != "kubernetes"
    ]
    assert len(set(ports)) == 20
    assert all(30086 <= p <= 32767 for p in ports)  # the static band 30000-30085 is left for explicit requests
