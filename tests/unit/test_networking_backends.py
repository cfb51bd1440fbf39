"""Which endpoints kube-proxy programs: ready ones, else serving+terminating ones (K8S_FACTS §3.5)."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.networking.backends import Backend, all_backends, local_only, usable
from tests.unit.fakes import FakeView

SERVICE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "web", "namespace": "default"},
    "spec": {"selector": {"app": "web"}, "ports": [{"name": "http", "port": 80, "targetPort": "web"}]},
}


def endpoint(ip: str, pod: str, node: str, ready: bool = True, serving: bool = True, terminating: bool = False
             ) -> dict[str, Any]:  # fmt: skip
    return {
        "addresses": [ip],
        "conditions": {"ready": ready, "serving": serving, "terminating": terminating},
        "nodeName": node,
        "targetRef": {"kind": "Pod", "namespace": "default", "name": pod},
    }


def slice_of(name: str, port: int, *endpoints: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": name, "namespace": "default", "labels": {"kubernetes.io/service-name": "web"}},
        "addressType": "IPv4",
        "ports": [{"name": "http", "port": port, "protocol": "TCP"}],
        "endpoints": list(endpoints),
    }


def b(ip: str, ready: bool = True, serving: bool = True, terminating: bool = False, node: str = "w1") -> Backend:
    return Backend(ip, 80, "default", "p" + ip[-1], node, ready, serving, terminating)


def test_endpoints_come_from_every_slice_with_the_resolved_target_port() -> None:
    view = FakeView([
        SERVICE,
        slice_of("web-abcde", 8080, endpoint("10.244.2.5", "web-2", "worker-2")),
        slice_of("web-fghij", 9090, endpoint("10.244.1.9", "web-1", "worker-1")),
    ])  # fmt: skip
    found = all_backends(view, SERVICE, SERVICE["spec"]["ports"][0])
    assert [(x.address, x.pod, x.node) for x in found] == [
        ("10.244.1.9:9090", "web-1", "worker-1"),
        ("10.244.2.5:8080", "web-2", "worker-2"),
    ]


def test_legacy_endpoints_are_read_when_the_service_has_no_slices() -> None:
    endpoints = {
        "apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "web", "namespace": "default"},
        "subsets": [{"addresses": [{"ip": "192.168.49.2"}], "notReadyAddresses": [{"ip": "192.168.49.9"}],
                     "ports": [{"name": "http", "port": 6443}]}],
    }  # fmt: skip
    found = all_backends(FakeView([SERVICE, endpoints]), SERVICE, SERVICE["spec"]["ports"][0])
    assert [(x.address, x.ready) for x in found] == [("192.168.49.2:6443", True), ("192.168.49.9:6443", False)]


@pytest.mark.parametrize(
    ("backends", "expected"),
    [
        ([b("10.0.0.1"), b("10.0.0.2", ready=False, serving=False)], ["10.0.0.1"]),
        # a terminating pod is never ready; it gets no new connections while another is ready
        ([b("10.0.0.1"), b("10.0.0.2", ready=False, terminating=True)], ["10.0.0.1"]),
        # no ready endpoint: fall back to the ones still serving while they terminate
        ([b("10.0.0.1", ready=False, terminating=True), b("10.0.0.2", ready=False, serving=False, terminating=True)],
         ["10.0.0.1"]),
        ([b("10.0.0.1", ready=False, serving=False)], []),
        ([], []),
    ],
)  # fmt: skip
def test_usable_endpoints(backends: list[Backend], expected: list[str]) -> None:
    assert [x.ip for x in usable(backends)] == expected


def test_local_only_keeps_this_nodes_endpoints_with_the_same_fallback() -> None:
    backends = [b("10.0.0.1", node="w1"), b("10.0.0.2", node="w2", ready=False, terminating=True)]
    assert [x.ip for x in local_only(backends, "w1")] == ["10.0.0.1"]
    assert [x.ip for x in local_only(backends, "w2")] == ["10.0.0.2"]
    assert local_only(backends, "w3") == []
