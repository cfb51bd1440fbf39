"""kubectl's JSONPath (client-go util/jsonpath): ``-o jsonpath=...`` and custom columns.

It is not RFC 9535 JSONPath: templates mix literal text with ``{...}`` actions,
``{range ...}{end}`` loops, ``{"\\n"}`` string literals, filters
``[?(@.status.phase=="Running")]``, ``..`` recursive descent, slices
``[1:3]``/``[-1]`` and unions ``[0,2]``. The results of one action are joined
by spaces; maps and lists print as compact JSON. kubectl allows missing keys by
default, so an absent field prints nothing - but an out-of-range index is an error.

Simplification: map iteration (``*``, ``..``) visits keys in sorted order where
Go's order is random.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cluster.core.goformat import go_quote
from cluster.kubectl.printers.gofmt import go_float, go_sprint
from cluster.kubectl.printers.jsonpath_parser import (
    ArrayNode,
    FieldNode,
    FilterNode,
    IdentifierNode,
    JSONPathError,
    ListNode,
    LiteralNode,
    RecursiveNode,
    TextNode,
    UnionNode,
    WildcardNode,
    parse,
)
from cluster.kubectl.printers.output import json_dumps

__all__ = ["JSONPathError", "JSONPathTemplate", "PrinterError", "jsonpath", "value_text"]


class PrinterError(Exception):
    """What kubectl prints after ``error: `` when an output template fails."""


@dataclass
class _Range:
    expr: ListNode
    body: list[Any]


def _leading_identifier(node: Any) -> str | None:
    if isinstance(node, ListNode) and node.nodes and isinstance(node.nodes[0], IdentifierNode):
        return node.nodes[0].name
    return None


def _blocks(nodes: list[Any], start: int, in_range: bool) -> tuple[list[Any], int]:
    """Group ``{range}``...``{end}`` into ``_Range`` blocks; returns (blocks, index of the closing end).

    A stray ``{end}`` stays a plain action and fails when executed, as in client-go.
    """
    out: list[Any] = []
    index = start
    while index < len(nodes):
        node = nodes[index]
        identifier = _leading_identifier(node)
        if identifier == "end" and in_range:
            return out, index
        if identifier == "range":
            body, end_index = _blocks(nodes, index + 1, in_range=True)
            out.append(_Range(ListNode(node.nodes[1:]), body))
            index = end_index + 1
            continue
        out.append(node)
        index += 1
    return out, index


def go_type(value: Any) -> str:
    if isinstance(value, dict):
        return "map[string]interface {}"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    return "string"


def _children(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [value[key] for key in sorted(value)]
    if isinstance(value, list):
        return list(value)
    if isinstance(value, str):
        return list(value.encode())
    return []


def _basic_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    raise JSONPathError("invalid type for comparison")


def _equal(left: Any, right: Any) -> bool:
    if _basic_kind(left) != _basic_kind(right):
        raise JSONPathError("incompatible types for comparison")
    return bool(left == right)


def _less(left: Any, right: Any) -> bool:
    kind = _basic_kind(left)
    if kind != _basic_kind(right):
        raise JSONPathError("incompatible types for comparison")
    if kind == "bool":
        raise JSONPathError("invalid type for comparison")
    return bool(left < right)


def _compare(operator: str, left: Any, right: Any) -> bool:
    if operator == "==":
        return _equal(left, right)
    if operator == "!=":
        return not _equal(left, right)
    if operator == "<":
        return _less(left, right)
    if operator == "<=":
        return _less(left, right) or _equal(left, right)
    if operator == ">":
        return not (_less(left, right) or _equal(left, right))
    if operator == ">=":
        return not _less(left, right)
    raise JSONPathError(f"unrecognized filter operator {operator}")


class _Evaluator:
    def __init__(self, allow_missing_keys: bool) -> None:
        self.allow_missing_keys = allow_missing_keys

    def find_results(self, blocks: list[Any], data: Any) -> list[list[Any]]:
        groups: list[list[Any]] = []
        for block in blocks:
            if isinstance(block, _Range):
                for value in self.walk_list([data], block.expr):
                    groups.extend(self.find_results(block.body, value))
            elif isinstance(block, TextNode):
                groups.append([block.text])
            else:
                groups.append(self.walk_list([data], block))
        return groups

    def walk_list(self, values: list[Any], node: ListNode) -> list[Any]:
        for child in node.nodes:
            values = self.walk(values, child)
        return values

    def walk(self, values: list[Any], node: Any) -> list[Any]:
        if isinstance(node, ListNode):
            return self.walk_list(values, node)
        if isinstance(node, TextNode):
            return [node.text]
        if isinstance(node, LiteralNode):
            return [node.value for _ in values]
        if isinstance(node, FieldNode):
            return self.field(values, node.name)
        if isinstance(node, ArrayNode):
            return self.array(values, node)
        if isinstance(node, FilterNode):
            return self.filter(values, node)
        if isinstance(node, WildcardNode):
            return [child for value in values for child in _children(value)]
        if isinstance(node, RecursiveNode):
            return self.recursive(values)
        if isinstance(node, UnionNode):
            return [result for branch in node.lists for result in self.walk_list(values, branch)]
        if isinstance(node, IdentifierNode) and node.name == "range":
            return values
        if isinstance(node, IdentifierNode) and node.name == "end":
            raise JSONPathError("not in range, nothing to end")
        raise JSONPathError(f"unrecognized identifier {getattr(node, 'name', node)}")

    def field(self, values: list[Any], name: str) -> list[Any]:
        results = [value[name] for value in values if isinstance(value, dict) and name in value]
        if not results and values and not self.allow_missing_keys:
            raise JSONPathError(f"{name} is not found")
        return results

    def array(self, values: list[Any], node: ArrayNode) -> list[Any]:
        results: list[Any] = []
        for value in values:
            if value is None:
                continue
            if not isinstance(value, list):
                raise JSONPathError(f"{go_type(value)} is not array or slice")
            bounds = self._bounds(node, len(value))
            if bounds is None:
                return results
            start, end, step = bounds
            results.extend(value[start:end:step])
        return results

    @staticmethod
    def _bounds(node: ArrayNode, length: int) -> tuple[int, int, int] | None:
        first, second, third = node.params
        start = first.value if first.known else 0
        start += length if start < 0 else 0
        end = second.value if second.known else length
        if end < 0 or (end == 0 and second.derived):
            end += length
        if end == start:
            return None
        if start >= length or start < 0:
            raise JSONPathError(f"array index out of bounds: index {start}, length {length}")
        if end > length or end < 0:
            raise JSONPathError(f"array index out of bounds: index {end - 1}, length {length}")
        if start > end:
            raise JSONPathError(f"starting index {start} is greater than ending index {end}")
        if third.known and third.value <= 0:
            raise JSONPathError("step must be > 0")
        return start, end, third.value if third.known else 1

    def filter(self, values: list[Any], node: FilterNode) -> list[Any]:
        results: list[Any] = []
        for value in values:
            if not isinstance(value, list):
                shown = "<invalid reflect.Value>" if value is None else go_sprint(value)
                raise JSONPathError(f"{shown} is not array or slice and cannot be filtered")
            results.extend(item for item in value if self._passes(item, node))
        return results

    def _passes(self, item: Any, node: FilterNode) -> bool:
        if node.operator == "exists":
            try:
                return bool(self.walk_list([item], node.left))
            except JSONPathError:
                return False
        lefts = self.walk_list([item], node.left)
        if len(lefts) > 1:
            raise JSONPathError("can only compare one element at a time")
        rights = self.walk_list([item], node.right) if lefts else []
        if len(rights) > 1:
            raise JSONPathError("can only compare one element at a time")
        return bool(lefts and rights) and _compare(node.operator, lefts[0], rights[0])

    def recursive(self, values: list[Any]) -> list[Any]:
        results: list[Any] = []
        for value in values:
            if value is None:
                continue
            children = _children(value)
            if children:
                results.append(value)
                results.extend(self.recursive(children))
        return results


def value_text(value: Any) -> str:
    """How one result prints: maps/lists as compact JSON, ``null`` for null, Go ``%v`` otherwise."""
    if isinstance(value, (dict, list)):
        return json_dumps(value, indent=0)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    return str(value)


class JSONPathTemplate:
    """A parsed template: ``find_results(data)`` gives the result groups, ``execute(data)`` the text."""

    def __init__(self, template: str, *, allow_missing_keys: bool = True) -> None:
        self.template = template
        self.blocks, _ = _blocks(parse(template).nodes, 0, in_range=False)
        self._evaluator = _Evaluator(allow_missing_keys)

    def find_results(self, data: Any) -> list[list[Any]]:
        return self._evaluator.find_results(self.blocks, data)

    def execute(self, data: Any) -> str:
        return "".join(" ".join(value_text(v) for v in group) for group in self.find_results(data))


def jsonpath(template: str, data: Any, *, allow_missing_keys: bool = True) -> str:
    """``kubectl get -o jsonpath=<template>`` output (no trailing newline is added).

    Raises ``PrinterError`` with kubectl's message, to print after ``error: `` (an execution error's
    message already ends with the newlines kubectl prints).
    """
    try:
        compiled = JSONPathTemplate(template, allow_missing_keys=allow_missing_keys)
    except JSONPathError as exc:
        raise PrinterError(f"error parsing jsonpath {template}, {exc}") from None
    try:
        return compiled.execute(data)
    except JSONPathError as exc:
        raise PrinterError(
            f"error executing jsonpath {go_quote(template)}: Error executing template: {exc}. Printing more "
            f"information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\tobject given to "
            f"jsonpath engine was:\n\t\t{_go_sharp(data)}\n\n\n"
        ) from None


def _go_sharp(value: Any) -> str:
    """Go ``%#v`` of decoded JSON (``map[string]interface {}{"a":"b"}``), for the debugging dump."""
    if isinstance(value, dict):
        inner = ", ".join(f'"{key}":{_go_sharp(value[key])}' for key in sorted(value))
        return "map[string]interface {}{" + inner + "}"
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(_go_sharp(item) for item in value) + "}"
    if isinstance(value, str):
        return json_dumps(value, indent=0)
    if value is None:
        return "interface {}(nil)"
    return value_text(value)
