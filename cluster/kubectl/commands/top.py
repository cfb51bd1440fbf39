"""``kubectl top pod|node``: resource usage from the metrics API, printed like kubectl's ``metricsutil`` printer.

Every cell is tab-terminated (so even the last column is padded: lines end
in spaces), CPU prints as ``MilliValue()`` + ``m`` and memory as whole
``Mi``; nodes add the share of their allocatable (``--show-capacity``:
capacity). With no samples at all kubectl explains why: ``metrics not
available yet`` while the pods are young (under 2 minutes), or ``Metrics
not available for pod <ns>/<name>, age: <duration>`` for an older one.

The numbers come from ``cluster.metrics`` (what metrics-server would
serve), read straight from the store: the metrics API is aggregated, not
stored, so these requests do not show up as API-server writes.
"""

from __future__ import annotations

from typing import Any

from cluster.core import errors
from cluster.core.labels import SelectorError, parse
from cluster.core.quantity import cpu_millis, memory_bytes
from cluster.core.timefmt import parse_rfc3339
from cluster.engine.actions import ObjKey
from cluster.kubectl.base import CommandError, Env, Output, command, group, namespace_of
from cluster.kubectl.commands.common import ALL_NAMESPACES, SELECTOR
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples
from cluster.kubectl.printers.tabwriter import TabWriter
from cluster.metrics import MetricsServer, NodeMetrics, PodMetrics, milli_cpu

Obj = dict[str, Any]
MI = 1024 * 1024
METRICS_CREATION_DELAY_MS = 120_000  # kubectl: pods younger than this may simply not have metrics yet
UNKNOWN = "<unknown>"

NO_HEADERS = Flag("no-headers", kind="bool", help="If present, print output without headers.")
PROTOBUF = Flag("use-protocol-buffers", kind="bool", default=True,
                help="Enables using protocol-buffers to access Metrics API.")  # fmt: skip


def sort_flag(what: str) -> Flag:
    return Flag("sort-by", help=f"If non-empty, sort {what} list using specified field. The field can be either "
                                "'cpu' or 'memory'.")  # fmt: skip


POD_FLAGS = (
    ALL_NAMESPACES,
    Flag("containers", kind="bool", help="If present, print usage of containers within a pod."),
    Flag(
        "field-selector",
        help="Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector "
        "key1=value1,key2=value2). The server only supports a limited number of field queries per type.",
    ),
    NO_HEADERS,
    SELECTOR,
    sort_flag("pods"),
    Flag("sum", kind="bool", help="Print the sum of the resource usage"),
    PROTOBUF,
)
NODE_FLAGS = (
    NO_HEADERS,
    SELECTOR,
    Flag(
        "show-capacity",
        kind="bool",
        help="Print node resources based on Capacity instead of Allocatable(default) of the nodes.",
    ),
    sort_flag("nodes"),
    PROTOBUF,
)

group(
    "top",
    short="Display resource (CPU/memory) usage",
    long="Display resource (CPU/memory) usage.\n\n The top command allows you to see the resource consumption for "
    "nodes or pods.\n\n This command requires Metrics Server to be correctly configured and working on the server.",
    usage="kubectl top [flags] [options]",
)


# ---------------------------------------------------------------- formatting


def go_duration(ms: int) -> str:
    """Go's ``time.Duration.String`` for a millisecond duration (``2m10.5s``, ``1h0m0s``, ``350ms``)."""
    if ms == 0:
        return "0s"
    sign, ms = ("-", -ms) if ms < 0 else ("", ms)
    if ms < 1000:
        return f"{sign}{ms}ms"
    hours, minutes, seconds, millis = ms // 3_600_000, ms // 60_000 % 60, ms // 1000 % 60, ms % 1000
    text = f"{seconds}" + (f".{millis:03d}".rstrip("0") if millis else "") + "s"
    if hours:
        return f"{sign}{hours}h{minutes}m{text}"
    return f"{sign}{minutes}m{text}" if minutes else f"{sign}{text}"


def _cells(*values: object) -> str:
    """``printValue`` for each value: every cell ends with a tab."""
    return "".join(f"{v}\t" for v in values)


def _usage_cells(cpu_millis_value: int, memory: int, available: Obj | None) -> str:
    """``printAllResourceUsages``: ``250m`` and ``3Mi``, each followed by its share of ``available`` if given."""
    text = ""
    for resource, used_milli, shown in (("cpu", cpu_millis_value, f"{cpu_millis_value}m"),
                                        ("memory", memory * 1000, f"{memory // MI}Mi")):  # fmt: skip
        text += _cells(shown)
        if available is not None and resource in available:
            total = _milli_value(resource, available[resource])
            text += _cells(f"{int(float(used_milli) / float(total) * 100) if total else 0}%")
    return text


def _milli_value(resource: str, quantity: Any) -> int:
    return cpu_millis(quantity) if resource == "cpu" else memory_bytes(quantity) * 1000


def _flush(lines: list[str]) -> str:
    writer = TabWriter(6, 3)
    writer.write("".join(line + "\n" for line in lines))
    return writer.flush().rstrip("\n")


def _validate(parsed: Parsed, usage: str, path: str) -> str:
    """``Complete`` + ``Validate``: at most one NAME, not with a selector, and a known ``--sort-by``."""
    if len(parsed.args) > 1:
        raise CommandError(usage, usage_of=path)
    sort_by = str(parsed.get("sort-by") or "")
    if sort_by and sort_by not in ("cpu", "memory"):
        raise CommandError("--sort-by accepts only cpu or memory")
    if parsed.args and parsed.get("selector"):
        raise CommandError("only one of NAME or --selector can be provided")
    try:
        parse(str(parsed.get("selector") or ""))
    except SelectorError as exc:
        raise CommandError(str(exc)) from None
    return sort_by


# ---------------------------------------------------------------- top pod


def _pod_metrics(env: Env, parsed: Parsed, server: MetricsServer) -> list[PodMetrics]:
    all_ns = bool(parsed.get("all-namespaces"))
    namespace = namespace_of(env, parsed)
    if parsed.args:
        name = parsed.args[0]
        pod = env.api.store.get(ObjKey("Pod", namespace, name))
        sample = server.pod_metrics(pod, env.now_ms()) if pod is not None else None
        if sample is None:
            raise errors.not_found("podmetrics", "metrics.k8s.io", f"{namespace}/{name}")
        return [sample]
    pods, _ = env.api.list("Pod", None if all_ns else namespace, parsed.get("selector") or None,
                           parsed.get("field-selector") or None)  # fmt: skip
    return server.list_pod_metrics(pods, env.now_ms())


def _explain_missing(env: Env, parsed: Parsed, out: Output) -> None:
    """``verifyEmptyMetrics``: why the metrics API returned nothing (young pods, or something is wrong)."""
    namespace = namespace_of(env, parsed)
    pods, _ = env.api.list("Pod", namespace, parsed.get("selector") or None, parsed.get("field-selector") or None,
                           env.ctx())  # fmt: skip
    if pods:
        now = env.now_ms()
        for pod in pods:
            created = _created_ms(pod)
            if now - created > METRICS_CREATION_DELAY_MS:
                meta = pod["metadata"]
                raise CommandError(f"Metrics not available for pod {meta.get('namespace')}/{meta.get('name')}, "
                                   f"age: {go_duration(now - created)}")  # fmt: skip
        raise CommandError("metrics not available yet")
    all_ns = bool(parsed.get("all-namespaces"))
    out.err("No resources found" if all_ns else f"No resources found in {namespace} namespace.")


def _created_ms(obj: Obj) -> int:
    try:
        return parse_rfc3339(str((obj.get("metadata") or {}).get("creationTimestamp") or ""))
    except ValueError:
        return 0


def _sorted_pods(samples: list[PodMetrics], sort_by: str, with_namespace: bool) -> list[PodMetrics]:
    ordered = sorted(samples, key=lambda m: (m.namespace, m.name) if with_namespace else (m.name,))
    if sort_by == "cpu":
        ordered.sort(key=lambda m: -m.cpu_millis)
    elif sort_by == "memory":
        ordered.sort(key=lambda m: -m.memory_bytes)
    return ordered


def _container_lines(sample: PodMetrics, sort_by: str, prefix: str) -> list[str]:
    containers = sorted(sample.containers, key=lambda c: c.name)
    if sort_by == "cpu":
        containers.sort(key=lambda c: -c.cpu_millis)
    elif sort_by == "memory":
        containers.sort(key=lambda c: -c.memory_bytes)
    return [prefix + _cells(sample.name, c.name) + _usage_cells(c.cpu_millis, c.memory_bytes, None)
            for c in containers]  # fmt: skip


def _sum_lines(samples: list[PodMetrics], width: int) -> list[str]:
    """``printPodResourcesSum``: a ``________`` rule under the usage columns, then the totals."""
    cpu = milli_cpu(sum(m.cpu_nanocores for m in samples))
    memory = sum(m.memory_bytes for m in samples)
    rule = _cells(*[""] * (width - 2), "________", "________")
    return [rule, _cells(*[""] * (width - 3), "") + _usage_cells(cpu, memory, None)]


def pod_table(samples: list[PodMetrics], *, containers: bool, with_namespace: bool, no_headers: bool,
              sort_by: str = "", show_sum: bool = False) -> str:  # fmt: skip
    """``PrintPodMetrics``: the ``kubectl top pod`` table."""
    lines: list[str] = []
    width = 3 + with_namespace + containers
    if not no_headers:
        lines.append(_cells(*(["NAMESPACE"] * with_namespace), *(["POD"] * containers), "NAME", "CPU(cores)",
                            "MEMORY(bytes)"))  # fmt: skip
    for sample in _sorted_pods(samples, sort_by, with_namespace):
        prefix = _cells(sample.namespace) if with_namespace else ""
        if containers:
            lines += _container_lines(sample, sort_by, prefix)
        else:
            lines.append(prefix + _cells(sample.name) + _usage_cells(sample.cpu_millis, sample.memory_bytes, None))
    if show_sum:
        lines += _sum_lines(samples, width)
    return _flush(lines)


@command(
    "pod",
    parent="top",
    aliases=("pods", "po"),
    short="Display resource (CPU/memory) usage of pods",
    long="Display resource (CPU/memory) usage of pods.\n\n The 'top pod' command allows you to see the resource "
    "consumption of pods.\n\n Due to the metrics pipeline delay, they may be unavailable for a few minutes since "
    "pod creation.",
    usage="kubectl top pod [NAME | -l label] [options]",
    flags=(
        ALL_NAMESPACES,
        Flag("containers", kind="bool", help="If present, print usage of containers within a pod."),
        Flag(
            "field-selector",
            help="Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. "
            "--field-selector key1=value1,key2=value2). The server only supports a limited number of field queries "
            "per type.",
        ),
        NO_HEADERS,
        SELECTOR,
        sort_flag("pods"),
        Flag("sum", kind="bool", help="Print the sum of the resource usage"),
        PROTOBUF,
    ),
    examples=examples(
        """
        # Show metrics for all pods in the default namespace
        kubectl top pod

        # Show metrics for all pods in the given namespace
        kubectl top pod --namespace=NAMESPACE

        # Show metrics for a given pod and its containers
        kubectl top pod POD_NAME --containers

        # Show metrics for the pods defined by label name=myLabel
        kubectl top pod -l name=myLabel
        """
    ),
)
def top_pod(env: Env, parsed: Parsed, out: Output) -> None:
    sort_by = _validate(parsed, "pod [NAME | -l label]", "kubectl top pod")
    samples = _pod_metrics(env, parsed, MetricsServer(env.api.store))
    if not samples:
        _explain_missing(env, parsed, out)
        return
    out.out(pod_table(samples, containers=bool(parsed.get("containers")),
                      with_namespace=bool(parsed.get("all-namespaces")), no_headers=bool(parsed.get("no-headers")),
                      sort_by=sort_by, show_sum=bool(parsed.get("sum"))))  # fmt: skip


# ---------------------------------------------------------------- top node


def node_table(samples: list[NodeMetrics], nodes: list[Obj], *, no_headers: bool, sort_by: str = "",
               show_capacity: bool = False) -> str:  # fmt: skip
    """``PrintNodeMetrics``: usage and share of allocatable (or capacity); nodes without a sample last."""
    field = "capacity" if show_capacity else "allocatable"
    available = {n["metadata"]["name"]: (n.get("status") or {}).get(field) or {} for n in nodes}
    ordered = sorted(samples, key=lambda m: m.name)
    if sort_by == "cpu":
        ordered.sort(key=lambda m: -m.cpu_millis)
    elif sort_by == "memory":
        ordered.sort(key=lambda m: -m.memory_bytes)
    lines = [] if no_headers else [_cells("NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)")]
    for sample in ordered:
        share = available.pop(sample.name, {})
        lines.append(_cells(sample.name) + _usage_cells(milli_cpu(sample.cpu_nanocores), sample.memory_bytes, share))
    lines += [_cells(name, UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN) for name in sorted(available)]
    return _flush(lines)


@command(
    "node",
    parent="top",
    aliases=("nodes", "no"),
    short="Display resource (CPU/memory) usage of nodes",
    long="Display resource (CPU/memory) usage of nodes.\n\n The top-node command allows you to see the resource "
    "consumption of nodes.",
    usage="kubectl top node [NAME | -l label] [options]",
    flags=(
        NO_HEADERS,
        SELECTOR,
        Flag(
            "show-capacity",
            kind="bool",
            help="Print node resources based on Capacity instead of Allocatable(default) of the nodes.",
        ),
        sort_flag("nodes"),
        PROTOBUF,
    ),
    examples=examples(
        """
        # Show metrics for all nodes
        kubectl top node

        # Show metrics for a given node
        kubectl top node NODE_NAME
        """
    ),
)
def top_node(env: Env, parsed: Parsed, out: Output) -> None:
    sort_by = _validate(parsed, "node [NAME | -l label]", "kubectl top node")
    server = MetricsServer(env.api.store)
    now = env.now_ms()
    if parsed.args:
        name = parsed.args[0]
        node = env.api.store.get(ObjKey("Node", "", name))
        sample = server.node_metrics(node, now) if node is not None else None
        if sample is None:
            raise errors.not_found("nodemetrics", "metrics.k8s.io", name)
        samples = [sample]
    else:
        listed, _ = env.api.list("Node", None, parsed.get("selector") or None)
        samples = server.list_node_metrics(listed, now)
    if not samples:
        raise CommandError("metrics not available yet")
    if parsed.args:
        nodes = [env.api.get("Node", "", parsed.args[0], env.ctx())]
    else:
        nodes, _ = env.api.list("Node", None, parsed.get("selector") or None, None, env.ctx())
    out.out(node_table(samples, nodes, no_headers=bool(parsed.get("no-headers")), sort_by=sort_by,
                       show_capacity=bool(parsed.get("show-capacity"))))  # fmt: skip
