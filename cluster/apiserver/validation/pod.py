"""Pod validation on create and update (``ValidatePodCreate`` / ``ValidatePodUpdate``).

A pod's spec is almost immutable: only container images, a shorter
``activeDeadlineSeconds``, added tolerations (or changed
``tolerationSeconds``) and a negative grace period turned into 1 may change.
Anything else is refused with the famous ``spec: Forbidden: pod updates may
not change fields other than …`` message, followed by a diff.

Simplification: Kubernetes appends a ``go-cmp`` diff of the whole internal
``core.PodSpec``; we print a compact diff of the top-level fields that
changed, in the same ``-``/``+`` style.
"""

from __future__ import annotations

import json
from typing import Any

from cluster.apiserver.validation.common import (
    NIL,
    as_dict,
    as_list,
    child,
    index,
    is_int,
    validate_object_meta,
    validate_object_meta_update,
)
from cluster.apiserver.validation.container import image_whitespace
from cluster.apiserver.validation.podspec import validate_pod_spec, validate_tolerations
from cluster.core.errors import FieldError, forbidden, invalid, required
from cluster.core.goformat import go_value

Obj = dict[str, Any]

UPDATABLE_POD_SPEC_FIELDS = (
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
)
POD_UPDATE_FORBIDDEN = "pod updates may not change fields other than " + ",".join(UPDATABLE_POD_SPEC_FIELDS)
_GO_FIELD_NAMES = {
    "dnsPolicy": "DNSPolicy",
    "dnsConfig": "DNSConfig",
    "hostIPC": "HostIPC",
    "hostPID": "HostPID",
    "os": "OS",
    "setHostnameAsFQDN": "SetHostnameAsFQDN",
    "serviceAccount": "DeprecatedServiceAccount",
}


def validate_pod(pod: Obj) -> list[FieldError]:
    spec = as_dict(pod.get("spec"))
    errors = validate_object_meta(as_dict(pod.get("metadata")), "subdomain")
    errors += validate_pod_spec(spec, "spec")
    errors += image_whitespace(as_list(spec.get("containers")), "spec.containers")
    errors += image_whitespace(as_list(spec.get("initContainers")), "spec.initContainers")
    if spec.get("ephemeralContainers"):
        errors.append(forbidden("spec.ephemeralContainers", "cannot be set on create"))
    return errors


# -- update ---------------------------------------------------------------------------------------------------
def _container_updates(new: list[Any], old: list[Any], path: str) -> tuple[list[FieldError], bool]:
    """``ValidateContainerUpdates``: same number of containers, each with a non-blank image."""
    if len(new) != len(old):
        return [forbidden(path, "pod updates may not add or remove containers")], True
    errors: list[FieldError] = []
    for i, container in enumerate(new):
        image = as_dict(container).get("image")
        if not image:
            errors.append(required(child(index(path, i), "image")))
        elif isinstance(image, str) and image != image.strip():
            errors.append(
                invalid(child(index(path, i), "image"), image, "must not have leading or trailing whitespace")
            )
    return errors, False


def _deadline_update(new: Any, old: Any) -> list[FieldError]:
    path = "spec.activeDeadlineSeconds"
    if new is not None:
        if not is_int(new) or not 0 <= new <= 2147483647:
            return [invalid(path, new, "must be between 0 and 2147483647, inclusive")]
        if is_int(old) and old < new:
            return [invalid(path, new, "must be less than or equal to previous value")]
        return []
    if old is not None:
        return [invalid(path, NIL, "must not update from a positive integer to nil value")]
    return []


def _only_added_tolerations(new: list[Any], old: list[Any]) -> list[FieldError]:
    """Every old toleration must still be there (``tolerationSeconds`` may change)."""

    def same(a: Any, b: Any) -> bool:
        strip = ("tolerationSeconds",)
        return {k: v for k, v in as_dict(a).items() if k not in strip} == {
            k: v for k, v in as_dict(b).items() if k not in strip
        }

    for toleration in old:
        if not any(same(toleration, candidate) for candidate in new):
            return [
                forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds")
            ]
    return validate_tolerations(new, "spec.tolerations")


def _munge(new_spec: Obj, old_spec: Obj) -> Obj:
    """The new spec with every field an update may change reset to its old value."""
    munged: Obj = json.loads(json.dumps(new_spec))
    for key in ("containers", "initContainers"):
        for container, previous in zip(as_list(munged.get(key)), as_list(old_spec.get(key)), strict=False):
            if isinstance(container, dict):
                _copy_key(container, as_dict(previous), "image")
    for key in ("activeDeadlineSeconds", "tolerations", "schedulingGates"):
        _copy_key(munged, old_spec, key)
    old_grace = old_spec.get("terminationGracePeriodSeconds")
    if is_int(old_grace) and old_grace < 0 and munged.get("terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    return munged


def _copy_key(into: Obj, source: Obj, key: str) -> None:
    if key in source:
        into[key] = source[key]
    else:
        into.pop(key, None)


def go_field_name(name: str) -> str:
    return _GO_FIELD_NAMES.get(name, name[:1].upper() + name[1:])


def _go_short(value: Any) -> str:
    if value is None:
        return "nil"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(", ", ": "), sort_keys=True)
    return go_value(value)


def spec_diff(old: Obj, new: Obj) -> str:
    """A compact, go-cmp-like diff of the top-level PodSpec fields that differ."""
    lines = ["  core.PodSpec{"]
    identical = 0
    for name in sorted(set(old) | set(new)):
        if old.get(name) == new.get(name):
            identical += 1
            continue
        if identical:
            lines.append(f"  \t... // {identical} identical fields")
            identical = 0
        field = go_field_name(name)
        if name in old:
            lines.append(f"- \t{field}: {_go_short(old[name])},")
        if name in new:
            lines.append(f"+ \t{field}: {_go_short(new[name])},")
    if identical:
        lines.append(f"  \t... // {identical} identical fields")
    lines.append("  }")
    return "\n".join(lines) + "\n"


def validate_pod_update(new: Obj, old: Obj) -> list[FieldError]:
    """``ValidatePodUpdate``: the new pod must be valid and differ only in updatable fields."""
    errors = validate_object_meta_update(as_dict(new.get("metadata")), as_dict(old.get("metadata")))
    new_spec, old_spec = as_dict(new.get("spec")), as_dict(old.get("spec"))
    errors += validate_pod_spec(new_spec, "spec")
    for key in ("containers", "initContainers"):
        found, stop = _container_updates(as_list(new_spec.get(key)), as_list(old_spec.get(key)), f"spec.{key}")
        errors += found
        if stop:
            return errors
    errors += _deadline_update(new_spec.get("activeDeadlineSeconds"), old_spec.get("activeDeadlineSeconds"))
    errors += _only_added_tolerations(as_list(new_spec.get("tolerations")), as_list(old_spec.get("tolerations")))
    if new_spec == old_spec:
        return errors
    munged = _munge(new_spec, old_spec)
    if munged != old_spec:
        errors.append(forbidden("spec", POD_UPDATE_FORBIDDEN + "\n" + spec_diff(old_spec, munged)))
    return errors
