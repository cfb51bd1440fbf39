"""Strict field validation: which keys of a request body the schema does not know.

With ``fieldValidation=Strict`` (what kubectl 1.32 sends for create/apply)
the API server's JSON decoder rejects the body with
``Deployment in version "v1" cannot be handled as a Deployment: strict
decoding error: unknown field "spec.replica"``; with ``Ignore`` it silently
drops those keys (``prune_unknown``). Paths are reported in document order,
depth first, with ``[i]`` for list items — as sigs.k8s.io/json reports them.

Simplification: duplicate keys cannot be detected (the body is already a
dict), and values of the wrong JSON type are left to validation.
"""

from __future__ import annotations

from typing import Any

from cluster.core.schema.decode import cannot_handle_message
from cluster.core.schema.model import DEFINITIONS, PRIMITIVES, Definition, element_type, kind_definition


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _walk(type_: str, value: Any, path: str, out: list[str], prune: bool) -> None:
    shape, inner = element_type(type_)
    if shape == "list":
        if isinstance(value, list):
            for i, item in enumerate(value):
                _walk(inner, item, f"{path}[{i}]", out, prune)
        return
    if shape == "map":
        if isinstance(value, dict):
            for key, item in value.items():
                _walk(inner, item, _join(path, str(key)), out, prune)
        return
    if inner in PRIMITIVES or not isinstance(value, dict):
        return
    defn = DEFINITIONS[inner]
    if not defn.scalar:
        _walk_object(defn, value, path, out, prune)


def _walk_object(defn: Definition, value: dict[str, Any], path: str, out: list[str], prune: bool) -> None:
    for key in list(value):
        fld = defn.field(key)
        if fld is None:
            out.append(_join(path, key))
            if prune:
                del value[key]
        else:
            _walk(fld.type, value[key], _join(path, key), out, prune)


def _kind_walk(kind: str, obj: dict[str, Any], prune: bool) -> list[str]:
    defn = kind_definition(kind, obj.get("apiVersion") if isinstance(obj.get("apiVersion"), str) else None)
    out: list[str] = []
    if defn is not None and isinstance(obj, dict):
        _walk_object(defn, obj, "", out, prune)
    return out


def unknown_fields(kind: str, obj: dict[str, Any]) -> list[str]:
    """Unknown field paths in document order, e.g. ``["spec.replica", "spec.template.spec.containers[0].imagee"]``."""
    return _kind_walk(kind, obj, prune=False)


def prune_unknown(kind: str, obj: dict[str, Any]) -> list[str]:
    """Drop unknown fields in place (``fieldValidation=Ignore``/``Warn``); returns what was dropped."""
    return _kind_walk(kind, obj, prune=True)


def strict_error_message(kind: str, api_version: str, paths: list[str]) -> str:
    """The 400 BadRequest message: ``Deployment in version "v1" cannot be handled as a Deployment: …``.

    ``api_version`` is the version part as the apiserver prints it (``v1`` for
    ``apps/v1``); a full ``group/version`` is accepted and reduced.
    """
    details = ", ".join(f'unknown field "{path}"' for path in paths)
    return cannot_handle_message(kind, api_version, f"strict decoding error: {details}")
