"""``to_table``: build a ``meta.k8s.io/v1`` Table the way the API server does.

The server always generates the wide Table (every column, ``priority`` 1 for
the ``-o wide`` ones) and lets kubectl drop what it does not show; each row
carries a ``PartialObjectMetadata`` so the client can add NAMESPACE, LABELS or
``-L`` columns. Kinds without a printer get the API server's default
``Name``/``Created At`` table.
"""

from __future__ import annotations

from typing import Any

from cluster.core.objects import clone
from cluster.kubectl.printers import rows_cluster, rows_network, rows_pod, rows_workloads
from cluster.kubectl.printers.columns import AGE_DOC, PRINTERS, Column, KindPrinter, Obj, meta, name_column

_ROW_MODULES = (rows_cluster, rows_network, rows_pod, rows_workloads)  # importing them registers the printers

_DEFAULT = KindPrinter(
    (name_column(), Column("Created At", AGE_DOC, type="date")),
    lambda obj, _now_ms, _wide: ([meta(obj).get("name", ""), rows_cluster.created_at(obj)], None),
)


def partial_object_metadata(obj: Obj) -> Obj:
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": clone(meta(obj))}


def _row_object(obj: Obj, include_object: str) -> Obj | None:
    if include_object == "None":
        return None
    if include_object == "Object":
        full: Obj = clone(obj)
        return full
    return partial_object_metadata(obj)


def printer_for(kind: str) -> KindPrinter:
    return PRINTERS.get(kind, _DEFAULT)


def to_table(
    kind: str,
    objects: list[Obj],
    now_ms: int,
    *,
    wide: bool = True,
    no_headers: bool = False,
    include_object: str = "Metadata",
    resource_version: str = "",
) -> Obj:
    """A Table of ``objects`` (all of ``kind``) with ages computed at ``now_ms``.

    ``wide=False`` drops the priority-1 columns and cells (the API server itself always passes
    ``wide=True``); ``no_headers`` leaves out ``columnDefinitions`` as watch events after the first
    do; ``include_object`` is the ``?includeObject=`` value (``None``, ``Metadata``, ``Object``).
    """
    printer = printer_for(kind)
    keep = [i for i, column in enumerate(printer.columns) if wide or column.priority == 0]
    rows = []
    for obj in objects:
        cells, conditions = printer.row(obj, now_ms, wide)
        row: dict[str, Any] = {"cells": [cells[i] for i in keep]}
        if conditions:
            row["conditions"] = clone(conditions)
        row["object"] = _row_object(obj, include_object)
        rows.append(row)
    columns = None if no_headers else [printer.columns[i].definition() for i in keep]
    return {
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": resource_version},
        "columnDefinitions": columns,
        "rows": rows,
    }
