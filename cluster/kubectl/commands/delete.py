"""``kubectl delete``: by name, type/name, ``-f``, ``-l`` or ``--all``; prints ``pod "x" deleted``.

Simplification: real kubectl then waits (``--wait=true``) until the object is
gone; here the prompt returns at once — the object list and the cluster map
show the pod Terminating and then disappearing.
"""

from __future__ import annotations

from cluster.core import errors
from cluster.core.kinds import KindInfo
from cluster.kubectl.base import CommandError, Env, Output, api_error_text, command, namespace_of
from cluster.kubectl.commands.common import (
    ALL_NAMESPACES,
    DRY_RUN,
    FILENAME,
    OUTPUT,
    RECURSIVE,
    SELECTOR,
    dry_run_mode,
    no_match_error,
    read_sources,
    split_type_name,
    suffix,
)
from cluster.kubectl.flags import Flag, Parsed

FLAGS = (
    FILENAME, SELECTOR, ALL_NAMESPACES, OUTPUT, DRY_RUN, RECURSIVE,
    Flag("all", kind="bool", help="Delete all resources, in the namespace of the specified resource types."),
    Flag("grace-period", kind="int", default=-1, help="Period of time in seconds given to the resource to terminate gracefully."),
    Flag("now", kind="bool", help="If true, resources are signaled for immediate shutdown (same as --grace-period=1)."),
    Flag("force", kind="bool", help="If true, immediately remove resources from API and bypass graceful deletion."),
    Flag("cascade", default="background", no_opt_default="background", help='Must be "background", "orphan", or "foreground".'),
    Flag("wait", kind="bool", default=True, help="If true, wait for resources to be gone before returning."),
    Flag("ignore-not-found", kind="bool", help="Treat \"resource not found\" as a successful delete."),
    Flag("field-selector", help="Selector (field query) to filter on."),
)

_CASCADE = {"background": "Background", "foreground": "Foreground", "orphan": "Orphan", "true": "Background", "false": "Orphan"}


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


def _line(info: KindInfo, name: str, mode: str, grace: int | None) -> str:
    verb = "force deleted" if grace == 0 else "deleted"
    return f'{info.kubectl_prefix.split("/")[0]} "{name}" {verb}{suffix(mode)}'


def _delete_one(env: Env, info: KindInfo, namespace: str, name: str, parsed: Parsed, out: Output) -> None:
    mode = dry_run_mode(parsed)
    cascade = _CASCADE.get(str(parsed.get("cascade")).lower())
    if cascade is None:
        raise CommandError(f'invalid cascade value ({parsed.get("cascade")}). Must be "background", "foreground", or "orphan".')
    grace = _grace(parsed)
    if mode != "client":
        env.api.delete(info.kind, namespace, name, env.ctx(dry_run=mode == "server"), grace, cascade)
    elif env.api.store.get(_key(info, namespace, name)) is None:
        raise errors.not_found(info.plural, info.group, name)
    if grace == 0 and mode == "none":
        out.err("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.")
    out.out(_line(info, name, mode, grace))


def _key(info: KindInfo, namespace: str, name: str):  # type: ignore[no-untyped-def]
    from cluster.engine.actions import ObjKey

    return ObjKey(info.kind, namespace if info.namespaced else "", name)


@command(
    "delete",
    short="Delete resources by file names, stdin, resources and names, or by resources and label selector",
    usage="kubectl delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [options]",
    flags=FLAGS,
    examples="  # Delete a pod with minimal delay\n  kubectl delete pod foo --now",
)
def delete(env: Env, parsed: Parsed, out: Output) -> None:
    namespace = namespace_of(env, parsed)
    failed = False
    if parsed.get("filename"):
        for source in read_sources(env, parsed):
            for doc in source.documents:
                info = env.api.registry.by_api_version(str(doc.get("apiVersion")), str(doc.get("kind")))
                if info is None:
                    raise no_match_error(doc, source.name)
                ns = (doc.get("metadata") or {}).get("namespace") or namespace
                try:
                    _delete_one(env, info, ns, doc["metadata"]["name"], parsed, out)
                except errors.ApiError as exc:
                    if not (parsed.get("ignore-not-found") and exc.reason == "NotFound"):
                        out.err(api_error_text(exc, verb="deleting", source=source.name))
                        failed = True
        out.exit_code = 1 if failed else 0
        return
    targets = split_type_name(env, parsed.args)
    if not targets:
        raise CommandError("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
    named = [(i, n) for i, n in targets if n is not None]
    if named:
        if parsed.get("all") or parsed.get("selector"):
            raise CommandError("name cannot be provided when a selector is specified")
        for info, name in named:
            try:
                _delete_one(env, info, namespace, str(name), parsed, out)
            except errors.ApiError as exc:
                if not (parsed.get("ignore-not-found") and exc.reason == "NotFound"):
                    out.err(api_error_text(exc))
                    failed = True
        out.exit_code = 1 if failed else 0
        return
    if not parsed.get("all") and not parsed.get("selector") and not parsed.get("field-selector"):
        raise CommandError("resource(s) were provided, but no name was specified")
    all_ns = bool(parsed.get("all-namespaces"))
    found = 0
    for info, _ in targets:
        items, _rv = env.api.list(info.kind, None if all_ns else namespace, parsed.get("selector") or None,
                                  parsed.get("field-selector") or None, env.ctx())
        for obj in items:
            found += 1
            _delete_one(env, info, obj["metadata"].get("namespace", ""), obj["metadata"]["name"], parsed, out)
    if not found:
        out.err("No resources found" if all_ns else f"No resources found in {namespace} namespace.")
