"""``kubectl delete``: by name, type/name, ``-f``, ``-l`` or ``--all``; prints ``pod "x" deleted``.

Simplification: real kubectl then waits (``--wait=true``) until the object is
gone; here the prompt returns at once — the object list and the cluster map
show the pod Terminating and then disappearing.
"""

from __future__ import annotations

from cluster.core import errors
from cluster.core.kinds import KindInfo
from cluster.kubectl.base import MISSING_RESOURCES, CommandError, Env, Output, api_error_text, command, namespace_of
from cluster.kubectl.commands.common import (
    ALL_NAMESPACES,
    DRY_RUN,
    FILENAME,
    RECURSIVE,
    SELECTOR,
    dry_run_mode,
    no_match_error,
    suffix,
)
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples

FLAGS = (
    FILENAME, SELECTOR, ALL_NAMESPACES, DRY_RUN, RECURSIVE,
    Flag("output", short="o", help="Output mode. Use \"-o name\" for shorter output (resource/name)."),
    Flag("all", kind="bool", help="Delete all resources, in the namespace of the specified resource types."),
    Flag("grace-period", kind="int", default=-1, help="Period of time in seconds given to the resource to terminate "
         "gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true "
         "(force deletion)."),
    Flag("now", kind="bool", help="If true, resources are signaled for immediate shutdown (same as --grace-period=1)."),
    Flag("force", kind="bool", help="If true, immediately remove resources from API and bypass graceful deletion. "
         "Note that immediate deletion of some resources may result in inconsistency or data loss and requires "
         "confirmation."),
    Flag("cascade", default="background", no_opt_default="background", help="Must be \"background\", \"orphan\", or "
         "\"foreground\". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a "
         "ReplicationController). Defaults to background."),
    Flag("wait", kind="bool", default=True, help="If true, wait for resources to be gone before returning. This "
         "waits for finalizers."),
    Flag("ignore-not-found", kind="bool", help="Treat \"resource not found\" as a successful delete. Defaults to "
         "\"true\" when --all is specified."),
    Flag("field-selector", help="Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. "
         "--field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per "
         "type."),
)  # fmt: skip

_CASCADE = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan", "true": "Background",
            "false": "Orphan"}  # fmt: skip
IMMEDIATE_WARNING = (
    "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The "
    "resource may continue to run on the cluster indefinitely."
)


def _grace(parsed: Parsed) -> int | None:
    grace = int(parsed.get("grace-period"))
    if parsed.get("now"):
        if grace >= 0:
            raise CommandError("--now and --grace-period cannot be specified together")
        return 1
    if parsed.get("force") and grace < 0:
        return 0
    if grace == 0 and not parsed.get("force"):
        return 1  # kubectl: grace-period=0 without --force means 1
    return grace if grace >= 0 else None


def _cascade(parsed: Parsed) -> str:
    cascade = _CASCADE.get(str(parsed.get("cascade")).lower())
    if cascade is None:
        raise CommandError(
            f'invalid cascade value ({parsed.get("cascade")}). Must be "background", "foreground", or "orphan".'
        )
    return cascade


def delete_one(env: Env, info: KindInfo, namespace: str, name: str, parsed: Parsed, out: Output) -> None:
    mode = dry_run_mode(parsed)
    grace = _grace(parsed)
    ns = namespace if info.namespaced else ""
    if mode == "client":
        env.api.get(info.kind, ns, name, env.ctx())
    else:
        env.api.delete(info.kind, ns, name, env.ctx(dry_run=mode == "server"), grace, _cascade(parsed))
    if parsed.get("output") == "name":
        out.out(f"{info.kubectl_prefix}/{name}")
        return
    verb = "force deleted" if grace == 0 else "deleted"
    out.out(f'{info.kubectl_prefix} "{name}" {verb}{suffix(mode)}')


def _from_files(env: Env, parsed: Parsed, out: Output) -> None:
    from cluster.kubectl.commands.sources import read_sources

    for source in read_sources(env, parsed, "delete"):
        for doc in source.documents:
            info = env.api.registry.by_api_version(str(doc.get("apiVersion")), str(doc.get("kind")))
            if info is None:
                raise no_match_error(doc, source.name)
            meta = doc.get("metadata") or {}
            ns = meta.get("namespace") or namespace_of(env, parsed)
            try:
                delete_one(env, info, ns, str(meta.get("name", "")), parsed, out)
            except errors.ApiError as exc:
                if not (parsed.get("ignore-not-found") and exc.reason == "NotFound"):
                    out.fail(api_error_text(exc, verb="deleting", source=source.name))


def _by_name(env: Env, parsed: Parsed, named: list[tuple[KindInfo, str]], out: Output) -> None:
    from cluster.kubectl import hints

    if parsed.get("all") or parsed.get("selector") or parsed.get("field-selector"):
        raise CommandError("name cannot be provided when a selector is specified")
    for info, name in named:
        try:
            delete_one(env, info, namespace_of(env, parsed), name, parsed, out)
        except errors.ApiError as exc:
            if not (parsed.get("ignore-not-found") and exc.reason == "NotFound"):
                out.fail(api_error_text(exc))
                out.hints.extend(hints.for_api_error(exc, env.lang))


def _by_selection(env: Env, parsed: Parsed, kinds: list[KindInfo], out: Output) -> None:
    if not parsed.get("all") and not parsed.get("selector") and not parsed.get("field-selector"):
        raise CommandError("resource(s) were provided, but no name was specified")
    all_ns = bool(parsed.get("all-namespaces"))
    namespace = namespace_of(env, parsed)
    found = 0
    for info in kinds:
        scope = None if (all_ns or not info.namespaced) else namespace
        items, _ = env.api.list(info.kind, scope, parsed.get("selector") or None, parsed.get("field-selector") or None,
                                env.ctx())  # fmt: skip
        for obj in items:
            if obj["metadata"].get("deletionTimestamp"):
                continue
            found += 1
            try:
                delete_one(env, info, obj["metadata"].get("namespace", ""), obj["metadata"]["name"], parsed, out)
            except errors.ApiError as exc:
                if exc.reason != "NotFound":
                    out.fail(api_error_text(exc))
    if not found:
        out.err("No resources found" if all_ns else f"No resources found in {namespace} namespace.")


def _kinds(env: Env, parsed: Parsed) -> list[tuple[KindInfo, str | None]]:
    from cluster.kubectl.commands.get import targets

    return targets(env, parsed)


@command(
    "delete",
    short="Delete resources by file names, stdin, resources and names, or by resources and label selector",
    long=(
        "Delete resources by file names, stdin, resources and names, or by resources and label selector.\n\n JSON and "
        "YAML formats are accepted. Only one type of argument may be specified: file names, resources and names, or "
        "resources and label selector.\n\n Some resources, such as pods, support graceful deletion. These resources "
        "define a default period before they are forcibly terminated (the grace period) but you may override that "
        "value with the --grace-period flag, or pass --now to set a grace-period of 1. Because these resources often "
        "represent entities in the cluster, deletion may not be acknowledged immediately."
    ),
    usage="kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]",
    flags=FLAGS,
    examples=examples(
        """
        # Delete a pod using the type and name specified in pod.json
        kubectl delete -f ./pod.json

        # Delete pods and services with same names "baz" and "foo"
        kubectl delete pod,service baz foo

        # Delete pods and services with label name=myLabel
        kubectl delete pods,services -l name=myLabel

        # Delete a pod with minimal delay
        kubectl delete pod foo --now

        # Force delete a pod on a dead node
        kubectl delete pod foo --force

        # Delete all pods
        kubectl delete pods --all
        """
    ),
)
def delete(env: Env, parsed: Parsed, out: Output) -> None:
    _cascade(parsed)
    dry_run_mode(parsed)
    if _grace(parsed) == 0:
        out.err(IMMEDIATE_WARNING)
    if parsed.get("filename"):
        _from_files(env, parsed, out)
        return
    if not parsed.args:
        raise CommandError(MISSING_RESOURCES)
    pairs = _kinds(env, parsed)
    named = [(info, name) for info, name in pairs if name is not None]
    if named:
        _by_name(env, parsed, named, out)
        return
    _by_selection(env, parsed, [info for info, _ in pairs], out)
