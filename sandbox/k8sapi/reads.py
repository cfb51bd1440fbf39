"""GET of one object and LIST of a collection, as JSON, a server-side Table or metadata only (K8S_FACTS §7.3).

Tables are built by the same printers as the sandbox terminal's ``kubectl
get`` (every column, ``-o wide`` ones with priority 1), so the real kubectl
shows exactly the columns the browser does. Lists honour label and field
selectors and ``limit``/``continue``; items are sorted by namespace then name.

Simplifications: a list is always served from the current state
(``resourceVersion``/``resourceVersionMatch`` are accepted but not used to
serve older snapshots), and a ``continue`` token resumes after the last key
of the previous page in the current state rather than in a frozen snapshot.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from cluster.core import errors
from cluster.kubectl.printers import partial_object_metadata, to_table
from cluster.sim import SimCluster
from sandbox.k8sapi import negotiate, ops
from sandbox.k8sapi.exchange import ApiRequest, Reply, ok
from sandbox.k8sapi.routes import Served, Target

Obj = dict[str, Any]
INCLUDE_OBJECT = ("None", "Metadata", "Object")


def _include_object(req: ApiRequest) -> str:
    value = negotiate.text(req.query, "includeObject") or "Metadata"
    if value not in INCLUDE_OBJECT:
        raise errors.bad_request(
            f'includeObject: Unsupported value: "{value}": supported values: "None", "Metadata", "Object"'
        )
    return value


def table(req: ApiRequest, served: Served, objects: list[Obj], now_ms: int, rv: str, headers: bool = True) -> Obj:
    """The Table the client asked for; embedded full objects are in the version it asked for."""
    include = _include_object(req)
    body = to_table(served.kind, objects, now_ms, include_object=include, resource_version=rv, no_headers=not headers)
    body["apiVersion"] = f"meta.k8s.io/{negotiate.table_version(req.accept) or 'v1'}"
    if include == "Object":
        for row, obj in zip(body["rows"], objects, strict=True):
            row["object"] = served.outgoing(obj)
    return body


def render_object(req: ApiRequest, served: Served, obj: Obj, now_ms: int) -> Obj:
    if negotiate.table_version(req.accept):
        return table(req, served, [obj], now_ms, obj["metadata"].get("resourceVersion", ""))
    partial = negotiate.partial_metadata(req.accept)
    if partial:
        return {**partial_object_metadata(obj), "apiVersion": f"meta.k8s.io/{partial[1]}"}
    return served.outgoing(obj)


def get(req: ApiRequest, target: Target) -> Reply:
    ctx = ops.read_context(req)
    namespace = target.namespace or ""

    def read(cluster: SimCluster) -> tuple[Obj, int]:
        return cluster.api.get(target.served.kind, namespace, target.name, ctx), cluster.now_ms

    obj, now_ms = ops.run(req.sandbox_id, read)
    return ok(render_object(req, target.served, obj, now_ms))


# -- lists -----------------------------------------------------------------------------------------------------
def _key(obj: Obj) -> str:
    meta = obj.get("metadata") or {}
    return f"{meta.get('namespace', '')}/{meta.get('name', '')}"


def encode_continue(rv: int, last_key: str) -> str:
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": rv, "start": last_key + "\u0000"}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode("utf-8")).decode("ascii")


def decode_continue(token: str) -> str:
    """The key a ``continue`` token resumes after (400 for a token this server did not issue)."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode("ascii") + b"=" * (-len(token) % 4)))
        start = str(data["start"])
    except (ValueError, KeyError, TypeError, binascii.Error) as exc:
        raise errors.bad_request(f"continue key is not valid: {exc}") from exc
    return start[:-1] if start.endswith("\u0000") else start


def paginate(items: list[Obj], rv: int, limit: int | None, token: str) -> tuple[list[Obj], Obj]:
    """One page of ``items`` and the list metadata (``continue``, ``remainingItemCount``)."""
    if token:
        after = decode_continue(token)
        items = [o for o in items if _key(o) > after]
    meta: Obj = {"resourceVersion": str(rv)}
    if limit is not None and limit > 0 and len(items) > limit:
        page = items[:limit]
        meta["continue"] = encode_continue(rv, _key(page[-1]))
        meta["remainingItemCount"] = len(items) - limit
        return page, meta
    return items, meta


def list_objects(req: ApiRequest, target: Target) -> Reply:
    ctx = ops.read_context(req)
    served = target.served
    label = negotiate.text(req.query, "labelSelector") or None
    field = negotiate.text(req.query, "fieldSelector") or None

    def read(cluster: SimCluster) -> tuple[list[Obj], int, int]:
        items, rv = cluster.api.list(served.kind, target.namespace, label, field, ctx)
        return items, rv, cluster.now_ms

    items, rv, now_ms = ops.run(req.sandbox_id, read)
    page, meta = paginate(items, rv, negotiate.integer(req.query, "limit"), negotiate.text(req.query, "continue"))
    if negotiate.table_version(req.accept):
        body = table(req, served, page, now_ms, str(rv))
        body["metadata"] = meta
        return ok(body)
    partial = negotiate.partial_metadata(req.accept)
    if partial:
        version = partial[1]
        kind = "PartialObjectMetadataList"
        metas = [{**partial_object_metadata(o), "apiVersion": f"meta.k8s.io/{version}"} for o in page]
        return ok({"kind": kind, "apiVersion": f"meta.k8s.io/{version}", "metadata": meta, "items": metas})
    return ok(
        {
            "kind": f"{served.kind}List",
            "apiVersion": served.api_version,
            "metadata": meta,
            "items": [list_item(served, o) for o in page],
        }
    )


def list_item(served: Served, obj: Obj) -> Obj:
    """An item of a list: in the served version, without ``apiVersion``/``kind`` (real lists omit them)."""
    item = dict(served.outgoing(obj))
    item.pop("apiVersion", None)
    item.pop("kind", None)
    return item
