"""The ingress controller's routing table: which backend an HTTP request goes to (ingress-nginx style).

ingress-nginx folds every Ingress into nginx ``server`` blocks per host and
``location`` blocks per path. A request picks its server by ``Host`` —
an exact host first, then a wildcard (``*.example.com`` covers exactly one
extra label), then the catch-all server for rules without a host — and
within it the location: an ``Exact`` path beats any prefix, then the longest
``Prefix`` (matched per path element: ``/app`` covers ``/app`` and
``/app/x`` but not ``/apple``); ``ImplementationSpecific`` is a plain string
prefix. Nothing matching → the Ingress ``defaultBackend`` if one is given,
else the controller's own 404.

The controller is drawn on port 80 of every node (and ``localhost:80``) and
proxies straight to pod IPs (round robin), not through the ClusterIP.

Simplifications: no IngressClass objects: Ingresses with no class or class
``nginx`` are served, others are left to a controller the sandbox does not
run; no TLS, rewrites or annotations.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cluster.core.objects import Obj, namespace_of
from cluster.engine.view import View

CLASS_NAME = "nginx"
CLASS_ANNOTATION = "kubernetes.io/ingress.class"


@dataclass(frozen=True)
class Route:
    """Where a request goes: the Ingress it matched and the backend Service and port."""

    namespace: str
    ingress: str
    service: str
    port_number: int | None
    port_name: str
    host: str
    path: str
    path_type: str


def served(ingress: Obj) -> bool:
    spec = ingress.get("spec") or {}
    klass = spec.get("ingressClassName") or (ingress["metadata"].get("annotations") or {}).get(CLASS_ANNOTATION)
    return klass in (None, "", CLASS_NAME)


def served_ingresses(view: View) -> list[Obj]:
    return [i for i in view.list("Ingress") if served(i) and not i["metadata"].get("deletionTimestamp")]


def host_matches(rule_host: str, host: str) -> bool:
    if rule_host.startswith("*."):
        head, _, rest = host.partition(".")
        return bool(head) and rest == rule_host[2:]
    return rule_host == host


def path_matches(path_type: str, rule_path: str, path: str) -> bool:
    if path_type == "Exact":
        return path == rule_path
    if path_type == "Prefix":
        prefix = rule_path.rstrip("/")
        return prefix == "" or path == prefix or path.startswith(prefix + "/")
    return path.startswith(rule_path or "/")


def _route(ingress: Obj, backend: dict[str, Any], host: str, path: str, path_type: str) -> Route | None:
    service = backend.get("service") or {}
    if not service.get("name"):
        return None
    port = service.get("port") or {}
    number = port.get("number")
    return Route(
        namespace_of(ingress),
        ingress["metadata"]["name"],
        str(service["name"]),
        int(number) if number is not None else None,
        str(port.get("name") or ""),
        host,
        path,
        path_type,
    )


def _rules_for(ingresses: list[Obj], host: str) -> list[tuple[Obj, dict[str, Any]]]:
    """The rules of the server block that ``host`` selects: exact host, then wildcard, then host-less rules."""
    rules = [(i, r) for i in ingresses for r in (i.get("spec") or {}).get("rules") or []]
    accepts: tuple[Callable[[str], bool], ...] = (
        lambda h: h == host,
        lambda h: h.startswith("*.") and host_matches(h, host),
        lambda h: h == "",
    )
    for accept in accepts:
        chosen = [(i, r) for i, r in rules if accept(str(r.get("host") or ""))]
        if chosen:
            return chosen
    return []


Match = tuple[Obj, dict[str, Any], dict[str, Any]]  # ingress, rule, path entry


def _best_path(rules: list[tuple[Obj, dict[str, Any]]], path: str) -> Match | None:
    best: tuple[tuple[int, int], Match] | None = None
    for ingress, rule in rules:
        for entry in (rule.get("http") or {}).get("paths") or []:
            path_type = str(entry.get("pathType") or "ImplementationSpecific")
            rule_path = str(entry.get("path") or "/")
            if not path_matches(path_type, rule_path, path):
                continue
            rank = (1 if path_type == "Exact" else 0, len(rule_path.rstrip("/")))
            if best is None or rank > best[0]:
                best = (rank, (ingress, rule, entry))
    return best[1] if best is not None else None


def match(ingresses: list[Obj], host: str, path: str) -> Route | None:
    """The backend for ``host`` + ``path``, or None for the controller's 404."""
    host = host.split(":")[0].lower()
    path = path.split("?")[0] or "/"
    rules = _rules_for(ingresses, host)
    found = _best_path(rules, path)
    if found is not None:
        ingress, rule, entry = found
        return _route(
            ingress,
            entry.get("backend") or {},
            str(rule.get("host") or ""),
            str(entry.get("path") or "/"),
            str(entry.get("pathType") or "ImplementationSpecific"),
        )
    for ingress in sorted(ingresses, key=lambda i: str(i["metadata"].get("creationTimestamp", ""))):
        default = (ingress.get("spec") or {}).get("defaultBackend")
        if default:
            return _route(ingress, default, "", "", "")
    return None


def declared_hosts(ingresses: list[Obj]) -> set[str]:
    """Hosts named in Ingress rules: the sandbox's hosts file maps them to the ingress controller."""
    return {
        str(r["host"]).lower()
        for i in ingresses
        for r in (i.get("spec") or {}).get("rules") or []
        if r.get("host") and not str(r["host"]).startswith("*.")
    }
