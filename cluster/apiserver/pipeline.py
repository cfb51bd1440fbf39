"""The stages of a write request before it reaches the store (decode, name, default, validate)."""

from __future__ import annotations

import logging
from typing import Any

from cluster.apiserver.context import RequestContext
from cluster.apiserver.store import Store
from cluster.core import errors
from cluster.core.ids import IdSource
from cluster.core.kinds import KindInfo, KindRegistry
from cluster.core.objects import Obj, clone
from cluster.engine.actions import ObjKey

_IMMUTABLE_META = ("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation")
GENERATE_NAME_RETRIES = 8
log = logging.getLogger(__name__)


def decode(registry: KindRegistry, obj: Obj, ctx: RequestContext, copy: bool = True) -> Obj:
    """Check apiVersion/kind and, under strict field validation, reject unknown fields (400).

    Returns the request's own copy of the object. With ``copy=False`` (a
    caller that only reads the body, like PUT …/status) the body is copied
    only when decoding itself must change it (version conversion, pruning).
    """
    if not isinstance(obj, dict):
        raise errors.bad_request("Object 'Kind' is missing in the request body")
    kind, api_version = obj.get("kind"), obj.get("apiVersion")
    if not kind:
        raise errors.bad_request("Object 'Kind' is missing in the request body")
    if not api_version:
        raise errors.bad_request("Object 'apiVersion' is missing in the request body")
    info = registry.by_api_version(str(api_version), str(kind))
    if copy or info is None:
        obj, copy = clone(obj), True
    if info is None:
        info = _convert_version(registry, obj)
    if info is None:
        raise errors.ApiError(404, "NotFound", f'no matches for kind "{kind}" in version "{api_version}"')
    if not isinstance(obj.get("metadata", {}), dict):
        raise errors.bad_request(
            f'{kind} in version "{info.version}" cannot be handled as a {kind}: metadata must be an object'
        )
    if ctx.internal:
        return obj
    from cluster.core import schema

    obj = drop_nulls(obj)
    template = (obj.get("spec") or {}).get("template") if isinstance(obj.get("spec"), dict) else None
    if isinstance(template, dict):
        # Go serialises the template's zero metav1.Time as null: every real Deployment shows it.
        meta = template.setdefault("metadata", {})
        if isinstance(meta, dict):
            meta.setdefault("creationTimestamp", None)

    problem = schema.decode_error(info.kind, obj)
    if problem:
        raise errors.bad_request(schema.cannot_handle_message(info.kind, info.version, problem))

    unknown = schema.unknown_fields(info.kind, obj)
    if unknown:
        if ctx.field_validation == "Strict":
            raise errors.bad_request(schema.strict_error_message(info.kind, info.version, unknown))
        if ctx.field_validation == "Warn":
            ctx.warnings.extend(f'unknown field "{path}"' for path in unknown)
        obj = obj if copy else clone(obj)
        schema.prune_unknown(info.kind, obj)
    return obj


def _convert_version(registry: KindRegistry, obj: Obj) -> KindInfo | None:
    """Serve another version of a kind (autoscaling/v1 HPAs from ``kubectl autoscale``) by converting it."""
    if not registry.has(str(obj.get("kind"))):
        return None
    info = registry.get(str(obj["kind"]))
    pair = (info.extra.get("conversions") or {}).get(str(obj.get("apiVersion")))
    if pair is None:
        return None
    converted = pair[0](obj)
    obj.clear()
    obj.update(converted)
    return info


def drop_nulls(value: Any) -> Any:
    """A copy without ``null`` fields: Go decodes them to zero values, which are then omitted.

    ``creationTimestamp: null`` (what ``kubectl create --dry-run -o yaml`` writes) is the common case.
    """
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) if v is not None else {} for v in value]
    return value


def resolve_name(info: KindInfo, obj: Obj, ids: IdSource, store: Store) -> None:
    """Fill ``metadata.name`` from ``generateName`` (base[:58] + 5 chars, retried on collision)."""
    meta = obj["metadata"]
    if meta.get("name"):
        return
    base = meta.get("generateName")
    if not base:
        raise errors.invalid_object(
            info.kind, info.group, "", [errors.required("metadata.name", "name or generateName is required")]
        )
    base = base[:58] if len(base) > 58 else base
    for _ in range(GENERATE_NAME_RETRIES):
        candidate = base + ids.suffix()
        if store.get(ObjKey(info.kind, meta.get("namespace", "") if info.namespaced else "", candidate)) is None:
            meta["name"] = candidate
            return
    meta["name"] = base + ids.suffix()


def check_namespace(store: Store, info: KindInfo, namespace: str, creating: bool, name: str = "") -> None:
    if not info.namespaced:
        return
    ns = store.get(ObjKey("Namespace", "", namespace))
    if ns is None:
        raise errors.not_found("namespaces", "", namespace)
    if creating and ns["metadata"].get("deletionTimestamp"):
        raise errors.forbidden_request(
            f'{info.plural} "{name}" is forbidden: unable to create new content in namespace {namespace} '
            "because it is being terminated"
        )


def name_errors(info: KindInfo, obj: Obj) -> list[errors.FieldError]:
    from cluster.core.names import validate_object_name

    name = obj["metadata"].get("name", "")
    return [errors.invalid("metadata.name", name, msg) for msg in validate_object_name(info.name_rule, name)]


def default_and_validate(info: KindInfo, obj: Obj, old: Obj | None, ids: IdSource) -> None:
    # A bad name is reported together with everything else that is wrong, as the API server's one
    # validation pass does (``* metadata.name: …`` beside ``* spec.containers[0].image: …``).
    named = name_errors(info, obj) if old is None else []
    errs: list[errors.FieldError] = []
    try:
        if info.defaulter is not None:
            info.defaulter(obj)
        if info.validator is not None:
            errs = info.validator(obj, old)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:
        # A shape the decoder let through but the typed code cannot read: refuse it like a decode error.
        log.warning("refusing a malformed %s: %r", info.kind, exc)
        raise errors.bad_request(
            f'{info.kind} in version "{info.version}" cannot be handled as a {info.kind}: '
            "the object has fields of the wrong type"
        ) from None
    seen = {(e.field, e.detail) for e in errs}
    errs = [e for e in named if (e.field, e.detail) not in seen] + errs
    if errs:
        raise errors.invalid_object(info.kind, info.group, obj["metadata"].get("name", ""), errs)


def preserve_immutable_meta(current: Obj, new: Obj) -> None:
    """Server-owned metadata survives an update whatever the client sent."""
    meta, cur = new["metadata"], current["metadata"]
    for field in _IMMUTABLE_META:
        if field in cur:
            meta[field] = cur[field]
        else:
            meta.pop(field, None)
    meta["resourceVersion"] = cur["resourceVersion"]


# Status strategies of these kinds keep the request's annotations (only spec and labels are reset), which is
# how the deployment controller records ``deployment.kubernetes.io/revision`` without bumping generation.
_STATUS_KEEPS_ANNOTATIONS = {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"}


def merge_status_only(current: Obj, obj: Obj) -> Obj:
    """PUT …/status: take ``status`` (and for apps kinds ``metadata.annotations``) from the request.

    Only ``metadata`` (the store stamps a new resourceVersion into it) and
    ``status`` are new dicts; ``spec``, the other top-level fields and what
    ``metadata`` holds are the stored object's own, shared with the next
    version. Stored objects are never written in place, so sharing between
    versions is safe; nothing is shared with the request.
    """
    new = dict(current)
    new["metadata"] = dict(current["metadata"])
    new["status"] = clone(obj.get("status", {}))
    if current.get("kind") in _STATUS_KEEPS_ANNOTATIONS:
        annotations = (obj.get("metadata") or {}).get("annotations")
        if annotations:
            new["metadata"]["annotations"] = clone(annotations)
        else:
            new["metadata"].pop("annotations", None)
    return new


def bump_generation(info: KindInfo, current: Obj, new: Obj) -> None:
    if "generation" not in current["metadata"]:
        return
    keys = info.generation_keys
    if keys is None:
        keys = tuple(k for k in set(current) | set(new) if k not in ("apiVersion", "kind", "metadata", "status"))
    changed = any(current.get(k) != new.get(k) for k in keys)
    if info.extra.get("generation_includes_annotations"):
        changed = changed or current["metadata"].get("annotations") != new["metadata"].get("annotations")
    if changed:
        new["metadata"]["generation"] = int(current["metadata"].get("generation", 1)) + 1
