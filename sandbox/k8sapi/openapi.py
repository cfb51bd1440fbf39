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
from sandbox.k8sapi.discovery import VERSION_INFO
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


# -- OpenAPI v2 ---------------------------------------------------------------------------------------------------
# kubectl 1.32 validates a manifest against the server's OpenAPI v2 document when the server cannot validate that
# kind itself (a kind it does not serve, ``kind: Pood``). The sandbox's schemas are published as v3 only, so v2
# is an empty document: it holds no schema for any kind, kubectl skips its client-side check, and the request
# ends in the real error, ``no matches for kind "Pood" in version "v1"``.
V2_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
V2_INFO = {"title": "Kubernetes", "version": str(VERSION_INFO["gitVersion"])}


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _message_field(number: int, payload: bytes) -> bytes:
    """One length-delimited protobuf field (wire type 2)."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def v2_protobuf() -> bytes:
    """gnostic's ``openapi_v2.Document``: swagger (1), info (2: title 1, version 2), paths (8), nothing else."""
    info = _message_field(1, V2_INFO["title"].encode()) + _message_field(2, V2_INFO["version"].encode())
    return _message_field(1, b"2.0") + _message_field(2, info) + _message_field(8, b"")


def v2_document(accept: str) -> Reply:
    if "protobuf" in accept:
        return Reply(200, v2_protobuf(), V2_PROTOBUF)
    return ok({"swagger": "2.0", "info": V2_INFO, "paths": {}, "definitions": {}})
