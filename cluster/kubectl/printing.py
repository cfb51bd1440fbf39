"""Printing objects the way kubectl's printer flags do: ``-o yaml|json|name|jsonpath=…`` or the confirmation line."""

from __future__ import annotations

from typing import Any

from cluster.core.kinds import KindInfo
from cluster.kubectl.base import CommandError, Env, Output
from cluster.kubectl.flags import Parsed

OBJECT_FORMATS = (
    "json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file"
)
ALLOWED = "json,jsonpath,jsonpath-as-json,jsonpath-file,name,yaml"


def name_of(info: KindInfo, obj: dict[str, Any]) -> str:
    return f"{info.kubectl_prefix}/{(obj.get('metadata') or {}).get('name', '')}"


def _template(fmt: str) -> str:
    _, _, template = fmt.partition("=")
    if len(template) >= 2 and template[0] == template[-1] and template[0] in "'\"":
        template = template[1:-1]
    return template


def jsonpath_text(fmt: str, payload: Any) -> str:
    from cluster.kubectl.printers.jsonpath import PrinterError, jsonpath

    template = _template(fmt)
    if not template:
        raise CommandError("template format specified but no template given")
    try:
        return str(jsonpath(template, payload)).removesuffix("\n")
    except PrinterError as exc:
        raise CommandError(str(exc).rstrip("\n")) from None


def render_objects(fmt: str, objects: list[dict[str, Any]], *, as_list: bool = False, typed: bool = False) -> str:
    """``-o yaml|json|jsonpath=…`` of one object, or of a ``List`` when several (or ``as_list``).

    ``typed``: an object kubectl built itself (``--dry-run=client``), which its JSON printer writes in Go struct
    field order (the dict's insertion order) rather than in the sorted order of objects read from the server.
    """
    from cluster.kubectl.printers.output import list_wrapper, to_json, to_yaml

    payload: Any = objects[0] if len(objects) == 1 and not as_list else list_wrapper(objects)
    if fmt == "yaml":
        return to_yaml(payload).rstrip("\n")
    if fmt == "json":
        if typed:
            from cluster.kubectl.printers.goorder import go_order

            return to_json(go_order(payload), sort_keys=False).rstrip("\n")
        return to_json(payload).rstrip("\n")
    if fmt.startswith("jsonpath=") or fmt.startswith("jsonpath-as-json="):
        return jsonpath_text(fmt, payload)
    if fmt in ("jsonpath", "jsonpath-as-json"):
        raise CommandError("template format specified but no template given")
    raise CommandError(
        f'unable to match a printer suitable for the output format "{fmt}", allowed formats are: {ALLOWED}'
    )


def check_format(parsed: Parsed) -> str:
    fmt = str(parsed.get("output") or "")
    if fmt in ("", "name", "yaml", "json") or fmt.startswith(("jsonpath=", "jsonpath-as-json=")):
        return fmt
    raise CommandError(
        f'unable to match a printer suitable for the output format "{fmt}", allowed formats are: {ALLOWED}'
    )


def print_object_or_line(
    env: Env, info: KindInfo, obj: dict[str, Any], parsed: Parsed, out: Output, verb_text: str, typed: bool = False
) -> None:
    fmt = check_format(parsed)
    if not fmt:
        out.out(f"{name_of(info, obj)} {verb_text}")
    elif fmt == "name":
        out.out(name_of(info, obj))
    else:
        out.out(render_objects(fmt, [obj], typed=typed))
