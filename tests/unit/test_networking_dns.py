"""Cluster DNS as a pod sees it: search domains, headless Services, ExternalName, pod records."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.networking.dns import candidates, resolve
from tests.unit.fakes import FakeView


def service(name: str, namespace: str, **spec: Any) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": namespace}, "spec": spec}


def slice_for(name: str, namespace: str, *ready_ips: str, not_ready: tuple[str, ...] = ()) -> dict[str, Any]:
    eps = [{"addresses": [ip], "conditions": {"ready": True}} for ip in ready_ips]
    eps += [{"addresses": [ip], "conditions": {"ready": False}} for ip in not_ready]
    return {
        "apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
        "metadata": {"name": f"{name}-x", "namespace": namespace, "labels": {"kubernetes.io/service-name": name}},
        "endpoints": eps,
    }  # fmt: skip


VIEW = FakeView([
    service("web", "shop", clusterIP="10.96.10.10"),
    service("web", "default", clusterIP="10.96.20.20"),
    service("db", "shop", clusterIP="None"),
    slice_for("db", "shop", "10.244.2.7", "10.244.1.4", not_ready=("10.244.1.9",)),
    service("empty", "shop", clusterIP="None"),
    service("ext", "shop", type="ExternalName", externalName="example.com"),
    service("alias", "shop", type="ExternalName", externalName="web.default.svc.cluster.local"),
    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "db-0", "namespace": "shop"},
     "spec": {"hostname": "db-0", "subdomain": "db"}, "status": {"podIP": "10.244.2.7"}},
])  # fmt: skip


@pytest.mark.parametrize(
    ("name", "namespace", "ips"),
    [
        ("web", "shop", ("10.96.10.10",)),
        ("web", "default", ("10.96.20.20",)),
        ("web.shop", "default", ("10.96.10.10",)),
        ("web.shop.svc", "default", ("10.96.10.10",)),
        ("web.shop.svc.cluster.local", "default", ("10.96.10.10",)),
        ("web.shop.svc.cluster.local.", "default", ("10.96.10.10",)),
        ("WEB.Shop", "default", ("10.96.10.10",)),
        ("db", "shop", ("10.244.1.4", "10.244.2.7")),  # headless: the ready endpoints' IPs
        ("db-0.db.shop.svc.cluster.local", "default", ("10.244.2.7",)),
        ("10-244-1-4.shop.pod.cluster.local", "default", ("10.244.1.4",)),
        ("alias", "shop", ("10.96.20.20",)),  # CNAME followed inside the cluster
        ("10.1.2.3", "shop", ("10.1.2.3",)),
    ],
)
def test_names_a_pod_can_resolve(name: str, namespace: str, ips: tuple[str, ...]) -> None:
    answer = resolve(VIEW, name, namespace)
    assert answer is not None and answer.ips == ips


@pytest.mark.parametrize(
    ("name", "namespace"),
    [("web", "other"), ("nope", "shop"), ("web.shop.svc.cluster", "x"), ("empty", "shop"), ("example.com", "shop")],
)
def test_unknown_names_do_not_resolve(name: str, namespace: str) -> None:
    assert resolve(VIEW, name, namespace) is None


def test_external_name_is_only_a_cname() -> None:
    answer = resolve(VIEW, "ext", "shop")
    assert answer is not None
    assert (answer.cname, answer.ips) == ("example.com", ())


def test_search_list_is_tried_first_for_names_with_few_dots() -> None:
    assert candidates("web", "shop") == [
        "web.shop.svc.cluster.local", "web.svc.cluster.local", "web.cluster.local", "web",
    ]  # fmt: skip
    assert candidates("a.b.c.d.e.f", "shop")[0] == "a.b.c.d.e.f"
    assert candidates("web.", "shop") == ["web"]
