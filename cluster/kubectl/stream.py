"""Streaming commands: ``get -w``, ``rollout status`` and ``logs -f`` keep printing as the cluster changes.

A streaming command returns ``Output.stream``, a JSON-able descriptor of what
it watches. The terminal's consumer then calls ``stream_update(env, stream,
changes)`` with each batch of store changes (``cluster.apiserver.store.Change``)
and prints the returned lines until the stream reports it has finished (or the
learner presses Ctrl-C). The descriptor is updated in place (last resource
version seen, lines already printed), so it can be kept with the session.

``get -w`` rows stay aligned with the initial table because the printers'
``TableStream`` remembers column widths. Those objects live in a small
per-process cache keyed by the stream id; if the id is unknown (another process,
a restart) the widths are rebuilt from the objects currently listed — a
simplification that can shift a column by a few characters, never more.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from typing import TYPE_CHECKING, Any

from cluster.core import errors
from cluster.core.kinds import KindInfo
from cluster.kubectl.base import Env, Output, namespace_of
from cluster.kubectl.flags import Parsed

if TYPE_CHECKING:
    from cluster.apiserver.store import Change
    from cluster.kubectl.printers import TableStream

_TABLE_STREAMS: OrderedDict[str, TableStream] = OrderedDict()
_CACHE_SIZE = 256
_ids = itertools.count(1)
Obj = dict[str, Any]


def _new_id(env: Env, kind: str) -> str:
    return f"{kind.lower()}-{env.api.store.resource_version}-{next(_ids)}"


def _remember(stream_id: str, table_stream: TableStream) -> None:
    _TABLE_STREAMS[stream_id] = table_stream
    _TABLE_STREAMS.move_to_end(stream_id)
    while len(_TABLE_STREAMS) > _CACHE_SIZE:
        _TABLE_STREAMS.popitem(last=False)


def _table_stream(stream: dict[str, Any]) -> TableStream:
    from cluster.kubectl.printers import TableStream

    return TableStream(
        wide=bool(stream.get("wide")),
        all_namespaces=bool(stream.get("allNamespaces")),
        show_labels=bool(stream.get("showLabels")),
        label_columns=list(stream.get("labelColumns") or []),
        no_headers=bool(stream.get("noHeaders")),
    )


# -- get -w ------------------------------------------------------------------------------------------------------
def start_get_watch(
    env: Env,
    parsed: Parsed,
    fmt: str,
    pairs: list[tuple[KindInfo, str | None]],
    groups: list[tuple[KindInfo, list[Obj]]],
    out: Output,
) -> None:

    info = pairs[0][0]
    all_ns = bool(parsed.get("all-namespaces"))
    stream: dict[str, Any] = {
        "type": "get-watch",
        "id": _new_id(env, info.kind),
        "kind": info.kind,
        "namespace": None if (all_ns or not info.namespaced) else namespace_of(env, parsed),
        "names": [n for _, n in pairs if n],
        "selector": str(parsed.get("selector") or ""),
        "fieldSelector": str(parsed.get("field-selector") or ""),
        "format": fmt,
        "wide": fmt == "wide",
        "allNamespaces": all_ns and info.namespaced,
        "showLabels": bool(parsed.get("show-labels")),
        "labelColumns": list(parsed.get("label-columns") or []),
        "noHeaders": bool(parsed.get("no-headers")),
        "rv": env.api.store.resource_version,
        "printed": False,
    }
    table_stream = _table_stream(stream)
    _remember(stream["id"], table_stream)
    items = [o for _, objs in groups for o in objs]
    if items and not parsed.get("watch-only"):
        out.out_lines(_format_objects(env, stream, table_stream, items))
    out.stream = stream


def _format_objects(env: Env, stream: dict[str, Any], table_stream: TableStream, objects: list[Obj]) -> list[str]:
    from cluster.kubectl import printers
    from cluster.kubectl.printing import render_objects

    fmt = stream["format"]
    if fmt in ("", "wide"):
        table = printers.to_table(stream["kind"], objects, env.now_ms(), no_headers=bool(stream["printed"]))
        rows = table_stream.rows(table) if stream["printed"] else table_stream.header_and_rows(table)
        stream["printed"] = True
        return rows
    stream["printed"] = True
    if fmt == "name":
        info = env.api.registry.get(stream["kind"])
        return [f"{info.kubectl_prefix}/{o['metadata']['name']}" for o in objects]
    lines: list[str] = []
    for obj in objects:
        text = render_objects(fmt, [obj])
        lines.extend(["---", *text.split("\n")] if fmt == "yaml" and lines else text.split("\n"))
    return lines


def _matches_watch(env: Env, stream: dict[str, Any], change: Change) -> bool:
    key = change.key
    if key.kind != stream["kind"] or change.resource_version <= int(stream.get("rv") or 0):
        return False
    if stream.get("namespace") and key.namespace != stream["namespace"]:
        return False
    if stream.get("names") and key.name not in stream["names"]:
        return False
    info = env.api.registry.get(stream["kind"])
    selector = stream.get("selector") or None
    field_selector = stream.get("fieldSelector") or None
    if selector or field_selector:
        from cluster.apiserver.selection import select

        try:
            return bool(select(info, [change.obj], selector, field_selector))
        except errors.ApiError:
            return False
    return True


def _get_watch_update(env: Env, stream: dict[str, Any], changes: list[Change]) -> list[str]:
    table_stream = _TABLE_STREAMS.get(str(stream.get("id")))
    if table_stream is None:
        table_stream = _rebuild(env, stream)
    lines: list[str] = []
    for change in changes:
        if _matches_watch(env, stream, change):
            lines += _format_objects(env, stream, table_stream, [change.obj])
        stream["rv"] = max(int(stream.get("rv") or 0), change.resource_version)
    return lines


def _rebuild(env: Env, stream: dict[str, Any]) -> TableStream:
    """A lost TableStream (another process): re-learn column widths from the current objects."""
    from cluster.kubectl import printers

    table_stream = _table_stream(stream)
    if stream.get("printed") and stream["format"] in ("", "wide"):
        items = env.api.store.list(stream["kind"], stream.get("namespace"))
        table_stream.header_and_rows(printers.to_table(stream["kind"], items, env.now_ms()))
    _remember(str(stream.get("id")), table_stream)
    return table_stream


# -- dispatch ----------------------------------------------------------------------------------------------------
def stream_update(env: Env, stream: dict[str, Any], changes: list[Change]) -> tuple[list[str], bool]:
    """New lines to print for a batch of store changes, and whether the stream has finished."""
    kind = stream.get("type")
    if kind == "get-watch":
        return _get_watch_update(env, stream, changes), False
    if kind == "rollout-status":
        from cluster.kubectl.commands.rollout_status import rollout_status_update

        return rollout_status_update(env, stream, changes)
    if kind == "logs-follow":
        from cluster.kubectl.commands.logs import logs_follow_update

        return logs_follow_update(env, stream, changes)
    return [], True


def stop_stream(stream: dict[str, Any]) -> None:
    """Forget a stream's cached state (Ctrl-C)."""
    _TABLE_STREAMS.pop(str(stream.get("id")), None)
