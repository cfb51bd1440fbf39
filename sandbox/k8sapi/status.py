"""``metav1.Status`` bodies for the failures the REST layer itself decides (K8S_FACTS §7.1, §7.6).

Errors from the API server core already are ``ApiError``s; these cover the
edge: authentication (401), authorization (403, in the RBAC authorizer's
wording), unknown paths (404), methods (405) and media types (415).
"""

from __future__ import annotations

from typing import Any

from cluster.core import errors

PATH_NOT_FOUND = "the server could not find the requested resource"


def unauthorized() -> errors.ApiError:
    """No or an unknown bearer token; kubectl prints ``error: You must be logged in to the server (Unauthorized)``."""
    return errors.ApiError(401, "Unauthorized", "Unauthorized")


def forbidden(
    user: str,
    verb: str,
    *,
    resource: str = "",
    group: str = "",
    namespace: str = "",
    name: str = "",
    subresource: str = "",
    path: str = "",
) -> errors.ApiError:
    """What the RBAC authorizer answers a token that has no rights here (another sandbox's token)."""
    if not resource:
        return errors.ApiError(403, "Forbidden", f'forbidden: User "{user}" cannot {verb} path "{path}"')
    shown = f"{resource}/{subresource}" if subresource else resource
    scope = f'in the namespace "{namespace}"' if namespace else "at the cluster scope"
    why = f'User "{user}" cannot {verb} resource "{shown}" in API group "{group}" {scope}'
    qualified = errors.resource_ref(resource, group)
    subject = f'{qualified} "{name}"' if name else qualified
    details: dict[str, Any] = {"name": name, "kind": resource} if name else {"kind": resource}
    if group:
        details["group"] = group
    return errors.ApiError(403, "Forbidden", f"{subject} is forbidden: {why}", details)


def path_not_found() -> errors.ApiError:
    return errors.ApiError(404, "NotFound", PATH_NOT_FOUND)


def method_not_allowed() -> errors.ApiError:
    return errors.method_not_allowed()


def success(name: str, group: str, resource: str, uid: str = "", code: int | None = None) -> dict[str, Any]:
    """The Status a DELETE answers once the object is gone (the registry's ``finalizeDelete``)."""
    details: dict[str, Any] = {"name": name, "kind": resource}
    if group:
        details["group"] = group
    if uid:
        details["uid"] = uid
    body: dict[str, Any] = {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": details,
    }
    if code is not None:
        body["code"] = code
    return body
