"""``kubectl apply -f``: client-side apply with the last-applied annotation and a three-way patch.

Create when absent (``created``); otherwise a strategic merge patch computed
from (last applied, this manifest, live object): ``configured``, or
``unchanged`` when that patch is empty and nothing is sent (K8S_FACTS §7.5).
"""

from __future__ import annotations

import json
from typing import Any

from cluster.core import errors
from cluster.core.objects import clone
from cluster.kubectl import hints
from cluster.kubectl.base import Env, Output, command, namespace_of
from cluster.kubectl.commands.common import (
    DRY_RUN,
    FIELD_MANAGER,
    FILENAME,
    OUTPUT,
    RECURSIVE,
    VALIDATE,
    SourcedError,
    dry_run_mode,
    field_validation,
    no_match_error,
    read_sources,
    suffix,
)
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.printing import print_object_or_line

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def last_applied_json(manifest: dict[str, Any]) -> str:
    """What kubectl stores: the manifest (annotation excluded, ``annotations: {}`` kept), compact, keys sorted, + newline."""
    doc = clone(manifest)
    annotations = doc.setdefault("metadata", {}).setdefault("annotations", {})
    annotations.pop(LAST_APPLIED, None)
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def with_annotation(manifest: dict[str, Any]) -> dict[str, Any]:
    doc = clone(manifest)
    text = last_applied_json(doc)
    doc.setdefault("metadata", {}).setdefault("annotations", {})[LAST_APPLIED] = text
    return doc


def apply_one(env: Env, doc: dict[str, Any], parsed: Parsed, out: Output, source: str) -> None:
    info = env.api.registry.by_api_version(str(doc.get("apiVersion", "")), str(doc.get("kind", "")))
    if info is None:
        raise no_match_error(doc, source)
    mode = dry_run_mode(parsed)
    doc = clone(doc)
    meta = doc.setdefault("metadata", {})
    namespace = meta.get("namespace") or namespace_of(env, parsed)
    if info.namespaced:
        meta["namespace"] = namespace
    name = meta.get("name", "")
    ctx = env.ctx(dry_run=mode == "server", field_validation=field_validation(parsed))
    try:
        current = env.api.get(info.kind, namespace, name, env.ctx()) if name else None
    except errors.ApiError as exc:
        if exc.reason != "NotFound":
            raise
        current = None
    if parsed.get("server-side"):
        result = _server_side(env, info.kind, namespace, doc, current, ctx, mode)
        print_object_or_line(env, info, result, parsed, out, f"serverside-applied{suffix(mode)}")
        return
    modified = with_annotation(doc)
    if current is None:
        try:
            created = modified if mode == "client" else env.api.create(modified, ctx, namespace=namespace if info.namespaced else None)
        except errors.ApiError as exc:
            raise SourcedError(exc, "creating", source) from None
        _warnings(ctx, out)
        print_object_or_line(env, info, created, parsed, out, f"created{suffix(mode)}")
        return
    from cluster.core.patch import create_three_way_patch

    annotations = (current.get("metadata") or {}).get("annotations") or {}
    original = None
    if LAST_APPLIED in annotations:
        try:
            original = json.loads(annotations[LAST_APPLIED])
        except ValueError:
            original = None
    else:
        out.err(
            f"Warning: resource {info.plural}/{name} is missing the {LAST_APPLIED} annotation which is required by kubectl "
            "apply. kubectl apply should only be used on resources created declaratively by either kubectl create "
            "--save-config or kubectl apply. The missing annotation will be patched automatically."
        )
    patch = create_three_way_patch(original, modified, current, info.kind)
    if not patch:
        print_object_or_line(env, info, current, parsed, out, f"unchanged{suffix(mode)}")
        return
    try:
        result = current if mode == "client" else env.api.patch(info.kind, namespace, name, patch, "strategic", ctx)
    except errors.ApiError as exc:
        raise SourcedError(exc, "patching", source) from None
    _warnings(ctx, out)
    print_object_or_line(env, info, result, parsed, out, f"configured{suffix(mode)}")


def _server_side(env: Env, kind: str, namespace: str, doc: dict[str, Any], current: dict[str, Any] | None, ctx: Any, mode: str) -> dict[str, Any]:
    if mode == "client":
        return doc
    if current is None:
        return env.api.create(doc, ctx, namespace=namespace)
    return env.api.patch(kind, namespace, doc["metadata"]["name"], doc, "apply", ctx)


def _warnings(ctx: Any, out: Output) -> None:
    for warning in ctx.warnings:
        out.err(f"Warning: {warning}")


@command(
    "apply",
    short="Apply a configuration to a resource by file name or stdin",
    usage="kubectl apply (-f FILENAME | -k DIRECTORY) [options]",
    flags=(FILENAME, OUTPUT, DRY_RUN, VALIDATE, FIELD_MANAGER, RECURSIVE,
           Flag("server-side", kind="bool", help="If true, apply runs in the server instead of the client."),
           Flag("force-conflicts", kind="bool", help="If true, server-side apply will force the changes against conflicts."),
           Flag("prune", kind="bool", help="Automatically delete resource objects that do not appear in the configs."),
           Flag("selector", short="l", help="Selector (label query) to filter on.")),
    examples="  # Apply the configuration in pod.json to a pod\n  kubectl apply -f ./pod.json",
)
def apply(env: Env, parsed: Parsed, out: Output) -> None:
    failed = False
    for source in read_sources(env, parsed):
        for doc in source.documents:
            try:
                apply_one(env, doc, parsed, out, source.name)
            except SourcedError as exc:
                out.err(exc.text())
                out.hints.extend(hints.for_api_error(exc.exc, env.lang))
                failed = True
    if failed:
        out.exit_code = 1
