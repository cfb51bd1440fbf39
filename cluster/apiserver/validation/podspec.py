"""PodSpec and PodTemplateSpec validation (``ValidatePodSpec``, ``ValidatePodTemplateSpec``).

Shared by Pods and by the templates of Deployments and ReplicaSets, so
``spec.template.spec.containers[0].image: Required value`` and
``spec.containers[0].image: Required value`` come from the same code.

Simplification: affinity, topology spread, DNS config and security
contexts are only checked structurally (strict decoding).
"""

from __future__ import annotations

from typing import Any

from cluster.apiserver.validation.common import (
    as_dict,
    as_list,
    child,
    dns1123_label,
    dns1123_subdomain,
    in_set,
    index,
    is_int,
    qualified_name,
    quantity_error,
)
from cluster.apiserver.validation.container import validate_containers, validate_init_containers
from cluster.core.errors import FieldError, duplicate, forbidden, invalid, not_supported, required
from cluster.core.goformat import GoLiteral, go_quote
from cluster.core.names import is_valid_label_value, validate_annotations, validate_labels

Obj = dict[str, Any]

RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None")
TAINT_EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")
MAX_INT32 = 2147483647
# VolumeSource's fields in Go struct order: the order in which Kubernetes reports extra sources.
VOLUME_SOURCES = (
    "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi",
    "glusterfs", "persistentVolumeClaim", "rbd", "quobyte", "flexVolume", "cinder", "cephfs", "flocker",
    "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume", "azureDisk", "photonPersistentDisk",
    "projected", "portworxVolume", "scaleIO", "storageos", "csi", "ephemeral", "image",
)  # fmt: skip
_REQUIRED_SOURCE_KEYS = {
    "configMap": "name",
    "secret": "secretName",
    "hostPath": "path",
    "persistentVolumeClaim": "claimName",
    "nfs": "server",
}


def _volume_source_errors(volume: Obj, path: str) -> list[FieldError]:
    sources = [k for k in VOLUME_SOURCES if volume.get(k) is not None]
    if not sources:
        return [required(path, "must specify a volume type")]
    if len(sources) > 1:
        return [forbidden(child(path, extra), "may not specify more than 1 volume type") for extra in sources[1:]]
    source, at = as_dict(volume[sources[0]]), child(path, sources[0])
    errors: list[FieldError] = []
    needed = _REQUIRED_SOURCE_KEYS.get(sources[0])
    if needed and not source.get(needed):
        errors.append(required(child(at, needed)))
    mode = source.get("defaultMode")
    if is_int(mode) and not 0 <= mode <= 0o777:
        errors.append(
            invalid(child(at, "defaultMode"), mode, "must be a number between 0 and 0777 (octal), both inclusive")
        )
    if sources[0] == "emptyDir" and source.get("sizeLimit") is not None:
        errors += quantity_error(source["sizeLimit"], child(at, "sizeLimit"))
    return errors


def validate_volumes(volumes: list[Any], path: str) -> tuple[set[str], list[FieldError]]:
    """``ValidateVolumes``: returns the volume names for the mount checks, and the errors."""
    names: set[str] = set()
    errors: list[FieldError] = []
    for i, volume in enumerate(volumes):
        volume, at = as_dict(volume), index(path, i)
        errors += _volume_source_errors(volume, at)
        name = str(volume.get("name") or "")
        errors += [required(child(at, "name"))] if not name else dns1123_label(name, child(at, "name"))
        if name in names:
            errors.append(duplicate(child(at, "name"), name))
        names.add(name)
    return names, errors


def _toleration_literal(t: Obj) -> GoLiteral:
    seconds = t.get("tolerationSeconds")
    seconds_text = f"(*int64)({seconds})" if seconds is not None else "(*int64)(nil)"
    return GoLiteral(
        f"core.Toleration{{Key:{go_quote(str(t.get('key', '')))}, Operator:{go_quote(str(t.get('operator', '')))}, "
        f"Value:{go_quote(str(t.get('value', '')))}, Effect:{go_quote(str(t.get('effect', '')))}, "
        f"TolerationSeconds:{seconds_text}}}"
    )


def _toleration_errors(t: Obj, at: str) -> list[FieldError]:
    errors: list[FieldError] = []
    key_, operator, value = str(t.get("key") or ""), str(t.get("operator") or ""), str(t.get("value") or "")
    if key_:
        errors += qualified_name(key_, child(at, "key"))
    if not key_ and operator != "Exists":
        detail = 'operator must be Exists when `key` is empty, which means "match all values and all keys"'
        errors.append(invalid(child(at, "operator"), operator, detail))
    if t.get("tolerationSeconds") is not None and t.get("effect") != "NoExecute":
        detail = "effect must be 'NoExecute' when `tolerationSeconds` is set"
        errors.append(invalid(child(at, "effect"), str(t.get("effect") or ""), detail))
    if operator in ("Equal", ""):
        msgs = is_valid_label_value(value)
        if msgs:
            errors.append(invalid(child(at, "operator"), value, ";".join(msgs)))
    elif operator == "Exists":
        if value:
            errors.append(
                invalid(
                    child(at, "operator"), _toleration_literal(t), "value must be empty when `operator` is 'Exists'"
                )
            )
    else:
        errors.append(not_supported(child(at, "operator"), operator, ["Equal", "Exists"]))
    if t.get("effect"):
        errors += in_set(t["effect"], child(at, "effect"), TAINT_EFFECTS)
    return errors


def validate_tolerations(tolerations: list[Any], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for i, toleration in enumerate(tolerations):
        errors += _toleration_errors(as_dict(toleration), index(path, i))
    return errors


def _scalar_field_errors(spec: Obj, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    for name in ("serviceAccountName", "nodeName"):
        if spec.get(name):
            errors += dns1123_subdomain(str(spec[name]), child(path, name))
    deadline = spec.get("activeDeadlineSeconds")
    if is_int(deadline) and not 1 <= deadline <= MAX_INT32:
        errors.append(
            invalid(child(path, "activeDeadlineSeconds"), deadline, f"must be between 1 and {MAX_INT32}, inclusive")
        )
    for name in ("hostname", "subdomain"):
        if spec.get(name):
            errors += dns1123_label(str(spec[name]), child(path, name))
    return errors


def validate_pod_spec(spec: Obj, path: str) -> list[FieldError]:
    """``ValidatePodSpec``, in its order: volumes, containers, init containers, policies, scheduling fields."""
    volumes, errors = validate_volumes(as_list(spec.get("volumes")), child(path, "volumes"))
    names: set[str] = set()
    errors += validate_containers(as_list(spec.get("containers")), volumes, child(path, "containers"), names)
    errors += validate_init_containers(
        as_list(spec.get("initContainers")), volumes, child(path, "initContainers"), names
    )
    errors += in_set(spec.get("restartPolicy"), child(path, "restartPolicy"), RESTART_POLICIES)
    errors += in_set(spec.get("dnsPolicy"), child(path, "dnsPolicy"), DNS_POLICIES)
    errors += validate_labels(as_dict(spec.get("nodeSelector")), child(path, "nodeSelector"))
    errors += _scalar_field_errors(spec, path)
    errors += validate_tolerations(as_list(spec.get("tolerations")), child(path, "tolerations"))
    return errors


def validate_pod_template(template: Any, path: str) -> list[FieldError]:
    """``ValidatePodTemplateSpec``: template labels/annotations (at ``<path>.labels``) and the pod spec."""
    if not isinstance(template, dict):
        return [required(path)]
    meta = as_dict(template.get("metadata"))
    errors = validate_labels(as_dict(meta.get("labels")), child(path, "labels"))
    errors += validate_annotations(as_dict(meta.get("annotations")), child(path, "annotations"))
    spec = as_dict(template.get("spec"))
    errors += validate_pod_spec(spec, child(path, "spec"))
    if spec.get("ephemeralContainers"):
        errors.append(
            forbidden(child(path, "spec.ephemeralContainers"), "ephemeral containers not allowed in pod template")
        )
    return errors
