"""Node lifecycle: grace period, unreachable taints, MarkPodsNotReady, taint eviction, cordon, pod GC."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.controllers.nodelifecycle import (
    NodeLifecycleController,
    PodGCController,
    tolerates,
    toleration_window_s,
)
from cluster.core.objects import Obj
from cluster.engine.actions import Delete, ObjKey, RecordEvent, Result, Update, UpdateStatus
from tests.unit.fakes import FakeView

T0 = 1_764_044_333_000  # 2025-11-25T04:18:53Z: the kubelet stops here
NODE = ObjKey("Node", "", "worker-1")
POD = ObjKey("Pod", "default", "web-1")
DEFAULT_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
]


def node(ready: str = "True", taints: list[dict[str, Any]] | None = None, unschedulable: bool = False) -> Obj:
    conditions = [
        {
            "type": t,
            "status": "False",
            "reason": f"KubeletHasSufficient{t}",
            "lastTransitionTime": "2025-11-25T04:00:00Z",
        }
        for t in ("MemoryPressure", "DiskPressure", "PIDPressure")
    ]
    conditions.append(
        {"type": "Ready", "status": ready, "reason": "KubeletReady", "lastTransitionTime": "2025-11-25T04:00:00Z"}
    )
    spec: dict[str, Any] = {"podCIDR": "10.244.1.0/24"}
    if taints:
        spec["taints"] = taints
    if unschedulable:
        spec["unschedulable"] = True
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": "worker-1", "uid": "n1"},
        "spec": spec,
        "status": {"conditions": conditions},
    }


def pod(name: str = "web-1", tolerations: list[dict[str, Any]] | None = None, node_name: str = "worker-1") -> Obj:
    conditions = [
        {"type": "PodScheduled", "status": "True", "lastTransitionTime": "2025-11-25T04:10:00Z"},
        {"type": "Ready", "status": "True", "lastProbeTime": None, "lastTransitionTime": "2025-11-25T04:10:03Z"},
    ]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "uid": f"u-{name}"},
        "spec": {"nodeName": node_name, "tolerations": tolerations if tolerations is not None else DEFAULT_TOLERATIONS},
        "status": {"phase": "Running", "conditions": conditions},
    }


def unreachable_taints(at: str = "2025-11-25T04:19:43Z") -> list[dict[str, Any]]:
    return [
        {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": at},
        {"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule", "timeAdded": at},
    ]


def stopped_view(*objects: Obj) -> FakeView:
    view = FakeView(list(objects))
    view.privates[NODE] = {"kubeletStoppedAtMs": T0}
    return view


def run(view: FakeView, key: ObjKey, now_ms: int) -> Result:
    return NodeLifecycleController().reconcile(view, key, now_ms)


def ready_status(obj: Obj) -> str:
    return next(c["status"] for c in obj["status"]["conditions"] if c["type"] == "Ready")


def test_a_healthy_node_needs_nothing() -> None:
    view = FakeView([node(), pod()])

    assert run(view, NODE, T0) == Result()
    assert run(view, POD, T0) == Result()


def test_within_the_grace_period_the_node_stays_ready_and_is_looked_at_again_when_it_ends() -> None:
    result = run(stopped_view(node()), NODE, T0 + 49_000)

    assert result.actions == []
    assert result.requeue_after_ms == 1_000


def test_after_50s_conditions_turn_unknown_then_the_node_is_tainted() -> None:
    view = stopped_view(node())

    first = run(view, NODE, T0 + 50_000)

    status_update, event = first.actions
    assert isinstance(status_update, UpdateStatus)
    for cond in status_update.obj["status"]["conditions"]:
        assert (cond["status"], cond["reason"], cond["message"], cond["lastTransitionTime"]) == (
            "Unknown",
            "NodeStatusUnknown",
            "Kubelet stopped posting node status.",
            "2025-11-25T04:19:43Z",
        )
    assert event == RecordEvent(
        view.objects[NODE], "Normal", "NodeNotReady", "Node worker-1 status is now: NodeNotReady", "node-controller"
    )
    view.add(status_update.obj)
    (taint_update,) = run(view, NODE, T0 + 50_000).actions
    assert isinstance(taint_update, Update)
    assert taint_update.obj["spec"]["taints"] == unreachable_taints()
    view.add(taint_update.obj)
    assert run(view, NODE, T0 + 60_000).actions == []


def test_pods_on_an_unreachable_node_are_marked_not_ready_once() -> None:
    view = stopped_view(node("Unknown", unreachable_taints()), pod())

    result = run(view, POD, T0 + 50_000)

    status_update, event = result.actions
    assert isinstance(status_update, UpdateStatus)
    ready = next(c for c in status_update.obj["status"]["conditions"] if c["type"] == "Ready")
    assert ready == {
        "type": "Ready",
        "status": "False",
        "lastProbeTime": None,
        "lastTransitionTime": "2025-11-25T04:19:43Z",
    }
    assert isinstance(event, RecordEvent)
    assert (event.type, event.reason, event.message, event.component) == (
        "Warning",
        "NodeNotReady",
        "Node is not ready",
        "node-controller",
    )
    assert result.requeue_after_ms == 300_000
    view.add(status_update.obj)
    assert run(view, POD, T0 + 50_000).actions == []


def test_default_tolerations_evict_300s_after_the_taint() -> None:
    view = stopped_view(node("Unknown", unreachable_taints()), pod())
    view.objects[POD]["status"]["conditions"][1]["status"] = "False"

    early = run(view, POD, T0 + 349_000)
    due = run(view, POD, T0 + 350_000)

    assert early.actions == [] and early.requeue_after_ms == 1_000
    event, status_update, delete = due.actions
    assert isinstance(event, RecordEvent)
    assert (event.type, event.reason, event.message, event.component) == (
        "Normal",
        "TaintManagerEviction",
        "Marking for deletion Pod default/web-1",
        "taint-eviction-controller",
    )
    assert isinstance(status_update, UpdateStatus)
    assert status_update.obj["status"]["conditions"][-1] == {
        "type": "DisruptionTarget",
        "status": "True",
        "lastTransitionTime": "2025-11-25T04:24:43Z",
        "reason": "DeletionByTaintManager",
        "message": "Taint manager: deleting due to NoExecute taint",
    }
    assert delete == Delete(POD, uid="u-web-1")


def test_a_pod_that_does_not_tolerate_the_taint_is_evicted_at_once_and_only_once() -> None:
    view = stopped_view(node("Unknown", unreachable_taints()), pod(tolerations=[]))
    view.objects[POD]["status"]["conditions"][1]["status"] = "False"

    actions = run(view, POD, T0 + 50_000).actions

    assert isinstance(actions[-1], Delete)
    view.objects[POD]["metadata"]["deletionTimestamp"] = "2025-11-25T04:20:13Z"
    assert run(view, POD, T0 + 51_000).actions == []


def test_a_pod_tolerating_forever_stays() -> None:
    forever = [{"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"}]
    view = stopped_view(node("Unknown", unreachable_taints()), pod(tolerations=forever))
    view.objects[POD]["status"]["conditions"][1]["status"] = "False"

    result = run(view, POD, T0 + 10_000_000)

    assert result.actions == [] and result.requeue_after_ms is None


@pytest.mark.parametrize(
    ("toleration", "taint", "expected"),
    [
        ({"operator": "Exists"}, {"key": "a", "value": "1", "effect": "NoExecute"}, True),
        ({"key": "a", "operator": "Exists"}, {"key": "a", "value": "1", "effect": "NoSchedule"}, True),
        ({"key": "a", "operator": "Exists", "effect": "NoSchedule"}, {"key": "a", "effect": "NoExecute"}, False),
        ({"key": "a", "value": "1"}, {"key": "a", "value": "1", "effect": "NoExecute"}, True),
        ({"key": "a", "operator": "Equal", "value": "2"}, {"key": "a", "value": "1", "effect": "NoExecute"}, False),
        ({"key": "b", "operator": "Exists"}, {"key": "a", "effect": "NoExecute"}, False),
    ],
)
def test_toleration_matching(toleration: dict[str, Any], taint: dict[str, Any], expected: bool) -> None:
    assert tolerates(toleration, taint) is expected


@pytest.mark.parametrize(
    ("tolerations", "expected"),
    [
        ([], 0),
        ([{"operator": "Exists"}], None),
        ([{"operator": "Exists", "tolerationSeconds": 60}, {"key": "x", "operator": "Exists"}], 60),
        (
            [
                {"key": "a", "operator": "Exists", "tolerationSeconds": 30},
                {"operator": "Exists", "tolerationSeconds": 90},
            ],
            30,
        ),
        ([{"operator": "Exists", "tolerationSeconds": -5}], 0),
    ],
)
def test_toleration_window_is_the_shortest_used_toleration(
    tolerations: list[dict[str, Any]], expected: int | None
) -> None:
    taints = [{"key": "a", "effect": "NoExecute"}, {"key": "b", "effect": "NoExecute"}]

    assert toleration_window_s(taints, tolerations) == expected


def test_recovery_removes_the_unreachable_taints_but_keeps_others() -> None:
    user_taint = {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}
    view = FakeView([node("True", [user_taint, *unreachable_taints()])])

    (update,) = run(view, NODE, T0 + 400_000).actions

    assert isinstance(update, Update) and update.obj["spec"]["taints"] == [user_taint]


@pytest.mark.parametrize(
    ("ready", "expected"),
    [
        ("False", ["node.kubernetes.io/not-ready:NoExecute", "node.kubernetes.io/not-ready:NoSchedule"]),
        ("Unknown", ["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"]),
    ],
)
def test_ready_condition_maps_to_taints(ready: str, expected: list[str]) -> None:
    (update,) = run(FakeView([node(ready)]), NODE, T0).actions

    assert isinstance(update, Update)
    assert [f"{t['key']}:{t['effect']}" for t in update.obj["spec"]["taints"]] == expected


def test_cordon_adds_the_unschedulable_taint_and_uncordon_removes_it() -> None:
    view = FakeView([node(unschedulable=True)])

    (cordon,) = run(view, NODE, T0).actions
    assert isinstance(cordon, Update)
    assert cordon.obj["spec"]["taints"] == [
        {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule", "timeAdded": "2025-11-25T04:18:53Z"}
    ]
    view.add(cordon.obj)
    assert run(view, NODE, T0 + 1000).actions == []
    del view.objects[NODE]["spec"]["unschedulable"]
    (uncordon,) = run(view, NODE, T0 + 2000).actions
    assert isinstance(uncordon, Update) and "taints" not in uncordon.obj["spec"]


def test_node_and_pod_changes_requeue_the_node_and_its_pods() -> None:
    view = FakeView([node(), pod("a"), pod("b"), pod("elsewhere", node_name="worker-2")])
    watches = {w.kind: w.mapper for w in NodeLifecycleController().watches()}

    assert [str(k) for k in watches["Node"](view, view.objects[NODE])] == [
        "Node/worker-1",
        "Pod/default/a",
        "Pod/default/b",
    ]
    assert watches["Pod"](view, pod("a")) == [ObjKey("Pod", "default", "a")]


def test_pod_gc_force_deletes_pods_of_a_deleted_node() -> None:
    view = FakeView([pod()])

    status_update, delete = PodGCController().reconcile(view, POD, T0).actions

    assert isinstance(status_update, UpdateStatus)
    assert status_update.obj["status"]["phase"] == "Failed"
    assert status_update.obj["status"]["conditions"][-1]["reason"] == "DeletionByPodGC"
    assert status_update.obj["status"]["conditions"][-1]["message"] == "PodGC: node no longer exists"
    assert delete == Delete(POD, grace_period_seconds=0, uid="u-web-1")


def test_pod_gc_leaves_pods_of_existing_nodes_alone() -> None:
    view = FakeView([node("Unknown"), pod()])

    assert PodGCController().reconcile(view, POD, T0).actions == []


# -- in the simulated cluster ---------------------------------------------------------------------------------------
def web_deployment(replicas: int) -> Obj:
    labels = {"app": "web"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
            },
        },
    }


@pytest.fixture
def sim() -> Any:
    from cluster.sim import SimCluster, default_reconcilers

    reconcilers = default_reconcilers()
    if not any(isinstance(r, PodGCController) for r in reconcilers):
        reconcilers.append(PodGCController())
    cluster = SimCluster(reconcilers=reconcilers)
    cluster.bootstrap(2)
    cluster.api.create(web_deployment(4))
    cluster.settle()
    return cluster


def stop_kubelet(sim: Any, node_name: str) -> None:
    """Fault injection: the kubelet's private flag, then a resync (private state is not a watched write)."""
    sim.api.set_private(ObjKey("Node", "", node_name), {"kubeletStoppedAtMs": sim.now_ms})
    sim.engine.resync()
    sim.run_until(sim.now_ms)


def pods_on(sim: Any, node_name: str) -> list[Obj]:
    return [p for p in sim.list("Pod", "default") if p["spec"].get("nodeName") == node_name]


def test_sim_node_failure_timeline(sim: Any) -> None:
    victims = {p["metadata"]["name"] for p in pods_on(sim, "worker-1")}
    assert victims
    start = sim.now_ms
    stop_kubelet(sim, "worker-1")

    sim.run_until(start + 49_000)
    assert ready_status(sim.get("Node", "", "worker-1")) == "True"
    assert "taints" not in sim.get("Node", "", "worker-1")["spec"]

    sim.run_until(start + 50_000)
    node_obj = sim.get("Node", "", "worker-1")
    assert ready_status(node_obj) == "Unknown"
    assert [(t["key"], t["effect"]) for t in node_obj["spec"]["taints"]] == [
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoSchedule"),
    ]
    assert all(ready_status(p) == "False" for p in pods_on(sim, "worker-1"))
    reasons = {(e["reason"], e["involvedObject"]["name"]) for e in sim.events()}
    assert ("NodeNotReady", "worker-1") in reasons and all(("NodeNotReady", v) in reasons for v in victims)

    sim.run_until(start + 349_000)
    assert not any(p["metadata"].get("deletionTimestamp") for p in pods_on(sim, "worker-1"))

    sim.run_until(start + 350_000)
    stuck = pods_on(sim, "worker-1")
    assert {p["metadata"]["name"] for p in stuck} == victims  # Terminating: no kubelet to confirm
    assert all(p["metadata"].get("deletionTimestamp") for p in stuck)
    assert ("TaintManagerEviction", sorted(victims)[0]) in {
        (e["reason"], e["involvedObject"]["name"]) for e in sim.events()
    }
    sim.settle()
    running = [p for p in sim.list("Pod", "default") if not p["metadata"].get("deletionTimestamp")]
    assert len(running) == 4 and all(p["spec"]["nodeName"] != "worker-1" for p in running)


def test_sim_recovery_clears_the_taints_and_deleting_the_node_frees_its_pods(sim: Any) -> None:
    stop_kubelet(sim, "worker-1")
    sim.advance(60_000)
    assert sim.get("Node", "", "worker-1")["spec"].get("taints")

    sim.api.set_private(ObjKey("Node", "", "worker-1"), None)
    sim.engine.resync()
    sim.settle()

    node_obj = sim.get("Node", "", "worker-1")
    assert ready_status(node_obj) == "True" and "taints" not in node_obj["spec"]
    stop_kubelet(sim, "worker-1")
    sim.advance(400_000)
    assert pods_on(sim, "worker-1")
    sim.api.delete("Node", "", "worker-1")
    sim.settle()
    assert pods_on(sim, "worker-1") == []


def test_sim_a_noexecute_taint_evicts_pods_that_do_not_tolerate_it_at_once(sim: Any) -> None:
    victims = pods_on(sim, "worker-2")
    taint = {"key": "dedicated", "value": "db", "effect": "NoExecute", "timeAdded": "2025-11-25T04:18:53Z"}
    sim.api.patch("Node", "", "worker-2", {"spec": {"taints": [taint]}})
    sim.run_until(sim.now_ms)

    assert victims and all(p["metadata"].get("deletionTimestamp") for p in pods_on(sim, "worker-2"))


def test_sim_cordon_taints_the_node(sim: Any) -> None:
    sim.api.patch("Node", "", "worker-2", {"spec": {"unschedulable": True}})
    sim.run_until(sim.now_ms)

    taints = sim.get("Node", "", "worker-2")["spec"]["taints"]
    assert [(t["key"], t["effect"]) for t in taints] == [("node.kubernetes.io/unschedulable", "NoSchedule")]


def test_sim_fixed_point_while_a_node_is_down(sim: Any) -> None:
    stop_kubelet(sim, "worker-1")
    sim.advance(120_000)
    view = sim.engine.view

    for controller in (NodeLifecycleController(), PodGCController()):
        keys = [ObjKey.of(o) for kind in ("Node", "Pod") for o in sim.list(kind)]
        assert all(controller.reconcile(view, key, sim.now_ms).actions == [] for key in keys)
