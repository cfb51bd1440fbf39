"""Where in the editor an apply failed: YAML errors at their line/column, API validation errors at their field.

The terminal shows kubectl's exact error text; the editor additionally marks
the spot. A parse error carries its position (``ManifestError``); an API
server rejection names field paths (``spec.template.metadata.labels``,
``spec.template.spec.containers[0].image``, ``unknown field "spec.foo"``),
which are looked up in the YAML's node tree to find the line they are on.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from cluster.kubectl.manifests import ManifestError, has_tab_indent, load_documents

Diagnostic = dict[str, Any]

# "* spec.replicas: Invalid value: -1: …" (several causes) or "…is invalid: spec.replicas: Invalid value…" (one).
_CAUSE = re.compile(r"(?:^\* |is invalid: )(?P<field>[A-Za-z][\w.\[\]/-]*): (?P<message>.+)$")
_UNKNOWN_FIELD = re.compile(r'unknown field "(?P<field>[^"]+)"')
_PATH_PART = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")


def diagnose(text: str, source: str, stderr: list[str]) -> list[Diagnostic]:
    """Diagnostics for a failed ``kubectl apply -f`` of ``text``: a parse error, or one per field named."""
    try:
        load_documents(text, source)
    except ManifestError as exc:
        return [_parse_diagnostic(text, exc)]
    found: list[Diagnostic] = []
    for line in "\n".join(stderr).splitlines():
        for field, message in _fields_in(line):
            position = field_position(text, field)
            found.append({"line": position[0] if position else None, "column": position[1] if position else None,
                          "message": message, "field": field})  # fmt: skip
    return found


def _parse_diagnostic(text: str, exc: ManifestError) -> Diagnostic:
    line, column = exc.line, exc.column
    tab_line = has_tab_indent(text)
    if tab_line is not None and (line is None or tab_line <= line):
        # PyYAML often trips a line or two after the first tab; the first tab is what to fix.
        line, column = tab_line, text.splitlines()[tab_line - 1].index("\t") + 1
    return {"line": line, "column": column, "message": str(exc), "field": ""}


def _fields_in(line: str) -> list[tuple[str, str]]:
    match = _CAUSE.search(line.strip())
    if match:
        return [(match["field"], match["message"])]
    return [(m["field"], line.strip()) for m in _UNKNOWN_FIELD.finditer(line)]


def _path(field: str) -> list[str | int]:
    parts: list[str | int] = []
    for key, index in _PATH_PART.findall(field):
        if key:
            parts.append(key)
        elif index.isdigit():
            parts.append(int(index))
        else:
            parts.append(index)
    return parts


def field_position(text: str, field: str) -> tuple[int, int] | None:
    """``(line, column)`` (1-based) of the deepest node of ``field`` found in the first document that has it."""
    try:
        documents = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    best: tuple[int, tuple[int, int]] | None = None
    for document in documents:
        depth, position = _walk(document, _path(field))
        if position is not None and (best is None or depth > best[0]):
            best = (depth, position)
    return best[1] if best else None


def _walk(node: Any, path: list[str | int]) -> tuple[int, tuple[int, int] | None]:
    position: tuple[int, int] | None = None
    depth = 0
    for part in path:
        child = _child(node, part)
        if child is None:
            break
        mark_node, node = child
        position = (mark_node.start_mark.line + 1, mark_node.start_mark.column + 1)
        depth += 1
    return depth, position


def _child(node: Any, part: str | int) -> tuple[Any, Any] | None:
    """``(node to point at, value node)`` for one path step: a mapping key or a sequence index."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return key, value
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        item = node.value[part]
        return item, item
    return None
