"""Validation helpers shared by every kind: numbers, ports, quantities, object metadata.

Messages and field paths follow ``k8s.io/apimachinery`` and
``pkg/apis/core/validation`` of Kubernetes 1.32 word for word; values are
rendered the way Go prints them (``cluster.core.goformat``).
"""

from __future__ import annotations

import re
from typing import Any, TypeGuard

from cluster.core.errors import FieldError, duplicate, forbidden, invalid, not_supported, required
from cluster.core.goformat import GoLiteral, go_value
from cluster.core.names import (
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
    validate_annotations,
    validate_generate_name,
    validate_labels,
)
from cluster.core.quantity import QuantityError, canonical_quantity, parse_quantity

Obj = dict[str, Any]

NEGATIVE_MSG = "must be greater than or equal to 0"
IMMUTABLE_MSG = "field is immutable"
PORT_RANGE_MSG = "must be between 1 and 65535, inclusive"
_PORT_NAME_CHARSET = re.compile(r"[-a-z0-9]+")
_PORT_NAME_LETTER = re.compile(r"[a-z]")
_PERCENT = re.compile(r"[0-9]+%")
_PERCENT_MSG = "a valid percent string must be a numeric string followed by an ending '%'"


def child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def index(path: str, i: int) -> str:
    return f"{path}[{i}]"


def key(path: str, name: str) -> str:
    return f"{path}[{name}]"


def as_dict(value: Any) -> Obj:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


# -- numbers and names ---------------------------------------------------------------------------------------
def nonnegative(value: Any, path: str) -> list[FieldError]:
    """``ValidateNonnegativeField``."""
    return [invalid(path, value, NEGATIVE_MSG)] if is_int(value) and value < 0 else []


def dns1123_label(value: str, path: str) -> list[FieldError]:
    return [invalid(path, value, msg) for msg in is_dns1123_label(value)]


def dns1123_subdomain(value: str, path: str) -> list[FieldError]:
    return [invalid(path, value, msg) for msg in is_dns1123_subdomain(value)]


def qualified_name(value: str, path: str) -> list[FieldError]:
    return [invalid(path, value, msg) for msg in is_qualified_name(value)]


def port_number_errors(port: Any) -> list[str]:
    """``validation.IsValidPortNum``."""
    return [] if is_int(port) and 1 <= port <= 65535 else [PORT_RANGE_MSG]


def port_name_errors(name: str) -> list[str]:
    """``validation.IsValidPortName`` (an IANA_SVC_NAME)."""
    errs = []
    if len(name) > 15:
        errs.append("must be no more than 15 characters")
    if not _PORT_NAME_CHARSET.fullmatch(name):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not _PORT_NAME_LETTER.search(name):
        errs.append("must contain at least one letter (a-z)")
    if "--" in name:
        errs.append("must not contain consecutive hyphens")
    if name and (name[0] == "-" or name[-1] == "-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def port_num_or_name(port: Any, path: str) -> list[FieldError]:
    """``ValidatePortNumOrName``: an IntOrString that is a port number or a port name."""
    if isinstance(port, str):
        return [invalid(path, port, msg) for msg in port_name_errors(port)]
    return [invalid(path, port, msg) for msg in port_number_errors(port)]


def percent_errors(text: str) -> list[str]:
    """``validation.IsValidPercent``."""
    if _PERCENT.fullmatch(text):
        return []
    return [f"{_PERCENT_MSG} (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"]


def int_or_percent_value(value: Any) -> int:
    """``getIntOrPercentValue``: the number of a percentage, the int itself, 0 for anything else."""
    if isinstance(value, str):
        if _PERCENT.fullmatch(value):
            return int(value[:-1])
        return int(value) if re.fullmatch(r"[+-]?[0-9]+", value) else 0
    return value if is_int(value) else 0


def in_set(value: Any, path: str, supported: tuple[str, ...], *, allow_empty: bool = False) -> list[FieldError]:
    """``Required`` when empty, ``Unsupported value`` when not one of ``supported`` (listed as given)."""
    if value in (None, ""):
        return [] if allow_empty else [required(path)]
    return [] if value in supported else [not_supported(path, value, list(supported))]


def immutable(new: Any, old: Any, path: str, shown: Any = None) -> list[FieldError]:
    """``ValidateImmutableField``: ``Invalid value: <new>: field is immutable``."""
    if new == old:
        return []
    return [invalid(path, new if shown is None else shown, IMMUTABLE_MSG)]


def field_not_found(path: str, value: Any) -> FieldError:
    """``field.NotFound``: ``Not found: "data"``."""
    return FieldError("FieldValueNotFound", path, value)


# field.ErrorBody turns a nil pointer into the *string* "null", so it is printed quoted: ``Invalid value: "null"``.
NIL = "null"


# -- quantities ----------------------------------------------------------------------------------------------
def quantity_error(value: Any, path: str) -> list[FieldError]:
    """A quantity that does not parse (the decoder's message, reported as a field error here)."""
    try:
        parse_quantity(value)
    except QuantityError as exc:
        return [invalid(path, value if isinstance(value, (str, int, float)) else str(value), str(exc))]
    return []


def canonical(value: Any) -> str:
    return canonical_quantity(value)


def nonnegative_quantity(value: Any, path: str) -> list[FieldError]:
    return [invalid(path, canonical(value), NEGATIVE_MSG)] if parse_quantity(value) < 0 else []


# -- object metadata -----------------------------------------------------------------------------------------
def _owner_reference_errors(refs: list[Any], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    controllers: list[str] = []
    for ref in refs:
        ref = as_dict(ref)
        api_version = str(ref.get("apiVersion", ""))
        if not api_version.rsplit("/", 1)[-1]:
            errors.append(invalid(child(path, "apiVersion"), api_version, "version must not be empty"))
        for name, label in (("kind", "kind"), ("name", "name"), ("uid", "uid")):
            if not ref.get(name):
                errors.append(invalid(child(path, name), str(ref.get(name, "")), f"{label} must not be empty"))
        if ref.get("controller"):
            controllers.append(f"{ref.get('kind', '')}/{ref.get('name', '')}")
    if len(controllers) > 1:
        listed = ", ".join(controllers)
        errors.append(
            invalid(
                path,
                GoLiteral("[]v1.OwnerReference{…}"),
                f'Only one reference can have Controller set to true. Found "true" in references for {listed}',
            )
        )
    return errors


def _finalizer_errors(finalizers: list[Any], path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[str] = set()
    for value in finalizers:
        text = str(value)
        errors.extend(qualified_name(text, path))
        if text in seen:
            errors.append(duplicate(path, text))
        seen.add(text)
    if "orphan" in seen and "foregroundDeletion" in seen:
        errors.append(invalid(path, finalizers, "finalizer orphan and foregroundDeletion cannot be both set"))
    return errors


def validate_object_meta(meta: Obj, name_rule: str, path: str = "metadata") -> list[FieldError]:
    """``ValidateObjectMeta`` minus the name and namespace, which the API server checks itself."""
    if not (
        meta.get("generateName")
        or meta.get("labels")
        or meta.get("annotations")
        or meta.get("ownerReferences")
        or meta.get("finalizers")
    ):
        # Bare metadata (every Event): each check below finds nothing in an empty field.
        return nonnegative(meta.get("generation"), child(path, "generation"))
    errors = validate_generate_name(name_rule, meta.get("generateName"), child(path, "generateName"))
    errors += nonnegative(meta.get("generation"), child(path, "generation"))
    errors += validate_labels(as_dict(meta.get("labels")), child(path, "labels"))
    errors += validate_annotations(as_dict(meta.get("annotations")), child(path, "annotations"))
    errors += _owner_reference_errors(as_list(meta.get("ownerReferences")), child(path, "ownerReferences"))
    errors += _finalizer_errors(as_list(meta.get("finalizers")), child(path, "finalizers"))
    return errors


def validate_object_meta_update(new: Obj, old: Obj, path: str = "metadata") -> list[FieldError]:
    """``ValidateObjectMetaUpdate``: identity fields are immutable; no finalizers join a deleting object."""
    errors: list[FieldError] = []
    if old.get("deletionTimestamp"):
        added = [f for f in as_list(new.get("finalizers")) if f not in as_list(old.get("finalizers"))]
        if added:
            detail = (
                f"no new finalizers can be added if the object is being deleted, found new finalizers {go_value(added)}"
            )
            errors.append(forbidden(child(path, "finalizers"), detail))
    if is_int(new.get("generation")) and is_int(old.get("generation")) and new["generation"] < old["generation"]:
        errors.append(invalid(child(path, "generation"), new["generation"], "must not be decremented"))
    for name in ("name", "namespace", "uid"):
        errors += immutable(new.get(name, ""), old.get(name, ""), child(path, name))
    errors += validate_labels(as_dict(new.get("labels")), child(path, "labels"))
    errors += validate_annotations(as_dict(new.get("annotations")), child(path, "annotations"))
    errors += _owner_reference_errors(as_list(new.get("ownerReferences")), child(path, "ownerReferences"))
    return errors
