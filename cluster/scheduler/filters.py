"""Filter plugins: can this pod run on this node at all?

Run in the default profile's order; the first plugin that rejects a node
decides its status (later plugins are not consulted), exactly as
``RunFilterPlugins`` does. A rejection is either *unresolvable* (taints,
affinity, cordon: evicting pods cannot help, so preemption skips the node)
or plain *unschedulable* (resources, host ports). Reason strings are the
plugins' own, because the FailedScheduling message is built from them.

PodTopologySpread's filter needs per-cycle counts and is built by
``topology.spread_filter``. Not simulated (their filters pass every node):
the volume plugins and InterPodAffinity.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from cluster.scheduler.matching import NO_EXECUTE, NO_SCHEDULE, first_untolerated, taint_text, tolerated
from cluster.scheduler.nodeinfo import HostPort, IncomingPod, NodeInfo

ERR_UNSCHEDULABLE = "node(s) were unschedulable"
ERR_NODE_NAME = "node(s) didn't match the requested node name"
ERR_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector"
ERR_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports"
ERR_TOO_MANY_PODS = "Too many pods"
UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": NO_SCHEDULE}

_NATIVE = ("cpu", "memory", "ephemeral-storage")


@dataclass(frozen=True)
class Rejection:
    """A filter's verdict on a node: its reasons, which plugin, and whether preemption could help."""

    plugin: str
    reasons: tuple[str, ...]
    unresolvable: bool


Filter = Callable[[IncomingPod, NodeInfo], Rejection | None]


def node_unschedulable(pod: IncomingPod, node: NodeInfo) -> Rejection | None:
    """A cordoned node, unless the pod tolerates ``node.kubernetes.io/unschedulable:NoSchedule``."""
    if not (node.node.get("spec") or {}).get("unschedulable"):
        return None
    if tolerated(pod.tolerations, UNSCHEDULABLE_TAINT):
        return None
    return Rejection("NodeUnschedulable", (ERR_UNSCHEDULABLE,), True)


def node_name(pod: IncomingPod, node: NodeInfo) -> Rejection | None:
    if not pod.node_name or pod.node_name == node.name:
        return None
    return Rejection("NodeName", (ERR_NODE_NAME,), True)


def taint_toleration(pod: IncomingPod, node: NodeInfo) -> Rejection | None:
    """The first NoSchedule/NoExecute taint the pod does not tolerate."""
    taints = (node.node.get("spec") or {}).get("taints") or []
    taint = first_untolerated(taints, pod.tolerations, (NO_SCHEDULE, NO_EXECUTE))
    if taint is None:
        return None
    return Rejection("TaintToleration", (f"node(s) had untolerated taint {taint_text(taint)}",), True)


def node_affinity(pod: IncomingPod, node: NodeInfo) -> Rejection | None:
    if pod.affinity.empty or pod.affinity.matches(node.node):
        return None
    return Rejection("NodeAffinity", (ERR_NODE_AFFINITY,), True)


def _conflicts(wanted: HostPort, used: HostPort) -> bool:
    """Same protocol and port, and the same IP or either side bound to 0.0.0.0."""
    ip, protocol, port = wanted
    used_ip, used_protocol, used_port = used
    if (protocol, port) != (used_protocol, used_port):
        return False
    return ip == used_ip or "0.0.0.0" in (ip, used_ip)


def node_ports(pod: IncomingPod, node: NodeInfo) -> Rejection | None:
    for wanted in pod.info.host_ports:
        if any(_conflicts(wanted, used) for used in node.totals.used_ports):
            return Rejection("NodePorts", (ERR_NODE_PORTS,), False)
    return None


def insufficient_resources(pod: IncomingPod, node: NodeInfo) -> list[str]:
    """``fitsRequest``: every resource the node cannot fit, pod count first."""
    reasons = []
    if node.totals.pod_count + 1 > node.allocatable.get("pods", 0):
        reasons.append(ERR_TOO_MANY_PODS)
    requests = pod.info.requests
    for name in _NATIVE:
        wanted = requests.get(name, 0)
        if wanted > 0 and wanted > node.allocatable.get(name, 0) - node.totals.requested.get(name, 0):
            reasons.append(f"Insufficient {name}")
    for name in sorted(requests):
        if name in _NATIVE or not is_scalar_resource(name) or requests[name] == 0:
            continue
        if requests[name] > node.allocatable.get(name, 0) - node.totals.requested.get(name, 0):
            reasons.append(f"Insufficient {name}")
    return reasons


def is_scalar_resource(name: str) -> bool:
    """Extended (``example.com/gpu``), prefixed native, hugepages and attachable-volume resources."""
    return "/" in name or name.startswith(("hugepages-", "attachable-volumes-"))


def node_resources_fit(pod: IncomingPod, node: NodeInfo) -> Rejection | None:
    reasons = insufficient_resources(pod, node)
    return Rejection("NodeResourcesFit", tuple(reasons), False) if reasons else None


FILTERS: tuple[Filter, ...] = (
    node_unschedulable,
    node_name,
    taint_toleration,
    node_affinity,
    node_ports,
    node_resources_fit,
)


def run_filters(pod: IncomingPod, node: NodeInfo, extra: tuple[Filter, ...] = ()) -> Rejection | None:
    """The first rejection, in plugin order; ``extra`` are per-cycle filters (PodTopologySpread)."""
    for plugin in FILTERS + extra:
        rejection = plugin(pod, node)
        if rejection is not None:
            return rejection
    return None
