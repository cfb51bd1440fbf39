"""The ReplicaSet controller: keep ``spec.replicas`` active pods matching the selector.

A faithful, level-triggered port of ``pkg/controller/replicaset``: claim pods
(adopt matching orphans, release owned pods whose labels stopped matching),
create the missing ones from the template with ``generateName`` or delete the
surplus in the real "most deletable first" order, and publish counts in
``status``. Which pods go first on scale-down is visible to learners (the
pending pod goes before the running one, the pod that doubled up on a node
before the lone one), so the ranking follows ``ActivePodsWithRanks`` rule by
rule, including the log2-scaled age comparisons with uid tie-breaks.

Simplifications, all invisible once actions are applied:

- No expectations cache: the engine applies a reconcile's actions before the
  next read, so the view is never behind our own writes.
- Slow-start batches (1, 2, 4, … up to 500 per sync) cannot fail half-way in
  a pure function; the engine stops applying a reconcile's remaining creates
  at the first failed one and turns its event into ``FailedCreate``, which is
  what slow start achieves.
- ``status`` is computed for the state *after* this reconcile's creates and
  deletes (Kubernetes writes the counts it saw and corrects them on the next
  sync), so a reconcile is a fixed point after one application.
- The ``ReplicaFailure`` condition is not maintained (quota failures show up
  as ``FailedCreate`` events).
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from cluster.controllers.podutil import (
    Obj,
    available_at,
    available_if_ready,
    claim,
    compiled_selector,
    controller_ref,
    is_active,
    is_ready,
    is_terminating,
    labels_of,
    new_controller_ref,
    parse_time_ms,
    ready_since,
    restart_counts,
    selector_matches,
)
from cluster.core.objects import clone
from cluster.engine.actions import Action, Create, Delete, ObjKey, RecordEvent, Result, UpdateStatus
from cluster.engine.reconciler import Watch, self_key
from cluster.engine.view import View

COMPONENT = "replicaset-controller"
BURST_REPLICAS = 500
POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
_PHASE_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}
_INT32 = (-(2**31), 2**31 - 1)
_COST_RE = re.compile(r"-[0-9]+|0|[1-9][0-9]*")


class ReplicaSetController:
    name = COMPONENT
    actor = "controller-manager"

    def watches(self) -> list[Watch]:
        return [Watch("ReplicaSet", self_key), Watch("Pod", pod_replica_sets, status_blind=True)]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        rs = view.get_key(key)
        if rs is None or is_terminating(rs):
            return Result()
        matcher = compiled_selector(rs.get("spec", {}).get("selector"))
        candidates = [p for p in view.list("Pod", key.namespace) if is_active(p)]
        claimed = claim(rs, candidates, lambda pod: matcher(labels_of(pod)))
        actions: list[Action] = list(claimed.patches)
        active = sorted(claimed.owned, key=_name)
        diff = len(active) - desired_replicas(rs)
        created = 0
        if diff < 0:
            created = min(-diff, BURST_REPLICAS)
            actions.extend(_create_pods(rs, created))
        elif diff > 0:
            victims = pods_to_delete(active, related_pods(view, rs), min(diff, BURST_REPLICAS), now_ms)
            actions.extend(_delete_pods(rs, victims))
            gone = {_uid(p) for p in victims}
            active = [p for p in active if _uid(p) not in gone]
        status = calculate_status(rs, active, created, now_ms)
        if status != (rs.get("status") or {}):
            updated = clone(rs)
            updated["status"] = status
            actions.append(UpdateStatus(updated))
        return Result(actions, requeue_after_ms=_next_availability_check(rs, active, now_ms))


# ---------------------------------------------------------------- watch mapping


def pod_replica_sets(view: View, pod: Obj) -> list[ObjKey]:
    """The pod's controlling ReplicaSet; for an orphan, every ReplicaSet that could adopt it."""
    namespace = pod.get("metadata", {}).get("namespace", "")
    ref = controller_ref(pod)
    if ref is not None:
        if ref.get("kind") != "ReplicaSet":
            return []
        return [ObjKey("ReplicaSet", namespace, str(ref.get("name", "")))]
    return [ObjKey.of(rs) for rs in view.list("ReplicaSet", namespace) if _could_adopt(rs, pod)]


def _could_adopt(rs: Obj, pod: Obj) -> bool:
    selector = rs.get("spec", {}).get("selector") or {}
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        return False  # GetPodReplicaSets skips selectors that would match everything
    return selector_matches(selector, labels_of(pod))


# ---------------------------------------------------------------- creating and deleting


def desired_replicas(rs: Obj) -> int:
    replicas = rs.get("spec", {}).get("replicas")
    return 1 if replicas is None else int(replicas)


def pod_from_template(rs: Obj) -> Obj:
    """``controller.GetPodFromTemplate``: template labels, annotations, finalizers and spec, plus our controller ref."""
    template = rs.get("spec", {}).get("template") or {}
    template_meta = template.get("metadata") or {}
    meta: dict[str, Any] = {"generateName": f"{rs['metadata']['name']}-", "namespace": rs["metadata"]["namespace"]}
    for field in ("labels", "annotations", "finalizers"):
        if template_meta.get(field):
            meta[field] = clone(template_meta[field])
    meta["ownerReferences"] = [new_controller_ref(rs)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": clone(template.get("spec") or {})}


def _create_pods(rs: Obj, count: int) -> list[Action]:
    actions: list[Action] = []
    for _ in range(count):
        actions.append(Create(pod_from_template(rs)))
        # The engine fills in the name the API server generated for the Create just before.
        actions.append(RecordEvent(rs, "Normal", "SuccessfulCreate", "Created pod: {created}", COMPONENT))
    return actions


def _delete_pods(rs: Obj, victims: list[Obj]) -> list[Action]:
    actions: list[Action] = []
    for pod in victims:
        name = pod["metadata"]["name"]
        actions.append(Delete(ObjKey.of(pod)))
        actions.append(RecordEvent(rs, "Normal", "SuccessfulDelete", f"Deleted pod: {name}", COMPONENT))
    return actions


# ---------------------------------------------------------------- status


def calculate_status(rs: Obj, active: list[Obj], created: int, now_ms: int) -> Obj:
    """Counts over the claimed active pods (plus ``created`` new, not-yet-ready ones).

    ``replicas`` is always present on the wire; the other counters are
    ``omitempty`` and disappear at zero, as in real ReplicaSet YAML.
    """
    spec = rs.get("spec", {})
    template_labels = (spec.get("template") or {}).get("metadata", {}).get("labels") or {}
    min_ready = int(spec.get("minReadySeconds") or 0)
    fully_labeled, ready, available = created, 0, 0
    for pod in active:  # one pass: a sync of a large ReplicaSet walks every pod it owns
        fully_labeled += _has_labels(pod, template_labels)
        if is_ready(pod):
            ready += 1
            available += available_if_ready(pod, min_ready, now_ms)  # only a ready pod can be available
    status: Obj = clone(rs.get("status") or {})
    status["replicas"] = len(active) + created
    _set_or_drop(status, "fullyLabeledReplicas", fully_labeled)
    _set_or_drop(status, "readyReplicas", ready)
    _set_or_drop(status, "availableReplicas", available)
    _set_or_drop(status, "observedGeneration", int(rs["metadata"].get("generation") or 0))
    return status


def _set_or_drop(status: Obj, field: str, value: int) -> None:
    if value:
        status[field] = value
    else:
        status.pop(field, None)


def _has_labels(pod: Obj, wanted: dict[str, str]) -> bool:
    have = labels_of(pod)
    return all(have.get(k) == v for k, v in wanted.items())


def _next_availability_check(rs: Obj, active: list[Obj], now_ms: int) -> int | None:
    """Ready pods still inside ``minReadySeconds`` become available later: look again at the first such moment."""
    min_ready = int(rs.get("spec", {}).get("minReadySeconds") or 0)
    if min_ready <= 0:
        return None
    pending = [at for p in active if (at := available_at(p, min_ready)) is not None and at > now_ms]
    return min(pending) - now_ms if pending else None


# ---------------------------------------------------------------- scale-down victims (ActivePodsWithRanks)


def related_pods(view: View, rs: Obj) -> list[Obj]:
    """``getIndirectlyRelatedPods``: pods selected by any ReplicaSet with the same controller (e.g. Deployment).

    A ReplicaSet without a controller has no related pods, so every pod ranks 0.
    """
    ref = controller_ref(rs)
    if ref is None:
        return []
    namespace = rs["metadata"]["namespace"]
    pods = view.list("Pod", namespace)
    seen: dict[str, Obj] = {}
    for other in view.list("ReplicaSet", namespace):
        other_ref = controller_ref(other)
        if other_ref is None or other_ref.get("uid") != ref.get("uid"):
            continue
        selector = other.get("spec", {}).get("selector")
        for pod in pods:
            if _uid(pod) not in seen and selector_matches(selector, labels_of(pod)):
                seen[_uid(pod)] = pod
    return list(seen.values())


def pods_to_delete(active: list[Obj], related: list[Obj], diff: int, now_ms: int) -> list[Obj]:
    """The ``diff`` most deletable pods (``getPodsToDelete``); no ranking needed when all of them go."""
    if diff >= len(active):
        return list(active)
    return rank_for_deletion(active, related, now_ms)[:diff]


def rank_for_deletion(pods: list[Obj], related: list[Obj], now_ms: int) -> list[Obj]:
    """``pods`` sorted most-deletable first: the eight rules of ``ActivePodsWithRanks.Less``.

    The doubled-up rank of a pod is how many active related pods share its node.
    """
    on_node: dict[str, int] = {}
    for pod in related:
        if is_active(pod):
            node = _node(pod)
            on_node[node] = on_node.get(node, 0) + 1
    ranks = {_uid(p): on_node.get(_node(p), 0) for p in pods}

    def compare(a: Obj, b: Obj) -> int:
        if _less(a, b, ranks, now_ms):
            return -1
        return 1 if _less(b, a, ranks, now_ms) else 0

    return sorted(pods, key=functools.cmp_to_key(compare))


def _less(a: Obj, b: Obj, ranks: dict[str, int], now_ms: int) -> bool:
    for rule in _RULES:
        verdict = rule(a, b, ranks, now_ms)
        if verdict is not None:
            return verdict
    return False


def _rule_unscheduled(a: Obj, b: Obj, _ranks: dict[str, int], _now: int) -> bool | None:
    node_a, node_b = _node(a), _node(b)
    if node_a != node_b and (not node_a or not node_b):
        return not node_a
    return None


def _rule_phase(a: Obj, b: Obj, _ranks: dict[str, int], _now: int) -> bool | None:
    phase_a, phase_b = _phase_ordinal(a), _phase_ordinal(b)
    return phase_a < phase_b if phase_a != phase_b else None


def _rule_not_ready(a: Obj, b: Obj, _ranks: dict[str, int], _now: int) -> bool | None:
    return not is_ready(a) if is_ready(a) != is_ready(b) else None


def _rule_deletion_cost(a: Obj, b: Obj, _ranks: dict[str, int], _now: int) -> bool | None:
    cost_a, cost_b = deletion_cost(a), deletion_cost(b)
    return cost_a < cost_b if cost_a != cost_b else None


def _rule_doubled_up(a: Obj, b: Obj, ranks: dict[str, int], _now: int) -> bool | None:
    rank_a, rank_b = ranks[_uid(a)], ranks[_uid(b)]
    return rank_a > rank_b if rank_a != rank_b else None


def _rule_ready_time(a: Obj, b: Obj, _ranks: dict[str, int], now_ms: int) -> bool | None:
    if not (is_ready(a) and is_ready(b)):
        return None
    return _newer_first(ready_since(a), ready_since(b), a, b, now_ms)


def _rule_restarts(a: Obj, b: Obj, _ranks: dict[str, int], _now: int) -> bool | None:
    (regular_a, sidecar_a), (regular_b, sidecar_b) = restart_counts(a), restart_counts(b)
    if regular_a != regular_b:
        return regular_a > regular_b
    return sidecar_a > sidecar_b if sidecar_a != sidecar_b else None


def _rule_created(a: Obj, b: Obj, _ranks: dict[str, int], now_ms: int) -> bool | None:
    created_a = parse_time_ms(a["metadata"].get("creationTimestamp"))
    created_b = parse_time_ms(b["metadata"].get("creationTimestamp"))
    return _newer_first(created_a, created_b, a, b, now_ms)


_RULES = (
    _rule_unscheduled,
    _rule_phase,
    _rule_not_ready,
    _rule_deletion_cost,
    _rule_doubled_up,
    _rule_ready_time,
    _rule_restarts,
    _rule_created,
)


def _newer_first(t_a: int | None, t_b: int | None, a: Obj, b: Obj, now_ms: int) -> bool | None:
    """Newer time first on a log2 scale of age (LogarithmicScaleDown); same bucket → lower uid first.

    A missing (zero) time counts as the newest of all.
    """
    if t_a == t_b:
        return None
    if t_a is None or t_b is None:
        return t_a is None
    diff = log2_age(t_a, now_ms) - log2_age(t_b, now_ms)
    if diff == 0:
        return _uid(a) < _uid(b)
    return diff < 0


def log2_age(at_ms: int, now_ms: int) -> int:
    """``int64(math.Log2(float64(now - t)))`` with the age in nanoseconds, as Go's ``time.Duration``; -1 if not past."""
    age_ns = (now_ms - at_ms) * 1_000_000
    return int(math.log2(age_ns)) if age_ns > 0 else -1


def deletion_cost(pod: Obj) -> int:
    """The ``controller.kubernetes.io/pod-deletion-cost`` annotation as an int32; 0 when absent or invalid."""
    raw = (pod.get("metadata", {}).get("annotations") or {}).get(POD_DELETION_COST)
    if not isinstance(raw, str) or not _COST_RE.fullmatch(raw):
        return 0  # "+10" and "008" are rejected like strconv after validFirstDigit
    cost = int(raw)
    return cost if _INT32[0] <= cost <= _INT32[1] else 0


def _phase_ordinal(pod: Obj) -> int:
    return _PHASE_ORDINAL.get((pod.get("status") or {}).get("phase", ""), 0)


def _node(pod: Obj) -> str:
    return str((pod.get("spec") or {}).get("nodeName") or "")


def _uid(obj: Obj) -> str:
    return str(obj["metadata"].get("uid", ""))


def _name(obj: Obj) -> str:
    return str(obj["metadata"].get("name", ""))
