"""Pod IP allocation: which addresses count as taken, asked through the view's pods-by-IP index."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cluster.core.objects import Obj
from cluster.kubelet.ipam import allocate
from cluster.kubelet.kubelet import IpsInUse, same_ignoring_none
from tests.unit.fakes import FakeView


def pod(name: str, node: str, ip: str | None, uid: str | None = None) -> Obj:
    status = {"podIP": ip} if ip else {}
    meta = {"name": name, "namespace": "default", "uid": uid or f"uid-{name}"}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": {"nodeName": node}, "status": status}


def test_an_ip_is_in_use_when_another_pod_on_the_same_node_holds_it() -> None:
    view = FakeView([pod("a", "w1", "10.0.0.2"), pod("b", "w2", "10.0.0.3"), pod("c", "w1", None)])
    in_use = IpsInUse(view, "w1", "uid-c")
    assert "10.0.0.2" in in_use
    assert "10.0.0.3" not in in_use  # held on another node
    assert "10.0.0.4" not in in_use


def test_the_admitted_pods_own_ip_does_not_count_against_it() -> None:
    view = FakeView([pod("a", "w1", "10.0.0.2")])
    assert "10.0.0.2" not in IpsInUse(view, "w1", "uid-a")
    view.add(pod("b", "w1", "10.0.0.2"))  # a second holder keeps it taken
    assert "10.0.0.2" in IpsInUse(view, "w1", "uid-a")


def test_allocation_skips_taken_addresses_after_the_cursor() -> None:
    view = FakeView([pod("a", "w1", "10.0.0.5"), pod("b", "w1", "10.0.0.6")])
    assert allocate("10.0.0.0/29", "10.0.0.4", IpsInUse(view, "w1", "uid-new")) == "10.0.0.2"  # wraps around
    assert allocate("10.0.0.0/29", "10.0.0.2", IpsInUse(view, "w1", "uid-new")) == "10.0.0.3"


def canonical(value: Any) -> Any:
    """The reference: drop None members of mappings, recursively."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [canonical(v) for v in value]
    return value


leaves = st.none() | st.booleans() | st.integers(-2, 2) | st.sampled_from(["", "a", "Running"])
statuses = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("abcd"), inner, max_size=4),
    max_leaves=20,
)


@given(statuses, statuses)
def test_same_ignoring_none_agrees_with_comparing_canonical_forms(a: Any, b: Any) -> None:
    assert same_ignoring_none(a, b) == (canonical(a) == canonical(b))
    assert same_ignoring_none(a, a)


def test_same_ignoring_none_treats_a_null_member_as_absent_but_not_a_null_item() -> None:
    assert same_ignoring_none({"a": 1, "b": None}, {"a": 1})
    assert not same_ignoring_none({"a": [None]}, {"a": []})
    assert not same_ignoring_none({"a": 1}, {"a": 1, "b": 0})
