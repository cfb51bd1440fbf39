"""kubectl's side of ``get``: decorate a server Table and print it through the tabwriter.

Mirrors cli-runtime's table printer: optional NAMESPACE first (taken from each
row's embedded metadata), ``kind.group/name`` names when several resource types
are printed, ``-L`` label columns and LABELS last, upper-cased headers, wide
columns only with ``-o wide``, and nothing at all (not even a header) for an
empty table. ``get -w`` keeps one tabwriter whose column widths only grow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from cluster.kubectl.printers.columns import Obj
from cluster.kubectl.printers.gofmt import escape_terminal, format_labels, go_sprint
from cluster.kubectl.printers.tabwriter import TabWriter, table_writer


class KindLike(Protocol):
    """What ``render_get`` needs from a ``KindInfo``."""

    @property
    def kubectl_prefix(self) -> str: ...

    @property
    def namespaced(self) -> bool: ...


@dataclass(frozen=True)
class PrintOptions:
    wide: bool = False
    show_kind: str | None = None
    all_namespaces: bool = False
    show_labels: bool = False
    label_columns: tuple[str, ...] = ()
    no_headers: bool = False


@dataclass
class _Decorated:
    columns: list[Obj]
    rows: list[list[Any]] = field(default_factory=list)


def _row_metadata(row: Obj) -> Obj | None:
    obj = row.get("object")
    if not isinstance(obj, dict):
        return None
    metadata = obj.get("metadata")
    return metadata if isinstance(metadata, dict) else None


def _label_headers(keys: Sequence[str]) -> list[str]:
    return [key.split("/")[-1].upper() for key in keys]


def _decorate(table: Obj, columns: list[Obj], options: PrintOptions) -> _Decorated:
    """``decorateTable``: add NAMESPACE / label columns and prefix names with the kind."""
    new_columns = list(columns)
    if options.all_namespaces:
        new_columns.insert(0, {"name": "Namespace", "type": "string", "priority": 0})
    new_columns += [{"name": h, "type": "string", "priority": 0} for h in _label_headers(options.label_columns)]
    if options.show_labels:
        new_columns.append({"name": "Labels", "type": "string", "priority": 0})
    name_index = next(
        (i for i, c in enumerate(columns) if c.get("format") == "name" and c.get("type") == "string"), None
    )
    decorated = _Decorated(new_columns)
    for row in table.get("rows") or []:
        cells = list(row.get("cells") or [])
        if options.show_kind and name_index is not None and name_index < len(cells):
            cells[name_index] = f"{options.show_kind}/{cells[name_index]}"
        metadata = _row_metadata(row)
        if options.all_namespaces:
            cells.insert(0, None if metadata is None else metadata.get("namespace", ""))
        labels = (metadata or {}).get("labels") or {}
        if metadata is None:
            cells += [None] * (len(options.label_columns) + options.show_labels)
        else:
            cells += [labels.get(key, "") for key in options.label_columns]
            if options.show_labels:
                cells.append(format_labels(labels))
        decorated.rows.append(cells)
    return decorated


def _cell_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        cut = min((i for i in (cell.find(c) for c in "\f\n\r") if i >= 0), default=-1)
        return escape_terminal(cell[:cut] + "...") if cut >= 0 else escape_terminal(cell)
    return escape_terminal(go_sprint(cell))


def _table_text(decorated: _Decorated, options: PrintOptions, headers: bool) -> str:
    """``printTable``: tab-separated lines; nothing when there are no rows."""
    if not decorated.rows:
        return ""
    shown = [i for i, c in enumerate(decorated.columns) if options.wide or not c.get("priority")]
    lines = []
    if headers:
        lines.append("\t".join(str(decorated.columns[i].get("name", "")).upper() for i in shown))
    for cells in decorated.rows:
        lines.append("\t".join(_cell_text(cells[i]) for i in shown if i < len(cells)))
    return "\n".join(lines) + "\n"


def _columns_of(table: Obj) -> list[Obj]:
    return list(table.get("columnDefinitions") or [])


def render_table(
    table: Obj,
    *,
    wide: bool = False,
    show_kind: str | None = None,
    all_namespaces: bool = False,
    show_labels: bool = False,
    label_columns: Sequence[str] = (),
    no_headers: bool = False,
) -> str:
    """One Table as ``kubectl get`` prints it ("" when it has no rows)."""
    options = PrintOptions(wide, show_kind, all_namespaces, show_labels, tuple(label_columns), no_headers)
    writer = table_writer()
    writer.write(_table_text(_decorate(table, _columns_of(table), options), options, headers=not no_headers))
    return writer.flush()


class TableStream:
    """``kubectl get -w``: the first Table prints headers, later ones only rows, aligned to remembered widths.

    Like cli-runtime's table printer it remembers the last column definitions: a Table without
    ``columnDefinitions`` (a watch event) reuses them, and headers are printed again only when
    the definitions change.
    """

    def __init__(
        self,
        *,
        wide: bool = False,
        show_kind: str | None = None,
        all_namespaces: bool = False,
        show_labels: bool = False,
        label_columns: Sequence[str] = (),
        no_headers: bool = False,
    ) -> None:
        self.options = PrintOptions(wide, show_kind, all_namespaces, show_labels, tuple(label_columns), no_headers)
        self._writer: TabWriter = table_writer()
        self._last_columns: list[Obj] | None = None

    def header_and_rows(self, first_table: Obj) -> list[str]:
        self._last_columns = None
        self._writer.reset_widths()
        return self.rows(first_table)

    def rows(self, next_table: Obj) -> list[str]:
        columns = _columns_of(next_table)
        headers = not self.options.no_headers and bool(columns) and columns != self._last_columns
        if not columns:
            columns = self._last_columns or []
        else:
            self._last_columns = columns
        decorated = _decorate(next_table, columns, self.options)
        self._writer.write(_table_text(decorated, self.options, headers))
        return self._writer.flush().splitlines()


def _merge_same_kind(kind_tables: Sequence[tuple[KindLike, Obj]]) -> list[tuple[KindLike, Obj]]:
    """Consecutive Tables of one kind (``get pod a pod b``) share a header and one alignment."""
    merged: list[tuple[KindLike, Obj]] = []
    for info, table in kind_tables:
        if merged and merged[-1][0].kubectl_prefix == info.kubectl_prefix:
            previous = merged[-1][1]
            merged[-1] = (info, {**previous, "rows": [*(previous.get("rows") or []), *(table.get("rows") or [])]})
        else:
            merged.append((info, table))
    return merged


def render_get(
    kind_tables: Sequence[tuple[KindLike, Obj]],
    *,
    wide: bool = False,
    all_namespaces: bool = False,
    show_labels: bool = False,
    label_columns: Sequence[str] = (),
    no_headers: bool = False,
) -> str:
    """``get all`` / ``get deploy,svc``: one group per kind, each with its own header, blank lines between.

    Names carry ``kind.group/`` as soon as more than one kind was requested (even if only one has
    rows); NAMESPACE is added with ``-A`` for namespaced kinds only. Returns "" when nothing matched.
    """
    several = len({info.kubectl_prefix for info, _ in kind_tables}) > 1
    outputs = []
    for info, table in _merge_same_kind(kind_tables):
        text = render_table(
            table,
            wide=wide,
            show_kind=info.kubectl_prefix if several else None,
            all_namespaces=all_namespaces and info.namespaced,
            show_labels=show_labels,
            label_columns=label_columns,
            no_headers=no_headers,
        )
        if text:
            outputs.append(text)
    separator = "" if no_headers else "\n"
    return separator.join(outputs)
