"""Ingress validation (``pkg/apis/networking/validation``, networking.k8s.io/v1).

Simplification: TLS entries and resource backends are only checked
structurally.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from cluster.apiserver.validation.common import (
    as_dict,
    as_list,
    child,
    index,
    port_name_errors,
    port_number_errors,
    validate_object_meta,
    validate_object_meta_update,
)
from cluster.core.errors import FieldError, invalid, not_supported, required
from cluster.core.goformat import GoLiteral
from cluster.core.names import DNS1123_SUBDOMAIN_FMT, is_dns1035_label, is_dns1123_subdomain, regex_error

Obj = dict[str, Any]

PATH_TYPES = ["Exact", "ImplementationSpecific", "Prefix"]
_INVALID_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
_INVALID_SUFFIXES = ("/..", "/.")
_WILDCARD_MSG = (
    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, "
    "which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character"
)


def _port_errors(port: Obj, path: str) -> list[FieldError]:
    name, number = str(port.get("name") or ""), port.get("number") or 0
    if name and number:
        return [invalid(path, "", "cannot set both port name & port number")]
    if name:
        return [invalid(child(path, "service.port.name"), name, msg) for msg in port_name_errors(name)]
    if number:
        return [invalid(child(path, "service.port.number"), number, msg) for msg in port_number_errors(number)]
    return [required(path, "port name or number is required")]


def validate_backend(backend: Obj, path: str) -> list[FieldError]:
    """``validateIngressBackend``: exactly one of a Service (with a port) or a resource."""
    has_resource, service = backend.get("resource") is not None, backend.get("service")
    if has_resource and service is not None:
        return [invalid(path, "", "cannot set both resource and service backends")]
    if has_resource:
        resource = as_dict(backend["resource"])
        return [required(child(path, f"resource.{k}")) for k in ("kind", "name") if not resource.get(k)]
    if service is None:
        return [invalid(path, "", "resource or service backend is required")]
    service = as_dict(service)
    name = str(service.get("name") or "")
    errors = (
        [required(child(path, "service.name"))]
        if not name
        else [invalid(child(path, "service.name"), name, msg) for msg in is_dns1035_label(name)]
    )
    return errors + _port_errors(as_dict(service.get("port")), path)


def _path_errors(item: Obj, path: str) -> list[FieldError]:
    """``validateHTTPIngressPath``: pathType is required in v1; Exact/Prefix paths are absolute and clean."""
    path_type = item.get("pathType")
    if path_type is None:
        return [required(child(path, "pathType"), "pathType must be specified")]
    text = str(item.get("path") or "")
    errors: list[FieldError] = []
    if path_type in ("Exact", "Prefix"):
        if not text.startswith("/"):
            errors.append(invalid(child(path, "path"), text, "must be an absolute path"))
        errors += [
            invalid(child(path, "path"), text, f"must not contain '{s}'") for s in _INVALID_SEQUENCES if s in text
        ]
        errors += [
            invalid(child(path, "path"), text, f"cannot end with '{s}'") for s in _INVALID_SUFFIXES if text.endswith(s)
        ]
    elif path_type == "ImplementationSpecific":
        if text and not text.startswith("/"):
            errors.append(invalid(child(path, "path"), text, "must be an absolute path"))
    else:
        errors.append(not_supported(child(path, "pathType"), path_type, PATH_TYPES))
    return errors + validate_backend(as_dict(item.get("backend")), child(path, "backend"))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def wildcard_subdomain_errors(host: str) -> list[str]:
    """``validation.IsWildcardDNS1123Subdomain``."""
    fmt = "\\*\\." + DNS1123_SUBDOMAIN_FMT
    errs = ["must be no more than 253 characters"] if len(host) > 253 else []
    if not re.fullmatch(fmt, host):
        errs.append(regex_error(_WILDCARD_MSG, fmt, "*.example.com"))
    return errs


def _host_errors(host: str, path: str) -> list[FieldError]:
    errors = [invalid(path, host, "must be a DNS name, not an IP address")] if _is_ip(host) else []
    check = wildcard_subdomain_errors if "*" in host else is_dns1123_subdomain
    return errors + [invalid(path, host, msg) for msg in check(host)]


def _rule_errors(rule: Obj, path: str) -> list[FieldError]:
    errors = _host_errors(str(rule["host"]), child(path, "host")) if rule.get("host") else []
    http = rule.get("http")
    if http is None:
        return errors
    paths = as_list(as_dict(http).get("paths"))
    if not paths:
        errors.append(required(child(path, "http.paths")))
    for i, item in enumerate(paths):
        errors += _path_errors(as_dict(item), index(child(path, "http.paths"), i))
    return errors


def validate_ingress_spec(spec: Obj) -> list[FieldError]:
    rules = as_list(spec.get("rules"))
    errors: list[FieldError] = []
    if not rules and spec.get("defaultBackend") is None:
        shown = rules if spec.get("rules") is not None else GoLiteral("[]networking.IngressRule(nil)")
        errors.append(invalid("spec", shown, "either `defaultBackend` or `rules` must be specified"))
    if spec.get("defaultBackend") is not None:
        errors += validate_backend(as_dict(spec["defaultBackend"]), "spec.defaultBackend")
    for i, rule in enumerate(rules):
        errors += _rule_errors(as_dict(rule), index("spec.rules", i))
    class_name = spec.get("ingressClassName")
    if class_name is not None:
        errors += [invalid("spec.ingressClassName", class_name, msg) for msg in is_dns1123_subdomain(str(class_name))]
    return errors


def validate_ingress(new: Obj, old: Obj | None) -> list[FieldError]:
    meta = as_dict(new.get("metadata"))
    errors = (
        validate_object_meta(meta, "subdomain")
        if old is None
        else validate_object_meta_update(meta, as_dict(old.get("metadata")))
    )
    return errors + validate_ingress_spec(as_dict(new.get("spec")))
