"""How ``kubectl get`` prints what it fetched: tables, ``-o name|yaml|json|jsonpath|custom-columns``, ``--sort-by``."""

from __future__ import annotations

from typing import Any

from cluster.core.kinds import KindInfo
from cluster.kubectl.base import CommandError, Env, Output
from cluster.kubectl.flags import Parsed
from cluster.kubectl.printing import name_of, render_objects

GET_FORMATS = (
    "json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, "
    "jsonpath-file, custom-columns, custom-columns-file, wide"
)
ALLOWED = (
    "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,"
    "name,template,templatefile,wide,yaml"
)
Group = tuple[KindInfo, list[dict[str, Any]]]


def check_get_format(parsed: Parsed) -> str:
    fmt = str(parsed.get("output") or "")
    if fmt in ("", "wide", "name", "yaml", "json"):
        return fmt
    head, eq, _ = fmt.partition("=")
    if head in ("jsonpath", "jsonpath-as-json", "custom-columns") and eq:
        return fmt
    if head in ("jsonpath", "jsonpath-as-json", "custom-columns", "go-template", "template") and not eq:
        raise CommandError(
            f"{'custom-columns' if head == 'custom-columns' else 'template'} format specified but no "
            f"{'custom columns' if head == 'custom-columns' else 'template'} given"
        )
    if head in ("go-template", "template", "go-template-file", "templatefile", "jsonpath-file", "custom-columns-file"):
        raise CommandError(
            f"the {head} output format is not available in this sandbox; use -o jsonpath=… or "
            "-o custom-columns=… instead"
        )
    raise CommandError(
        f'unable to match a printer suitable for the output format "{fmt}", allowed formats are: {ALLOWED}'
    )


def _relaxed(expression: str) -> str:
    from cluster.kubectl.printers.custom_columns import relaxed_jsonpath

    return relaxed_jsonpath(expression)


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, (int, float)):
        return (1, value)
    return (2, str(value))


def sort_items(items: list[dict[str, Any]], sort_by: str) -> list[dict[str, Any]]:
    """``--sort-by``: order by one JSONPath field; numbers numerically, everything else as text."""
    from cluster.kubectl import printers

    try:
        template = printers.JSONPathTemplate(_relaxed(sort_by))
    except (printers.PrinterError, printers.JSONPathError) as exc:
        raise CommandError(str(exc)) from None
    values: list[Any] = []
    for obj in items:
        try:
            groups = template.find_results(obj)
        except printers.JSONPathError:
            groups = []
        found = [v for group in groups for v in group]
        values.append(found[0] if found else None)
    if items and all(v is None for v in values):
        raise CommandError(f'couldn\'t find any field with path "{_relaxed(sort_by)}" in the list of objects')
    order = sorted(range(len(items)), key=lambda i: _sort_key(values[i]))
    return [items[i] for i in order]


def print_groups(env: Env, parsed: Parsed, fmt: str, groups: list[Group], single: bool, out: Output) -> None:
    objects = [o for _, items in groups for o in items]
    if not objects:
        return
    if fmt in ("yaml", "json") or fmt.startswith(("jsonpath=", "jsonpath-as-json=")):
        out.out(render_objects(fmt, objects, as_list=not single))
        return
    if fmt == "name":
        for info, items in groups:
            out.out_lines(name_of(info, obj) for obj in items)
        return
    if fmt.startswith("custom-columns="):
        out.out(custom_columns_text(fmt.partition("=")[2], objects, bool(parsed.get("no-headers"))))
        return
    text = table_text(env, parsed, fmt, groups)
    if text:
        out.out(text)


def custom_columns_text(spec: str, objects: list[dict[str, Any]], no_headers: bool) -> str:
    from cluster.kubectl import printers

    try:
        return printers.custom_columns(spec, objects, no_headers=no_headers).rstrip("\n")
    except printers.PrinterError as exc:
        raise CommandError(str(exc)) from None


def table_text(env: Env, parsed: Parsed, fmt: str, groups: list[Group]) -> str:
    from cluster.kubectl import printers

    now = env.now_ms()
    kind_tables = [(info, printers.to_table(info.kind, items, now)) for info, items in groups]
    options: dict[str, Any] = {
        "wide": fmt == "wide",
        "show_labels": bool(parsed.get("show-labels")),
        "label_columns": list(parsed.get("label-columns") or []),
        "no_headers": bool(parsed.get("no-headers")),
    }
    all_ns = bool(parsed.get("all-namespaces"))
    if len(kind_tables) == 1:
        info, table = kind_tables[0]
        show_kind = info.kubectl_prefix if parsed.get("show-kind") else None
        text = printers.render_table(table, show_kind=show_kind, all_namespaces=all_ns and info.namespaced, **options)
    else:
        text = printers.render_get(kind_tables, all_namespaces=all_ns, **options)
    return str(text).rstrip("\n")
