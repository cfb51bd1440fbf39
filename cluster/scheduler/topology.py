"""PodTopologySpread: keep matching pods evenly spread over nodes, zones, or any node label.

A pod's own ``topologySpreadConstraints`` are honoured: ``DoNotSchedule``
ones filter (``existing matches in the domain + self - global minimum`` must
not exceed ``maxSkew``), ``ScheduleAnyway`` ones only score. A pod without
constraints gets the system defaults (hostname maxSkew 3, zone maxSkew 5,
both ScheduleAnyway), which is what spreads a Deployment's replicas.

Simplification: the default constraints select the pods of the same owning
ReplicaSet/StatefulSet (by controller uid) instead of the merged selector of
the Services and controllers that select the pod. ``matchLabelKeys``,
``minDomains`` and the node inclusion policies are supported.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from cluster.core.labels import IN, Selector, SelectorError, from_label_selector, new_requirement, nothing
from cluster.scheduler.filters import Rejection
from cluster.scheduler.matching import NO_EXECUTE, NO_SCHEDULE, first_untolerated
from cluster.scheduler.nodeinfo import HOSTNAME_LABEL, ZONE_LABEL, IncomingPod, NodeInfo

Obj = dict[str, Any]
MAX_NODE_SCORE = 100
ERR_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints"
ERR_NODE_LABEL_NOT_MATCH = ERR_CONSTRAINTS_NOT_MATCH + " (missing required label)"
DEFAULT_CONSTRAINTS = ((HOSTNAME_LABEL, 3), (ZONE_LABEL, 5))


@dataclass(frozen=True)
class Constraint:
    """One spread constraint with the way to count the pods it selects on a node."""

    key: str
    max_skew: int
    count: Callable[[NodeInfo], int]
    self_match: bool = False
    min_domains: int = 1
    honor_affinity: bool = True
    honor_taints: bool = False

    def includes(self, pod: IncomingPod, node: NodeInfo) -> bool:
        """The node inclusion policies: nodeAffinityPolicy (default Honor), nodeTaintsPolicy (default Ignore)."""
        if self.honor_affinity and not (pod.affinity.empty or pod.affinity.matches(node.node)):
            return False
        taints = (node.node.get("spec") or {}).get("taints") or []
        return not (self.honor_taints and first_untolerated(taints, pod.tolerations, (NO_SCHEDULE, NO_EXECUTE)))


def _selector(pod: Obj, raw: Mapping[str, Any]) -> Selector:
    labels = (pod.get("metadata") or {}).get("labels") or {}
    try:
        selector = from_label_selector(raw.get("labelSelector"))
        extra = [new_requirement(k, IN, [labels[k]]) for k in raw.get("matchLabelKeys") or [] if k in labels]
    except SelectorError:
        return nothing()
    return selector.add(*extra) if extra else selector


def _counter(selector: Selector, namespace: str) -> Callable[[NodeInfo], int]:
    """``countPodsMatchSelector``: same namespace, not terminating; an empty selector counts nothing."""

    def count(node: NodeInfo) -> int:
        if selector.empty:
            return 0
        return sum(
            1
            for p in node.totals.pods.values()
            if p.namespace == namespace and not p.terminating and selector.matches(dict(p.labels))
        )

    return count


def pod_constraints(pod: IncomingPod, when: str) -> list[Constraint]:
    """The pod's own constraints with ``whenUnsatisfiable == when``."""
    spec = pod.pod.get("spec") or {}
    labels = dict((pod.pod.get("metadata") or {}).get("labels") or {})
    out = []
    for raw in spec.get("topologySpreadConstraints") or []:
        if (raw.get("whenUnsatisfiable") or "DoNotSchedule") != when:
            continue
        selector = _selector(pod.pod, raw)
        out.append(
            Constraint(
                key=str(raw.get("topologyKey") or ""),
                max_skew=int(raw.get("maxSkew") or 1),
                count=_counter(selector, pod.info.namespace),
                self_match=selector.matches(labels),
                min_domains=int(raw.get("minDomains") or 1),
                honor_affinity=raw.get("nodeAffinityPolicy", "Honor") != "Ignore",
                honor_taints=raw.get("nodeTaintsPolicy", "Ignore") == "Honor",
            )
        )
    return out


def default_constraints(pod: IncomingPod) -> list[Constraint]:
    owner = pod.info.spread_key
    if owner is None:
        return []
    return [Constraint(key, skew, lambda n: n.totals.spread_counts.get(owner, 0)) for key, skew in DEFAULT_CONSTRAINTS]


def _domain(node: NodeInfo, key: str, defaulted: bool) -> str | None:
    """The node's value for a topology key; with the defaults a node missing its hostname label is its own."""
    if defaulted and key == HOSTNAME_LABEL:
        return node.hostname()
    return node.labels.get(key)


# ------------------------------------------------------------------------------------------ filter


def spread_filter(pod: IncomingPod, snapshot: list[NodeInfo]) -> Callable[[IncomingPod, NodeInfo], Rejection | None]:
    """PreFilter + Filter: counts per domain over every eligible node, then the skew check per node."""
    constraints = pod_constraints(pod, "DoNotSchedule")
    counts: list[dict[str, int]] = [{} for _ in constraints]
    for node in snapshot:
        if not all(c.key in node.labels for c in constraints):
            continue
        for i, c in enumerate(constraints):
            if c.includes(pod, node):
                value = node.labels[c.key]
                counts[i][value] = counts[i].get(value, 0) + c.count(node)
    minimums = [
        min(by_domain.values(), default=0) if len(by_domain) >= c.min_domains else 0
        for c, by_domain in zip(constraints, counts, strict=True)
    ]

    def check(_pod: IncomingPod, node: NodeInfo) -> Rejection | None:
        for i, c in enumerate(constraints):
            if c.key not in node.labels:
                return Rejection("PodTopologySpread", (ERR_NODE_LABEL_NOT_MATCH,), True)
            skew = counts[i].get(node.labels[c.key], 0) + int(c.self_match) - minimums[i]
            if skew > c.max_skew:
                return Rejection("PodTopologySpread", (ERR_CONSTRAINTS_NOT_MATCH,), False)
        return None

    return check


# ------------------------------------------------------------------------------------------- score


def _round_half_away(value: float) -> int:
    """Go's ``math.Round``: halves round away from zero (Python's ``round`` rounds them to even)."""
    return math.floor(value + 0.5) if value >= 0 else -math.floor(-value + 0.5)


def _pair_counts(
    pod: IncomingPod, constraints: list[Constraint], scored: list[NodeInfo], all_nodes: list[NodeInfo], strict: bool
) -> tuple[list[dict[str, int]], list[float]]:
    """PreScore: matching pods per non-hostname domain of the scored nodes, and each constraint's weight."""
    pairs: list[dict[str, int]] = [{} for _ in constraints]
    for node in scored:
        for i, c in enumerate(constraints):
            if c.key != HOSTNAME_LABEL:
                pairs[i].setdefault(node.labels.get(c.key, ""), 0)
    for node in all_nodes:
        if strict and not all(c.key in node.labels for c in constraints):
            continue
        for i, c in enumerate(constraints):
            value = node.labels.get(c.key, "")
            if c.key != HOSTNAME_LABEL and value in pairs[i] and c.includes(pod, node):
                pairs[i][value] += c.count(node)
    weights = [
        math.log((len(scored) if c.key == HOSTNAME_LABEL else len(pairs[i])) + 2) for i, c in enumerate(constraints)
    ]
    return pairs, weights


def pod_topology_spread(pod: IncomingPod, feasible: list[NodeInfo], all_nodes: list[NodeInfo]) -> dict[str, int] | None:
    """Score: fewer matching pods in a node's domains is better; None when there is nothing to spread."""
    explicit = bool((pod.pod.get("spec") or {}).get("topologySpreadConstraints"))
    constraints = pod_constraints(pod, "ScheduleAnyway") if explicit else default_constraints(pod)
    if not constraints or not feasible:
        return None
    ignored = {n.name for n in feasible if explicit and not all(c.key in n.labels for c in constraints)}
    scored = [n for n in feasible if n.name not in ignored]
    pairs, weights = _pair_counts(pod, constraints, scored, all_nodes, explicit)
    raw = {}
    for node in scored:
        score = 0.0
        for i, c in enumerate(constraints):
            value = _domain(node, c.key, not explicit)
            if value is None:
                continue
            count = c.count(node) if c.key == HOSTNAME_LABEL else pairs[i][value]
            score += count * weights[i] + (c.max_skew - 1)
        raw[node.name] = _round_half_away(score)
    return {n.name: 0 for n in feasible if n.name in ignored} | _normalize(raw)


def _normalize(raw: dict[str, int]) -> dict[str, int]:
    """Fewest matching pods gets 100: ``100 * (max + min - score) / max`` (Go integer division)."""
    highest = max(raw.values(), default=0)
    lowest = min(raw.values(), default=0)
    if highest == 0:
        return {name: MAX_NODE_SCORE for name in raw}
    return {name: MAX_NODE_SCORE * (highest + lowest - s) // highest for name, s in raw.items()}
