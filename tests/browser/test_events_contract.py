"""The events contract in JavaScript: the page's ``applyWatchEvents`` equals the Python ``apply_watch_events``.

A real cluster history (a deployment created, scaled, a pod deleted, a rolling update) is recorded from the
simulated control plane; both implementations replay it from the first snapshot, and both must arrive at the
snapshot taken at the end.
"""

from __future__ import annotations

import json
from typing import Any

from cluster import protocol
from cluster.sim import SimCluster


def recorded_history() -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    cluster = SimCluster.new(seed=4)
    start_rv = cluster.store.resource_version
    snapshot = [o for key in sorted(cluster.store.keys()) for o in [cluster.store.get(key)] if o is not None]
    labels = {"app": "web"}
    cluster.api.create(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": labels},
                "template": {
                    "metadata": {"labels": labels},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.16.0"}]},
                },
            },
        }
    )
    cluster.advance(10_000)
    cluster.api.patch("Deployment", "default", "web", {"spec": {"replicas": 3}})
    cluster.advance(10_000)
    cluster.api.delete("Pod", "default", cluster.list("Pod", "default")[0]["metadata"]["name"])
    cluster.api.patch(
        "Deployment",
        "default",
        "web",
        {"spec": {"template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.17.0"}]}}}},
        "strategic",
    )
    cluster.settle()
    events = [protocol.watch_event(c) for c in cluster.store.changes_since(start_rv) or []]
    final = [o for key in sorted(cluster.store.keys()) for o in [cluster.store.get(key)] if o is not None]
    return snapshot, events, final


def test_javascript_and_python_apply_the_same_history(server_url: str, browser: Any) -> None:
    initial, events, final = recorded_history()
    assert any(e["event"] == "DELETED" for e in events) and any(e["event"] == "ADDED" for e in events)
    expected = protocol.apply_watch_events({protocol.object_key(o): o for o in initial}, events)
    assert expected == {protocol.object_key(o): o for o in final}

    page = browser.new_page()
    page.goto(f"{server_url}/healthz")
    result = page.evaluate(
        """async ([initial, events]) => {
            const { applyWatchEvents, objectKey } = await import('/static/js/state.js');
            const objects = new Map(initial.map((o) => [objectKey(o), o]));
            applyWatchEvents(objects, events);
            return Object.fromEntries([...objects.entries()]);
        }""",
        [initial, events],
    )
    page.close()
    assert json.dumps(result, sort_keys=True) == json.dumps(expected, sort_keys=True)
