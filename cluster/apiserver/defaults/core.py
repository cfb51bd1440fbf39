"""Defaults for core/v1 kinds other than Pod, and for discovery/v1 EndpointSlices.

Service defaulting covers the versioned defaulter (type, session affinity,
port protocol and targetPort, traffic policies) and the IP-family fields the
Service registry fills in. The allocation of ``clusterIP(s)`` and
``nodePort`` values is the API server's job (admission), not done here.

Simplification: the cluster is single-stack IPv4, so every Service that
gets a cluster IP gets ``ipFamilies: [IPv4]``.
"""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]

DEFAULT_CLIENT_IP_TIMEOUT_SECONDS = 10800
METADATA_NAME_LABEL = "kubernetes.io/metadata.name"


def _default_session_affinity(spec: Obj) -> None:
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        config = spec.get("sessionAffinityConfig") or {}
        if ((config.get("clientIP") or {}).get("timeoutSeconds")) is None:
            spec["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": DEFAULT_CLIENT_IP_TIMEOUT_SECONDS}}


def _default_service_ports(spec: Obj) -> None:
    for port in spec.get("ports") or []:
        if not isinstance(port, dict):
            continue
        if not port.get("protocol"):
            port["protocol"] = "TCP"
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port")


def externally_accessible(spec: Obj) -> bool:
    """``service.ExternallyAccessible``: reachable from outside through node ports, a load balancer or external IPs."""
    svc_type = spec.get("type")
    return svc_type in ("LoadBalancer", "NodePort") or (svc_type == "ClusterIP" and bool(spec.get("externalIPs")))


def _default_ip_families(spec: Obj) -> None:
    if spec.get("type") == "ExternalName":
        return
    if not spec.get("ipFamilyPolicy"):
        headless_selectorless = spec.get("clusterIP") == "None" and not spec.get("selector")
        spec["ipFamilyPolicy"] = "RequireDualStack" if headless_selectorless else "SingleStack"
    if not spec.get("ipFamilies"):
        spec["ipFamilies"] = ["IPv4"]


def default_service(svc: Obj) -> None:
    spec = svc.setdefault("spec", {})
    _default_session_affinity(spec)
    if not spec.get("type"):
        spec["type"] = "ClusterIP"
    _default_service_ports(spec)
    if externally_accessible(spec) and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec.get("internalTrafficPolicy") is None and spec["type"] in ("ClusterIP", "NodePort", "LoadBalancer"):
        spec["internalTrafficPolicy"] = "Cluster"
    if spec["type"] == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is None:
        spec["allocateLoadBalancerNodePorts"] = True
    _default_ip_families(spec)
    status = svc.get("status")
    if not isinstance(status, dict):
        status = svc["status"] = {}
    if not isinstance(status.get("loadBalancer"), dict):
        status["loadBalancer"] = {}  # ServiceStatus.LoadBalancer is a struct: it always reads back, empty or not
    if spec["type"] == "LoadBalancer":
        for ingress in ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []:
            if isinstance(ingress, dict) and ingress.get("ip") and not ingress.get("ipMode"):
                ingress["ipMode"] = "VIP"


def default_namespace(ns: Obj) -> None:
    """``SetDefaults_Namespace``: the ``kubernetes.io/metadata.name`` label; a new namespace is Active."""
    meta = ns.setdefault("metadata", {})
    if meta.get("name"):
        labels = meta.get("labels") or {}
        labels[METADATA_NAME_LABEL] = meta["name"]
        meta["labels"] = labels
    status = ns.get("status")
    if not isinstance(status, dict):
        status = ns["status"] = {}
    if not status.get("phase"):
        status["phase"] = "Active"


def default_node(node: Obj) -> None:
    """``SetDefaults_NodeStatus``: allocatable defaults to capacity."""
    status = node.get("status")
    if isinstance(status, dict) and status.get("allocatable") is None and isinstance(status.get("capacity"), dict):
        status["allocatable"] = dict(status["capacity"])


def default_endpoints(endpoints: Obj) -> None:
    for subset in endpoints.get("subsets") or []:
        for port in (subset or {}).get("ports") or []:
            if isinstance(port, dict) and not port.get("protocol"):
                port["protocol"] = "TCP"


def default_endpoint_slice(slice_: Obj) -> None:
    for port in slice_.get("ports") or []:
        if isinstance(port, dict):
            port.setdefault("name", "")
            if not port.get("protocol"):
                port["protocol"] = "TCP"


def default_secret(secret: Obj) -> None:
    if not secret.get("type"):
        secret["type"] = "Opaque"


def no_defaults(_obj: Obj) -> None:
    """ConfigMap, Event, Lease: the API defines no defaults for them."""
