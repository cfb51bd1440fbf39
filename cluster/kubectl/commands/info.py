"""Discovery and cluster information: ``api-resources``, ``api-versions``, ``version``, ``cluster-info``."""

from __future__ import annotations

from cluster.core.kinds import KindInfo
from cluster.kubectl.base import CommandError, Env, Output, command
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples

CLIENT_VERSION = "v1.32.4"
KUSTOMIZE_VERSION = "v5.5.0"
SERVER_VERSION = "v1.32.4"
CONTROL_PLANE = "https://192.168.49.2:8443"
# The order in which a 1.32 API server lists its groups in discovery.
GROUP_ORDER = (
    "", "apiregistration.k8s.io", "apps", "events.k8s.io", "authentication.k8s.io", "authorization.k8s.io",
    "autoscaling", "batch", "certificates.k8s.io", "networking.k8s.io", "policy", "rbac.authorization.k8s.io",
    "storage.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io", "scheduling.k8s.io",
    "coordination.k8s.io", "node.k8s.io", "discovery.k8s.io", "flowcontrol.apiserver.k8s.io",
)  # fmt: skip


def _group_rank(group: str) -> tuple[int, str]:
    return (GROUP_ORDER.index(group), "") if group in GROUP_ORDER else (len(GROUP_ORDER), group)


def discovery_order(kinds: list[KindInfo]) -> list[KindInfo]:
    return sorted(kinds, key=lambda i: (_group_rank(i.group), i.plural))


def _table(rows: list[list[str]]) -> str:
    from cluster.kubectl.printers.tabwriter import table_writer

    writer = table_writer()
    writer.write("".join("\t".join(row) + "\n" for row in rows))
    return str(writer.flush()).rstrip("\n")


def _selected(env: Env, parsed: Parsed) -> list[KindInfo]:
    kinds = discovery_order(env.api.registry.all())
    if parsed.has("namespaced"):
        kinds = [i for i in kinds if i.namespaced == bool(parsed.get("namespaced"))]
    if parsed.has("api-group"):
        kinds = [i for i in kinds if i.group == str(parsed.get("api-group"))]
    if parsed.get("categories"):
        wanted = set(parsed.get("categories"))
        kinds = [i for i in kinds if wanted & set(i.categories)]
    if parsed.get("verbs"):
        wanted = set(parsed.get("verbs"))
        kinds = [i for i in kinds if wanted <= set(i.verbs)]
    if parsed.get("sort-by") == "kind":
        kinds = sorted(kinds, key=lambda i: i.kind)
    elif parsed.get("sort-by") == "name":
        kinds = sorted(kinds, key=lambda i: i.plural)
    return kinds


@command(
    "api-resources",
    short="Print the supported API resources on the server",
    usage="kubectl api-resources [flags] [options]",
    flags=(
        Flag(
            "namespaced",
            kind="bool",
            default=True,
            help="If false, non-namespaced resources will be returned, "
            "otherwise returning namespaced resources by default.",
        ),
        Flag("api-group", help="Limit to resources in the specified API group."),
        Flag("output", short="o", help="Output format. One of: (wide, name)."),
        Flag(
            "no-headers",
            kind="bool",
            help="When using the default or custom-column output format, don't print headers (default print headers).",
        ),
        Flag(
            "sort-by",
            help="If non-empty, sort list of resources using specified field. The field can be either "
            "'name' or 'kind'.",
        ),
        Flag("verbs", kind="stringSlice", help="Limit to resources that support the specified verbs."),
        Flag("categories", kind="stringSlice", help="Limit to resources that belong to the specified categories."),
        Flag("cached", kind="bool", help="Use the cached list of resources if available."),
    ),
    examples=examples(
        """
        # Print the supported API resources
        kubectl api-resources

        # Print the supported API resources with more information
        kubectl api-resources -o wide

        # Print the supported API resources sorted by a column
        kubectl api-resources --sort-by=name

        # Print the supported namespaced resources
        kubectl api-resources --namespaced=true

        # Print the supported non-namespaced resources
        kubectl api-resources --namespaced=false

        # Print the supported API resources with a specific APIGroup
        kubectl api-resources --api-group=rbac.authorization.k8s.io
        """
    ),
)
def api_resources(env: Env, parsed: Parsed, out: Output) -> None:
    fmt = str(parsed.get("output") or "")
    if fmt not in ("", "wide", "name"):
        raise CommandError(f"--output {fmt} is not available")
    if parsed.get("sort-by") not in (None, "", "name", "kind"):
        raise CommandError(f'--sort-by accepts only name or kind, got "{parsed.get("sort-by")}"')
    kinds = _selected(env, parsed)
    if fmt == "name":
        out.out_lines(f"{i.plural}.{i.group}" if i.group else i.plural for i in kinds)
        return
    rows = [] if parsed.get("no-headers") else [["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]]
    if fmt == "wide" and rows:
        rows[0] += ["VERBS", "CATEGORIES"]
    for info in kinds:
        row = [info.plural, ",".join(info.short_names), info.api_version, str(info.namespaced).lower(), info.kind]
        if fmt == "wide":
            row += ["[" + " ".join(sorted(info.verbs)) + "]", ",".join(info.categories)]
        rows.append(row)
    if rows:
        out.out(_table(rows))


@command(
    "api-versions",
    short='Print the supported API versions on the server, in the form of "group/version"',
    usage="kubectl api-versions [options]",
    examples=examples(
        """
        # Print the supported API versions
        kubectl api-versions
        """
    ),
)
def api_versions(env: Env, parsed: Parsed, out: Output) -> None:
    out.out_lines(sorted({info.api_version for info in env.api.registry.all()}))


def _version_info(version: str) -> dict[str, str]:
    return {
        "buildDate": "2025-04-22T16:03:05Z", "compiler": "gc", "gitCommit": "59526cd4867447956156ae3a602fcbac10a2c335",
        "gitTreeState": "clean", "gitVersion": version, "goVersion": "go1.23.8", "major": "1", "minor": "32",
        "platform": "linux/amd64",
    }  # fmt: skip


@command(
    "version",
    short="Print the client and server version information",
    long="Print the client and server version information for the current context.",
    usage="kubectl version [flags] [options]",
    flags=(
        Flag("client", kind="bool", help="If true, shows client version only (no server required)."),
        Flag("output", short="o", help="One of 'yaml' or 'json'."),
    ),
    examples=examples(
        """
        # Print the client and server versions for the current context
        kubectl version
        """
    ),
)
def version(env: Env, parsed: Parsed, out: Output) -> None:
    from cluster.kubectl import printers

    fmt = str(parsed.get("output") or "")
    if fmt not in ("", "yaml", "json"):
        raise CommandError("--output must be 'yaml' or 'json'")
    if fmt:
        data: dict[str, object] = {
            "clientVersion": _version_info(CLIENT_VERSION),
            "kustomizeVersion": KUSTOMIZE_VERSION,
        }
        if not parsed.get("client"):
            data["serverVersion"] = _version_info(SERVER_VERSION)
        text = printers.to_yaml(data) if fmt == "yaml" else printers.json_dumps(data, indent=2, sort_keys=False)
        out.out(str(text).rstrip("\n"))
        return
    out.out(f"Client Version: {CLIENT_VERSION}")
    out.out(f"Kustomize Version: {KUSTOMIZE_VERSION}")
    if not parsed.get("client"):
        out.out(f"Server Version: {SERVER_VERSION}")


@command(
    "cluster-info",
    short="Display cluster information",
    long=(
        "Display addresses of the control plane and services with label kubernetes.io/cluster-service=true. To "
        "further debug and diagnose cluster problems, use 'kubectl cluster-info dump'."
    ),
    usage="kubectl cluster-info [flags] [options]",
    examples=examples(
        """
        # Print the address of the control plane and cluster services
        kubectl cluster-info
        """
    ),
)
def cluster_info(env: Env, parsed: Parsed, out: Output) -> None:
    if parsed.args:
        raise CommandError("'kubectl cluster-info dump' is not available in this sandbox; try `kubectl get all -A` "
                           "and `kubectl get events -A`")  # fmt: skip
    out.out(f"Kubernetes control plane is running at {CONTROL_PLANE}")
    out.out(f"CoreDNS is running at {CONTROL_PLANE}/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy")
    out.out("")
    out.out("To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.")
