"""From a raw recommendation to the replica count actually set: stabilization and rate limits.

Two paths, as in ``horizontal.go``:

* **No ``spec.behavior``** (the usual case: the API server stores none unless
  the user wrote one): ``normalizeDesiredReplicas``. Scale-down uses the
  *highest* recommendation of the last 300 s (``--horizontal-pod-autoscaler-
  downscale-stabilization``); scale-up may reach at most ``max(2 × current,
  4)`` per sync; then the count is clamped to [minReplicas, maxReplicas].
* **With ``spec.behavior``**: ``normalizeDesiredReplicasWithBehaviors``. Each
  direction has its stabilization window (scale-up takes the lowest,
  scale-down the highest recommendation inside it) and its policies, which
  limit the change per period counted from the recorded scale events
  (``selectPolicy`` Max picks the policy allowing the biggest change, Min the
  smallest, Disabled forbids that direction). The defaults — scale-up 0 s,
  ``max(+100 %, +4 pods)`` per 15 s; scale-down 300 s, 100 % per 15 s —
  come from the API server's defaulting of a partly written behavior.

A sample exactly as old as a window or period counts as outside it (real
syncs are a little more than 15 s apart, so such a sample is just older).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from cluster.apiserver.defaults.autoscaling import scale_down_rules, scale_up_rules
from cluster.controllers.hpa.memory import Memory, ScaleEvent

Obj = dict[str, Any]
SetCondition = Callable[[str, str, str, str], None]  # (type, status, reason, message)

DOWNSCALE_STABILIZATION_MS = 300_000
SCALE_UP_LIMIT_FACTOR = 2
SCALE_UP_LIMIT_MINIMUM = 4
INT32_MAX = 2**31 - 1

READY = ("ReadyForNewScale", "recommended size matches current size")
DOWN_STABILIZED = (
    "ScaleDownStabilized",
    "recent recommendations were higher than current one, applying the highest recent recommendation",
)
UP_STABILIZED = (
    "ScaleUpStabilized",
    "recent recommendations were lower than current one, applying the lowest recent recommendation",
)
WITHIN_RANGE = ("DesiredWithinRange", "the desired count is within the acceptable range")
TOO_MANY = ("TooManyReplicas", "the desired replica count is more than the maximum replica count")
TOO_FEW = ("TooFewReplicas", "the desired replica count is less than the minimum replica count")
UP_LIMIT = ("ScaleUpLimit", "the desired replica count is increasing faster than the maximum scale rate")
DOWN_LIMIT = ("ScaleDownLimit", "the desired replica count is decreasing faster than the maximum scale rate")


def record_initial_recommendation(memory: Memory, current: int, now_ms: int) -> None:
    """A fresh HPA remembers the current size as its first recommendation (no instant scale-down)."""
    if not memory.recommendations:
        memory.recommendations = [(now_ms, current)]


def _record(memory: Memory, old_index: int | None, replicas: int, now_ms: int) -> None:
    if old_index is None:
        memory.recommendations.append((now_ms, replicas))
    else:
        memory.recommendations[old_index] = (now_ms, replicas)


def _limited(set_condition: SetCondition, result: int, stabilized: int, reason: tuple[str, str]) -> int:
    set_condition("ScalingLimited", "False" if result == stabilized else "True", *reason)
    return result


# ---------------------------------------------------------------- without spec.behavior


def stabilize_recommendation(memory: Memory, now_ms: int, desired: int) -> int:
    """The highest recommendation of the last 300 s (this one included); this one is recorded."""
    cutoff = now_ms - DOWNSCALE_STABILIZATION_MS
    highest, old_index = desired, None
    for i, (at_ms, replicas) in enumerate(memory.recommendations):
        if at_ms <= cutoff:
            old_index = i
        elif replicas > highest:
            highest = replicas
    _record(memory, old_index, desired, now_ms)
    return highest


def scale_up_limit(current: int) -> int:
    return max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM)


def convert_with_rules(current: int, desired: int, min_replicas: int, max_replicas: int) -> tuple[int, tuple[str, str]]:
    """``convertDesiredReplicasWithRules``: clamp to [min, min(max, scale-up limit)], saying what limited it."""
    limit = scale_up_limit(current)
    maximum, reason = (limit, UP_LIMIT) if max_replicas > limit else (max_replicas, TOO_MANY)
    if desired < min_replicas:
        return min_replicas, TOO_FEW
    if desired > maximum:
        return maximum, reason
    return desired, WITHIN_RANGE


def normalize_desired_replicas(
    memory: Memory, set_condition: SetCondition, now_ms: int, current: int, desired: int, min_r: int, max_r: int
) -> int:
    stabilized = stabilize_recommendation(memory, now_ms, desired)
    set_condition("AbleToScale", "True", *(DOWN_STABILIZED if stabilized != desired else READY))
    result, reason = convert_with_rules(current, stabilized, min_r, max_r)
    return _limited(set_condition, result, stabilized, reason)


# ---------------------------------------------------------------- with spec.behavior


def rules_of(behavior: Obj, direction: str) -> Obj:
    """The direction's rules, completed like the API server's defaulting (and the 300 s scale-down flag)."""
    defaults = scale_up_rules() if direction == "scaleUp" else scale_down_rules()
    rules = {**defaults, **{k: v for k, v in (behavior.get(direction) or {}).items() if v is not None}}
    if rules.get("stabilizationWindowSeconds") is None:
        rules["stabilizationWindowSeconds"] = DOWNSCALE_STABILIZATION_MS // 1000
    return rules


def stabilize_with_behaviors(
    memory: Memory, behavior: Obj, now_ms: int, current: int, desired: int
) -> tuple[int, tuple[str, str]]:
    """``stabilizeRecommendationWithBehaviors``: bound by the min (up) and max (down) within each window."""
    up_cutoff = now_ms - int(rules_of(behavior, "scaleUp")["stabilizationWindowSeconds"]) * 1000
    down_cutoff = now_ms - int(rules_of(behavior, "scaleDown")["stabilizationWindowSeconds"]) * 1000
    up, down, old_index = desired, desired, None
    for i, (at_ms, replicas) in enumerate(memory.recommendations):
        if at_ms > up_cutoff:
            up = min(up, replicas)
        if at_ms > down_cutoff:
            down = max(down, replicas)
        if at_ms <= up_cutoff and at_ms <= down_cutoff:
            old_index = i
    recommendation = min(max(current, up), down)
    _record(memory, old_index, desired, now_ms)
    return recommendation, (UP_STABILIZED if desired >= current else DOWN_STABILIZED)


def replicas_change_per_period(period_s: int, events: list[ScaleEvent], now_ms: int) -> int:
    cutoff = now_ms - period_s * 1000
    return sum(e.change for e in events if e.at_ms > cutoff)


def _period_start(current: int, memory: Memory, period_s: int, now_ms: int) -> int:
    added = replicas_change_per_period(period_s, memory.scale_up_events, now_ms)
    deleted = replicas_change_per_period(period_s, memory.scale_down_events, now_ms)
    return current - added + deleted


def scale_up_limit_with_rules(current: int, memory: Memory, rules: Obj, now_ms: int) -> int:
    """``calculateScaleUpLimitWithScalingRules``: the most replicas the policies allow right now."""
    policy = rules.get("selectPolicy") or "Max"
    if policy == "Disabled":
        return current
    pick, result = (min, INT32_MAX) if policy == "Min" else (max, -INT32_MAX - 1)
    for p in rules.get("policies") or []:
        start = _period_start(current, memory, int(p.get("periodSeconds", 0)), now_ms)
        if p.get("type") == "Pods":
            proposed = start + int(p.get("value", 0))
        else:
            proposed = math.ceil(start * (1 + int(p.get("value", 0)) / 100))
        result = pick(result, proposed)
    return result


def scale_down_limit_with_rules(current: int, memory: Memory, rules: Obj, now_ms: int) -> int:
    """``calculateScaleDownLimitWithBehaviors``: the fewest replicas the policies allow right now."""
    policy = rules.get("selectPolicy") or "Max"
    if policy == "Disabled":
        return current
    pick, result = (max, -INT32_MAX - 1) if policy == "Min" else (min, INT32_MAX)
    for p in rules.get("policies") or []:
        start = _period_start(current, memory, int(p.get("periodSeconds", 0)), now_ms)
        if p.get("type") == "Pods":
            proposed = start - int(p.get("value", 0))
        else:
            proposed = int(start * (1 - int(p.get("value", 0)) / 100))
        result = pick(result, proposed)
    return result


def convert_with_behavior_rate(
    memory: Memory, behavior: Obj, now_ms: int, current: int, desired: int, min_r: int, max_r: int
) -> tuple[int, tuple[str, str]]:
    """``convertDesiredReplicasWithBehaviorRate``: apply the per-period policies and min/max."""
    if desired > current:
        limit = max(scale_up_limit_with_rules(current, memory, rules_of(behavior, "scaleUp"), now_ms), current)
        maximum, reason = (limit, UP_LIMIT) if max_r > limit else (max_r, TOO_MANY)
        if desired > maximum:
            return maximum, reason
    elif desired < current:
        limit = min(scale_down_limit_with_rules(current, memory, rules_of(behavior, "scaleDown"), now_ms), current)
        minimum, reason = (limit, DOWN_LIMIT) if min_r < limit else (min_r, TOO_FEW)
        if desired < minimum:
            return minimum, reason
    return desired, WITHIN_RANGE


def normalize_with_behaviors(
    memory: Memory,
    behavior: Obj,
    set_condition: SetCondition,
    now_ms: int,
    current: int,
    desired: int,
    min_r: int,
    max_r: int,
) -> int:
    stabilized, reason = stabilize_with_behaviors(memory, behavior, now_ms, current, desired)
    set_condition("AbleToScale", "True", *(reason if stabilized != desired else READY))
    result, limit_reason = convert_with_behavior_rate(memory, behavior, now_ms, current, stabilized, min_r, max_r)
    return _limited(set_condition, result, stabilized, limit_reason)


def _longest_period(rules: Obj) -> int:
    return max((int(p.get("periodSeconds", 0)) for p in rules.get("policies") or []), default=0)


def store_scale_event(memory: Memory, behavior: Obj | None, now_ms: int, previous: int, new: int) -> None:
    """``storeScaleEvent``: remember a rescale for the policies (only when a behavior is set)."""
    if behavior is None:
        return
    up = new > previous
    events = memory.scale_up_events if up else memory.scale_down_events
    cutoff = now_ms - _longest_period(rules_of(behavior, "scaleUp" if up else "scaleDown")) * 1000
    for event in events:
        if event.at_ms < cutoff:
            event.outdated = True
    fresh = ScaleEvent(now_ms, abs(new - previous))
    reusable = [i for i, e in enumerate(events) if e.outdated]
    if reusable:
        events[reusable[-1]] = fresh
    else:
        events.append(fresh)
