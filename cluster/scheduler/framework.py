"""One scheduling cycle as a pure function: PreFilter, Filter, Score, select a host.

``schedule_pod`` is kube-scheduler's ``schedulePod`` for a cluster of under
100 nodes (every node is evaluated). Only a single feasible node skips the
choice; ties among the best totals are broken by reservoir sampling with the
generator passed in, like ``selectHost``, so a seeded generator gives a
reproducible placement.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cluster.scheduler.filters import Rejection, run_filters
from cluster.scheduler.matching import required_node_names
from cluster.scheduler.messages import failed_scheduling
from cluster.scheduler.nodeinfo import IncomingPod, NodeInfo, PodInfoCache, build_snapshot
from cluster.scheduler.scores import score_nodes
from cluster.scheduler.topology import spread_filter

Obj = dict[str, Any]
ERR_AFFINITY_CONFLICT = "pod affinity terms conflict"


@dataclass
class Decision:
    """Where the pod goes and why: the bound node, or the FailedScheduling message and per-node reasons."""

    node: str | None
    message: str = ""
    filter_reasons: dict[str, list[str]] = field(default_factory=dict)  # every node; [] when it fits
    scores: dict[str, dict[str, int]] = field(default_factory=dict)  # feasible node -> plugin -> weighted score
    total: dict[str, int] = field(default_factory=dict)

    def summary(self) -> dict[str, Any]:
        """JSON-ready form for traces and the UI's "why this node" panel."""
        return {
            "node": self.node,
            "message": self.message,
            "filtered": {n: r for n, r in self.filter_reasons.items() if r},
            "scores": self.scores,
            "total": self.total,
        }


def _prefilter(pod: Obj, snapshot: list[NodeInfo]) -> tuple[str, dict[str, Rejection]]:
    """NodeAffinity's PreFilter: a ``metadata.name`` pin rejects every other node up front."""
    names = required_node_names(pod)
    if names is None:
        return "", {}
    if not names:
        rejection = Rejection("NodeAffinity", (ERR_AFFINITY_CONFLICT,), True)
        return ERR_AFFINITY_CONFLICT, {n.name: rejection for n in snapshot}
    absent = Rejection("NodeAffinity", ("node(s) didn't satisfy plugin(s) [NodeAffinity]",), True)
    return "", {n.name: absent for n in snapshot if n.name not in names}


def select_host(totals: Mapping[str, int], order: list[str], tie_break: random.Random) -> str:
    """Highest total; among equals the k-th candidate replaces the pick with probability 1/k."""
    best = max(totals[name] for name in order)
    chosen, seen = "", 0
    for name in order:
        if totals[name] != best:
            continue
        seen += 1
        if seen == 1 or tie_break.randrange(seen) == 0:
            chosen = name
    return chosen


def _preempt_never(pod: Obj) -> bool:
    return (pod.get("spec") or {}).get("preemptionPolicy") == "Never"


def schedule_pod(
    pod: Obj,
    nodes: list[Obj],
    pods_by_node: Mapping[str, list[Obj]],
    tie_break: random.Random,
    *,
    infos: PodInfoCache | None = None,
) -> Decision:
    """Decide where ``pod`` runs given the nodes and the active pods already bound to each of them."""
    return schedule_on(pod, build_snapshot(nodes, pods_by_node, infos or PodInfoCache()), tie_break)


def schedule_on(pod: Obj, snapshot: list[NodeInfo], tie_break: random.Random) -> Decision:
    """The cycle against a ready snapshot (from scratch, or from the scheduler's cache)."""
    if not snapshot:
        return Decision(None, failed_scheduling(0, []))
    incoming = IncomingPod.of(pod)
    prefilter_msg, rejections = _prefilter(pod, snapshot)
    feasible: list[NodeInfo] = []
    if not prefilter_msg:
        constrained = (pod.get("spec") or {}).get("topologySpreadConstraints")
        extra = (spread_filter(incoming, snapshot),) if constrained else ()
        for node in snapshot:
            if node.name in rejections:
                continue
            verdict = run_filters(incoming, node, extra)
            if verdict is None:
                feasible.append(node)
            else:
                rejections[node.name] = verdict
    reasons = {n.name: list(rejections[n.name].reasons) if n.name in rejections else [] for n in snapshot}
    if not feasible:
        ordered = [rejections[n.name] for n in snapshot]
        message = failed_scheduling(
            len(snapshot), ordered, prefilter_msg=prefilter_msg, preempt_never=_preempt_never(pod)
        )
        return Decision(None, message, reasons)
    scores = score_nodes(incoming, feasible, snapshot)
    total = {name: sum(by_plugin.values()) for name, by_plugin in scores.items()}
    # A single feasible node is taken without a tie-break draw, as schedulePod does.
    chosen = feasible[0].name if len(feasible) == 1 else select_host(total, [n.name for n in feasible], tie_break)
    return Decision(chosen, "", reasons, scores, total)
