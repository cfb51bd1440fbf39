"""``kubectl get``: server-side Table rows rendered client-side, like kubectl 1.32 does it.

Objects are listed through the API server (so the trace shows the LIST), turned
into ``meta.k8s.io/v1`` Tables by the shared printers and decorated the way
kubectl's table printer does. ``-w`` prints the initial table and returns a
stream descriptor; ``cluster.kubectl.stream.stream_update`` prints the rows of
later changes aligned with it.
"""

from __future__ import annotations

from typing import Any

from cluster.core import errors
from cluster.core.kinds import KindInfo
from cluster.kubectl.base import CommandError, Env, Output, api_error_text, command, namespace_of
from cluster.kubectl.commands.common import (
    ALL_NAMESPACES,
    ALLOW_MISSING,
    FILENAME,
    RECURSIVE,
    SELECTOR,
    SHOW_MANAGED,
    split_type_name,
)
from cluster.kubectl.commands.get_format import (
    GET_FORMATS,
    check_get_format,
    print_groups,
    sort_items,
)
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples

# Discovery order of the "all" category (K8S_FACTS §6.1).
ALL_CATEGORY = ("Pod", "ReplicationController", "Service", "DaemonSet", "Deployment", "ReplicaSet", "StatefulSet",
                "HorizontalPodAutoscaler", "CronJob", "Job")  # fmt: skip

Group = tuple[KindInfo, list[dict[str, Any]]]

FLAGS = (
    Flag("output", short="o", help=f"Output format. One of: ({GET_FORMATS}). See custom columns "
         "[https://kubernetes.io/docs/reference/kubectl/#custom-columns], golang template "
         "[http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template "
         "[https://kubernetes.io/docs/reference/kubectl/jsonpath/]."),
    SELECTOR, ALL_NAMESPACES, FILENAME, RECURSIVE, ALLOW_MISSING, SHOW_MANAGED,
    Flag("watch", kind="bool", short="w", help="After listing/getting the requested object, watch for changes."),
    Flag("watch-only", kind="bool", help="Watch for changes to the requested object(s), without listing/getting "
         "first."),
    Flag("field-selector", help="Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. "
         "--field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per "
         "type."),
    Flag("show-labels", kind="bool", help="When printing, show all labels as the last column (default hide labels "
         "column)"),
    Flag("label-columns", kind="stringSlice", short="L", help="Accepts a comma separated list of labels that are "
         "going to be presented as columns. Names are case-sensitive. You can also use multiple flag options like "
         "-L label1 -L label2..."),
    Flag("sort-by", help="If non-empty, sort list types using this field specification.  The field specification "
         "is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified "
         "by this JSONPath expression must be an integer or a string."),
    Flag("no-headers", kind="bool", help="When using the default or custom-column output format, don't print "
         "headers (default print headers)."),
    Flag("show-kind", kind="bool", help="If present, list the resource type for the requested object(s)."),
    Flag("chunk-size", kind="int", default=500, help="Return large lists in chunks rather than all at once. Pass 0 "
         "to disable. This flag is beta and may change in the future."),
    Flag("ignore-not-found", kind="bool", help="If set to true, suppresses NotFound error for specific objects that "
         "do not exist. Using this flag with commands that query for collections of resources has no effect when no "
         "resources are found."),
    Flag("output-watch-events", kind="bool", help="Output watch event objects when --watch or --watch-only is used. "
         "Existing objects are output as initial ADDED events."),
)  # fmt: skip


def targets(env: Env, parsed: Parsed) -> list[tuple[KindInfo, str | None]]:
    if parsed.get("filename"):
        return _file_targets(env, parsed)
    args = parsed.args
    if not args:
        raise CommandError(
            'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of '
            'supported resources.\n\nerror: Required resource not specified.\nUse "kubectl explain <resource>" for '
            "a detailed description of that resource (e.g. kubectl explain pods).",
            usage_of="kubectl get",
            raw=True,
        )
    if "/" not in args[0] and "all" in args[0].split(","):
        kinds: list[tuple[KindInfo, str | None]] = []
        for word in args[0].split(","):
            if word == "all":
                kinds += [(env.api.registry.get(k), None) for k in ALL_CATEGORY if _in_all(env, k)]
            elif word:
                kinds += split_type_name(env, [word])
        if len(args) > 1:
            raise CommandError("you must specify only one resource")
        return kinds
    return split_type_name(env, args)


def _in_all(env: Env, kind: str) -> bool:
    return env.api.registry.has(kind) and "all" in env.api.registry.get(kind).categories


def _file_targets(env: Env, parsed: Parsed) -> list[tuple[KindInfo, str | None]]:
    from cluster.kubectl.commands.common import no_match_error
    from cluster.kubectl.commands.sources import read_sources

    found: list[tuple[KindInfo, str | None]] = []
    for source in read_sources(env, parsed, "get"):
        for doc in source.documents:
            info = env.api.registry.by_api_version(str(doc.get("apiVersion")), str(doc.get("kind")))
            if info is None:
                raise no_match_error(doc, source.name)
            found.append((info, str((doc.get("metadata") or {}).get("name", ""))))
    return found


def _check_combinations(parsed: Parsed, pairs: list[tuple[KindInfo, str | None]]) -> None:
    named = any(name is not None for _, name in pairs)
    if named and parsed.get("all-namespaces") and not parsed.get("filename"):
        raise CommandError("a resource cannot be retrieved by name across all namespaces")
    if named and (parsed.get("selector") or parsed.get("field-selector")) and not parsed.get("filename"):
        raise CommandError("name cannot be provided when a selector is specified")
    watching = parsed.get("watch") or parsed.get("watch-only")
    if watching and len({info.kind for info, _ in pairs}) > 1:
        raise CommandError("you may only specify a single resource type")


def collect(env: Env, parsed: Parsed, out: Output, pairs: list[tuple[KindInfo, str | None]]) -> list[Group]:
    namespace = namespace_of(env, parsed)
    all_ns = bool(parsed.get("all-namespaces"))
    groups: list[Group] = []
    for info, name in pairs:
        ns = None if (all_ns or not info.namespaced) else namespace
        if name is not None:
            try:
                obj = env.api.get(info.kind, ns or "", name, env.ctx())
            except errors.ApiError as exc:
                if not (parsed.get("ignore-not-found") and exc.reason == "NotFound"):
                    out.fail(api_error_text(exc))
                    out.hints.extend(_not_found_hint(env, exc))
                continue
            _merge(groups, info, [obj])
            continue
        selector = parsed.get("selector") or None
        items, _rv = env.api.list(info.kind, ns, selector, parsed.get("field-selector") or None, env.ctx())
        _merge(groups, info, items)
    if parsed.get("sort-by"):
        groups = [(info, sort_items(items, str(parsed.get("sort-by")))) for info, items in groups]
    return groups


def _not_found_hint(env: Env, exc: errors.ApiError) -> list[str]:
    from cluster.kubectl import hints

    return hints.for_api_error(exc, env.lang)


def _merge(groups: list[Group], info: KindInfo, objs: list[dict[str, Any]]) -> None:
    for existing, items in groups:
        if existing.kind == info.kind:
            items.extend(objs)
            return
    groups.append((info, list(objs)))


def nothing_found(env: Env, parsed: Parsed, groups: list[Group], out: Output) -> bool:
    if any(items for _, items in groups) or out.exit_code:
        return False
    if parsed.get("ignore-not-found") or parsed.get("watch") or parsed.get("watch-only"):
        return True
    namespaced = any(info.namespaced for info, _ in groups) or not groups
    if parsed.get("all-namespaces") or not namespaced:
        out.err("No resources found")
    else:
        out.err(f"No resources found in {namespace_of(env, parsed)} namespace.")
    return True


GET_EXAMPLES = examples(
    """
    # List all pods in ps output format
    kubectl get pods

    # List all pods in ps output format with more information (such as node name)
    kubectl get pods -o wide

    # List deployments in JSON output format, in the "v1" version of the "apps" API group
    kubectl get deployments.v1.apps -o json

    # List a single pod in JSON output format
    kubectl get -o json pod web-pod-13je7

    # List a pod identified by type and name specified in "pod.yaml" in JSON output format
    kubectl get -f pod.yaml -o json

    # List resource information in custom columns
    kubectl get pod test-pod -o custom-columns=CONTAINER:.spec.containers[0].name,IMAGE:.spec.containers[0].image

    # List all replication controllers and services together in ps output format
    kubectl get rc,services

    # List one or more resources by their type and names
    kubectl get rc/web service/frontend pods/web-pod-13je7

    # List all deployments in namespace 'backend'
    kubectl get deployments.apps --namespace backend

    # List all pods existing in all namespaces
    kubectl get pods --all-namespaces
    """
)

GET_LONG = (
    "Display one or many resources.\n\n Prints a table of the most important information about the specified "
    "resources. You can filter the list using a label selector and the --selector flag. If the desired resource type "
    "is namespaced you will only see results in the current namespace if you don't specify any namespace.\n\n By "
    "specifying the output as 'template' and providing a Go template as the value of the --template flag, you can "
    'filter the attributes of the fetched resources.\n\nUse "kubectl api-resources" for a complete list of '
    "supported resources."
)


@command(
    "get",
    short="Display one or many resources",
    long=GET_LONG,
    usage="kubectl get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|"
    "jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] "
    "| TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]",
    flags=FLAGS,
    examples=GET_EXAMPLES,
)
def get(env: Env, parsed: Parsed, out: Output) -> None:
    fmt = check_get_format(parsed)
    pairs = targets(env, parsed)
    _check_combinations(parsed, pairs)
    groups = collect(env, parsed, out, pairs)
    watching = bool(parsed.get("watch") or parsed.get("watch-only"))
    listing = not any(name for _, name in pairs)
    if listing and fmt not in ("", "wide") and not watching and not out.exit_code and not any(i for _, i in groups):
        # kubectl's printGeneric: structured output of nothing is the output of an empty List (yaml/json print it,
        # -o name prints nothing, custom-columns its header), never "No resources found".
        _print_empty_list(parsed, fmt, out)
        return
    if nothing_found(env, parsed, groups, out) and not watching:
        return
    single = len(pairs) == 1 and pairs[0][1] is not None
    if watching:
        from cluster.kubectl.stream import start_get_watch

        start_get_watch(env, parsed, fmt, pairs, groups, out)
        return
    print_groups(env, parsed, fmt, groups, single, out)


def _print_empty_list(parsed: Parsed, fmt: str, out: Output) -> None:
    from cluster.kubectl.commands.get_format import custom_columns_text
    from cluster.kubectl.printing import render_objects

    if fmt == "name":
        return
    if fmt.startswith("custom-columns="):
        text = custom_columns_text(fmt.partition("=")[2], [], bool(parsed.get("no-headers")))
    else:
        text = render_objects(fmt, [], as_list=True)
    if text:
        out.out(text)
