"""Fast paths in the shared pod helpers answer exactly what the general code answers."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cluster.controllers.podutil import available_if_ready, compiled_selector, is_available, is_ready
from cluster.core.labels import SelectorError, from_label_selector
from cluster.core.objects import Obj

KEYS = st.sampled_from(["app", "tier", "env"])
VALUES = st.sampled_from(["web", "db", "x", ""])
requirements = st.fixed_dictionaries(
    {
        "key": KEYS,
        "operator": st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist"]),
        "values": st.lists(VALUES, max_size=2),
    }
)
selectors = st.none() | st.fixed_dictionaries(
    {},
    optional={
        "matchLabels": st.dictionaries(KEYS, VALUES, max_size=2),
        "matchExpressions": st.lists(requirements, max_size=2),
    },
)


def reference(selector: Obj | None, labels: dict[str, str] | None) -> bool:
    try:
        return from_label_selector(selector).matches(labels or {})
    except SelectorError:
        return False


@given(selectors, st.none() | st.dictionaries(KEYS, VALUES, max_size=3))
def test_compiled_selector_matches_like_the_parsed_selector(selector: Any, labels: Any) -> None:
    assert compiled_selector(selector)(labels) == reference(selector, labels)


def test_a_match_labels_selector_needs_every_pair() -> None:
    match = compiled_selector({"matchLabels": {"app": "web", "tier": "front"}})
    assert match({"app": "web", "tier": "front", "extra": "1"})
    assert not match({"app": "web"}) and not match(None) and not match({"app": "web", "tier": "back"})


def pod(ready: str | None, since: str = "2026-11-25T04:18:53Z") -> Obj:
    conditions = [] if ready is None else [{"type": "Ready", "status": ready, "lastTransitionTime": since}]
    return {"metadata": {"name": "p"}, "status": {"conditions": conditions}}


@given(st.sampled_from(["True", "False", None]), st.integers(-5, 120), st.integers(0, 200_000))
def test_available_if_ready_is_is_available_for_ready_pods(ready: Any, min_ready: int, offset_ms: int) -> None:
    p = pod(ready)
    now = 1_795_580_333_000 + offset_ms
    if is_ready(p):
        assert available_if_ready(p, min_ready, now) == is_available(p, min_ready, now)
