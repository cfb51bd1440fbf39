"""The ingress controller's routing: host exact > wildcard > catch-all; Exact > longest Prefix; defaultBackend."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.networking.ingress import declared_hosts, match, path_matches, served


def path(p: str, service: str, path_type: str = "Prefix", port: int = 80) -> dict[str, Any]:
    return {"path": p, "pathType": path_type, "backend": {"service": {"name": service, "port": {"number": port}}}}


def ingress(name: str, rules: list[dict[str, Any]], default: str = "", created: str = "2025-01-01T00:00:00Z",
            klass: str | None = None) -> dict[str, Any]:  # fmt: skip
    spec: dict[str, Any] = {"rules": rules}
    if default:
        spec["defaultBackend"] = {"service": {"name": default, "port": {"name": "http"}}}
    if klass is not None:
        spec["ingressClassName"] = klass
    meta = {"name": name, "namespace": "default", "creationTimestamp": created}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}


INGRESSES = [
    ingress("shop", [
        {"host": "shop.example.com", "http": {"paths": [
            path("/", "front"), path("/api", "api"), path("/api/v2", "api-v2"),
            path("/api/v2/health", "health", "Exact"),
        ]}},
        {"host": "*.example.com", "http": {"paths": [path("/", "wild")]}},
        {"http": {"paths": [path("/", "catchall"), path("/docs", "docs", "ImplementationSpecific")]}},
    ]),
    ingress("other", [{"host": "api.example.com", "http": {"paths": [path("/v1", "v1")]}}], default="fallback",
            created="2025-02-01T00:00:00Z"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("host", "url_path", "service"),
    [
        ("shop.example.com", "/", "front"),
        ("shop.example.com:80", "/cart", "front"),
        ("SHOP.example.com", "/api", "api"),
        ("shop.example.com", "/api/", "api"),
        ("shop.example.com", "/api/orders", "api"),
        ("shop.example.com", "/apiary", "front"),  # Prefix matches whole path elements only
        ("shop.example.com", "/api/v2/x", "api-v2"),  # the longest prefix wins
        ("shop.example.com", "/api/v2/health", "health"),  # Exact beats every prefix
        ("shop.example.com", "/api/v2/health/", "api-v2"),  # ... but only for the exact path
        ("shop.example.com", "/?q=1", "front"),
        ("blog.example.com", "/", "wild"),  # wildcard covers one label
        ("api.example.com", "/v1/users", "v1"),  # an exact host beats the wildcard
        ("api.example.com", "/v2", "fallback"),  # nothing matches in that server: defaultBackend
        ("a.b.example.com", "/", "catchall"),  # two labels: not the wildcard; the host-less rules
        ("localhost", "/docs-old", "docs"),  # ImplementationSpecific: a plain string prefix here
        ("192.168.49.3", "/x", "catchall"),
    ],
)
def test_request_goes_to_the_most_specific_rule(host: str, url_path: str, service: str) -> None:
    route = match(INGRESSES, host, url_path)
    assert route is not None and route.service == service


def test_no_match_and_no_default_backend_is_the_controllers_404() -> None:
    only = [ingress("x", [{"host": "a.test", "http": {"paths": [path("/app", "app")]}}])]
    assert match(only, "a.test", "/other") is None
    assert match(only, "b.test", "/app") is None


def test_route_carries_the_backend_port_and_the_rule() -> None:
    route = match(INGRESSES, "shop.example.com", "/api/v2/health")
    assert route is not None
    assert (route.ingress, route.host, route.path, route.path_type, route.port_number) == (
        "shop", "shop.example.com", "/api/v2/health", "Exact", 80,
    )  # fmt: skip
    fallback = match(INGRESSES, "api.example.com", "/zzz")
    assert fallback is not None and (fallback.port_number, fallback.port_name) == (None, "http")


@pytest.mark.parametrize(("klass", "expected"), [(None, True), ("nginx", True), ("traefik", False)])
def test_only_nginx_class_or_classless_ingresses_are_served(klass: str | None, expected: bool) -> None:
    assert served(ingress("x", [], klass=klass)) is expected


def test_declared_hosts_feed_the_laptops_hosts_file() -> None:
    assert declared_hosts(INGRESSES) == {"shop.example.com", "api.example.com"}


@pytest.mark.parametrize(
    ("path_type", "rule", "request_path", "expected"),
    [("Prefix", "/", "/anything", True), ("Prefix", "/a/", "/a", True), ("Exact", "/a", "/a/", False)],
)
def test_path_matching(path_type: str, rule: str, request_path: str, expected: bool) -> None:
    assert path_matches(path_type, rule, request_path) is expected
