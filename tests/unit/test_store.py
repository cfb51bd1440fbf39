"""The store's secondary indexes agree with a brute-force scan after any sequence of writes."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cluster.apiserver.store import SortedKeys, Store
from cluster.core.objects import Obj
from cluster.engine.actions import ObjKey

NAMESPACES = ("default", "dev")
NAMES = ("a", "b", "c", "d")
NODES = ("", "worker-1", "worker-2")
IPS = ("", "10.244.1.2", "10.244.1.3")
OWNERS = ("", "uid-rs-1", "uid-rs-2")


def pod(namespace: str, name: str, node: str = "", ip: str = "", owner: str = "", uid: str = "") -> Obj:
    meta: dict[str, Any] = {"name": name, "namespace": namespace, "uid": uid or f"uid-{namespace}-{name}"}
    if owner:
        meta["ownerReferences"] = [{"kind": "ReplicaSet", "name": "rs", "uid": owner, "controller": True}]
    obj: Obj = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": {}, "status": {}}
    if node:
        obj["spec"]["nodeName"] = node
    if ip:
        obj["status"]["podIP"] = ip
    return obj


def brute_list(store: Store, kind: str, namespace: str | None) -> list[Obj]:
    stored = list(store.keys())
    keys = sorted(k for k in stored if k.kind == kind and (namespace is None or k.namespace == namespace))
    return [store.get(k) for k in keys]  # type: ignore[misc]


def brute_owned(store: Store, uid: str) -> list[Obj]:
    objs = [store.get(k) for k in sorted(store.keys())]
    return [o for o in objs if any(r.get("uid") == uid for r in (o or {})["metadata"].get("ownerReferences") or [])]  # type: ignore[misc]


def brute_on_node(store: Store, node: str) -> list[Obj]:
    return [p for p in brute_list(store, "Pod", None) if p["spec"].get("nodeName") == node]


def brute_with_ip(store: Store, node: str, ip: str) -> list[Obj]:
    return [p for p in brute_on_node(store, node) if str(p["status"].get("podIP") or "") == ip]


def assert_indexes_match(store: Store) -> None:
    for namespace in (None, *NAMESPACES):
        assert store.list("Pod", namespace) == brute_list(store, "Pod", namespace)
    for owner in OWNERS[1:]:
        assert store.owned_by(owner) == brute_owned(store, owner)
        assert store.owned_by(owner, "Pod") == brute_owned(store, owner)
    for node in NODES[1:]:
        assert store.pods_on_node(node) == brute_on_node(store, node)
        for ip in IPS[1:]:
            assert store.pods_with_ip(node, ip) == brute_with_ip(store, node, ip)
    stored = list(store.keys())
    for key in stored:
        obj = store.get(key)
        assert obj is not None and store.by_uid(obj["metadata"]["uid"]) is obj


writes = st.lists(
    st.tuples(
        st.sampled_from(("put", "put", "put", "remove")),
        st.sampled_from(NAMESPACES),
        st.sampled_from(NAMES),
        st.sampled_from(NODES),
        st.sampled_from(IPS),
        st.sampled_from(OWNERS),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(writes)
def test_indexes_follow_every_create_update_and_delete(ops: list[tuple[str, str, str, str, str, str]]) -> None:
    store = Store()
    for op, namespace, name, node, ip, owner in ops:
        if op == "remove":
            store.remove(ObjKey("Pod", namespace, name))
        else:
            store.put(pod(namespace, name, node, ip, owner))
        assert_indexes_match(store)


def test_list_is_sorted_and_reads_interleave_with_new_keys() -> None:
    store = Store()
    for name in ("m", "c", "x"):
        store.put(pod("default", name))
    assert [p["metadata"]["name"] for p in store.list("Pod")] == ["c", "m", "x"]
    for name in ("a", "z", "n"):
        store.put(pod("default", name))
    store.remove(ObjKey("Pod", "default", "m"))
    assert [p["metadata"]["name"] for p in store.list("Pod", "default")] == ["a", "c", "n", "x", "z"]
    assert store.list("Pod", "elsewhere") == [] and store.list("Service") == []


def test_a_status_write_moves_the_pod_in_the_ip_index() -> None:
    store = Store()
    store.put(pod("default", "a", node="worker-1", ip="10.244.1.2"))
    store.put(pod("default", "a", node="worker-1", ip="10.244.1.3"))
    assert store.pods_with_ip("worker-1", "10.244.1.2") == []
    assert [p["metadata"]["name"] for p in store.pods_with_ip("worker-1", "10.244.1.3")] == ["a"]


def test_an_unchanged_rewrite_keeps_the_uid_pointing_at_the_rewritten_key() -> None:
    store = Store()
    store.put(pod("default", "a", uid="same"))
    store.put(pod("default", "b", uid="same"))
    store.put(pod("default", "a", uid="same"))  # re-indexing "a" claims the uid again, as a full re-index would
    assert store.by_uid("same") is store.get(ObjKey("Pod", "default", "a"))


@given(st.lists(st.tuples(st.booleans(), st.integers(0, 30)), max_size=60))
def test_sorted_keys_match_a_sorted_set(ops: list[tuple[bool, int]]) -> None:
    keys, expected = SortedKeys(), set()
    for add, n in ops:
        key = ObjKey("Pod", "default", f"p{n:02d}")
        if add and key not in expected:
            keys.add(key)
            expected.add(key)
        elif not add:
            keys.discard(key)
            expected.discard(key)
        assert keys.ordered() == sorted(expected)
