"""Reading manifests safely: YAML (or JSON) documents with limits, errors worded like kubectl's.

Only ``yaml.SafeLoader`` is used, with caps on size, aliases and nesting, so a
YAML bomb is refused in milliseconds. PyYAML's parse errors are translated to
go-yaml's phrasing, which is what kubectl users see and search for.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

MAX_BYTES = 256 * 1024
MAX_ALIASES = 100
MAX_DEPTH = 64
MAX_DOCUMENTS = 100
MAX_NODES = 200_000  # after alias expansion: a few aliases nested deeply still multiply


class ManifestError(ValueError):
    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.column = column


class _LimitedLoader(yaml.SafeLoader):
    """SafeLoader that counts aliases and depth while composing, before anything is expanded."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise ManifestError(
                    f"yaml: document contains more than {MAX_ALIASES} aliases (refused to protect the server)"
                )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise ManifestError(f"yaml: exceeded max depth of {MAX_DEPTH}")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_GO_YAML_PHRASES = (
    ("found character '\\t' that cannot start any token", "found character that cannot start any token"),
    ("found character that cannot start any token", "found character that cannot start any token"),
    ("mapping values are not allowed here", "mapping values are not allowed in this context"),
    ("could not find expected ':'", "could not find expected ':'"),
    ("did not find expected key", "did not find expected key"),
    ("did not find expected '-' indicator", "did not find expected '-' indicator"),
    ("found unexpected end of stream", "found unexpected end of stream"),
    ("found undefined alias", "unknown anchor referenced"),
    ("expected <document start>", "did not find expected <document start>"),
)


def _go_yaml_message(exc: yaml.MarkedYAMLError) -> tuple[str, int | None, int | None]:
    problem = exc.problem or str(exc)
    text = problem
    for ours, theirs in _GO_YAML_PHRASES:
        if problem.startswith(ours) or ours in problem:
            text = theirs
            break
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return (f"yaml: line {line}: {text}" if line else f"yaml: {text}"), line, column


def nesting_depth(value: Any) -> int:
    """How deeply lists and maps nest in ``value`` (counted without recursion, so any depth is safe)."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in item)
    return deepest


def has_tab_indent(text: str) -> int | None:
    """The first line (1-based) indented with a tab, which YAML forbids."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" ")
        if stripped.startswith("\t"):
            return number
    return None


def load_documents(text: str, source: str) -> list[dict[str, Any]]:
    """Parse a (multi-document) manifest; raises ManifestError with kubectl's wording."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise ManifestError(f"error parsing {source}: the file is larger than {MAX_BYTES // 1024} KiB")
    stripped = text.lstrip()
    if stripped.startswith("{") or stripped.startswith("["):
        too_deep = ManifestError(f"error parsing {source}: json: exceeded max depth of {MAX_DEPTH}")
        try:
            data = json.loads(text)
        except RecursionError:
            raise too_deep from None
        except json.JSONDecodeError as exc:
            if exc.pos >= len(text.rstrip()):  # the document stops half-way: Go's decoder reports the EOF
                raise ManifestError(f"error parsing {source}: unexpected EOF", exc.lineno, exc.colno) from None
            raise ManifestError(
                f"error parsing {source}: {exc.msg} (line {exc.lineno})", exc.lineno, exc.colno
            ) from None
        if nesting_depth(data) > MAX_DEPTH:
            raise too_deep
        docs = data if isinstance(data, list) else [data]
    else:
        try:
            loader = _LimitedLoader(text)
            try:
                docs = []
                while loader.check_data():  # type: ignore[no-untyped-call]
                    docs.append(loader.get_data())
                    if len(docs) > MAX_DOCUMENTS:
                        raise ManifestError(f"error parsing {source}: more than {MAX_DOCUMENTS} documents")
            finally:
                loader.dispose()
        except ManifestError as exc:
            raise ManifestError(f"error parsing {source}: {exc}") from None
        except yaml.MarkedYAMLError as exc:
            message, line, column = _go_yaml_message(exc)
            raise ManifestError(
                f"error parsing {source}: error converting YAML to JSON: {message}", line, column
            ) from None
        except yaml.reader.ReaderError:
            raise ManifestError(
                f"error parsing {source}: error converting YAML to JSON: yaml: control characters are not allowed"
            ) from None
        except yaml.YAMLError as exc:
            raise ManifestError(f"error parsing {source}: error converting YAML to JSON: yaml: {exc}") from None
        except RecursionError:
            raise ManifestError(f"error parsing {source}: document nested too deeply") from None
    out: list[dict[str, Any]] = []
    for doc in docs:
        if doc is None:
            continue
        if not isinstance(doc, dict):
            raise ManifestError(
                f"error parsing {source}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
                f"{_go_type(doc)} into Go value of type map[string]interface {{}}"
            )
        if doc.get("kind") == "List" and isinstance(doc.get("items"), list):
            out.extend(i for i in doc["items"] if isinstance(i, dict))
        else:
            budget = [MAX_NODES]
            out.append(_jsonable(doc, budget, source))
    return out


def _go_type(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "value"


def _jsonable(value: Any, budget: list[int], source: str) -> Any:
    """YAML may produce dates, non-string keys, sets: convert to what JSON (and Kubernetes) holds.

    Aliases are shared references in PyYAML; copying expands them, so count
    every node against a budget (a "billion laughs" document stops here).
    """
    budget[0] -= 1
    if budget[0] < 0:
        raise ManifestError(
            f"error parsing {source}: the document expands to more than {MAX_NODES} nodes (YAML aliases?)"
        )
    if isinstance(value, dict):
        return {
            str(k) if not isinstance(k, bool) else ("true" if k else "false"): _jsonable(v, budget, source)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_jsonable(v, budget, source) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _aggregate(messages: list[str]) -> str:
    """Go's ``utilerrors.Aggregate``: one error as itself, several as ``[a, b]``."""
    return messages[0] if len(messages) == 1 else f"[{', '.join(messages)}]"


def validate_type_meta(docs: list[dict[str, Any]], source: str) -> None:
    """kubectl's client-side check before any request (K8S_FACTS §2.2, missing apiVersion/kind)."""
    for doc in docs:
        missing = [
            f"{field} not set" if not doc.get(field) else f"{field} isn't string type"
            for field in ("apiVersion", "kind")
            if not isinstance(doc.get(field), str) or not doc.get(field)
        ]
        if missing:
            raise ManifestError(
                f'error validating "{source}": error validating data: {_aggregate(missing)}; '
                "if you choose to ignore these errors, turn validation off with --validate=false"
            )
