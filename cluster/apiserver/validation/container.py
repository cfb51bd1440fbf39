"""Container validation: names, images, ports, env, resources, probes, volume mounts.

Follows ``validateContainerCommon`` and friends in Kubernetes 1.32's
``pkg/apis/core/validation``, in the same order, so several errors come out
in the order a real API server lists them.

Simplification: security contexts, lifecycle hooks and volume devices are
only checked by the strict decoder, not semantically.
"""

from __future__ import annotations

import re
from typing import Any

from cluster.apiserver.validation.common import (
    NEGATIVE_MSG,
    as_dict,
    as_list,
    canonical,
    child,
    dns1123_label,
    field_not_found,
    in_set,
    index,
    is_int,
    key,
    nonnegative,
    port_name_errors,
    port_num_or_name,
    port_number_errors,
    qualified_name,
    quantity_error,
)
from cluster.core.errors import FieldError, duplicate, forbidden, invalid, required
from cluster.core.goformat import GoLiteral
from cluster.core.names import regex_error
from cluster.core.quantity import parse_quantity

Obj = dict[str, Any]

PROTOCOLS = ("SCTP", "TCP", "UDP")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
MESSAGE_POLICIES = ("File", "FallbackToLogsOnError")
STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
_ENV_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
_ENV_NAME_MSG = (
    "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', "
    "and must not start with a digit"
)


def validate_ports(ports: list[Any], path: str) -> list[FieldError]:
    """``validateContainerPorts``."""
    errors: list[FieldError] = []
    names: set[str] = set()
    for i, port in enumerate(ports):
        port, at = as_dict(port), index(path, i)
        name = str(port.get("name") or "")
        if name:
            msgs = port_name_errors(name)
            errors += [invalid(child(at, "name"), name, msg) for msg in msgs]
            if not msgs and name in names:
                errors.append(duplicate(child(at, "name"), name))
            names.add(name)
        if not port.get("containerPort"):
            errors.append(required(child(at, "containerPort")))
        else:
            errors += [
                invalid(child(at, "containerPort"), port["containerPort"], m)
                for m in port_number_errors(port["containerPort"])
            ]
        if port.get("hostPort"):
            errors += [
                invalid(child(at, "hostPort"), port["hostPort"], m) for m in port_number_errors(port["hostPort"])
            ]
        errors += in_set(port.get("protocol"), child(at, "protocol"), PROTOCOLS)
    return errors


def _env_source_errors(source: Obj, path: str) -> list[FieldError]:
    chosen = [k for k in ("fieldRef", "resourceFieldRef", "configMapKeyRef", "secretKeyRef") if source.get(k)]
    if not chosen:
        return [
            invalid(
                path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"
            )
        ]
    if len(chosen) > 1:
        return [invalid(path, "", "may not have more than one field specified at a time")]
    ref = as_dict(source[chosen[0]])
    if chosen[0] in ("configMapKeyRef", "secretKeyRef") and not ref.get("key"):
        return [required(child(child(path, chosen[0]), "key"))]
    if chosen[0] == "fieldRef" and not ref.get("fieldPath"):
        return [required(child(child(path, "fieldRef"), "fieldPath"))]
    return []


def validate_env(env: list[Any], path: str) -> list[FieldError]:
    """``ValidateEnv``: names required and well-formed; value and valueFrom are exclusive."""
    errors: list[FieldError] = []
    for i, var in enumerate(env):
        var, at = as_dict(var), index(path, i)
        name = str(var.get("name") or "")
        if not name:
            errors.append(required(child(at, "name")))
        elif not _ENV_NAME.fullmatch(name):
            msg = regex_error(_ENV_NAME_MSG, _ENV_NAME.pattern, "my.env-name", "MY_ENV.NAME", "MyEnvName1")
            errors.append(invalid(child(at, "name"), name, msg))
        source = var.get("valueFrom")
        if source is not None:
            if var.get("value"):
                errors.append(invalid(child(at, "valueFrom"), "", "may not be specified when `value` is not empty"))
            errors += _env_source_errors(as_dict(source), child(at, "valueFrom"))
    return errors


def validate_volume_mounts(mounts: list[Any], volumes: set[str], path: str) -> list[FieldError]:
    """``ValidateVolumeMounts``: every mount names a pod volume and has a unique mount path."""
    errors: list[FieldError] = []
    seen: set[str] = set()
    for i, mount in enumerate(mounts):
        mount, at = as_dict(mount), index(path, i)
        name, mount_path = str(mount.get("name") or ""), str(mount.get("mountPath") or "")
        if not name:
            errors.append(required(child(at, "name")))
        elif name not in volumes:
            errors.append(field_not_found(child(at, "name"), name))
        if not mount_path:
            errors.append(required(child(at, "mountPath")))
        elif mount_path in seen:
            errors.append(invalid(child(at, "mountPath"), mount_path, "must be unique"))
        seen.add(mount_path)
        if str(mount.get("subPath") or "").startswith("/"):
            errors.append(invalid(child(at, "subPath"), mount["subPath"], "must be a relative path"))
    return errors


def _resource_name_errors(name: str, path: str) -> list[FieldError]:
    """``ValidateContainerResourceName``: standard names, hugepages, or domain-qualified extended resources."""
    errors = qualified_name(name, path)
    if "/" not in name and name not in STANDARD_CONTAINER_RESOURCES and not name.startswith("hugepages-"):
        errors.append(invalid(path, GoLiteral(name), "must be a standard resource for containers"))
    return errors


def _resource_list(values: Obj, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for name in sorted(values):
        at = key(path, name)
        errors += _resource_name_errors(name, at)
        parse_errors = quantity_error(values[name], at)
        if parse_errors:
            errors += parse_errors
        elif parse_quantity(values[name]) < 0:
            errors.append(invalid(at, canonical(values[name]), NEGATIVE_MSG))
    return errors


def _valid(value: Any) -> bool:
    return not quantity_error(value, "")


def validate_resources(resources: Obj, path: str) -> list[FieldError]:
    """Quantities parse, are non-negative, and each request is at most its limit."""
    limits, requests = as_dict(resources.get("limits")), as_dict(resources.get("requests"))
    errors = _resource_list(limits, child(path, "limits")) + _resource_list(requests, child(path, "requests"))
    for name in sorted(requests):
        if name not in limits or not (_valid(requests[name]) and _valid(limits[name])):
            continue
        request, limit = parse_quantity(requests[name]), parse_quantity(limits[name])
        at = key(child(path, "requests"), name)
        if name.startswith("hugepages-") or ("/" in name and not name.startswith("kubernetes.io/")):
            if request != limit:
                detail = f"must be equal to {name} limit of {canonical(limits[name])}"
                errors.append(invalid(at, canonical(requests[name]), detail))
        elif request > limit:
            detail = f"must be less than or equal to {name} limit of {canonical(limits[name])}"
            errors.append(invalid(at, canonical(requests[name]), detail))
    return errors


def _handler_errors(handler: Obj, path: str) -> list[FieldError]:
    kinds = [k for k in ("exec", "httpGet", "tcpSocket", "grpc") if handler.get(k) is not None]
    if not kinds:
        return [required(path, "must specify a handler type")]
    if len(kinds) > 1:
        return [forbidden(child(path, kinds[1]), "may not specify more than 1 handler type")]
    action, at = as_dict(handler[kinds[0]]), child(path, kinds[0])
    if kinds[0] == "exec" and not action.get("command"):
        return [required(child(at, "command"))]
    if kinds[0] in ("httpGet", "tcpSocket"):
        errors = port_num_or_name(action.get("port"), child(at, "port"))
        if kinds[0] == "httpGet" and action.get("scheme") not in (None, "", "HTTP", "HTTPS"):
            errors += in_set(action["scheme"], child(at, "scheme"), ("HTTP", "HTTPS"))
        return errors
    if kinds[0] == "grpc":
        return [invalid(child(at, "port"), action.get("port"), m) for m in port_number_errors(action.get("port"))]
    return []


def validate_probe(probe: Any, path: str, *, liveness_like: bool) -> list[FieldError]:
    """``validateProbe``: one handler, non-negative timings; liveness/startup need successThreshold 1."""
    if not isinstance(probe, dict):
        return []
    errors = _handler_errors(probe, path)
    for name in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"):
        errors += nonnegative(probe.get(name), child(path, name))
    if liveness_like and is_int(probe.get("successThreshold")) and probe["successThreshold"] != 1:
        errors.append(invalid(child(path, "successThreshold"), probe["successThreshold"], "must be 1"))
    return errors


def validate_container_common(container: Obj, volumes: set[str], path: str) -> list[FieldError]:
    """``validateContainerCommon``: what every container kind (init, regular, ephemeral) must satisfy."""
    name = str(container.get("name") or "")
    errors = [required(child(path, "name"))] if not name else dns1123_label(name, child(path, "name"))
    if not container.get("image"):
        errors.append(required(child(path, "image")))
    errors += in_set(
        container.get("terminationMessagePolicy"), child(path, "terminationMessagePolicy"), MESSAGE_POLICIES
    )
    errors += validate_ports(as_list(container.get("ports")), child(path, "ports"))
    errors += validate_env(as_list(container.get("env")), child(path, "env"))
    errors += validate_volume_mounts(as_list(container.get("volumeMounts")), volumes, child(path, "volumeMounts"))
    errors += in_set(container.get("imagePullPolicy"), child(path, "imagePullPolicy"), PULL_POLICIES)
    errors += validate_resources(as_dict(container.get("resources")), child(path, "resources"))
    return errors


def validate_containers(containers: list[Any], volumes: set[str], path: str, names: set[str]) -> list[FieldError]:
    """``validateContainers``: at least one; unique names (shared with init containers via ``names``)."""
    if not containers:
        return [required(path)]
    errors: list[FieldError] = []
    for i, container in enumerate(containers):
        container, at = as_dict(container), index(path, i)
        errors += validate_container_common(container, volumes, at)
        name = str(container.get("name") or "")
        if name in names:
            errors.append(duplicate(child(at, "name"), name))
        names.add(name)
        errors += validate_probe(container.get("livenessProbe"), child(at, "livenessProbe"), liveness_like=True)
        errors += validate_probe(container.get("readinessProbe"), child(at, "readinessProbe"), liveness_like=False)
        errors += validate_probe(container.get("startupProbe"), child(at, "startupProbe"), liveness_like=True)
        if container.get("restartPolicy") is not None:
            errors.append(forbidden(child(at, "restartPolicy"), "may not be set for non-init containers"))
    return errors


def validate_init_containers(containers: list[Any], volumes: set[str], path: str, names: set[str]) -> list[FieldError]:
    errors: list[FieldError] = []
    for i, container in enumerate(containers):
        container, at = as_dict(container), index(path, i)
        errors += validate_container_common(container, volumes, at)
        name = str(container.get("name") or "")
        if name in names:
            errors.append(duplicate(child(at, "name"), name))
        names.add(name)
        policy = container.get("restartPolicy")
        if policy is not None and policy != "Always":
            errors += in_set(policy, child(at, "restartPolicy"), ("Always",))
        if policy != "Always":
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                if container.get(probe) is not None:
                    errors.append(
                        forbidden(child(at, probe), "may not be set for init containers without restartPolicy=Always")
                    )
    return errors


def image_whitespace(containers: list[Any], path: str) -> list[FieldError]:
    """Pod-only: an image may not carry leading or trailing whitespace."""
    errors: list[FieldError] = []
    for i, container in enumerate(containers):
        image = as_dict(container).get("image")
        if isinstance(image, str) and image != image.strip():
            errors.append(
                invalid(child(index(path, i), "image"), image, "must not have leading or trailing whitespace")
            )
    return errors
