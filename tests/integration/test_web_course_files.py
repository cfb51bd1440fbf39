"""The course's starting files run as the course says, and the broken sample fails in its two ways.

Also the pure helpers behind the page: the events contract (``apply_watch_events``,
``coalesce``) and where the editor marks a failed apply.
"""

from __future__ import annotations

import pytest

from cluster import protocol
from cluster.course_files import COURSE_FILES, course_files
from cluster.kubectl.base import Env
from cluster.kubectl.shell import run_line
from cluster.sim import SimCluster
from sandbox.web.diagnostics import diagnose, field_position


def _env(cluster: SimCluster) -> Env:
    return Env(api=cluster.api, now_ms=lambda: cluster.now_ms, files=course_files())


def test_the_hostname_app_runs_behind_nodeport_30000() -> None:
    cluster = SimCluster.new(seed=3)
    env = _env(cluster)
    assert run_line(env, "kubectl apply -f deployment.yaml").stdout == ["deployment.apps/hostname created"]
    assert run_line(env, "kubectl apply -f service.yaml").stdout == ["service/hostname-svc created"]
    cluster.advance(30_000)
    pods = cluster.list("Pod", "default")
    assert len(pods) == 3
    assert {p["status"]["phase"] for p in pods} == {"Running"}
    assert {p["spec"]["containers"][0]["image"] for p in pods} == {"kubesandbox/hostname:1.0"}
    service = cluster.get("Service", "default", "hostname-svc")
    assert service is not None
    assert service["spec"]["ports"][0]["nodePort"] == 30000
    assert service["spec"]["selector"] == {"app": "hostname"}


def test_the_broken_sample_fails_on_tabs_then_on_its_selector() -> None:
    cluster = SimCluster.new(seed=3)
    env = _env(cluster)
    assert "\t" in COURSE_FILES["broken-deployment.yaml"]
    first = run_line(env, "kubectl apply -f broken-deployment.yaml")
    assert first.exit_code == 1
    assert "found character that cannot start any token" in first.stderr[0]
    env.files["broken-deployment.yaml"] = COURSE_FILES["broken-deployment.yaml"].replace("\t", "  ")
    second = run_line(env, "kubectl apply -f broken-deployment.yaml")
    assert second.stderr == [
        'The Deployment "nginx-deployment" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"3"}: `selector` does not match template `labels`'
    ]


def test_apply_diagnostics_point_at_the_tab_and_at_the_field() -> None:
    broken = COURSE_FILES["broken-deployment.yaml"]
    [tab] = diagnose(broken, "broken-deployment.yaml", [])
    assert (tab["line"], tab["column"], tab["field"]) == (5, 1, "")
    spaced = broken.replace("\t", "  ")
    stderr = [
        'The Deployment "nginx-deployment" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"3"}: `selector` does not match template `labels`'
    ]
    [field] = diagnose(spaced, "broken-deployment.yaml", stderr)
    assert field["field"] == "spec.template.metadata.labels"
    assert field["line"] == spaced.splitlines().index("      labels :") + 1
    several = [
        'The Deployment "x" is invalid: ',
        "* spec.replicas: Invalid value: -1: must be greater than or equal to 0",
    ]
    [replicas] = diagnose(COURSE_FILES["deployment.yaml"], "deployment.yaml", several)
    assert (replicas["field"], replicas["line"]) == ("spec.replicas", 8)


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("spec.template.spec.containers[0].image", (19, 9)),
        ("spec.template.spec.containers[0].ports[0].containerPort", (21, 11)),
        ("spec.selector.matchLabels", (10, 5)),
        ("spec.nosuch.field", (7, 1)),  # the deepest part that exists
        ("status", None),
    ],
)
def test_field_positions(field: str, expected: tuple[int, int] | None) -> None:
    assert field_position(COURSE_FILES["deployment.yaml"], field) == expected


def _event(kind: str, name: str, rv: int, event: str = "MODIFIED", **extra: object) -> dict[str, object]:
    obj = {"kind": kind, "metadata": {"namespace": "default", "name": name, "resourceVersion": str(rv)}, **extra}
    return {"type": "watch.event", "event": event, "rv": rv, "object": obj}


def test_coalesced_events_give_the_same_state_as_all_of_them() -> None:
    events = [
        _event("Pod", "a", 1, "ADDED"),
        _event("Pod", "b", 2, "ADDED"),
        _event("Pod", "a", 3, spec={"nodeName": "worker-1"}),
        _event("Pod", "b", 4, "DELETED"),
        _event("Pod", "c", 5, "ADDED"),
        _event("Pod", "b", 6, "ADDED"),
    ]
    start = {protocol.object_key(_event("Node", "n", 0)["object"]): _event("Node", "n", 0)["object"]}  # type: ignore[arg-type]
    coalesced = protocol.coalesce(events)
    assert [e["rv"] for e in coalesced] == [3, 5, 6]
    assert protocol.apply_watch_events(start, coalesced) == protocol.apply_watch_events(start, events)
    assert sorted(protocol.apply_watch_events(start, events)) == [
        "Node/default/n",
        "Pod/default/a",
        "Pod/default/b",
        "Pod/default/c",
    ]
