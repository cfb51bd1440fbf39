"""``clone``: a deep copy of JSON-like data that shares nothing mutable with the original."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from cluster.core.objects import clone

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=4),
    max_leaves=30,
)


def containers(value: Any) -> list[int]:
    if isinstance(value, dict):
        return [id(value), *(i for v in value.values() for i in containers(v))]
    if isinstance(value, list):
        return [id(value), *(i for v in value for i in containers(v))]
    return []


@given(json_values)
def test_clone_is_equal_keeps_key_order_and_shares_no_container(value: Any) -> None:
    copy = clone(value)
    assert copy == value
    assert repr(copy) == repr(value)  # same key order, same leaf types
    assert not set(containers(copy)) & set(containers(value))


def test_dict_and_list_subclasses_come_back_as_plain_copies_and_tuples_are_kept() -> None:
    inner = OrderedDict(a=[1, 2])
    original = {"o": inner, "t": (1, 2)}
    copy = clone(original)
    assert type(copy["o"]) is dict and copy["o"] == {"a": [1, 2]}
    assert copy["o"]["a"] is not inner["a"]
    assert copy["t"] is original["t"]
