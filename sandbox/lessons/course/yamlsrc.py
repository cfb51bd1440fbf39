"""YAML with line numbers, so a lesson author is told *where* a lesson file is wrong.

PyYAML's ``safe_load`` forgets positions. We compose the node graph with the
safe loader (no tags, no Python objects), refuse aliases (a lesson has no use
for them and they are the usual way to blow up a loader), and turn it into
plain data while recording the 1-based line of every mapping key and list
item under its *path*: ``("steps", 2, "check", "object")``. The validator then
asks for the line of the deepest path it knows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

MAX_BYTES = 256 * 1024
MAX_DEPTH = 40

Path = tuple[str | int, ...]
# Only used to construct scalars (str, int, float, bool, null, dates) the safe way.
_SCALARS = yaml.SafeLoader("")


class SourceError(ValueError):
    """The file is not YAML we accept; ``line`` is 1-based (0 when unknown)."""

    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class Source:
    """Plain data from a YAML document plus the line each path starts on."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)

    def line_of(self, path: Path) -> int:
        """The line of ``path`` or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            line = self.lines.get(tuple(path[:end]))
            if line:
                return line
        return 1


def load(text: str) -> Source:
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise SourceError(f"file is larger than {MAX_BYTES // 1024} KiB")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise SourceError(f"invalid YAML: {exc.problem or exc}", mark.line + 1 if mark else 0) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"invalid YAML: {exc}") from None
    source = Source(None)
    if node is None:
        return source
    source.data = _convert(node, (), source.lines, 0, set())
    return source


def _convert(node: yaml.Node, path: Path, lines: dict[Path, int], depth: int, seen: set[int]) -> Any:
    if depth > MAX_DEPTH:
        raise SourceError("YAML nested too deeply", node.start_mark.line + 1)
    if id(node) in seen:
        raise SourceError("YAML aliases (*name) are not allowed in lesson files", node.start_mark.line + 1)
    seen.add(id(node))
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        return _mapping(node, path, lines, depth, seen)
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*path, i), lines, depth + 1, seen) for i, item in enumerate(node.value)]
    return _scalar(node) if isinstance(node, yaml.ScalarNode) else None


def _scalar(node: yaml.Node) -> Any:
    try:
        return _SCALARS.construct_object(node)
    except yaml.YAMLError:
        raise SourceError(f"unsupported YAML tag {node.tag}", node.start_mark.line + 1) from None


def _mapping(node: yaml.MappingNode, path: Path, lines: dict[Path, int], depth: int, seen: set[int]) -> dict[Any, Any]:
    out: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise SourceError("mapping keys must be plain values", key_node.start_mark.line + 1)
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise SourceError("YAML merge keys (<<) are not allowed in lesson files", key_node.start_mark.line + 1)
        key = _scalar(key_node)
        if key in out:
            raise SourceError(f'duplicate key "{key}"', key_node.start_mark.line + 1)
        child = (*path, str(key))
        lines[child] = key_node.start_mark.line + 1
        out[key] = _convert(value_node, child, lines, depth + 1, seen)
    return out
