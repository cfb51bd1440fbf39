"""``/openapi/v3``: the index and one OpenAPI document per group/version (K8S_FACTS §7.2).

kubectl uses these for three things. ``apply``/``create -f`` look for a
``patch`` operation tagged with the kind's ``x-kubernetes-group-version-kind``
that takes a ``fieldValidation`` query parameter; finding it, kubectl leaves
schema validation to the server and sends ``fieldValidation=Strict``.
``explain`` renders the component schemas. And ``apply`` decides how to
compute its patch: the operations here carry no ``requestBody``, so kubectl
computes strategic merge patches from its compiled-in types, exactly as it
does for built-in kinds against a real cluster whose documents it cannot use.

The documents are the same for every sandbox and built once per process;
``serverRelativeURL`` is absolute from the server root (client-go replaces
the whole path with it), so it carries the sandbox's URL prefix.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import Any

from cluster.core.schema import KINDS, openapi_document
from sandbox.k8sapi.exchange import Reply, ok
from sandbox.k8sapi.routes import Served, ServedApi, served_api

Obj = dict[str, Any]
REF = "#/components/schemas/"


def _gv_path(group: str, version: str) -> str:
    return f"api/{version}" if not group else f"apis/{group}/{version}"


def _param(name: str, where: str = "query", description: str = "") -> Obj:
    schema: Obj = {"type": "string", "uniqueItems": True}
    entry: Obj = {"name": name, "in": where, "description": description, "schema": schema}
    if where == "path":
        entry["required"] = True
    return entry


WRITE_PARAMS = [
    _param("dryRun", description="When present, indicates that modifications should not be persisted."),
    _param(
        "fieldManager",
        description="fieldManager is a name associated with the actor or entity that is making these changes.",
    ),
    _param(
        "fieldValidation",
        description="fieldValidation instructs the server on how to handle objects in the "
        "request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: Ignore, Warn, Strict.",
    ),
]


def _operation(served: Served, action: str, verb: str, schema: str, params: list[Obj]) -> Obj:
    tag = f"{served.group.split('.')[0]}_{served.version}" if served.group else f"core_{served.version}"
    return {
        "tags": [tag],
        "description": f"{verb} {served.kind}",
        "operationId": f"{action}{served.kind}",
        "parameters": params,
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": REF + schema}}}}
        },
        "x-kubernetes-action": action,
        "x-kubernetes-group-version-kind": {"group": served.group, "version": served.version, "kind": served.kind},
    }


def _paths(served: Served) -> dict[str, Obj]:
    schema = KINDS[(served.api_version, served.kind)]
    base = f"/{_gv_path(served.group, served.version)}"
    scope = f"{base}/namespaces/{{namespace}}/{served.plural}" if served.info.namespaced else f"{base}/{served.plural}"
    path_params = [_param("name", "path")] + ([_param("namespace", "path")] if served.info.namespaced else [])
    patch_params = [
        *path_params,
        *WRITE_PARAMS,
        _param("force", description='Force is going to "force" Apply requests.'),
    ]
    item = {
        "get": _operation(served, "get", "read the specified", schema, path_params),
        "put": _operation(served, "put", "replace the specified", schema, [*path_params, *WRITE_PARAMS]),
        "patch": _operation(served, "patch", "partially update the specified", schema, patch_params),
        "delete": _operation(served, "delete", "delete a", schema, path_params),
    }
    collection = {
        "get": _operation(served, "list", "list or watch objects of kind", schema, []),
        "post": _operation(served, "post", "create a", schema, list(WRITE_PARAMS)),
    }
    return {scope: collection, f"{scope}/{{name}}": item}


def _kinds(api: ServedApi, group: str, version: str) -> list[tuple[str, str]]:
    kinds = [(s.api_version, s.kind) for s in api.resources(group, version) if (s.api_version, s.kind) in KINDS]
    if any("scale" in s.info.subresources for s in api.resources(group, version)):
        kinds.append(("autoscaling/v1", "Scale"))
    return kinds


@lru_cache(maxsize=32)
def document(group: str, version: str) -> bytes:
    """The OpenAPI v3 document of one group/version, serialized once."""
    api = served_api()
    doc = openapi_document(_kinds(api, group, version))
    for served in api.resources(group, version):
        if (served.api_version, served.kind) in KINDS:
            doc["paths"].update(_paths(served))
    return json.dumps(doc, separators=(",", ":")).encode("utf-8")


def _hash(data: bytes) -> str:
    return hashlib.sha512(data).hexdigest().upper()


def index(api: ServedApi, prefix: str) -> Reply:
    gvs = [("", "v1")] + [(g, v) for g, versions in api.groups() for v in versions]
    paths = {}
    for group, version in gvs:
        path = _gv_path(group, version)
        paths[path] = {"serverRelativeURL": f"{prefix}/openapi/v3/{path}?hash={_hash(document(group, version))}"}
    return ok({"paths": paths})


def gv_document(group: str, version: str) -> Reply:
    return ok(document(group, version))
