"""Validation of Namespace, Node, ConfigMap, Endpoints, Event and Secret (core/v1).

Simplification: only the rules a learner can plausibly trip over are
checked; addresses in Endpoints are checked for IP syntax only.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from cluster.apiserver.validation.common import (
    NEGATIVE_MSG,
    as_dict,
    as_list,
    canonical,
    child,
    in_set,
    index,
    key,
    port_number_errors,
    qualified_name,
    quantity_error,
    validate_object_meta,
    validate_object_meta_update,
)
from cluster.core.errors import FieldError, duplicate, forbidden, invalid, required, too_long
from cluster.core.goformat import GoLiteral, go_quote
from cluster.core.names import DNS1123_SUBDOMAIN_MAX, is_dns1123_subdomain, is_valid_label_value, regex_error
from cluster.core.quantity import parse_quantity

Obj = dict[str, Any]

MAX_CONFIG_SIZE = 1024 * 1024  # core.MaxSecretSize: the limit for ConfigMaps and Secrets alike
_CONFIG_KEY = re.compile(r"[-._a-zA-Z0-9]+")
_CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
PROTOCOLS = ("SCTP", "TCP", "UDP")


def config_key_errors(value: str) -> list[str]:
    """``validation.IsConfigMapKey``: also used for Secret keys."""
    errs = []
    if len(value) > DNS1123_SUBDOMAIN_MAX:
        errs.append(f"must be no more than {DNS1123_SUBDOMAIN_MAX} characters")
    if not _CONFIG_KEY.fullmatch(value):
        errs.append(regex_error(_CONFIG_KEY_MSG, _CONFIG_KEY.pattern, "key.name", "KEY_NAME", "key-name"))
    if value in (".", ".."):
        errs.append(f"must not be '{value}'")
    elif value.startswith(".."):
        errs.append("must not start with '..'")
    return errs


def _data_errors(obj: Obj) -> list[FieldError]:
    data, binary = as_dict(obj.get("data")), as_dict(obj.get("binaryData"))
    errors: list[FieldError] = []
    size = 0
    for name in sorted(data):
        errors += [invalid(key("data", name), name, msg) for msg in config_key_errors(name)]
        if name in binary:
            errors.append(invalid(key("data", name), name, "duplicate of key present in binaryData"))
        size += len(str(data[name]).encode())
    for name in sorted(binary):
        errors += [invalid(key("binaryData", name), name, msg) for msg in config_key_errors(name)]
        size += len(str(binary[name])) * 3 // 4
    if size > MAX_CONFIG_SIZE:
        errors.append(too_long("", MAX_CONFIG_SIZE))
    return errors


def validate_config_map(new: Obj, old: Obj | None) -> list[FieldError]:
    meta = as_dict(new.get("metadata"))
    if old is None:
        return validate_object_meta(meta, "subdomain") + _data_errors(new)
    errors = validate_object_meta_update(meta, as_dict(old.get("metadata")))
    if old.get("immutable"):
        if new.get("immutable") is not True:
            errors.append(forbidden("immutable", "field is immutable when `immutable` is set"))
        if (new.get("data"), new.get("binaryData")) != (old.get("data"), old.get("binaryData")):
            errors.append(forbidden("data", "field is immutable when `immutable` is set"))
    return errors + _data_errors(new)


def validate_secret(new: Obj, old: Obj | None) -> list[FieldError]:
    meta = as_dict(new.get("metadata"))
    errors = (
        validate_object_meta(meta, "subdomain")
        if old is None
        else validate_object_meta_update(meta, as_dict(old.get("metadata")))
    )
    data = as_dict(new.get("data"))
    for name in sorted(data):
        errors += [invalid(key("data", name), name, msg) for msg in config_key_errors(name)]
    if old is not None and old.get("type", "Opaque") != new.get("type", "Opaque"):
        errors.append(invalid("type", new.get("type", ""), "field is immutable"))
    return errors


# -- Namespace ----------------------------------------------------------------------------------------------
def validate_namespace(new: Obj, old: Obj | None) -> list[FieldError]:
    meta = as_dict(new.get("metadata"))
    if old is not None:
        return validate_object_meta_update(meta, as_dict(old.get("metadata")))
    errors = validate_object_meta(meta, "label")
    for finalizer in as_list(as_dict(new.get("spec")).get("finalizers")):
        text = str(finalizer)
        errors += qualified_name(text, "spec.finalizers")
        if "/" not in text and text != "kubernetes":
            errors.append(
                invalid("spec.finalizers", text, "name is neither a standard finalizer name nor is it fully qualified")
            )
    return errors


# -- Node ---------------------------------------------------------------------------------------------------
def _taint_literal(taint: Obj) -> GoLiteral:
    return GoLiteral(
        f"core.Taint{{Key:{go_quote(str(taint.get('key', '')))}, Value:{go_quote(str(taint.get('value', '')))}, "
        f"Effect:{go_quote(str(taint.get('effect', '')))}, TimeAdded:<nil>}}"
    )


def validate_taints(taints: list[Any], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for i, taint in enumerate(taints):
        taint, at = as_dict(taint), index(path, i)
        errors += qualified_name(str(taint.get("key") or ""), child(at, "key"))
        msgs = is_valid_label_value(str(taint.get("value") or ""))
        if msgs:
            errors.append(invalid(child(at, "value"), str(taint.get("value") or ""), ";".join(msgs)))
        errors += in_set(taint.get("effect"), child(at, "effect"), TAINT_EFFECTS)
        pair = (str(taint.get("key") or ""), str(taint.get("effect") or ""))
        if pair in seen:
            dup = duplicate(at, _taint_literal(taint))
            errors.append(FieldError(dup.type, dup.field, dup.value, "taints must be unique by key and effect pair"))
        seen.add(pair)
    return errors


def _resource_map(values: Obj, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for name in sorted(values):
        at = key(path, name)
        parse_errors = quantity_error(values[name], at)
        errors += parse_errors
        if not parse_errors and parse_quantity(values[name]) < 0:
            errors.append(invalid(at, canonical(values[name]), NEGATIVE_MSG))
    return errors


def _node_update(new: Obj, old: Obj) -> list[FieldError]:
    errors: list[FieldError] = []
    new_cidrs, old_cidrs = (
        as_list(as_dict(new.get("spec")).get("podCIDRs")),
        as_list(as_dict(old.get("spec")).get("podCIDRs")),
    )
    if old_cidrs:
        if len(old_cidrs) != len(new_cidrs):
            errors.append(forbidden("spec.podCIDRs", "may not change once set"))
        else:
            errors += [
                forbidden(index("spec.podCIDRs", i), "may not change once set")
                for i, c in enumerate(old_cidrs)
                if c != new_cidrs[i]
            ]
    old_provider = as_dict(old.get("spec")).get("providerID")
    if old_provider and old_provider != as_dict(new.get("spec")).get("providerID"):
        errors.append(forbidden("spec.providerID", "update does not support updating provider id"))
    return errors


def validate_node(new: Obj, old: Obj | None) -> list[FieldError]:
    meta, spec, status = as_dict(new.get("metadata")), as_dict(new.get("spec")), as_dict(new.get("status"))
    errors = (
        validate_object_meta(meta, "subdomain")
        if old is None
        else validate_object_meta_update(meta, as_dict(old.get("metadata")))
    )
    errors += validate_taints(as_list(spec.get("taints")), "spec.taints")
    errors += _resource_map(as_dict(status.get("capacity")), "status.capacity")
    errors += _resource_map(as_dict(status.get("allocatable")), "status.allocatable")
    for i, cidr in enumerate(as_list(spec.get("podCIDRs"))):
        try:
            ipaddress.ip_network(str(cidr), strict=False)
        except ValueError:
            errors.append(
                invalid(
                    index("spec.podCIDRs", i), cidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
                )
            )
    return errors + (_node_update(new, old) if old is not None else [])


# -- Endpoints and Events -----------------------------------------------------------------------------------
def _address_errors(addresses: list[Any], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for i, address in enumerate(addresses):
        ip = str(as_dict(address).get("ip") or "")
        try:
            ipaddress.ip_address(ip)
        except ValueError:
            errors.append(invalid(child(index(path, i), "ip"), ip, "must be a valid IP address"))
    return errors


def validate_endpoints(new: Obj, old: Obj | None) -> list[FieldError]:
    meta = as_dict(new.get("metadata"))
    errors = (
        validate_object_meta(meta, "subdomain")
        if old is None
        else validate_object_meta_update(meta, as_dict(old.get("metadata")))
    )
    for i, subset in enumerate(as_list(new.get("subsets"))):
        subset, at = as_dict(subset), index("subsets", i)
        errors += _address_errors(as_list(subset.get("addresses")), child(at, "addresses"))
        errors += _address_errors(as_list(subset.get("notReadyAddresses")), child(at, "notReadyAddresses"))
        for j, port in enumerate(as_list(subset.get("ports"))):
            port, port_at = as_dict(port), index(child(at, "ports"), j)
            errors += [
                invalid(child(port_at, "port"), port.get("port"), m) for m in port_number_errors(port.get("port"))
            ]
            errors += in_set(port.get("protocol"), child(port_at, "protocol"), PROTOCOLS)
    return errors


def validate_event(new: Obj, old: Obj | None) -> list[FieldError]:
    """``legacyValidateEvent``: the involved object must live in the event's namespace."""
    meta = as_dict(new.get("metadata"))
    errors = (
        validate_object_meta(meta, "subdomain")
        if old is None
        else validate_object_meta_update(meta, as_dict(old.get("metadata")))
    )
    namespace = str(meta.get("namespace") or "")
    involved = str(as_dict(new.get("involvedObject")).get("namespace") or "")
    mismatch = (not involved and namespace not in ("", "default")) or (involved and involved != namespace)
    if not new.get("eventTime") and mismatch:
        errors.append(invalid("involvedObject.namespace", involved, "does not match event.namespace"))
    if namespace:
        errors += [invalid("namespace", namespace, msg) for msg in is_dns1123_subdomain(namespace)]
    return errors


def validate_lease(new: Obj, old: Obj | None) -> list[FieldError]:
    meta, spec = as_dict(new.get("metadata")), as_dict(new.get("spec"))
    errors = (
        validate_object_meta(meta, "subdomain")
        if old is None
        else validate_object_meta_update(meta, as_dict(old.get("metadata")))
    )
    duration = spec.get("leaseDurationSeconds")
    if isinstance(duration, int) and duration <= 0:
        errors.append(invalid("spec.leaseDurationSeconds", duration, "must be greater than 0"))
    transitions = spec.get("leaseTransitions")
    if isinstance(transitions, int) and transitions < 0:
        errors.append(invalid("spec.leaseTransitions", transitions, NEGATIVE_MSG))
    return errors


def validate_endpoint_slice(new: Obj, old: Obj | None) -> list[FieldError]:
    meta = as_dict(new.get("metadata"))
    errors = (
        validate_object_meta(meta, "subdomain")
        if old is None
        else validate_object_meta_update(meta, as_dict(old.get("metadata")))
    )
    errors += in_set(new.get("addressType"), "addressType", ("IPv4", "IPv6", "FQDN"))
    if old is not None and new.get("addressType") != old.get("addressType"):
        errors.append(invalid("addressType", new.get("addressType"), "field is immutable"))
    for i, endpoint in enumerate(as_list(new.get("endpoints"))):
        addresses = as_list(as_dict(endpoint).get("addresses"))
        if not addresses:
            errors.append(required(child(index("endpoints", i), "addresses"), "must contain at least 1 address"))
    return errors
