"""Streaming commands: ``get -w``, ``rollout status`` and ``logs -f`` fed with the cluster's store changes."""

from __future__ import annotations

import json

from cluster.kubectl.base import Output
from cluster.kubectl.stream import _TABLE_STREAMS, stream_update
from tests.unit.test_kubectl_support import Session


def follow(s: Session, out: Output, *, steps: int, step_ms: int = 1000) -> tuple[list[str], bool]:
    """Advance the cluster and feed every batch of changes to the stream, like the terminal's consumer."""
    assert out.stream is not None
    stream = out.stream
    printed: list[str] = []
    rv = int(stream.get("rv", 0))
    for _ in range(steps):
        s.advance(step_ms)
        changes = s.cluster.api.changes_since(rv)
        rv = s.cluster.store.resource_version
        lines, done = stream_update(s.env, stream, changes)
        printed += lines
        if done:
            return printed, True
    return printed, False


def ready_deployment(replicas: int = 2) -> Session:
    s = Session()
    s.run(f"kubectl create deployment web --image=nginx:1.25 --replicas={replicas}")
    s.settle()
    return s


def test_get_watch_prints_table_then_aligned_rows_of_changes() -> None:
    s = ready_deployment()
    out = s.run("kubectl get pods -w")
    header = out.stdout[0]
    assert header.startswith("NAME ")
    assert out.stream is not None and out.stream["type"] == "get-watch"
    json.dumps(out.stream)  # the descriptor must be JSON-able
    s.run("kubectl scale deployment web --replicas=3")
    lines, done = follow(s, out, steps=5)
    assert not done
    statuses = [line.split()[2] for line in lines if len(line.split()) >= 5]
    assert "Running" in statuses and "ContainerCreating" in statuses
    status_column = header.index("STATUS")
    assert all(line[status_column - 1] == " " for line in lines)
    new_pods = {line.split()[0] for line in lines}
    assert len(new_pods) == 1


def test_get_watch_filters_by_name_and_selector() -> None:
    s = ready_deployment()
    s.run("kubectl run solo --image=nginx")
    s.settle()
    out = s.run("kubectl get pods -l run=solo -w")
    assert out.stdout[1].startswith("solo")
    s.run("kubectl scale deployment web --replicas=3")
    s.run("kubectl label pod solo extra=yes")
    lines, _ = follow(s, out, steps=4)
    assert lines and all(line.startswith("solo") for line in lines)


def test_get_watch_only_prints_header_with_the_first_event() -> None:
    s = ready_deployment()
    out = s.run("kubectl get deploy --watch-only")
    assert out.stdout == []
    s.run("kubectl scale deployment web --replicas=1")
    lines, _ = follow(s, out, steps=2)
    assert lines[0].split()[:2] == ["NAME", "READY"]
    assert lines[1].startswith("web ")


def test_get_watch_recovers_widths_when_the_cache_is_lost() -> None:
    s = ready_deployment()
    out = s.run("kubectl get pods -w")
    assert out.stream is not None
    _TABLE_STREAMS.pop(out.stream["id"])
    s.run("kubectl scale deployment web --replicas=3")
    lines, _ = follow(s, out, steps=3)
    header = out.stdout[0]
    assert lines and all(line[header.index("READY") - 1] == " " for line in lines)


def test_get_watch_rejects_several_kinds() -> None:
    s = Session()
    out = s.run("kubectl get pods,svc -w")
    assert out.exit_code == 1
    assert out.stderr == ["error: you may only specify a single resource type"]


def test_rollout_status_follows_a_rolling_update_until_complete() -> None:
    s = ready_deployment(3)
    s.run("kubectl set image deployment/web nginx=nginx:1.27")
    out = s.run("kubectl rollout status deployment/web")
    assert out.stdout == ["Waiting for deployment spec update to be observed..."]
    lines, done = follow(s, out, steps=60)
    assert done
    assert lines[-1] == 'deployment "web" successfully rolled out'
    assert any("out of 3 new replicas have been updated..." in line for line in lines)
    assert all(line.startswith(('Waiting for deployment "web"', 'deployment "web"')) for line in lines)


def test_rollout_status_of_a_complete_rollout_needs_no_stream() -> None:
    s = ready_deployment()
    out = s.run("kubectl rollout status deploy/web")
    assert out.stdout == ['deployment "web" successfully rolled out']
    assert out.stream is None


def test_rollout_status_ends_when_the_deployment_is_deleted() -> None:
    s = ready_deployment()
    s.run("kubectl set image deployment/web nginx=nginx:1.27")
    out = s.run("kubectl rollout status deploy/web")
    s.run("kubectl delete deploy web")
    lines, done = follow(s, out, steps=1)
    assert done and lines[-1] == "error: object has been deleted"


def test_logs_follow_ends_when_the_container_stops() -> None:
    s = Session()
    s.run("kubectl run web --image=nginx:1.25")
    s.settle()
    out = s.run("kubectl logs -f web")
    assert out.stream is not None and out.stream["type"] == "logs-follow"
    assert out.stdout[-1].endswith("start worker process 30")
    s.run("kubectl delete pod web")
    lines, done = follow(s, out, steps=40)
    assert done
    assert lines == []


def test_unknown_stream_type_is_finished() -> None:
    s = Session()
    assert stream_update(s.env, {"type": "nope"}, []) == ([], True)
