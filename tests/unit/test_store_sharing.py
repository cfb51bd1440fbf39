"""Successive versions of an object share unchanged parts, so nothing may ever write into a stored object.

Status writes and bindings copy only the dicts they change (the rest is
shared with the previous version, which the watch history still holds).
These tests run whole control-plane scenarios and check that every watch
event still reads exactly as it did when it was recorded, and that the API
server never shares data with the dicts its callers pass in or get back.
"""

from __future__ import annotations

import json
from typing import Any

from cluster.apiserver.context import RequestContext
from cluster.core.objects import Obj
from cluster.engine.actions import ObjKey
from cluster.sim import SimCluster

INTERNAL = RequestContext(actor="test", component="test", internal=True)


def deployment(name: str, replicas: int, image: str = "nginx:1.25") -> Obj:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": "web", "image": image}]}},
        },
    }


def snapshotting(cluster: SimCluster) -> dict[int, str]:
    """Record each watch event's JSON at the moment it is written."""
    snapshots = {c.resource_version: json.dumps(c.obj) for c in cluster.store.history}

    def listener(_type: str, _old: Obj | None, _new: Obj | None) -> None:
        change = cluster.store.history[-1]
        snapshots[change.resource_version] = json.dumps(change.obj)

    cluster.store.listeners.insert(0, listener)
    return snapshots


def test_no_watch_event_changes_after_it_was_recorded() -> None:
    cluster = SimCluster.new(nodes=3)
    snapshots = snapshotting(cluster)
    cluster.api.create(deployment("web", 4))
    cluster.api.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]},
        }
    )
    cluster.advance(20_000)
    cluster.api.patch(
        "Deployment",
        "default",
        "web",
        {"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}}},
        "strategic",
    )
    cluster.advance(60_000)
    cluster.api.set_private(ObjKey("Node", "", "worker-1"), {"kubeletStoppedAtMs": cluster.now_ms})
    cluster.advance(120_000)
    cluster.api.delete("Node", "", "worker-2")
    cluster.api.patch("Deployment", "default", "web", {"spec": {"replicas": 1}})
    cluster.advance(120_000)
    assert len(snapshots) > 200
    for change in cluster.store.history:
        assert json.dumps(change.obj) == snapshots[change.resource_version], change.key


def _everything(value: Any) -> list[int]:
    """The ids of every dict and list inside ``value``."""
    if isinstance(value, dict):
        return [id(value), *(i for v in value.values() for i in _everything(v))]
    if isinstance(value, list):
        return [id(value), *(i for v in value for i in _everything(v))]
    return []


def test_a_status_update_shares_nothing_with_the_request_or_the_reply() -> None:
    cluster = SimCluster.new(nodes=1)
    cluster.api.create(deployment("web", 1))
    cluster.settle()
    pod = cluster.api.list("Pod", "default")[0][0]
    request = {**pod, "status": {**pod["status"], "conditions": [{"type": "Custom", "status": "True"}]}}
    before = json.dumps(request)
    reply = cluster.api.update_status(request)
    stored = cluster.get("Pod", "default", pod["metadata"]["name"])
    assert json.dumps(request) == before  # the request is only read
    assert not set(_everything(stored)) & set(_everything(request))
    assert not set(_everything(stored)) & set(_everything(reply))
    assert stored is not None and stored["status"]["conditions"] == [{"type": "Custom", "status": "True"}]


def test_an_internal_create_copies_the_body_unless_it_is_handed_over() -> None:
    cluster = SimCluster.new(nodes=1)
    body = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "a", "namespace": "default"},
        "data": {"k": "v"},
    }
    stored = cluster.api.create(body, INTERNAL)
    assert stored is not body and "uid" not in body["metadata"]
    handed = {**body, "metadata": {"name": "b", "namespace": "default"}}
    assert cluster.api.create(handed, INTERNAL, handed_over=True) is handed
