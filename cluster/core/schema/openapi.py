"""Render the definitions as OpenAPI v3 component schemas, shaped like the ones Kubernetes serves.

Property references are wrapped in ``allOf`` (as Kubernetes does, since
OpenAPI 3.0 ignores siblings of ``$ref``), ``Quantity`` and ``IntOrString``
carry no ``type`` but a ``oneOf``, and ``Time`` is a ``date-time`` string:
``kubectl explain`` derives its ``<Quantity>`` / ``<string>`` type hints from
exactly these details, and our own ``explain`` reads the same documents.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cluster.core.schema.model import DEFINITIONS, PRIMITIVES, Definition, Field, element_type, kind_definition

REF_PREFIX = "#/components/schemas/"
Schema = dict[str, Any]


def _ref(name: str) -> Schema:
    return {"$ref": REF_PREFIX + name}


def _type_schema(type_: str, *, nested: bool) -> Schema:
    """The schema of a value of ``type_`` (``nested``: an array item or map value, which has no description)."""
    shape, inner = element_type(type_)
    if shape == "list":
        return {"type": "array", "items": _type_schema(inner, nested=True)}
    if shape == "map":
        return {"type": "object", "additionalProperties": _type_schema(inner, nested=True)}
    if inner == "object":
        return {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    if inner in PRIMITIVES:
        return {"type": inner}
    if DEFINITIONS[inner].scalar and nested:
        return _ref(inner)
    wrapped: Schema = {"allOf": [_ref(inner)]}
    if not DEFINITIONS[inner].scalar:
        wrapped["default"] = {}
    return wrapped


def _property(field: Field) -> Schema:
    schema = _type_schema(field.type, nested=False)
    schema["description"] = field.description
    if field.enum:
        schema["enum"] = list(field.enum)
    return schema


_SCALARS: dict[str, Schema] = {
    "string": {"type": "string", "format": "date-time"},
    "quantity": {"oneOf": [{"type": "string"}, {"type": "number"}]},
    "int-or-string": {"oneOf": [{"type": "integer"}, {"type": "string"}], "format": "int-or-string"},
    "object": {"type": "object"},
}


def component(defn: Definition) -> Schema:
    """The OpenAPI component for one definition (a fresh dict each time)."""
    schema: Schema = {"description": defn.description}
    if defn.scalar:
        schema.update(_SCALARS[defn.scalar])
        return schema
    schema["type"] = "object"
    schema["properties"] = {fld.name: _property(fld) for fld in sorted(defn.fields, key=lambda x: x.name)}
    required = sorted(fld.name for fld in defn.fields if fld.required)
    if required:
        schema["required"] = required
    if defn.gvk:
        group, version, kind = defn.gvk
        schema["x-kubernetes-group-version-kind"] = [{"group": group, "kind": kind, "version": version}]
    return schema


def referenced(name: str) -> list[str]:
    """``name`` and every definition reachable from it, in discovery order."""
    seen: dict[str, None] = {}
    stack = [name]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen[current] = None
        for fld in DEFINITIONS[current].fields:
            inner = element_type(element_type(fld.type)[1])[1]
            if inner not in PRIMITIVES:
                stack.append(inner)
    return list(seen)


@lru_cache(maxsize=1)
def _all_components() -> dict[str, Schema]:
    return {name: component(DEFINITIONS[name]) for name in sorted(DEFINITIONS)}


def components() -> dict[str, Schema]:
    """Every component schema, keyed by definition name. Shared and cached: do not mutate."""
    return _all_components()


def openapi_schema(kind: str, api_version: str | None = None) -> Schema:
    """The component schema of a kind (``x-kubernetes-group-version-kind`` included)."""
    defn = kind_definition(kind, api_version)
    if defn is None:
        raise KeyError(kind)
    return component(defn)


def openapi_document(kinds: list[tuple[str, str]]) -> Schema:
    """An OpenAPI v3 document holding the schemas of ``(apiVersion, kind)`` pairs and all they reference.

    ``paths`` is left empty: the REST layer adds the operations (kubectl needs
    a ``patch`` operation with a ``fieldValidation`` parameter per kind).
    """
    names: dict[str, None] = {}
    for api_version, kind in kinds:
        defn = kind_definition(kind, api_version)
        if defn is not None:
            names.update(dict.fromkeys(referenced(defn.name)))
    schemas = {name: component(DEFINITIONS[name]) for name in sorted(names)}
    return {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.32.4"},
        "paths": {},
        "components": {"schemas": schemas},
    }
