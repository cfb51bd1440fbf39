"""POST, PUT, PATCH and DELETE of objects (K8S_FACTS §7.5).

Bodies arrive as JSON, YAML or Kubernetes protobuf and leave as JSON. A body
without ``apiVersion``/``kind`` takes the ones of the URL, as the API server
defaults them. Every write goes through ``ops.run`` and so through the API
server core (strict decoding per ``fieldValidation``, defaulting, validation,
admission, ``dryRun``); ``Warn`` results come back as ``Warning`` headers.

Simplification: server-side apply (``application/apply-patch+yaml``) creates
the object when it is absent and otherwise merges the applied configuration
like a strategic merge patch; field ownership (``managedFields``) is not
tracked, so there are no apply conflicts and ``force`` has no effect.
"""

from __future__ import annotations

from typing import Any

from cluster.apiserver.context import RequestContext
from cluster.apiserver.patching import PATCH_TYPES, apply_patch
from cluster.core import errors
from cluster.engine.actions import ObjKey
from cluster.sim import SimCluster
from sandbox.k8sapi import negotiate, ops, status
from sandbox.k8sapi.exchange import ApiRequest, Reply, ok
from sandbox.k8sapi.routes import Served, Target

Obj = dict[str, Any]


def body_object(req: ApiRequest, served: Served) -> Obj:
    """The request body as an object of the URL's kind and version (apiVersion/kind defaulted from the URL)."""
    body = negotiate.decode_body(req.body, req.content_type)
    if not isinstance(body, dict):
        raise errors.bad_request("the request body must be an object")
    body.setdefault("apiVersion", served.api_version)
    body.setdefault("kind", served.kind)
    if body["kind"] != served.kind:
        raise errors.bad_request(f"the body of the request is a {body['kind']}, but this URL takes a {served.kind}")
    if not isinstance(body.get("metadata", {}), dict):
        raise errors.bad_request(
            f'{served.kind} in version "{served.version}" cannot be handled as a {served.kind}: '
            "metadata must be an object"
        )
    return body


def _fresh(ctx: RequestContext) -> RequestContext:
    """``ctx`` with no warnings yet (an operation may run again after a concurrent write)."""
    ctx.warnings.clear()
    return ctx


def create(req: ApiRequest, target: Target) -> Reply:
    served = target.served
    if served.info.namespaced and target.namespace is None:
        raise status.method_not_allowed()
    obj = served.incoming(body_object(req, served))
    ctx = ops.write_context(req)

    def write(cluster: SimCluster) -> Obj:
        return cluster.api.create(obj, _fresh(ctx), namespace=target.namespace)

    created = ops.run(req.sandbox_id, write)
    return ok(served.outgoing(created), 201, ctx.warnings)


def _check_identity(obj: Obj, target: Target) -> None:
    meta = obj.setdefault("metadata", {})
    meta.setdefault("name", target.name)
    if meta["name"] != target.name:
        raise errors.bad_request(
            f"the name of the object ({meta['name']}) does not match the name on the URL ({target.name})"
        )
    if target.namespace is not None:
        meta.setdefault("namespace", target.namespace)
        if meta["namespace"] != target.namespace:
            raise errors.bad_request(
                "the namespace of the provided object does not match the namespace sent on the request"
            )


def update(req: ApiRequest, target: Target) -> Reply:
    served = target.served
    body = body_object(req, served)
    _check_identity(body, target)
    obj = served.incoming(body)
    ctx = ops.write_context(req)

    def write(cluster: SimCluster) -> Obj:
        return cluster.api.update(obj, _fresh(ctx), subresource=target.subresource)

    updated = ops.run(req.sandbox_id, write)
    return ok(served.outgoing(updated), 200, ctx.warnings)


def patch_type(req: ApiRequest) -> str:
    media = negotiate.media_type(req.content_type)
    if media not in PATCH_TYPES:
        raise errors.unsupported_media_type(media)
    return PATCH_TYPES[media]


def _patch_existing(cluster: SimCluster, target: Target, patch: Any, kind: str, ctx: RequestContext) -> Obj:
    served = target.served
    namespace = target.namespace or ""
    if served.to_client is None:
        return cluster.api.patch(served.kind, namespace, target.name, patch, kind, ctx, target.subresource)
    # Another served version: patch the object as that version shows it, store the converted result.
    current = served.outgoing(cluster.api.get(served.kind, namespace, target.name))
    patched = apply_patch(served.info, current, patch, kind)
    return cluster.api.update(served.incoming(patched), ctx, subresource=target.subresource)


def patch(req: ApiRequest, target: Target) -> Reply:
    served = target.served
    kind = patch_type(req)
    body = negotiate.decode_body(req.body, req.content_type)
    ctx = ops.write_context(req)
    if kind == "apply" and not ctx.field_manager:
        raise errors.bad_request(
            "PATCH request with apply patch requires a fieldManager (the fieldManager query parameter)"
        )
    key = ObjKey(served.kind, target.namespace or "", target.name)

    def write(cluster: SimCluster) -> tuple[Obj, bool]:
        _fresh(ctx)
        if kind == "apply" and not target.subresource and cluster.api.store.get(key) is None:
            if not isinstance(body, dict):
                raise errors.bad_request("the applied configuration must be an object")
            obj = dict(body)
            _check_identity(obj, target)
            return cluster.api.create(served.incoming(obj), ctx, namespace=target.namespace), True
        return _patch_existing(cluster, target, body, kind, ctx), False

    result, created = ops.run(req.sandbox_id, write)
    return ok(served.outgoing(result), 201 if created else 200, ctx.warnings)


# -- delete ----------------------------------------------------------------------------------------------------------
def delete_options(req: ApiRequest) -> Obj:
    """``DeleteOptions`` from the body (JSON or protobuf; may be empty) with query parameters on top."""
    opts: Obj = {}
    if req.body.strip():
        decoded = negotiate.decode_body(req.body, req.content_type)
        if isinstance(decoded, dict):
            opts = decoded
    grace = negotiate.integer(req.query, "gracePeriodSeconds")
    if grace is not None:
        opts["gracePeriodSeconds"] = grace
    policy = negotiate.text(req.query, "propagationPolicy")
    if policy:
        opts["propagationPolicy"] = policy
    if opts.get("orphanDependents") is not None and not opts.get("propagationPolicy"):
        opts["propagationPolicy"] = "Orphan" if opts["orphanDependents"] else "Background"
    return opts


def _check_preconditions(cluster: SimCluster, target: Target, opts: Obj) -> None:
    wanted = (opts.get("preconditions") or {}).get("resourceVersion")
    current = cluster.api.store.get(ObjKey(target.served.kind, target.namespace or "", target.name))
    if wanted and current is not None and current["metadata"].get("resourceVersion") != wanted:
        info = target.served.info
        why = (
            f"Precondition failed: ResourceVersion in precondition: {wanted}, ResourceVersion in object meta: "
            f"{current['metadata'].get('resourceVersion')}"
        )
        raise errors.conflict(info.plural, info.group, target.name, why)


def delete_one(cluster: SimCluster, target: Target, opts: Obj, ctx: RequestContext) -> tuple[Obj, bool]:
    """Delete the target; returns the object as left and whether it is gone."""
    _check_preconditions(cluster, target, opts)
    kind, namespace = target.served.kind, target.namespace or ""
    uid = (opts.get("preconditions") or {}).get("uid")
    grace = opts.get("gracePeriodSeconds")
    result = cluster.api.delete(
        kind, namespace, target.name, ctx, None if grace is None else int(grace), opts.get("propagationPolicy"), uid
    )
    gone = cluster.api.store.get(ObjKey(kind, namespace, target.name)) is None and not ctx.dry_run
    return result, gone


def delete(req: ApiRequest, target: Target) -> Reply:
    opts = delete_options(req)
    ctx = ops.write_context(req, body_dry_run=list(opts.get("dryRun") or []))

    def write(cluster: SimCluster) -> tuple[Obj, bool]:
        return delete_one(cluster, target, opts, _fresh(ctx))

    result, gone = ops.run(req.sandbox_id, write)
    served = target.served
    if gone and served.kind != "Pod":  # pods return the deleted object itself (ReturnDeletedObject)
        meta = result.get("metadata") or {}
        body = status.success(target.name, served.group, served.plural, str(meta.get("uid", "")))
        return ok(body, 200, ctx.warnings)
    return ok(served.outgoing(result), 200, ctx.warnings)


def delete_collection(req: ApiRequest, target: Target) -> Reply:
    """DELETE on a collection: every object the selectors match; answers the list of what was deleted."""
    served = target.served
    opts = delete_options(req)
    ctx = ops.write_context(req, body_dry_run=list(opts.get("dryRun") or []))
    label = negotiate.text(req.query, "labelSelector") or None
    field = negotiate.text(req.query, "fieldSelector") or None

    def write(cluster: SimCluster) -> list[Obj]:
        items, _ = cluster.api.list(served.kind, target.namespace, label, field, _fresh(ctx))
        deleted = []
        for item in items:
            meta = item["metadata"]
            one = Target(served, meta.get("namespace") if served.info.namespaced else None, meta["name"])
            deleted.append(delete_one(cluster, one, opts, ctx)[0])
        return deleted

    deleted = ops.run(req.sandbox_id, write)
    from sandbox.k8sapi.reads import list_item

    return ok(
        {
            "kind": f"{served.kind}List",
            "apiVersion": served.api_version,
            "metadata": {},
            "items": [list_item(served, o) for o in deleted],
        },
        200,
        ctx.warnings,
    )
