"""``-o json``, ``-o yaml``, ``-o name`` and the ``List`` kubectl wraps several objects in.

kubectl's JSON printer is Go's ``json.MarshalIndent(obj, "", "    ")`` over the
unstructured object, so keys come out sorted and ``<``, ``>``, ``&`` are escaped
as ``\\u003c`` etc.; the encoder is written out here rather than borrowed from
``json.dumps`` to get those details and Go's float spelling right.
"""

from __future__ import annotations

from typing import Any, Protocol

from cluster.kubectl.printers.gofmt import go_json_float
from cluster.kubectl.printers.yamlout import yaml_dump

Obj = dict[str, Any]

_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_HTML_UNSAFE = {"<", ">", "&", "\u2028", "\u2029"}


class KindNamed(Protocol):
    @property
    def kubectl_prefix(self) -> str: ...


def list_wrapper(objects: list[Obj]) -> Obj:
    """The ``v1 List`` kubectl prints for zero or several objects."""
    return {"apiVersion": "v1", "items": list(objects), "kind": "List", "metadata": {"resourceVersion": ""}}


def _payload(obj_or_list: Obj | list[Obj]) -> Obj:
    return list_wrapper(obj_or_list) if isinstance(obj_or_list, list) else obj_or_list


def to_yaml(obj_or_list: Obj | list[Obj]) -> str:
    """``-o yaml``; a Python list of objects is printed as a ``List``."""
    return yaml_dump(_payload(obj_or_list))


def go_json_string(text: str) -> str:
    parts = ['"']
    for ch in text:
        if ch in _JSON_ESCAPES:
            parts.append(_JSON_ESCAPES[ch])
        elif ord(ch) < 0x20 or ch in _HTML_UNSAFE:
            parts.append(f"\\u{ord(ch):04x}")
        else:
            parts.append(ch)
    parts.append('"')
    return "".join(parts)


def _json(value: Any, indent: str, step: str, sort_keys: bool) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_json_float(value)
    if isinstance(value, str):
        return go_json_string(value)
    inner = indent + step
    if isinstance(value, dict):
        if not value:
            return "{}"
        keys = sorted(value) if sort_keys else list(value)
        items = [f"{inner}{go_json_string(str(k))}: {_json(value[k], inner, step, sort_keys)}" for k in keys]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [inner + _json(item, inner, step, sort_keys) for item in value]
        return "[\n" + ",\n".join(items) + "\n" + indent + "]"
    return go_json_string(str(value))


def json_dumps(value: Any, *, indent: int = 4, sort_keys: bool = True) -> str:
    """Go ``json.MarshalIndent`` (no trailing newline); ``indent=0`` gives compact ``json.Marshal``."""
    if indent:
        return _json(value, "", " " * indent, sort_keys)
    return _compact(value, sort_keys)


def _compact(value: Any, sort_keys: bool) -> str:
    if isinstance(value, dict):
        keys = sorted(value) if sort_keys else list(value)
        return "{" + ",".join(f"{go_json_string(str(k))}:{_compact(value[k], sort_keys)}" for k in keys) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_compact(item, sort_keys) for item in value) + "]"
    return _json(value, "", "", sort_keys)


def to_json(obj_or_list: Obj | list[Obj], *, sort_keys: bool = True) -> str:
    """``-o json``: 4-space indent, trailing newline; a list of objects becomes a ``List``.

    Objects read from the server print with sorted keys (kubectl handles them as unstructured maps);
    pass ``sort_keys=False`` for a client-built object (``--dry-run=client``), which Go prints in
    struct field order - the dict's insertion order here.
    """
    return json_dumps(_payload(obj_or_list), sort_keys=sort_keys) + "\n"


def name_line(kind_info: KindNamed, obj: Obj) -> str:
    """``-o name``: ``pod/nginx``, ``deployment.apps/web``."""
    return f"{kind_info.kubectl_prefix}/{(obj.get('metadata') or {}).get('name', '')}"
