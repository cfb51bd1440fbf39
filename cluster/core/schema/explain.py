"""``kubectl explain`` output, rendered from our OpenAPI components the way kubectl 1.32 renders them.

kubectl 1.32 walks the server's OpenAPI v3 document with a text template
(``explain/v2/templates/plaintext.tmpl``): a GROUP/KIND/VERSION header, then
either the resource's DESCRIPTION and FIELDS, or ``FIELD: name <type>`` for a
field path. Descriptions are word-wrapped (at 76 columns, fields at 78 minus
their indent) and indented; fields are listed alphabetically, with
``-required-`` and ``enum:`` markers. This module follows that template step
by step over the same component schemas the REST API would serve, so the
text matches what a real kubectl prints against the same document —
including the blank lines and the line of four spaces after a description.
"""

from __future__ import annotations

from typing import Any

from cluster.core.schema.model import kind_definition
from cluster.core.schema.openapi import REF_PREFIX, components

Schema = dict[str, Any]


class ExplainError(ValueError):
    """``field "replica" does not exist``; kubectl prints it as ``error: field "replica" does not exist``."""


def _resolve(schema: Schema) -> Schema | None:
    ref = schema.get("$ref")
    if not isinstance(ref, str) or not ref.startswith(REF_PREFIX):
        return None
    return components().get(ref[len(REF_PREFIX) :])


def _map_value(schema: Schema) -> Schema | None:
    extra = schema.get("additionalProperties")
    return extra if isinstance(extra, dict) else None


# -- text helpers ---------------------------------------------------------------------------------------------
def wrap(text: str, limit: int) -> str:
    """Word wrap like go-wordwrap ``WrapString``: break at spaces, keep newlines, never split a long word."""
    out: list[str] = []
    word: list[str] = []
    space: list[str] = []
    current = 0
    for char in text:
        if char == "\n":
            if not word:
                if current + len(space) <= limit:
                    out.extend(space)
            else:
                out.extend(space)
                out.extend(word)
            space, word, current = [], [], 0
            out.append(char)
        elif char.isspace() and char != "\u00a0":
            if not space or word:
                current += len(space) + len(word)
                out.extend(space)
                out.extend(word)
                space, word = [], []
            space.append(char)
        else:
            word.append(char)
            if current + len(space) + len(word) > limit and len(word) < limit:
                out.append("\n")
                current = 0
                space = []
    if not word:
        if current + len(space) <= limit:
            out.extend(space)
    else:
        out.extend(space)
        out.extend(word)
    return "".join(out)


def indent(amount: int, text: str) -> str:
    pad = " " * amount
    return pad + text.replace("\n", "\n" + pad)


# -- template pieces ------------------------------------------------------------------------------------------
def type_guess(schema: Schema) -> str:
    """``<[]Container>``, ``<map[string]string>``, ``<Quantity>``, ``<Object>`` …"""
    if schema.get("items"):
        return "[]" + type_guess(schema["items"])
    value = _map_value(schema)
    if value:
        return "map[string]" + type_guess(value)
    all_of = schema.get("allOf") or []
    if all_of and not schema.get("properties") and len(all_of) == 1:
        return type_guess(all_of[0])
    if "$ref" in schema:
        target = _resolve(schema)
        if not target or not target.get("type") or target["type"] == "object":
            return schema["$ref"].rsplit("/", 1)[-1].rsplit(".", 1)[-1] or "Object"
        return str(target["type"])
    if schema.get("type") == "object":
        return "Object"
    return str(schema.get("type") or "Object")


def _enum_text(value: Any) -> str:
    return '""' if value == "" else str(value)


def extract_enum(schema: Schema, *, long_view: bool, limit: int = -1, indent_amount: int = 0) -> str:
    values = schema.get("enum") or []
    if not values:
        return ""
    text = "ENUM:" if long_view else "\n" + " " * indent_amount + "enum: "
    for index, value in enumerate(values):
        if limit > -1 and index >= limit:
            text += ", ...."
            break
        if index > 0 and not long_view:
            text += ", "
        elif long_view:
            text += "\n    "
        text += _enum_text(value)
    return text


def description(schema: Schema) -> str:
    """The description of a schema followed by those of everything it wraps (allOf, items, map values)."""
    resolved = _resolve(schema) or schema
    text = resolved["description"] + "\n" if resolved.get("description") else ""
    for sub in resolved.get("allOf") or []:
        text += description(sub)
    if resolved.get("items"):
        text += description(resolved["items"])
    value = _map_value(resolved)
    if value:
        text += description(value)
    return text


def field_detail(name: str, parent: Schema, *, short: bool, level: int) -> str:
    indent_amount = level * 2
    schema = parent["properties"][name]
    text = indent(indent_amount, name) + "\t<" + type_guess(schema) + ">"
    if name in (parent.get("required") or []):
        text += " -required-"
    text += extract_enum(schema, long_view=False, limit=4, indent_amount=indent_amount) + "\n"
    if not short:
        body = schema.get("description") or "<no description>"
        text += indent(indent_amount + 2, wrap(body, 78 - indent_amount)) + "\n" + "\n"
    return text


def field_list(schema: Schema, level: int, history: frozenset[str], recursive: bool) -> str:
    ref = schema.get("$ref") or ""
    if ref and ref in history:
        return ""
    history = history | {ref}
    resolved = _resolve(schema) or schema
    text = ""
    properties = resolved.get("properties") or {}
    for name in sorted(properties):
        text += field_detail(name, resolved, short=recursive, level=level)
        if recursive:
            text += field_list(properties[name], level + 1, history, recursive)
    for sub in resolved.get("allOf") or []:
        text += field_list(sub, level, history, recursive)
    if resolved.get("items"):
        text += field_list(resolved["items"], level, history, recursive)
    value = _map_value(resolved)
    if value:
        text += field_list(value, level, history, recursive)
    return text


def output(schema: Schema, path: list[str], history: frozenset[str], recursive: bool) -> str:
    """Follow ``path`` through the schema; at its end print FIELD/DESCRIPTION/FIELDS. ``""`` if not found."""
    ref = schema.get("$ref") or ""
    next_history = history | {ref}
    resolved = _resolve(schema) or schema
    if not path:
        text = "DESCRIPTION:\n" + indent(4, wrap(description(resolved) or "<empty>", 76)) + "\n"
        fields = field_list(resolved, 1, frozenset(), recursive)
        return text + ("FIELDS:\n" + fields if fields else "")
    if ref and ref in history:
        return ""
    properties = resolved.get("properties") or {}
    if path[0] in properties:
        sub = properties[path[0]]
        text = ""
        if len(path) == 1:
            text = f"FIELD: {path[0]} <{type_guess(sub)}>\n" + extract_enum(sub, long_view=True) + "\n" + "\n"
        return text + output(sub, path[1:], frozenset(), recursive)
    if resolved.get("items"):
        return output(resolved["items"], path, next_history, recursive)
    value = _map_value(resolved)
    if value:
        return output(value, path, next_history, recursive)
    for sub in resolved.get("allOf") or []:
        text = output(sub, path, next_history, recursive)
        if text:
            return text
    return ""


def _split(field_path: str | list[str] | tuple[str, ...]) -> list[str]:
    if isinstance(field_path, str):
        return [part for part in field_path.split(".") if part]
    return list(field_path)


def explain(
    kind: str,
    field_path: str | list[str] | tuple[str, ...] = "",
    *,
    recursive: bool = False,
    api_version: str | None = None,
) -> str:
    """``kubectl explain <kind>[.<field>…]`` text, e.g. ``explain("Deployment", "spec.replicas")``.

    ``field_path`` excludes the resource itself. The result ends with a
    newline, like kubectl's output. Raises ``KeyError`` for an unknown kind
    and ``ExplainError`` for a path that does not exist.
    """
    defn = kind_definition(kind, api_version)
    if defn is None or defn.gvk is None:
        raise KeyError(kind)
    group, version, kind_name = defn.gvk
    header = (f"GROUP:      {group}\n" if group else "") + f"KIND:       {kind_name}\nVERSION:    {version}\n\n"
    path = _split(field_path)
    body = output(components()[defn.name], path, frozenset(), recursive)
    if not body:
        raise ExplainError(f'field "{path[-1]}" does not exist')
    return header + body + "\n"
