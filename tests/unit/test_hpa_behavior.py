"""Stabilization windows, scale rate limits and min/max clamping of the HPA's recommendation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from cluster.controllers.hpa import behavior
from cluster.controllers.hpa.memory import Memory, ScaleEvent

Obj = dict[str, Any]
NOW = 1_764_044_340_000
S = 1000
Pairs = Sequence[tuple[int, int]]


class Conditions:
    def __init__(self) -> None:
        self.set: dict[str, tuple[str, str, str]] = {}

    def __call__(self, ctype: str, status: str, reason: str, message: str) -> None:
        self.set[ctype] = (status, reason, message)


def memory(recommendations: Pairs = (), up: Pairs = (), down: Pairs = ()) -> Memory:
    """Recommendations and scale events given as (seconds ago, value)."""
    return Memory(
        uid="u",
        recommendations=[(NOW - ago * S, r) for ago, r in recommendations],
        scale_up_events=[ScaleEvent(NOW - ago * S, c) for ago, c in up],
        scale_down_events=[ScaleEvent(NOW - ago * S, c) for ago, c in down],
    )


# ---------------------------------------------------------------- no spec.behavior


@pytest.mark.parametrize(
    ("history", "desired", "expected"),
    [
        ([(290, 5), (100, 3)], 2, 5),  # the highest recommendation of the last 300 s wins
        ([(300, 8), (290, 5)], 2, 5),  # a recommendation exactly 300 s old is out of the window
        ([(310, 8)], 2, 2),
        ([(100, 3)], 6, 6),  # scaling up is not held back
    ],
)
def test_scale_down_uses_the_max_recommendation_of_the_window(
    history: list[tuple[int, int]], desired: int, expected: int
) -> None:
    mem = memory(history)
    assert behavior.stabilize_recommendation(mem, NOW, desired) == expected
    assert (NOW, desired) in mem.recommendations  # recorded for the next syncs
    assert len(mem.recommendations) == len(history) + (0 if any(a >= 300 for a, _ in history) else 1)


@pytest.mark.parametrize(("current", "limit"), [(0, 4), (1, 4), (2, 4), (3, 6), (10, 20)])
def test_scale_up_limit_without_behavior(current: int, limit: int) -> None:
    assert behavior.scale_up_limit(current) == limit


@pytest.mark.parametrize(
    ("current", "desired", "min_r", "max_r", "result", "reason"),
    [
        (1, 10, 1, 10, 4, "ScaleUpLimit"),  # max(2 × 1, 4)
        (3, 5, 1, 4, 4, "TooManyReplicas"),
        (3, 1, 2, 10, 2, "TooFewReplicas"),
        (3, 4, 1, 10, 4, "DesiredWithinRange"),
    ],
)
def test_convert_with_rules(current: int, desired: int, min_r: int, max_r: int, result: int, reason: str) -> None:
    assert behavior.convert_with_rules(current, desired, min_r, max_r)[0] == result
    assert behavior.convert_with_rules(current, desired, min_r, max_r)[1][0] == reason


def test_normalize_sets_the_conditions_kubernetes_shows() -> None:
    conditions = Conditions()
    result = behavior.normalize_desired_replicas(memory([(60, 5)]), conditions, NOW, 5, 1, 1, 10)
    assert result == 5
    assert conditions.set["AbleToScale"] == (
        "True",
        "ScaleDownStabilized",
        "recent recommendations were higher than current one, applying the highest recent recommendation",
    )
    assert conditions.set["ScalingLimited"] == (
        "False",
        "DesiredWithinRange",
        "the desired count is within the acceptable range",
    )
    behavior.normalize_desired_replicas(memory(), conditions, NOW, 2, 12, 1, 10)
    assert conditions.set["AbleToScale"][1] == "ReadyForNewScale"
    assert conditions.set["ScalingLimited"] == (
        "True",
        "ScaleUpLimit",
        "the desired replica count is increasing faster than the maximum scale rate",
    )


# ---------------------------------------------------------------- spec.behavior

DEFAULT_BEHAVIOR: Obj = {}  # what the API server completes a written-but-empty behavior to


@pytest.mark.parametrize(
    ("current", "up_events", "limit"),
    [
        (1, [], 5),  # max(+4 pods, +100 %)
        (2, [], 6),
        (10, [], 20),
        (6, [(10, 4)], 6),  # already +4 within this 15 s period: no more yet
        (6, [(15, 4)], 12),  # that event is a whole period old
    ],
)
def test_default_scale_up_policies(current: int, up_events: list[tuple[int, int]], limit: int) -> None:
    rules = behavior.rules_of(DEFAULT_BEHAVIOR, "scaleUp")
    assert behavior.scale_up_limit_with_rules(current, memory(up=up_events), rules, NOW) == limit


@pytest.mark.parametrize(
    ("rules", "current", "down_events", "limit"),
    [
        ({}, 10, [], 0),  # default: 100 % per 15 s
        ({"policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}]}, 5, [], 4),
        ({"policies": [{"type": "Pods", "value": 1, "periodSeconds": 60}]}, 4, [(30, 1)], 4),
        ({"policies": [{"type": "Percent", "value": 50, "periodSeconds": 60}]}, 5, [], 2),  # int(2.5)
        (
            {
                "selectPolicy": "Min",
                "policies": [
                    {"type": "Pods", "value": 1, "periodSeconds": 60},
                    {"type": "Percent", "value": 50, "periodSeconds": 60},
                ],
            },
            8,
            [],
            7,
        ),
        ({"selectPolicy": "Disabled"}, 8, [], 8),
    ],
)
def test_scale_down_policies(rules: Obj, current: int, down_events: list[tuple[int, int]], limit: int) -> None:
    complete = behavior.rules_of({"scaleDown": rules}, "scaleDown")
    assert behavior.scale_down_limit_with_rules(current, memory(down=down_events), complete, NOW) == limit


@pytest.mark.parametrize(
    ("spec_behavior", "history", "current", "desired", "expected", "able", "limited"),
    [
        ({}, [], 2, 20, 6, "ReadyForNewScale", "ScaleUpLimit"),
        ({}, [], 2, 3, 3, "ReadyForNewScale", "DesiredWithinRange"),
        ({}, [(200, 6)], 6, 1, 6, "ScaleDownStabilized", "DesiredWithinRange"),  # 300 s default window
        ({"scaleDown": {"stabilizationWindowSeconds": 60}}, [(200, 6)], 6, 2, 2, "ReadyForNewScale",
         "DesiredWithinRange"),
        ({"scaleUp": {"stabilizationWindowSeconds": 120}}, [(60, 2)], 2, 8, 2, "ScaleUpStabilized",
         "DesiredWithinRange"),
        ({}, [], 5, 20, 10, "ReadyForNewScale", "TooManyReplicas"),
        ({"scaleDown": {"stabilizationWindowSeconds": 0}}, [], 5, 1, 2, "ReadyForNewScale", "TooFewReplicas"),
        ({"scaleUp": {"selectPolicy": "Disabled"}}, [], 3, 9, 3, "ReadyForNewScale", "ScaleUpLimit"),
    ],
)  # fmt: skip
def test_normalize_with_behaviors(
    spec_behavior: Obj, history: list[tuple[int, int]], current: int, desired: int, expected: int, able: str,
    limited: str,
) -> None:  # fmt: skip
    conditions = Conditions()
    mem = memory(history)
    result = behavior.normalize_with_behaviors(mem, spec_behavior, conditions, NOW, current, desired, 2, 10)
    assert result == expected
    assert conditions.set["AbleToScale"][1] == able
    assert conditions.set["ScalingLimited"][1] == limited


def test_scale_events_are_kept_only_with_a_behavior_and_reuse_outdated_slots() -> None:
    mem = memory(up=[(100, 4), (5, 2)])
    behavior.store_scale_event(mem, None, NOW, 2, 6)
    assert len(mem.scale_up_events) == 2
    behavior.store_scale_event(mem, {}, NOW, 6, 9)
    assert [(e.at_ms, e.change) for e in mem.scale_up_events] == [(NOW, 3), (NOW - 5 * S, 2)]
    behavior.store_scale_event(mem, {}, NOW, 9, 4)
    assert [(e.at_ms, e.change) for e in mem.scale_down_events] == [(NOW, 5)]


def test_initial_recommendation_is_the_current_size() -> None:
    mem = memory()
    behavior.record_initial_recommendation(mem, 3, NOW)
    behavior.record_initial_recommendation(mem, 7, NOW + 15 * S)
    assert mem.recommendations == [(NOW, 3)]
