"""The API server: the only writer of cluster state.

Requests from kubectl, the REST API, lessons and every controller come here.
Each write runs the same pipeline a real kube-apiserver does — decode (strict
unknown-field check), name and namespace checks, defaulting, validation,
admission (quotas, IP/port allocation), optimistic concurrency on
``resourceVersion`` — then one store write, traced as
``<actor> -> api-server`` and ``api-server -> etcd``.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from typing import Any

from cluster.apiserver import admission, deletion
from cluster.apiserver.context import RequestContext
from cluster.apiserver.pipeline import (
    bump_generation,
    check_namespace,
    decode,
    default_and_validate,
    merge_status_only,
    preserve_immutable_meta,
    resolve_name,
)
from cluster.apiserver.store import Change, Store
from cluster.core import errors
from cluster.core.ids import IdSource
from cluster.core.kinds import KindInfo, KindRegistry
from cluster.core.objects import Obj, clone
from cluster.core.timefmt import rfc3339
from cluster.engine.actions import ObjKey
from cluster.engine.trace import Tracer

DEFAULT_QUOTAS = {"pods": 500, "nodes": 20, "objects": 2000}


class ApiServer:
    def __init__(
        self,
        store: Store,
        registry: KindRegistry,
        ids: IdSource,
        tracer: Tracer,
        clock: Callable[[], int],
        quotas: dict[str, int] | None = None,
    ) -> None:
        self.store = store
        self.registry = registry
        self.ids = ids
        self.tracer = tracer
        self.clock = clock
        self.quotas = {**DEFAULT_QUOTAS, **(quotas or {})}

    # -- helpers ---------------------------------------------------------------------------------------------
    def info(self, kind: str) -> KindInfo:
        if not self.registry.has(kind):
            raise errors.ApiError(404, "NotFound", "the server could not find the requested resource")
        return self.registry.get(kind)

    def _key(self, info: KindInfo, namespace: str, name: str) -> ObjKey:
        return ObjKey(info.kind, namespace if info.namespaced else "", name)

    def _trace_request(self, ctx: RequestContext, verb: str, info: KindInfo, key: ObjKey, text: str) -> None:
        obj = f"{info.plural}/{key.namespace}/{key.name}" if key.namespace else f"{info.plural}/{key.name}"
        self.tracer.emit(
            self.clock(),
            ctx.actor,
            "api-server",
            verb,
            text,
            obj=obj,
            code=f"api.{verb.lower()}",
            params={"resource": info.plural, "namespace": key.namespace, "name": key.name, "component": ctx.component},
        )

    def _trace_write(self, rv: int, key: ObjKey, op: str) -> None:
        self.tracer.emit(
            self.clock(),
            "api-server",
            "etcd",
            "write",
            f"{op} {key.kind.lower()} {key.name} (rv={rv})",
            obj=str(key),
            code="etcd.write",
            params={"rv": rv, "op": op, "kind": key.kind, "name": key.name},
        )

    def _write(self, obj: Obj, op: str) -> Obj:
        stored = self.store.put(obj)
        self._trace_write(self.store.resource_version, ObjKey.of(stored), op)
        return stored

    # -- reads -----------------------------------------------------------------------------------------------
    def get(self, kind: str, namespace: str, name: str, ctx: RequestContext | None = None) -> Obj:
        info = self.info(kind)
        key = self._key(info, namespace, name)
        if ctx is not None and ctx.is_user:
            self._trace_request(ctx, "GET", info, key, f"get {info.singular} {name}")
        obj = self.store.get(key)
        if obj is None:
            raise errors.not_found(info.plural, info.group, name)
        found: Obj = clone(obj)
        return found

    def list(
        self,
        kind: str,
        namespace: str | None = None,
        label_selector: str | None = None,
        field_selector: str | None = None,
        ctx: RequestContext | None = None,
    ) -> tuple[list[Obj], int]:
        """Objects sorted by namespace then name, and the list's resourceVersion."""
        from cluster.apiserver.selection import select

        info = self.info(kind)
        if ctx is not None and ctx.is_user:
            self._trace_request(ctx, "LIST", info, ObjKey(kind, namespace or "", ""), f"list {info.plural}")
        items = self.store.list(kind, namespace if info.namespaced else None)
        chosen = select(info, items, label_selector, field_selector)
        return [clone(o) for o in chosen], self.store.resource_version

    # -- create ----------------------------------------------------------------------------------------------
    def create(
        self, obj: Obj, ctx: RequestContext | None = None, namespace: str | None = None, *, handed_over: bool = False
    ) -> Obj:
        """POST ``obj``. ``handed_over``: the caller built ``obj`` for this request alone and keeps no reference
        to it (the event recorder), so the API server may store it without copying it first."""
        ctx = ctx or RequestContext()
        obj = decode(self.registry, obj, ctx, copy=not handed_over)
        info = self.info(obj["kind"])
        meta = obj.setdefault("metadata", {})
        if info.namespaced:
            if namespace and meta.get("namespace") and meta["namespace"] != namespace:
                raise errors.bad_request(
                    "the namespace of the provided object does not match the namespace sent on the request"
                )
            meta["namespace"] = meta.get("namespace") or namespace or "default"
        else:
            meta.pop("namespace", None)
        resolve_name(info, obj, self.ids, self.store)
        key = ObjKey.of(obj)
        self._trace_request(ctx, "POST", info, key, f"create {info.singular} {key.name}")
        check_namespace(self.store, info, key.namespace, creating=True, name=key.name)
        if self.store.get(key) is not None:
            raise errors.already_exists(info.plural, info.group, key.name)
        for stale in ("resourceVersion", "uid", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"):
            meta.pop(stale, None)
        now = self.clock()
        meta["creationTimestamp"] = rfc3339(now)
        default_and_validate(info, obj, None, self.ids)
        admission.admit_create(self, info, obj, ctx)
        meta["uid"] = self.ids.uid()
        if info.kind in admission.GENERATION_KINDS:
            meta["generation"] = 1
        if info.has_status and "status" not in obj:
            obj["status"] = {}
        admission.on_create(self, info, obj, now)
        if ctx.dry_run:
            return obj
        stored = self._write(obj, "create")
        return stored if ctx.internal else clone(stored)

    # -- update ----------------------------------------------------------------------------------------------
    def update(self, obj: Obj, ctx: RequestContext | None = None, subresource: str = "") -> Obj:
        ctx = ctx or RequestContext()
        status_only = subresource == "status"
        # PUT …/status only reads the body (merge_status_only copies what it takes): no copy of the whole body.
        obj = decode(self.registry, obj, ctx, copy=not status_only)
        info = self.info(obj["kind"])
        meta = (obj.get("metadata") or {}) if status_only else obj.setdefault("metadata", {})
        namespace = meta.get("namespace") or ("default" if info.namespaced else "")
        key = self._key(info, namespace, meta.get("name", ""))
        verb = "PUT" if not subresource else f"PUT {subresource}"
        self._trace_request(
            ctx, verb, info, key, f"update {info.singular} {key.name}" + (f"/{subresource}" if subresource else "")
        )
        current = self.store.get(key)
        if current is None:
            raise errors.not_found(info.plural, info.group, key.name)
        sent_rv = meta.get("resourceVersion")
        if sent_rv and str(sent_rv) != current["metadata"]["resourceVersion"]:
            raise errors.conflict(info.plural, info.group, key.name)
        if meta.get("uid") and meta["uid"] != current["metadata"].get("uid"):
            raise errors.conflict(
                info.plural,
                info.group,
                key.name,
                f"Precondition failed: UID in precondition: {meta['uid']}, "
                f"UID in object meta: {current['metadata'].get('uid')}",
            )
        if status_only:
            new = merge_status_only(current, obj)
        else:
            new = obj
            if info.has_status:
                new["status"] = clone(current.get("status", {}))
            if info.namespaced:
                new["metadata"]["namespace"] = namespace
            preserve_immutable_meta(current, new)
            default_and_validate(info, new, current, self.ids)
        if new == current:
            return current if ctx.internal else clone(current)
        admission.admit_update(self, info, new, current, ctx)
        if subresource != "status":
            bump_generation(info, current, new)
        if ctx.dry_run:
            return new
        stored = deletion.maybe_finalize(self, self._write(new, "update"))
        return stored if ctx.internal else clone(stored)

    def update_status(self, obj: Obj, ctx: RequestContext | None = None) -> Obj:
        return self.update(obj, ctx, subresource="status")

    # -- patch -----------------------------------------------------------------------------------------------
    def patch(
        self,
        kind: str,
        namespace: str,
        name: str,
        patch: Any,
        patch_type: str = "merge",
        ctx: RequestContext | None = None,
        subresource: str = "",
    ) -> Obj:
        from cluster.apiserver.patching import apply_patch

        ctx = ctx or RequestContext()
        info = self.info(kind)
        key = self._key(info, namespace or "default", name)
        current = self.store.get(key)
        if current is None:
            self._trace_request(ctx, "PATCH", info, key, f"patch {info.singular} {name}")
            raise errors.not_found(info.plural, info.group, name)
        patched = apply_patch(info, clone(current), patch, patch_type)
        if subresource == "status":
            return self.update(patched, ctx, subresource="status")
        return self.update(patched, ctx)

    # -- delete ----------------------------------------------------------------------------------------------
    def delete(
        self,
        kind: str,
        namespace: str,
        name: str,
        ctx: RequestContext | None = None,
        grace_period_seconds: int | None = None,
        propagation: str | None = None,
        uid: str | None = None,
    ) -> Obj:
        """Returns the object as left by the delete (still present while terminating or finalizing)."""
        ctx = ctx or RequestContext()
        info = self.info(kind)
        key = self._key(info, namespace or "default", name)
        self._trace_request(ctx, "DELETE", info, key, f"delete {info.singular} {name}")
        current = self.store.get(key)
        if current is None:
            raise errors.not_found(info.plural, info.group, name)
        if uid and current["metadata"].get("uid") != uid:
            raise errors.conflict(
                info.plural,
                info.group,
                name,
                f"Precondition failed: UID in precondition: {uid}, UID in object meta: "
                f"{current['metadata'].get('uid')}",
            )
        if propagation not in (None, "Background", "Foreground", "Orphan"):
            raise errors.bad_request(f'propagationPolicy "{propagation}" is not supported')
        admission.admit_delete(info, current)
        if ctx.dry_run:
            unchanged: Obj = clone(current)
            return unchanged
        result = deletion.delete(self, info, current, grace_period_seconds, propagation)
        return result if ctx.internal else clone(result)

    # -- subresources ----------------------------------------------------------------------------------------
    def bind(self, namespace: str, name: str, node: str, ctx: RequestContext | None = None) -> Obj:
        """POST pods/<name>/binding: set spec.nodeName once and mark PodScheduled."""
        ctx = ctx or RequestContext(actor="scheduler", component="default-scheduler")
        info = self.info("Pod")
        key = ObjKey("Pod", namespace, name)
        self._trace_request(ctx, "POST binding", info, key, f"bind pod {name} to {node}")
        current = self.store.get(key)
        if current is None:
            raise errors.not_found("pods", "", name)
        if current.get("spec", {}).get("nodeName"):
            raise errors.conflict(
                "pods", "", name, f'pod {name} is already assigned to node "{current["spec"]["nodeName"]}"'
            )
        if current["metadata"].get("deletionTimestamp"):
            raise errors.conflict("pods", "", name, "pod is being deleted, cannot be assigned to a host")
        # Copy only the dicts the binding writes: metadata (new resourceVersion), spec (nodeName) and status; what
        # they hold is shared with the stored version (stored objects are never written in place).
        new = dict(current)
        new["metadata"] = dict(current["metadata"])
        new["spec"] = dict(current["spec"])
        new["spec"]["nodeName"] = node
        status = current.get("status")
        status = new["status"] = dict(status) if isinstance(status, dict) else new.setdefault("status", {})
        conditions = [c for c in status.get("conditions", []) if c.get("type") != "PodScheduled"]
        conditions.append(
            {
                "type": "PodScheduled",
                "status": "True",
                "lastProbeTime": None,
                "lastTransitionTime": rfc3339(self.clock()),
            }
        )
        status["conditions"] = conditions
        status.setdefault("phase", "Pending")
        stored = self._write(new, "bind")
        return stored if ctx.internal else clone(stored)

    # -- watch -----------------------------------------------------------------------------------------------
    def changes_since(self, resource_version: int) -> builtins.list[Change]:
        changes = self.store.changes_since(resource_version)
        if changes is None:
            raise errors.gone(f"too old resource version: {resource_version} ({self.store.oldest_rv})")
        return changes

    # -- private component state -----------------------------------------------------------------------------
    def set_private(self, key: ObjKey, data: dict[str, Any] | None) -> None:
        self.store.set_private(key, data)
