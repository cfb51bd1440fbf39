"""``kubectl replace -f``: PUT the whole object (``replaced``); ``--force`` deletes and re-creates it."""

from __future__ import annotations

from typing import Any

from cluster.core import errors
from cluster.core.kinds import KindInfo
from cluster.kubectl.base import CommandError, Env, Output, command, namespace_of
from cluster.kubectl.commands.common import (
    ALLOW_MISSING,
    DRY_RUN,
    FILENAME,
    OUTPUT,
    RECURSIVE,
    SHOW_MANAGED,
    VALIDATE,
    SourcedError,
    dry_run_mode,
    field_manager,
    field_validation,
    no_match_error,
    print_warnings,
    suffix,
)
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples
from cluster.kubectl.printing import check_format, print_object_or_line


def replace_one(env: Env, doc: dict[str, Any], parsed: Parsed, out: Output, source: str) -> None:
    info = env.api.registry.by_api_version(str(doc.get("apiVersion", "")), str(doc.get("kind", "")))
    if info is None:
        raise no_match_error(doc, source)
    meta = doc.setdefault("metadata", {})
    namespace = str(meta.get("namespace") or namespace_of(env, parsed)) if info.namespaced else ""
    if info.namespaced:
        meta["namespace"] = namespace
    mode = dry_run_mode(parsed)
    ctx = env.ctx(dry_run=mode == "server", field_validation=field_validation(parsed),
                  field_manager=str(parsed.get("field-manager") or "kubectl-replace"))  # fmt: skip
    name = str(meta.get("name", ""))
    if parsed.get("force"):
        _force(env, info, namespace, name, mode, out, source)
        verb = "creating"
    else:
        verb = "replacing"
    try:
        if mode == "client":
            result = doc
        elif parsed.get("force"):
            result = env.api.create(doc, ctx, namespace=namespace or None)
        else:
            env.api.get(info.kind, namespace, name, env.ctx())
            result = env.api.update(doc, ctx)
    except errors.ApiError as exc:
        raise SourcedError(exc, verb, source) from None
    print_warnings(ctx.warnings, out)
    print_object_or_line(env, info, result, parsed, out, f"replaced{suffix(mode)}")


def _force(env: Env, info: KindInfo, namespace: str, name: str, mode: str, out: Output, source: str) -> None:
    """``--force``: delete immediately, then create."""
    if mode == "client":
        return
    try:
        env.api.delete(info.kind, namespace, name, env.ctx(dry_run=mode == "server"), 0, "Background")
    except errors.ApiError as exc:
        if exc.reason != "NotFound":
            raise SourcedError(exc, "deleting", source) from None
        return
    out.out(f'{info.kubectl_prefix} "{name}" deleted')


@command(
    "replace",
    short="Replace a resource by file name or stdin",
    long=(
        "Replace a resource by file name or stdin.\n\n JSON and YAML formats are accepted. If replacing an existing "
        "resource, the complete resource spec must be provided. This can be obtained by\n\n        $ kubectl get TYPE "
        "NAME -o yaml"
    ),
    usage="kubectl replace -f FILENAME [options]",
    flags=(
        FILENAME,
        OUTPUT,
        DRY_RUN,
        VALIDATE,
        RECURSIVE,
        ALLOW_MISSING,
        SHOW_MANAGED,
        field_manager("kubectl-replace"),
        Flag(
            "force",
            kind="bool",
            help="If true, immediately remove resources from API and bypass graceful "
            "deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and "
            "requires confirmation.",
        ),
        Flag(
            "save-config",
            kind="bool",
            help="If true, the configuration of current object will be saved in its "
            "annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform "
            "kubectl apply on this object in the future.",
        ),
    ),
    examples=examples(
        """
        # Replace a pod using the data in pod.json
        kubectl replace -f ./pod.json

        # Replace a pod based on the JSON passed into stdin
        cat pod.json | kubectl replace -f -

        # Force replace, delete and then re-create the resource
        kubectl replace --force -f ./pod.json
        """
    ),
)
def replace(env: Env, parsed: Parsed, out: Output) -> None:
    from cluster.kubectl import hints
    from cluster.kubectl.commands.sources import read_sources

    if parsed.args:
        raise CommandError(f"Unexpected args: [{' '.join(parsed.args)}]", usage_of="kubectl replace")
    check_format(parsed)
    for source in read_sources(env, parsed, "replace"):
        for doc in source.documents:
            try:
                replace_one(env, doc, parsed, out, source.name)
            except SourcedError as exc:
                out.fail(exc.text())
                out.hints.extend(hints.for_api_error(exc.exc, env.lang))
            except CommandError as exc:
                out.fail(exc.text())
