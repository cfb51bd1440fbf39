"""``kubectl describe`` for Service, Ingress, Endpoints and EndpointSlice.

kubectl 1.32 reads a Service's endpoints from its EndpointSlices (label
``kubernetes.io/service-name``) and lists only *ready* addresses, three at most
(K8S_FACTS §3.5). If only the legacy Endpoints object is at hand it is used
instead, with the same three-address rule.
"""

from __future__ import annotations

from typing import Any

from cluster.kubectl.printers.describe.writer import (
    PrefixWriter,
    describe_events,
    print_annotations_multiline,
    print_labels_multiline,
)
from cluster.kubectl.printers.gofmt import format_labels, join_host_port
from cluster.kubectl.printers.rows_network import format_endpoints, load_balancer_addresses

Obj = dict[str, Any]
SERVICE_NAME_LABEL = "kubernetes.io/service-name"


def _ready(endpoint: Obj) -> bool:
    ready = (endpoint.get("conditions") or {}).get("ready")
    return ready is None or bool(ready)


def format_endpoint_slices(slices: list[Obj], port_names: set[str] | None) -> str:
    """``formatEndpointSlices``: ready ``ip:port`` pairs of the named ports, three at most."""
    if not slices:
        return "<none>"
    listed: list[str] = []
    count = 0
    more = False
    for endpoint_slice in slices:
        endpoints = [e for e in endpoint_slice.get("endpoints") or [] if e.get("addresses")]
        ports = endpoint_slice.get("ports") or []
        targets: list[int | None] = [None]
        if ports:
            targets = [p.get("port", 0) for p in ports if port_names is None or (p.get("name") or "") in port_names]
        for port in targets:
            for endpoint in endpoints:
                more = more or len(listed) == 3
                if not _ready(endpoint):
                    continue
                address = str(endpoint["addresses"][0])
                if not more:
                    listed.append(address if port is None else join_host_port(address, port))
                count += 1
    text = ",".join(listed)
    return f"{text} + {count - 3} more..." if more else text


def _slices_for(service_name: str, related: dict[str, list[Obj]]) -> list[Obj]:
    return [
        s
        for s in related.get("EndpointSlice") or []
        if ((s.get("metadata") or {}).get("labels") or {}).get(SERVICE_NAME_LABEL) == service_name
    ]


def _endpoints_text(service_name: str, port_name: str, related: dict[str, list[Obj]]) -> str:
    if "EndpointSlice" in related or "Endpoints" not in related:
        return format_endpoint_slices(_slices_for(service_name, related), {port_name})
    for endpoints in related.get("Endpoints") or []:
        if (endpoints.get("metadata") or {}).get("name") == service_name:
            return format_endpoints(endpoints, {port_name})
    return "<none>"


def _ingress_points(status: Obj) -> str:
    texts = []
    for ingress in (status.get("loadBalancer") or {}).get("ingress") or []:
        if ingress.get("ip"):
            mode = f" ({ingress['ipMode']})" if ingress.get("ipMode") else ""
            texts.append(f"{ingress['ip']}{mode}")
        else:
            texts.append(str(ingress.get("hostname", "")))
    return ", ".join(texts)


def _service_addresses(w: PrefixWriter, spec: Obj, status: Obj) -> None:
    if spec.get("ipFamilyPolicy"):
        w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    w.write(0, f"IP Families:\t{','.join(spec.get('ipFamilies') or []) or '<none>'}\n")
    w.write(0, f"IP:\t{spec.get('clusterIP', '')}\n")
    w.write(0, f"IPs:\t{','.join(spec.get('clusterIPs') or []) or '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(0, f"External Name:\t{spec['externalName']}\n")
    points = _ingress_points(status)
    if points:
        w.write(0, f"LoadBalancer Ingress:\t{points}\n")


def _service_ports(w: PrefixWriter, service: Obj, related: dict[str, list[Obj]]) -> None:
    name = (service.get("metadata") or {}).get("name", "")
    for port in (service.get("spec") or {}).get("ports") or []:
        port_name = port.get("name") or ""
        protocol = port.get("protocol", "TCP")
        w.write(0, f"Port:\t{port_name or '<unset>'}\t{port.get('port', 0)}/{protocol}\n")
        w.write(0, f"TargetPort:\t{port.get('targetPort', port.get('port', 0))}/{protocol}\n")
        if port.get("nodePort"):
            w.write(0, f"NodePort:\t{port_name or '<unset>'}\t{port['nodePort']}/{protocol}\n")
        w.write(0, f"Endpoints:\t{_endpoints_text(name, port_name, related)}\n")


def describe_service(service: Obj, related: dict[str, list[Obj]], events: list[Obj] | None, now_ms: int) -> str:
    metadata, spec, status = service.get("metadata") or {}, service.get("spec") or {}, service.get("status") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{metadata.get('name', '')}\n")
    w.write(0, f"Namespace:\t{metadata.get('namespace', '')}\n")
    print_labels_multiline(w, "Labels", metadata.get("labels"))
    print_annotations_multiline(w, "Annotations", metadata.get("annotations"))
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{spec.get('type', '')}\n")
    _service_addresses(w, spec, status)
    _service_ports(w, service, related)
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity', '')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy"):
        w.write(0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n")
    if spec.get("trafficDistribution"):
        w.write(0, f"Traffic Distribution:\t{spec['trafficDistribution']}\n")
    describe_events(w, events, now_ms)
    return w.tabbed()


def _backend_text(namespace: str, backend: Obj, related: dict[str, list[Obj]]) -> str:
    """``describeBackendV1``: ``svc:port (endpoints)``, or the resource reference."""
    service_ref = backend.get("service")
    if service_ref is not None:
        name = service_ref.get("name", "")
        port = service_ref.get("port") or {}
        label = f"{name}:{port.get('number') or port.get('name', '')}"
        services = [s for s in related.get("Service") or [] if (s.get("metadata") or {}).get("name") == name]
        if not services:
            return f'{label} (<error: services "{name}" not found>)'
        port_name = ""
        for service_port in (services[0].get("spec") or {}).get("ports") or []:
            by_number = bool(port.get("number")) and port.get("number") == service_port.get("port")
            if by_number or (bool(port.get("name")) and port.get("name") == service_port.get("name")):
                port_name = service_port.get("name") or ""
        return f"{label} ({format_endpoint_slices(_slices_for(name, related), {port_name})})"
    resource = backend.get("resource")
    if resource is not None:
        group = resource.get("apiGroup") or "<none>"
        return f"APIGroup: {group}, Kind: {resource.get('kind', '')}, Name: {resource.get('name', '')}"
    return ""


def _ingress_rules(w: PrefixWriter, ingress: Obj, default_backend: str, related: dict[str, list[Obj]]) -> None:
    namespace = (ingress.get("metadata") or {}).get("namespace", "")
    w.write(0, "Rules:\n  Host\tPath\tBackends\n")
    w.write(1, "----\t----\t--------\n")
    count = 0
    for rule in (ingress.get("spec") or {}).get("rules") or []:
        if rule.get("http") is None:
            continue
        count += 1
        w.write(1, f"{rule.get('host') or '*'}\t\n")
        for path in rule["http"].get("paths") or []:
            backend = _backend_text(namespace, path.get("backend") or {}, related)
            w.write(2, f"\t{path.get('path', '')} \t{backend}\n")
    if count == 0:
        w.write(1, f"*\t*\t{default_backend}\n")


def describe_ingress(ingress: Obj, related: dict[str, list[Obj]], events: list[Obj] | None, now_ms: int) -> str:
    metadata, spec = ingress.get("metadata") or {}, ingress.get("spec") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{metadata.get('name', '')}\n")
    print_labels_multiline(w, "Labels", metadata.get("labels"))
    w.write(0, f"Namespace:\t{metadata.get('namespace', '')}\n")
    address = load_balancer_addresses((ingress.get("status") or {}).get("loadBalancer"), wide=True)
    w.write(0, f"Address:\t{address}\n")
    w.write(0, f"Ingress Class:\t{spec.get('ingressClassName') or '<none>'}\n")
    default = spec.get("defaultBackend")
    default_text = _backend_text(metadata.get("namespace", ""), default, related) if default else "<default>"
    w.write(0, f"Default backend:\t{default_text}\n")
    if spec.get("tls"):
        w.write(0, "TLS:\n")
        for tls in spec["tls"]:
            hosts = ",".join(tls.get("hosts") or [])
            secret = tls.get("secretName")
            w.write(1, f"{secret} terminates {hosts}\n" if secret else f"SNI routes {hosts}\n")
    _ingress_rules(w, ingress, default_text, related)
    print_annotations_multiline(w, "Annotations", metadata.get("annotations"))
    describe_events(w, events, now_ms)
    return w.tabbed()


def describe_endpoints(endpoints: Obj, events: list[Obj] | None, now_ms: int) -> str:
    metadata = endpoints.get("metadata") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{metadata.get('name', '')}\n")
    w.write(0, f"Namespace:\t{metadata.get('namespace', '')}\n")
    print_labels_multiline(w, "Labels", metadata.get("labels"))
    print_annotations_multiline(w, "Annotations", metadata.get("annotations"))
    w.write(0, "Subsets:\n")
    for subset in endpoints.get("subsets") or []:
        ready = ",".join(str(a.get("ip", "")) for a in subset.get("addresses") or [])
        not_ready = ",".join(str(a.get("ip", "")) for a in subset.get("notReadyAddresses") or [])
        w.write(1, f"Addresses:\t{ready or '<none>'}\n")
        w.write(1, f"NotReadyAddresses:\t{not_ready or '<none>'}\n")
        if subset.get("ports"):
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for port in subset["ports"]:
                w.write(2, f"{port.get('name') or '<unset>'}\t{port.get('port', 0)}\t{port.get('protocol', 'TCP')}\n")
        w.write(0, "\n")
    describe_events(w, events, now_ms)
    return w.tabbed()


def describe_endpointslice(endpoint_slice: Obj, events: list[Obj] | None, now_ms: int) -> str:
    metadata = endpoint_slice.get("metadata") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{metadata.get('name', '')}\n")
    w.write(0, f"Namespace:\t{metadata.get('namespace', '')}\n")
    print_labels_multiline(w, "Labels", metadata.get("labels"))
    print_annotations_multiline(w, "Annotations", metadata.get("annotations"))
    w.write(0, f"AddressType:\t{endpoint_slice.get('addressType', '')}\n")
    ports = endpoint_slice.get("ports") or []
    if not ports:
        w.write(0, "Ports: <unset>\n")
    else:
        w.write(0, "Ports:\n")
        w.write(1, "Name\tPort\tProtocol\n")
        w.write(1, "----\t----\t--------\n")
        for port in ports:
            number = port.get("port")
            shown = "<unset>" if number is None else number
            w.write(1, f"{port.get('name') or '<unset>'}\t{shown}\t{port.get('protocol', 'TCP')}\n")
    _slice_endpoints(w, endpoint_slice.get("endpoints") or [])
    describe_events(w, events, now_ms)
    return w.tabbed()


def _slice_endpoints(w: PrefixWriter, endpoints: list[Obj]) -> None:
    if not endpoints:
        w.write(0, "Endpoints: <none>\n")
        return
    w.write(0, "Endpoints:\n")
    for endpoint in endpoints:
        w.write(1, f"- Addresses:\t{', '.join(endpoint.get('addresses') or []) or '<none>'}\n")
        w.write(2, "Conditions:\n")
        ready = (endpoint.get("conditions") or {}).get("ready")
        w.write(3, f"Ready:\t{'<unset>' if ready is None else str(bool(ready)).lower()}\n")
        w.write(2, f"Hostname:\t{endpoint.get('hostname') or '<unset>'}\n")
        if endpoint.get("targetRef") is not None:
            ref = endpoint["targetRef"]
            w.write(2, f"TargetRef:\t{ref.get('kind', '')}/{ref.get('name', '')}\n")
        w.write(2, f"NodeName:\t{endpoint.get('nodeName') or '<unset>'}\n")
        w.write(2, f"Zone:\t{endpoint.get('zone') or '<unset>'}\n")
