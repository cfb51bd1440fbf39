"""Column definitions and the per-kind row printers behind server-side Tables.

Since 1.11 kubectl asks the API server for ``meta.k8s.io/v1`` Tables and only
renders them; the columns and cell rules live in the server's printers
(pkg/printers/internalversion). Each kind registers its columns and a row
function here, the way ``AddHandlers`` does there (K8S_FACTS §6.2).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Obj = dict[str, Any]
Cells = list[Any]
# row(obj, now_ms, wide) -> (every column's cell, row conditions or None)
RowFn = Callable[[Obj, int, bool], tuple[Cells, list[Obj] | None]]

NAME_DOC = (
    "Name must be unique within a namespace. Is required when creating resources, although some resources may "
    "allow a client to request the generation of an appropriate name automatically. Name is primarily intended "
    "for creation idempotence and configuration definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"
)
AGE_DOC = (
    "CreationTimestamp is a timestamp representing the server time when this object was created. It is not "
    "guaranteed to be set in happens-before order across separate operations. Clients may not set this value. "
    "It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. "
    "More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
)
CONTAINERS_DOC = "Names of each container in the template."
IMAGES_DOC = "Images referenced by each container in the template."


@dataclass(frozen=True)
class Column:
    """One ``TableColumnDefinition``; ``priority`` 1 means ``-o wide`` only."""

    name: str
    description: str = ""
    type: str = "string"
    format: str = ""
    priority: int = 0

    def definition(self) -> Obj:
        return {
            "name": self.name,
            "type": self.type,
            "format": self.format,
            "description": self.description,
            "priority": self.priority,
        }


def name_column() -> Column:
    return Column("Name", NAME_DOC, format="name")


def age_column() -> Column:
    return Column("Age", AGE_DOC)


@dataclass(frozen=True)
class KindPrinter:
    columns: tuple[Column, ...]
    row: RowFn


PRINTERS: dict[str, KindPrinter] = {}


def register(kind: str, *columns: Column) -> Callable[[RowFn], RowFn]:
    """Decorator: ``@register("Pod", name_column(), ...)`` on the row function."""

    def decorate(row: RowFn) -> RowFn:
        PRINTERS[kind] = KindPrinter(tuple(columns), row)
        return row

    return decorate


def meta(obj: Obj) -> Obj:
    metadata: Obj = obj.get("metadata") or {}
    return metadata


def spec(obj: Obj) -> Obj:
    value: Obj = obj.get("spec") or {}
    return value


def status(obj: Obj) -> Obj:
    value: Obj = obj.get("status") or {}
    return value


def container_cells(pod_spec: Obj) -> tuple[str, str]:
    """``layoutContainerCells``: container names and images, comma-joined."""
    containers = pod_spec.get("containers") or []
    names = ",".join(str(c.get("name", "")) for c in containers)
    images = ",".join(str(c.get("image", "")) for c in containers)
    return names, images


def template_spec(obj: Obj) -> Obj:
    template: Obj = spec(obj).get("template") or {}
    pod_spec: Obj = template.get("spec") or {}
    return pod_spec


def list_with_more(items: list[str], total: int, limit: int = 3, empty: str = "<unset>") -> str:
    """``listWithMoreString``: at most ``limit`` items, then `` + N more...``."""
    text = ",".join(items[:limit])
    if total > limit:
        return f"{text} + {total - limit} more..."
    return text or empty
