"""Score plugins: among the nodes that fit, which is best?

Each plugin scores every feasible node, normalizes to 0-100 the way its
upstream ``NormalizeScore`` does, and is multiplied by its default-profile
weight. Integer arithmetic (and Go's truncating division) is kept, so the
totals shown in the "why this node" panel are the ones kube-scheduler would
log. A plugin that has nothing to say about a pod (no preferred affinity,
nothing to spread) is skipped, as its PreScore would. PodTopologySpread
lives in ``topology.py`` with its filter.
"""

from __future__ import annotations

from collections.abc import Callable

from cluster.scheduler.matching import PREFER_NO_SCHEDULE, term_matches, tolerated
from cluster.scheduler.nodeinfo import IncomingPod, NodeInfo, image_spread
from cluster.scheduler.topology import pod_topology_spread

MAX_NODE_SCORE = 100
WEIGHTS = {
    "TaintToleration": 3,
    "NodeAffinity": 2,
    "NodeResourcesFit": 1,
    "PodTopologySpread": 2,
    "NodeResourcesBalancedAllocation": 1,
    "ImageLocality": 1,
}
_MB = 1024 * 1024
_MIN_IMAGE_THRESHOLD = 23 * _MB
_MAX_CONTAINER_IMAGE_THRESHOLD = 1000 * _MB

Scores = dict[str, int]  # node name -> score
Scorer = Callable[[IncomingPod, list[NodeInfo], list[NodeInfo]], Scores | None]


def _go_div(a: int, b: int) -> int:
    """Go's integer division truncates toward zero."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b > 0) else -q


def default_normalize(scores: Scores, reverse: bool) -> Scores:
    """``helper.DefaultNormalizeScore``: scale to 0-100 by the maximum, optionally reversed."""
    highest = max(scores.values(), default=0)
    if highest == 0:
        return {n: MAX_NODE_SCORE if reverse else s for n, s in scores.items()}
    out = {}
    for name, score in scores.items():
        scaled = _go_div(MAX_NODE_SCORE * score, highest)
        out[name] = MAX_NODE_SCORE - scaled if reverse else scaled
    return out


# --------------------------------------------------------------------------- NodeResourcesFit


def _least_requested(requested: int, capacity: int) -> int:
    if capacity == 0 or requested > capacity:
        return 0
    return _go_div((capacity - requested) * MAX_NODE_SCORE, capacity)


def least_allocated(pod: IncomingPod, feasible: list[NodeInfo], _all: list[NodeInfo]) -> Scores:
    """LeastAllocated over cpu and memory (weight 1 each), with non-zero requests."""
    out = {}
    for node in feasible:
        pairs = [
            (node.totals.non_zero_cpu + pod.info.non_zero_cpu, node.allocatable.get("cpu", 0)),
            (node.totals.non_zero_memory + pod.info.non_zero_memory, node.allocatable.get("memory", 0)),
        ]
        used = [(req, cap) for req, cap in pairs if cap != 0]
        total = sum(_least_requested(req, cap) for req, cap in used)
        out[node.name] = _go_div(total, len(used)) if used else 0
    return out


def balanced_allocation(pod: IncomingPod, feasible: list[NodeInfo], _all: list[NodeInfo]) -> Scores:
    """``(1 - std) * 100`` of the cpu and memory fractions (real requests, not the non-zero ones)."""
    out = {}
    for node in feasible:
        fractions = []
        for name, wanted in (("cpu", pod.balanced_cpu), ("memory", pod.balanced_memory)):
            capacity = node.allocatable.get(name, 0)
            if capacity:
                fractions.append(min(1.0, (node.totals.requested.get(name, 0) + wanted) / capacity))
        std = abs(fractions[0] - fractions[1]) / 2 if len(fractions) == 2 else 0.0
        out[node.name] = int((1 - std) * MAX_NODE_SCORE)
    return out


# ------------------------------------------------------------------------ TaintToleration, NodeAffinity


def taint_toleration(pod: IncomingPod, feasible: list[NodeInfo], _all: list[NodeInfo]) -> Scores:
    """Fewer untolerated PreferNoSchedule taints is better (reverse-normalized count)."""
    prefer = [t for t in pod.tolerations if (t.get("effect") or PREFER_NO_SCHEDULE) == PREFER_NO_SCHEDULE]
    raw = {}
    for node in feasible:
        taints = (node.node.get("spec") or {}).get("taints") or []
        raw[node.name] = sum(1 for t in taints if t.get("effect") == PREFER_NO_SCHEDULE and not tolerated(prefer, t))
    return default_normalize(raw, reverse=True)


def node_affinity(pod: IncomingPod, feasible: list[NodeInfo], _all: list[NodeInfo]) -> Scores | None:
    """Sum of the weights of matching preferred terms, normalized by the best node."""
    if not pod.preferred:
        return None
    raw = {}
    for node in feasible:
        raw[node.name] = sum(w for w, term in pod.preferred if term_matches(term, node.labels, node.name))
    return default_normalize(raw, reverse=False)


# ------------------------------------------------------------------------------------- ImageLocality


def _image_priority(total: int, containers: int) -> int:
    highest = _MAX_CONTAINER_IMAGE_THRESHOLD * containers
    total = min(max(total, _MIN_IMAGE_THRESHOLD), highest)
    return MAX_NODE_SCORE * (total - _MIN_IMAGE_THRESHOLD) // (highest - _MIN_IMAGE_THRESHOLD)


def image_locality(pod: IncomingPod, feasible: list[NodeInfo], all_nodes: list[NodeInfo]) -> Scores:
    """Favour nodes that already hold the pod's images, scaled by how widely each image is spread."""
    spread = image_spread(all_nodes)
    out = {}
    for node in feasible:
        total = 0
        for image in pod.images:
            if image in node.images:
                total += int(node.images[image] * (spread[image] / len(all_nodes)))
        out[node.name] = _image_priority(total, len(pod.images)) if pod.images else 0
    return out


SCORERS: tuple[tuple[str, Scorer], ...] = (
    ("TaintToleration", taint_toleration),
    ("NodeAffinity", node_affinity),
    ("NodeResourcesFit", least_allocated),
    ("PodTopologySpread", pod_topology_spread),
    ("NodeResourcesBalancedAllocation", balanced_allocation),
    ("ImageLocality", image_locality),
)


def score_nodes(pod: IncomingPod, feasible: list[NodeInfo], all_nodes: list[NodeInfo]) -> dict[str, dict[str, int]]:
    """``{node: {plugin: weighted score}}`` for every feasible node."""
    out: dict[str, dict[str, int]] = {node.name: {} for node in feasible}
    for plugin, scorer in SCORERS:
        scores = scorer(pod, feasible, all_nodes)
        if scores is None:
            continue
        for name, score in scores.items():
            out[name][plugin] = score * WEIGHTS[plugin]
    return out
