"""API errors shaped like Kubernetes' ``metav1.Status`` and ``field.Error``.

Every failure a user can cause is one of these, so the terminal, the REST API
and the CLI render the same text kubectl would (K8S_FACTS §2, §7.6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cluster.core.goformat import go_value

# field.ErrorType -> (cause reason, message prefix)
_TYPES: dict[str, str] = {
    "FieldValueNotFound": "Not found",
    "FieldValueRequired": "Required value",
    "FieldValueDuplicate": "Duplicate value",
    "FieldValueInvalid": "Invalid value",
    "FieldValueNotSupported": "Unsupported value",
    "FieldValueForbidden": "Forbidden",
    "FieldValueTooLong": "Too long",
    "FieldValueTooMany": "Too many",
    "InternalError": "Internal error",
    "FieldValueTypeInvalid": "Invalid value",
}
_NO_VALUE_TYPES = {"FieldValueRequired", "FieldValueForbidden", "FieldValueTooLong", "InternalError"}

_OMIT = object()


@dataclass(frozen=True)
class FieldError:
    """One validation failure at a field path, rendered as apimachinery does."""

    type: str
    field: str
    value: Any = _OMIT
    detail: str = ""

    def body(self) -> str:
        """``<Type string>[: <value>][: <detail>]`` (field/errors.go ErrorBody)."""
        text = _TYPES[self.type]
        if self.type not in _NO_VALUE_TYPES and self.value is not _OMIT:
            text += ": " + go_value(self.value)
        if self.detail:
            text += ": " + self.detail
        return text

    def message(self) -> str:
        return f"{self.field}: {self.body()}" if self.field else self.body()

    def cause(self) -> dict[str, str]:
        return {"reason": self.type, "message": self.body(), "field": self.field}


def required(path: str, detail: str = "") -> FieldError:
    return FieldError("FieldValueRequired", path, detail=detail)


def invalid(path: str, value: Any, detail: str) -> FieldError:
    return FieldError("FieldValueInvalid", path, value, detail)


def not_supported(path: str, value: Any, supported: list[str]) -> FieldError:
    quoted = ", ".join(f'"{s}"' for s in supported)
    return FieldError("FieldValueNotSupported", path, value, f"supported values: {quoted}")


def forbidden(path: str, detail: str) -> FieldError:
    return FieldError("FieldValueForbidden", path, detail=detail)


def duplicate(path: str, value: Any) -> FieldError:
    return FieldError("FieldValueDuplicate", path, value)


def too_long(path: str, max_len: int) -> FieldError:
    return FieldError("FieldValueTooLong", path, detail=f"must have at most {max_len} bytes")


@dataclass
class ApiError(Exception):
    """A failed API request: becomes a ``Status`` object (HTTP code + reason)."""

    code: int
    reason: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message

    def status(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "details": self.details,
            "code": self.code,
        }
        return body

    def causes(self) -> list[dict[str, str]]:
        return list(self.details.get("causes", []))


def _details(name: str, group: str, kind: str) -> dict[str, Any]:
    details: dict[str, Any] = {"name": name, "kind": kind}
    if group:
        details["group"] = group
    return details


def resource_ref(resource: str, group: str) -> str:
    """``deployments.apps`` / ``pods``: how the apiserver names a resource in messages."""
    return f"{resource}.{group}" if group else resource


def not_found(resource: str, group: str, name: str) -> ApiError:
    msg = f'{resource_ref(resource, group)} "{name}" not found'
    return ApiError(404, "NotFound", msg, _details(name, group, resource))


def already_exists(resource: str, group: str, name: str) -> ApiError:
    msg = f'{resource_ref(resource, group)} "{name}" already exists'
    return ApiError(409, "AlreadyExists", msg, _details(name, group, resource))


def conflict(resource: str, group: str, name: str, why: str | None = None) -> ApiError:
    why = why or "the object has been modified; please apply your changes to the latest version and try again"
    msg = f'Operation cannot be fulfilled on {resource_ref(resource, group)} "{name}": {why}'
    return ApiError(409, "Conflict", msg, _details(name, group, resource))


def invalid_object(kind: str, group: str, name: str, errors: list[FieldError]) -> ApiError:
    """422 Invalid; kubectl prints ``The <Kind> "<name>" is invalid: …`` from the causes."""
    qualified = f"{kind}.{group}" if group else kind
    seen: list[str] = []
    for err in errors:
        if err.message() not in seen:
            seen.append(err.message())
    agg = seen[0] if len(seen) == 1 else "[" + ", ".join(seen) + "]"
    details = _details(name, group, kind)
    details["causes"] = [e.cause() for e in errors]
    return ApiError(422, "Invalid", f'{qualified} "{name}" is invalid: {agg}', details)


def forbidden_request(message: str) -> ApiError:
    return ApiError(403, "Forbidden", message)


def exceeded_quota(resource: str, name: str, what: str, used: int, limit: int) -> ApiError:
    """403 like the ResourceQuota admission plugin words it."""
    msg = (
        f'{resource} "{name}" is forbidden: exceeded quota: sandbox-quota, '
        f"requested: {what}=1, used: {what}={used}, limited: {what}={limit}"
    )
    return ApiError(403, "Forbidden", msg, {"name": name, "kind": resource})


def bad_request(message: str) -> ApiError:
    return ApiError(400, "BadRequest", message)


def gone(message: str) -> ApiError:
    return ApiError(410, "Expired", message)


def method_not_allowed(message: str = "the server does not allow this method on the requested resource") -> ApiError:
    return ApiError(405, "MethodNotAllowed", message)


def unsupported_media_type(content_type: str) -> ApiError:
    accepted = "application/json, application/yaml, application/vnd.kubernetes.protobuf"
    message = f"the body of the request was in an unknown format - accepted media types include: {accepted}"
    message += f'; got "{content_type}"'
    return ApiError(415, "UnsupportedMediaType", message)


def internal(message: str) -> ApiError:
    return ApiError(500, "InternalError", f"Internal error occurred: {message}")
