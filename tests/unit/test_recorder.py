"""The event recorder shapes Events as client-go's ``EventCorrelator`` does: counting, aggregation, spam filter."""

from __future__ import annotations

from cluster.apiserver.context import RequestContext
from cluster.core.objects import Obj
from cluster.engine.actions import RecordEvent
from cluster.engine.recorder import SPAM_BURST, SPAM_REFILL_MS
from cluster.sim import SimCluster

MINUTE = 60_000
INTERNAL = RequestContext(actor="test", component="test", internal=True)


def _replicaset(cluster: SimCluster) -> Obj:
    rs = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "replicas": 0,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "c", "image": "nginx"}]},
            },
        },
    }
    return cluster.api.create(rs, INTERNAL)


def _events(cluster: SimCluster, reason: str) -> list[Obj]:
    return sorted((e for e in cluster.events("default") if e["reason"] == reason), key=lambda e: e["metadata"]["name"])


def _record(cluster: SimCluster, involved: Obj, reason: str, message: str) -> None:
    cluster.engine.recorder.record(RecordEvent(involved, "Normal", reason, message, "replicaset-controller"), INTERNAL)


def test_a_repeat_counts_on_the_existing_event() -> None:
    cluster = SimCluster.new(nodes=1)
    rs = _replicaset(cluster)
    for _ in range(3):
        _record(cluster, rs, "SuccessfulDelete", "Deleted pod: web-a")
    [event] = _events(cluster, "SuccessfulDelete")
    assert (event["count"], event["message"]) == (3, "Deleted pod: web-a")


def test_the_tenth_different_message_is_combined_and_counts_up() -> None:
    cluster = SimCluster.new(nodes=1)
    rs = _replicaset(cluster)
    for i in range(12):
        _record(cluster, rs, "SuccessfulCreate", f"Created pod: web-{i}")
    events = _events(cluster, "SuccessfulCreate")
    assert [e["message"] for e in events[:9]] == [f"Created pod: web-{i}" for i in range(9)]
    combined = events[9:]
    assert len(combined) == 1 and len(events) == 10
    assert combined[0]["message"] == "(combined from similar events): Created pod: web-11"
    assert combined[0]["count"] == 3
    # Another reason about the same object is aggregated on its own.
    _record(cluster, rs, "SuccessfulDelete", "Deleted pod: web-0")
    assert [e["message"] for e in _events(cluster, "SuccessfulDelete")] == ["Deleted pod: web-0"]


def test_similar_messages_start_afresh_after_ten_quiet_minutes() -> None:
    cluster = SimCluster.new(nodes=1)
    rs = _replicaset(cluster)
    for i in range(9):
        _record(cluster, rs, "SuccessfulCreate", f"Created pod: web-{i}")
    cluster.advance(11 * MINUTE)
    _record(cluster, rs, "SuccessfulCreate", "Created pod: web-9")
    assert not any(e["message"].startswith("(combined") for e in _events(cluster, "SuccessfulCreate"))


def test_the_spam_filter_drops_writes_but_keeps_counting() -> None:
    cluster = SimCluster.new(nodes=1)
    rs = _replicaset(cluster)
    for _ in range(SPAM_BURST + 10):
        _record(cluster, rs, "FailedCreate", "Error creating: quota")
    [event] = _events(cluster, "FailedCreate")
    assert event["count"] == SPAM_BURST  # the last ten occurrences were not written
    cluster.advance(SPAM_REFILL_MS)  # one token back
    _record(cluster, rs, "FailedCreate", "Error creating: quota")
    [event] = _events(cluster, "FailedCreate")
    assert event["count"] == SPAM_BURST + 11  # the write carries every occurrence counted meanwhile
    _record(cluster, rs, "FailedCreate", "Error creating: quota")
    assert _events(cluster, "FailedCreate")[0]["count"] == SPAM_BURST + 11


def test_the_spam_filter_is_per_source_and_object() -> None:
    cluster = SimCluster.new(nodes=1)
    rs = _replicaset(cluster)
    for i in range(SPAM_BURST):
        _record(cluster, rs, "SuccessfulDelete", f"Deleted pod: web-{i % 3}")
    _record(cluster, rs, "SuccessfulDelete", "Deleted pod: web-0")
    assert sum(e["count"] for e in _events(cluster, "SuccessfulDelete")) == SPAM_BURST
    node = cluster.get("Node", "", "worker-1")
    assert node is not None
    cluster.engine.recorder.record(RecordEvent(node, "Normal", "Rebooted", "rebooted", "kubelet", "worker-1"), INTERNAL)
    assert [e["count"] for e in cluster.events("default") if e["reason"] == "Rebooted"] == [1]
