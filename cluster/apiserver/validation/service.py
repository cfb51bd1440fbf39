"""Service validation (``ValidateService`` / ``ValidateServiceUpdate`` of Kubernetes 1.32).

The Service name (a DNS-1035 label) is checked by the API server with the
kind's name rule; this module checks the spec: ports, type, session
affinity, node ports, ExternalName, and on update the immutability of the
allocated cluster IPs (``spec.clusterIPs[0]: Invalid value: []string{…}:
may not change once set``).

Simplification: IP address syntax is checked for IPv4 only; load-balancer
source ranges and dual-stack family rules are not validated.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from cluster.apiserver.validation.common import (
    as_dict,
    as_list,
    child,
    dns1123_label,
    dns1123_subdomain,
    in_set,
    index,
    port_num_or_name,
    port_number_errors,
    qualified_name,
    validate_object_meta,
    validate_object_meta_update,
)
from cluster.core.errors import FieldError, duplicate, forbidden, invalid, required
from cluster.core.goformat import GoLiteral, go_quote
from cluster.core.names import validate_labels

Obj = dict[str, Any]

SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")
PROTOCOLS = ("SCTP", "TCP", "UDP")
SESSION_AFFINITIES = ("ClientIP", "None")
KUBELET_PORT = 10250
MAX_CLIENT_IP_TIMEOUT = 86400


def is_headless(spec: Obj) -> bool:
    return spec.get("clusterIP") == "None"


def _port_errors(port: Obj, at: str, require_name: bool, names: set[str]) -> list[FieldError]:
    """``validateServicePort``."""
    errors: list[FieldError] = []
    name = str(port.get("name") or "")
    if require_name and not name:
        errors.append(required(child(at, "name")))
    elif name:
        errors += dns1123_label(name, child(at, "name"))
        if name in names:
            errors.append(duplicate(child(at, "name"), name))
        names.add(name)
    errors += [invalid(child(at, "port"), port.get("port"), m) for m in port_number_errors(port.get("port"))]
    errors += in_set(port.get("protocol"), child(at, "protocol"), PROTOCOLS)
    errors += port_num_or_name(port.get("targetPort"), child(at, "targetPort"))
    if port.get("appProtocol") is not None:
        errors += qualified_name(str(port["appProtocol"]), child(at, "appProtocol"))
    return errors


def _type_specific(spec: Obj) -> list[FieldError]:
    kind = spec.get("type")
    errors: list[FieldError] = []
    if kind in ("LoadBalancer", "NodePort") and is_headless(spec):
        errors.append(invalid("spec.clusterIP", "None", f"may not be set to 'None' for {kind} services"))
    if kind == "LoadBalancer":
        for i, port in enumerate(as_list(spec.get("ports"))):
            if as_dict(port).get("port") == KUBELET_PORT:
                detail = f"may not expose port {KUBELET_PORT} externally since it is used by kubelet"
                errors.append(invalid(index("spec.ports", i), KUBELET_PORT, detail))
    if kind == "ExternalName":
        for name in ("clusterIPs", "ipFamilies", "ipFamilyPolicy"):
            if spec.get(name):
                errors.append(forbidden(child("spec", name), "may not be set for ExternalName services"))
        cname = str(spec.get("externalName") or "").removesuffix(".")
        errors += dns1123_subdomain(cname, "spec.externalName") if cname else [required("spec.externalName")]
    return errors


def _session_affinity(spec: Obj) -> list[FieldError]:
    affinity = spec.get("sessionAffinity")
    errors = in_set(affinity, "spec.sessionAffinity", SESSION_AFFINITIES)
    if affinity == "ClientIP":
        timeout = as_dict(as_dict(spec.get("sessionAffinityConfig")).get("clientIP")).get("timeoutSeconds")
        path = "spec.sessionAffinityConfig.clientIP.timeoutSeconds"
        if timeout is None:
            errors.append(required(path))
        elif not isinstance(timeout, int) or not 0 < timeout <= MAX_CLIENT_IP_TIMEOUT:
            errors.append(invalid(path, timeout, f"must be greater than 0 and less than {MAX_CLIENT_IP_TIMEOUT}"))
    elif affinity == "None" and spec.get("sessionAffinityConfig") is not None:
        errors.append(forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"))
    return errors


def _valid_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _cluster_ip_errors(spec: Obj) -> list[FieldError]:
    errors: list[FieldError] = []
    for i, ip in enumerate(as_list(spec.get("clusterIPs"))):
        if ip != "None" and not _valid_ip(str(ip)):
            detail = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
            errors.append(invalid(index("spec.clusterIPs", i), ip, detail))
    ips = as_list(spec.get("clusterIPs"))
    if spec.get("clusterIP") and ips and spec["clusterIP"] != ips[0]:
        errors.append(invalid("spec.clusterIPs", ips, "element [0] must match clusterIP"))
    return errors


def _port_literal(port: Obj) -> GoLiteral:
    return GoLiteral(
        f'core.ServicePort{{Name:"", Protocol:{go_quote(str(port.get("protocol", "")))}, AppProtocol:(*string)(nil), '
        f'Port:{port.get("port")}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:""}}, NodePort:0}}'
    )


def _node_port_and_duplicates(spec: Obj) -> list[FieldError]:
    errors: list[FieldError] = []
    seen_node_ports: set[tuple[Any, Any]] = set()
    seen_ports: set[tuple[Any, Any]] = set()
    ports = [as_dict(p) for p in as_list(spec.get("ports"))]
    for i, port in enumerate(ports):
        at = index("spec.ports", i)
        if spec.get("type") == "ClusterIP" and port.get("nodePort"):
            errors.append(forbidden(child(at, "nodePort"), "may not be used when `type` is 'ClusterIP'"))
        if port.get("nodePort"):
            node_key = (port.get("protocol"), port["nodePort"])
            if node_key in seen_node_ports:
                errors.append(duplicate(child(at, "nodePort"), port["nodePort"]))
            seen_node_ports.add(node_key)
    for i, port in enumerate(ports):
        key = (port.get("protocol"), port.get("port"))
        if key in seen_ports:
            errors.append(duplicate(index("spec.ports", i), _port_literal(port)))
        seen_ports.add(key)
    return errors


def _traffic_policies(spec: Obj) -> list[FieldError]:
    errors: list[FieldError] = []
    external = spec.get("externalTrafficPolicy")
    if external:
        if spec.get("type") not in ("LoadBalancer", "NodePort") and not spec.get("externalIPs"):
            detail = "may only be set for externally-accessible services"
            errors.append(invalid("spec.externalTrafficPolicy", external, detail))
        else:
            errors += in_set(external, "spec.externalTrafficPolicy", ("Cluster", "Local"))
    internal = spec.get("internalTrafficPolicy")
    if internal:
        errors += in_set(internal, "spec.internalTrafficPolicy", ("Cluster", "Local"))
    return errors


def validate_service_spec(spec: Obj) -> list[FieldError]:
    errors: list[FieldError] = []
    ports = as_list(spec.get("ports"))
    if not ports and not is_headless(spec) and spec.get("type") != "ExternalName":
        errors.append(required("spec.ports"))
    errors += _type_specific(spec)
    names: set[str] = set()
    for i, port in enumerate(ports):
        errors += _port_errors(as_dict(port), index("spec.ports", i), len(ports) > 1, names)
    if spec.get("selector") is not None:
        errors += validate_labels(as_dict(spec.get("selector")), "spec.selector")
    errors += _session_affinity(spec)
    errors += _cluster_ip_errors(spec)
    errors += in_set(spec.get("type"), "spec.type", SERVICE_TYPES)
    errors += _node_port_and_duplicates(spec)
    return errors + _traffic_policies(spec)


def _cluster_ips_update(new: Obj, old: Obj) -> list[FieldError]:
    """``validateUpgradeDowngradeClusterIPs``: the primary cluster IP may never change."""
    if "ExternalName" in (new.get("type"), old.get("type")) or (is_headless(new) and is_headless(old)):
        return []
    new_ips, old_ips = as_list(new.get("clusterIPs")), as_list(old.get("clusterIPs"))
    if len(new_ips) == len(old_ips):
        return [
            invalid(index("spec.clusterIPs", i), new_ips, "may not change once set")
            for i, ip in enumerate(old_ips)
            if ip != new_ips[i]
        ]
    if len(old_ips) > len(new_ips) and not new_ips:
        return [invalid("spec.clusterIPs[0]", new_ips, "primary clusterIP can not be unset")]
    if old_ips and new_ips and new_ips[0] != old_ips[0]:
        return [invalid("spec.clusterIPs[0]", new_ips, "may not change once set")]
    return []


def normalize_cluster_ips(new: Obj, old: Obj | None) -> None:
    """What the Service registry does before validating (``patchAllocatedValues``, ``normalizeClusterIPs``).

    On update, cluster IPs the new object omits are carried over from the old
    one, and a changed singular ``clusterIP`` is carried into
    ``clusterIPs[0]`` — so editing only ``spec.clusterIP`` produces the
    ``clusterIPs[0] … may not change once set`` error Kubernetes reports.
    """
    spec = new.setdefault("spec", {})
    ips, ip = as_list(spec.get("clusterIPs")), spec.get("clusterIP")
    if old is None:
        if ip and not ips:
            spec["clusterIPs"] = [ip]
        return
    old_spec = as_dict(old.get("spec"))
    if "ExternalName" not in (spec.get("type"), old_spec.get("type")):
        if not ip and old_spec.get("clusterIP"):
            spec["clusterIP"] = ip = old_spec["clusterIP"]
        if not ips and old_spec.get("clusterIPs"):
            spec["clusterIPs"] = ips = list(old_spec["clusterIPs"])
    if ip and ips and ip != old_spec.get("clusterIP") and ips == as_list(old_spec.get("clusterIPs")):
        spec["clusterIPs"] = [ip, *ips[1:]]


def validate_service(new: Obj, old: Obj | None) -> list[FieldError]:
    spec = as_dict(new.get("spec"))
    if old is None:
        return validate_object_meta(as_dict(new.get("metadata")), "dns1035") + validate_service_spec(spec)
    normalize_cluster_ips(new, old)
    errors = validate_object_meta_update(as_dict(new.get("metadata")), as_dict(old.get("metadata")))
    errors += _cluster_ips_update(spec, as_dict(old.get("spec")))
    return errors + validate_service_spec(spec)
