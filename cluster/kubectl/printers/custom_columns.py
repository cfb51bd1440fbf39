"""``-o custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image``.

Each column is ``HEADER:<path>`` where the path may be written ``.a.b``,
``a.b``, ``{.a.b}`` or ``{a.b}`` (kubectl's "relaxed" JSONPath). Several values
of one cell are joined by commas, a missing value prints ``<none>``, other values
print with Go's ``fmt.Sprint`` (so a map shows as ``map[app:web]``). Headers are
printed as written, not upper-cased. Like kubectl, the spec is split on every
comma, so a path containing a union ``[0,1]`` cannot be expressed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cluster.kubectl.printers.gofmt import escape_terminal, go_sprint
from cluster.kubectl.printers.jsonpath import JSONPathError, JSONPathTemplate, PrinterError
from cluster.kubectl.printers.tabwriter import table_writer

_RELAXED = re.compile(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$")


def relaxed_jsonpath(expression: str) -> str:
    """``RelaxedJSONPathExpression``: normalise ``a.b`` / ``.a.b`` / ``{a.b}`` to ``{.a.b}``."""
    if not expression:
        return expression
    match = _RELAXED.match(expression)
    if match is None:
        raise PrinterError(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'"
        )
    return "{." + (match.group(1) or match.group(2)) + "}"


@dataclass(frozen=True)
class CustomColumn:
    header: str
    field_spec: str


def parse_spec(spec: str) -> list[CustomColumn]:
    """``NewCustomColumnsPrinterFromSpec``."""
    if not spec:
        raise PrinterError("custom-columns format specified but no custom columns given")
    columns = []
    for part in spec.split(","):
        header, sep, path = part.partition(":")
        if not sep:
            raise PrinterError(f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>")
        columns.append(CustomColumn(header, relaxed_jsonpath(path)))
    return columns


def _cell(template: JSONPathTemplate, obj: Any) -> str:
    try:
        groups = template.find_results(obj)
    except JSONPathError as exc:
        raise PrinterError(str(exc)) from None
    values = [escape_terminal(go_sprint(value)) for group in groups for value in group]
    if not groups or not groups[0]:
        values.insert(0, "<none>")
    return ",".join(values)


def custom_columns(spec: str, objects: list[Any], *, no_headers: bool = False) -> str:
    """The aligned table for ``objects`` (a ``List``'s items are printed one row each)."""
    columns = parse_spec(spec)
    try:
        templates = [JSONPathTemplate(column.field_spec) for column in columns]
    except JSONPathError as exc:
        raise PrinterError(str(exc)) from None
    lines = [] if no_headers else ["\t".join(column.header for column in columns)]
    for obj in objects:
        items = obj.get("items") if isinstance(obj, dict) and obj.get("kind", "").endswith("List") else [obj]
        for item in items or []:
            lines.append("\t".join(_cell(template, item) for template in templates))
    writer = table_writer()
    writer.write("".join(line + "\n" for line in lines))
    return writer.flush()
