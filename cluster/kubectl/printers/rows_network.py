"""Rows for Service, Endpoints, EndpointSlice and Ingress.

Note the ``wide`` flag: the API server always generates Tables with
``Wide: true`` (pkg/printers/storage), so a LoadBalancer's address list is never
clipped to 16 characters in real ``kubectl get`` output; the clipping only
happens when a Table is generated with ``wide=False``.
"""

from __future__ import annotations

from typing import Any

from cluster.core.timefmt import since
from cluster.kubectl.printers.columns import (
    AGE_DOC,
    Column,
    Obj,
    list_with_more,
    meta,
    name_column,
    register,
    spec,
    status,
)
from cluster.kubectl.printers.gofmt import format_labels, join_host_port

Row = tuple[list[Any], list[Obj] | None]
LOAD_BALANCER_WIDTH = 16


def _age(obj: Obj, now_ms: int) -> str:
    return since(meta(obj).get("creationTimestamp"), now_ms)


def load_balancer_addresses(lb_status: Obj | None, wide: bool) -> str:
    """``loadBalancerStatusStringer``: sorted unique IPs/hostnames, clipped unless wide."""
    found = set()
    for ingress in (lb_status or {}).get("ingress") or []:
        value = ingress.get("ip") or ingress.get("hostname")
        if value:
            found.add(str(value))
    text = ",".join(sorted(found))
    if not wide and len(text) > LOAD_BALANCER_WIDTH:
        text = text[: LOAD_BALANCER_WIDTH - 3] + "..."
    return text


def service_external_ip(svc: Obj, wide: bool) -> str:
    """``getServiceExternalIP`` (K8S_FACTS §6.2)."""
    svc_spec = spec(svc)
    external_ips = [str(ip) for ip in svc_spec.get("externalIPs") or []]
    svc_type = svc_spec.get("type", "ClusterIP")
    if svc_type in ("ClusterIP", "NodePort"):
        return ",".join(external_ips) if external_ips else "<none>"
    if svc_type == "LoadBalancer":
        lb = load_balancer_addresses(status(svc).get("loadBalancer"), wide)
        if external_ips:
            return ",".join([*(lb.split(",") if lb else []), *external_ips])
        return lb or "<pending>"
    if svc_type == "ExternalName":
        return str(svc_spec.get("externalName", ""))
    return "<unknown>"


def service_ports(ports: list[Obj]) -> str:
    """``makePortString``: ``80/TCP`` or ``80:31234/TCP``."""
    pieces = []
    for port in ports:
        protocol = port.get("protocol", "TCP")
        node_port = port.get("nodePort") or 0
        number = port.get("port", 0)
        pieces.append(f"{number}:{node_port}/{protocol}" if node_port > 0 else f"{number}/{protocol}")
    return ",".join(pieces)


def _service_row(svc: Obj, now_ms: int, wide: bool) -> Row:
    svc_spec = spec(svc)
    cluster_ips = svc_spec.get("clusterIPs") or []
    cells = [
        meta(svc).get("name", ""),
        svc_spec.get("type", ""),
        cluster_ips[0] if cluster_ips else "<none>",
        service_external_ip(svc, wide),
        service_ports(svc_spec.get("ports") or []) or "<none>",
        _age(svc, now_ms),
        format_labels(svc_spec.get("selector")),
    ]
    return cells, None


@register(
    "Service",
    name_column(),
    Column("Type", "type determines how the Service is exposed."),
    Column("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
    Column(
        "External-IP",
        "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this "
        "service.",
    ),
    Column("Port(s)", "The list of ports that are exposed by this service."),
    Column("Age", AGE_DOC),
    Column("Selector", "Route service traffic to pods with label keys and values matching this selector.", priority=1),
)
def service_row(svc: Obj, now_ms: int, wide: bool) -> Row:
    return _service_row(svc, now_ms, wide)


def format_endpoints(endpoints: Obj, port_names: set[str] | None = None) -> str:
    """``formatEndpoints``: up to three ``ip:port``, then `` + N more...``; ``<none>`` without subsets."""
    subsets = endpoints.get("subsets") or []
    if not subsets:
        return "<none>"
    listed: list[str] = []
    count = 0
    for subset in subsets:
        addresses = [str(a.get("ip", "")) for a in subset.get("addresses") or []]
        ports = subset.get("ports") or []
        if not ports:
            count += len(addresses)
            listed.extend(addresses)
            continue
        for port in ports:
            if port_names is None or port.get("name", "") in port_names:
                count += len(addresses)
                listed.extend(join_host_port(ip, port.get("port", 0)) for ip in addresses)
    text = ",".join(listed[:3])
    return f"{text} + {count - 3} more..." if count > 3 else text


@register(
    "Endpoints",
    name_column(),
    Column("Endpoints", "The set of all endpoints is the union of all subsets."),
    Column("Age", AGE_DOC),
)
def endpoints_row(obj: Obj, now_ms: int, wide: bool) -> Row:
    return [meta(obj).get("name", ""), format_endpoints(obj), _age(obj, now_ms)], None


def _slice_ports(ports: list[Obj]) -> str:
    items = []
    for port in ports:
        if port.get("port") is not None:
            items.append(str(port["port"]))
        elif port.get("name") is not None:
            items.append(str(port["name"]))
        else:
            items.append("*")
    return list_with_more(items, len(items))


def _slice_endpoints(endpoints: list[Obj]) -> str:
    addresses = [str(address) for endpoint in endpoints for address in endpoint.get("addresses") or []]
    return list_with_more(addresses, len(addresses))


@register(
    "EndpointSlice",
    name_column(),
    Column("AddressType", "addressType specifies the type of address carried by this EndpointSlice."),
    Column("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice."),
    Column("Endpoints", "endpoints is a list of unique endpoints in this slice."),
    Column("Age", AGE_DOC),
)
def endpointslice_row(obj: Obj, now_ms: int, wide: bool) -> Row:
    cells = [
        meta(obj).get("name", ""),
        obj.get("addressType", ""),
        _slice_ports(obj.get("ports") or []),
        _slice_endpoints(obj.get("endpoints") or []),
        _age(obj, now_ms),
    ]
    return cells, None


def _ingress_hosts(rules: list[Obj]) -> str:
    """``formatHosts``: up to three hosts, ``*`` when none; the `` + N more...`` counts all rules."""
    hosts: list[str] = []
    more = False
    for rule in rules:
        if len(hosts) == 3:
            more = True
        if not more and rule.get("host"):
            hosts.append(str(rule["host"]))
    if not hosts:
        return "*"
    text = ",".join(hosts)
    return f"{text} + {len(rules) - 3} more..." if more else text


@register(
    "Ingress",
    name_column(),
    Column("Class", "The name of the IngressClass resource that should be used for additional configuration"),
    Column("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
    Column("Address", "Address is a list containing ingress points for the load-balancer"),
    Column("Ports", "Ports of TLS configurations that open"),
    Column("Age", AGE_DOC),
)
def ingress_row(obj: Obj, now_ms: int, wide: bool) -> Row:
    ing_spec = spec(obj)
    cells = [
        meta(obj).get("name", ""),
        ing_spec.get("ingressClassName") or "<none>",
        _ingress_hosts(ing_spec.get("rules") or []),
        load_balancer_addresses(status(obj).get("loadBalancer"), wide),
        "80, 443" if ing_spec.get("tls") else "80",
        _age(obj, now_ms),
    ]
    return cells, None
