"""``kubectl apply -f``: client-side apply with the last-applied annotation and a three-way patch.

Create when absent (``created``); otherwise a strategic merge patch computed
from (last applied, this manifest, live object): ``configured``, or
``unchanged`` when that patch is empty and nothing is sent (K8S_FACTS §7.5).
``--server-side`` sends the manifest as an apply patch (``serverside-applied``).
"""

from __future__ import annotations

from typing import Any

from cluster.core import errors
from cluster.core.kinds import KindInfo
from cluster.core.objects import clone
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

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def last_applied_json(manifest: dict[str, Any]) -> str:
    """What kubectl stores: the manifest (annotation excluded, ``annotations: {}`` kept), Go-compact JSON + newline."""
    from cluster.kubectl.printers import json_dumps

    doc = clone(manifest)
    annotations = doc.setdefault("metadata", {}).setdefault("annotations", {})
    annotations.pop(LAST_APPLIED, None)
    return str(json_dumps(doc, indent=0)) + "\n"


def with_annotation(manifest: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = clone(manifest)
    text = last_applied_json(doc)
    doc.setdefault("metadata", {}).setdefault("annotations", {})[LAST_APPLIED] = text
    return doc


def _prepare(env: Env, doc: dict[str, Any], parsed: Parsed, source: str) -> tuple[KindInfo, dict[str, Any], str]:
    info = env.api.registry.by_api_version(str(doc.get("apiVersion", "")), str(doc.get("kind", "")))
    if info is None:
        raise no_match_error(doc, source)
    doc = clone(doc)
    meta = doc.setdefault("metadata", {})
    if not isinstance(meta, dict):
        raise CommandError(f'error validating "{source}": error validating data: metadata must be an object')
    given = str(parsed.get("namespace") or "") if parsed.has("namespace") else ""
    namespace = str(meta.get("namespace") or namespace_of(env, parsed))
    if given and meta.get("namespace") and meta["namespace"] != given:
        raise CommandError(
            f'the namespace from the provided object "{meta["namespace"]}" does not match the namespace "{given}". '
            f"You must pass '--namespace={meta['namespace']}' to perform this operation."
        )
    if info.namespaced:
        meta["namespace"] = namespace
    if not meta.get("name"):
        raise CommandError(
            f'error when retrieving current configuration of:\nResource: "{info.resource_ref}", GroupVersionKind: '
            f'"{info.api_version}, Kind={info.kind}"\nName: "", Namespace: "{namespace if info.namespaced else ""}"\n'
            f'from server for: "{source}": resource name may not be empty'
        )
    return info, doc, namespace if info.namespaced else ""


def _current(env: Env, info: KindInfo, namespace: str, name: str) -> dict[str, Any] | None:
    try:
        return env.api.get(info.kind, namespace, name, env.ctx())
    except errors.ApiError as exc:
        if exc.reason != "NotFound":
            raise
        return None


def apply_one(env: Env, doc: dict[str, Any], parsed: Parsed, out: Output, source: str) -> None:
    info, doc, namespace = _prepare(env, doc, parsed, source)
    mode = dry_run_mode(parsed)
    name = doc["metadata"]["name"]
    current = _current(env, info, namespace, name)
    manager = str(parsed.get("field-manager") or "")
    if parsed.get("server-side"):
        result = _server_side(env, info, namespace, doc, current, parsed, source)
        print_object_or_line(env, info, result, parsed, out, f"serverside-applied{suffix(mode)}")
        return
    ctx = env.ctx(dry_run=mode == "server", field_validation=field_validation(parsed),
                  field_manager=manager or "kubectl-client-side-apply")  # fmt: skip
    modified = with_annotation(doc)
    if current is None:
        try:
            created = modified if mode == "client" else env.api.create(modified, ctx, namespace=namespace or None)
        except errors.ApiError as exc:
            raise SourcedError(exc, "creating", source) from None
        print_warnings(ctx.warnings, out)
        print_object_or_line(env, info, created, parsed, out, f"created{suffix(mode)}")
        return
    patch = _three_way(info, modified, current, out)
    if not patch:
        print_object_or_line(env, info, current, parsed, out, f"unchanged{suffix(mode)}")
        return
    try:
        result = current if mode == "client" else env.api.patch(info.kind, namespace, name, patch, "strategic", ctx)
    except errors.ApiError as exc:
        raise SourcedError(exc, "patching", source) from None
    print_warnings(ctx.warnings, out)
    print_object_or_line(env, info, result, parsed, out, f"configured{suffix(mode)}")


def _three_way(info: KindInfo, modified: dict[str, Any], current: dict[str, Any], out: Output) -> dict[str, Any]:
    import json

    from cluster.core.patch import PatchError, create_three_way_patch

    annotations = (current.get("metadata") or {}).get("annotations") or {}
    original = None
    if LAST_APPLIED in annotations:
        try:
            original = json.loads(annotations[LAST_APPLIED])
        except ValueError:
            original = None
    else:
        name = current["metadata"]["name"]
        out.err(
            f"Warning: resource {info.plural}/{name} is missing the {LAST_APPLIED} annotation which is required by "
            "kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl "
            "create --save-config or kubectl apply. The missing annotation will be patched automatically."
        )
    try:
        patch: dict[str, Any] = create_three_way_patch(original, modified, current, info.kind)
    except PatchError as exc:
        raise CommandError(str(exc)) from None
    return patch


def _server_side(
    env: Env, info: KindInfo, namespace: str, doc: dict[str, Any], current: dict[str, Any] | None, parsed: Parsed,
    source: str,
) -> dict[str, Any]:  # fmt: skip
    mode = dry_run_mode(parsed)
    if mode == "client":
        return doc
    ctx = env.ctx(dry_run=mode == "server", field_validation=field_validation(parsed),
                  field_manager=str(parsed.get("field-manager") or "kubectl"))  # fmt: skip
    try:
        if current is None:
            return env.api.create(doc, ctx, namespace=namespace or None)
        return env.api.patch(info.kind, namespace, doc["metadata"]["name"], doc, "apply", ctx)
    except errors.ApiError as exc:
        raise SourcedError(exc, "patching" if current else "creating", source) from None


@command(
    "apply",
    short="Apply a configuration to a resource by file name or stdin",
    long=(
        "Apply a configuration to a resource by file name or stdin. The resource name must be specified. This "
        "resource will be created if it doesn't exist yet. To use 'apply', always create the resource initially with "
        "either 'apply' or 'create --save-config'.\n\n JSON and YAML formats are accepted.\n\n Alpha Disclaimer: the "
        "--prune functionality is not yet complete. Do not use unless you are aware of what the current state is. See "
        "https://issues.k8s.io/34274."
    ),
    usage="kubectl apply (-f FILENAME | -k DIRECTORY) [options]",
    flags=(
        FILENAME,
        OUTPUT,
        DRY_RUN,
        VALIDATE,
        RECURSIVE,
        ALLOW_MISSING,
        SHOW_MANAGED,
        field_manager("kubectl-client-side-apply"),
        Flag("server-side", kind="bool", help="If true, apply runs in the server instead of the client."),
        Flag(
            "force-conflicts", kind="bool", help="If true, server-side apply will force the changes against conflicts."
        ),
        Flag(
            "prune",
            kind="bool",
            help="Automatically delete resource objects, that do not appear in the configs "
            "and are created by either apply or create --save-config. Should be used with either -l or --all.",
        ),
        Flag(
            "selector",
            short="l",
            help="Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l "
            "key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.",
        ),
        Flag(
            "overwrite",
            kind="bool",
            default=True,
            help="Automatically resolve conflicts between the modified and "
            "live configuration by using values from the modified configuration",
        ),
    ),
    examples=examples(
        """
        # Apply the configuration in pod.json to a pod
        kubectl apply -f ./pod.json

        # Apply the JSON passed into stdin to a pod
        cat pod.json | kubectl apply -f -
        """
    ),
)
def apply(env: Env, parsed: Parsed, out: Output) -> None:
    from cluster.kubectl import hints
    from cluster.kubectl.commands.sources import read_sources, report_unreadable
    from cluster.kubectl.manifests import ManifestError

    if parsed.args:
        raise CommandError(f"Unexpected args: [{' '.join(parsed.args)}]", usage_of="kubectl apply")
    if parsed.get("prune"):
        raise CommandError("--prune is not available in this sandbox")
    check_format(parsed)
    unreadable: list[CommandError | ManifestError] = []
    for source in read_sources(env, parsed, "apply", unreadable):
        for doc in source.documents:
            try:
                apply_one(env, doc, parsed, out, source.name)
            except SourcedError as exc:
                out.fail(exc.text())
                out.hints.extend(hints.for_api_error(exc.exc, env.lang))
            except CommandError as exc:
                out.fail(exc.text())
                out.hints.extend(hints.for_command_error(exc, env.lang))
    report_unreadable(env, out, unreadable)  # after the readable files were sent, as kubectl reports them


@command(
    "view-last-applied",
    parent="apply",
    short="View the latest last-applied-configuration annotations of a resource/object",
    long=(
        "View the latest last-applied-configuration annotations by type/name or file.\n\n The default output will be "
        "printed to stdout in YAML format. You can use the -o option to change the output format."
    ),
    usage="kubectl apply view-last-applied (TYPE [NAME | -l label] | TYPE/NAME | -f FILENAME) [options]",
    flags=(Flag("output", short="o", default="yaml", help="Output format. Must be one of (yaml, json)"),),
    examples=examples(
        """
        # View the last-applied-configuration annotations by type/name in YAML
        kubectl apply view-last-applied deployment/nginx
        """
    ),
)
def view_last_applied(env: Env, parsed: Parsed, out: Output) -> None:
    import json

    from cluster.kubectl import printers
    from cluster.kubectl.commands.common import get_object, split_type_name

    pairs = split_type_name(env, parsed.args)
    if not pairs or any(name is None for _, name in pairs):
        raise CommandError(
            "unexpected args: [" + " ".join(parsed.args) + "]", usage_of="kubectl apply view-last-applied"
        )
    for info, name in pairs:
        obj = get_object(env, info, namespace_of(env, parsed), str(name))
        text = ((obj.get("metadata") or {}).get("annotations") or {}).get(LAST_APPLIED)
        if not text:
            raise CommandError(f"no last-applied-configuration annotation found on resource: {name}")
        data = json.loads(text)
        out.out(
            printers.to_json(data).rstrip("\n")
            if parsed.get("output") == "json"
            else printers.to_yaml(data).rstrip("\n")
        )
