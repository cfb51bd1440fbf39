"""Endpoints and EndpointSlice controllers: who is behind a Service, with which ports and conditions."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.controllers.endpoints import EndpointsController, build_subsets, find_port, services_for_pod
from cluster.controllers.endpointslice import EndpointSliceController
from cluster.core.objects import Obj, clone
from cluster.engine.actions import Create, Delete, ObjKey, Update
from tests.unit.fakes import FakeView

NOW = 1_764_044_333_000  # 2025-11-25T04:18:53Z
SVC = ObjKey("Service", "default", "web")


def service(
    selector: dict[str, str] | None = None,
    ports: list[dict[str, Any]] | None = None,
    labels: dict[str, str] | None = None,
    **spec: Any,
) -> Obj:
    meta: dict[str, Any] = {"name": "web", "namespace": "default", "uid": "svc-uid"}
    if labels:
        meta["labels"] = labels
    body: dict[str, Any] = {"ports": ports or [{"port": 80, "protocol": "TCP", "targetPort": 80}], **spec}
    if selector is not None:
        body["selector"] = selector
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta, "spec": body}


def pod(
    name: str,
    ip: str = "",
    ready: bool = True,
    labels: dict[str, str] | None = None,
    node: str = "worker-1",
    ports: list[dict[str, Any]] | None = None,
    phase: str = "Running",
    terminating: bool = False,
) -> Obj:
    meta: dict[str, Any] = {
        "name": name,
        "namespace": "default",
        "uid": f"uid-{name}",
        "labels": labels or {"app": "web"},
    }
    if terminating:
        meta["deletionTimestamp"] = "2025-11-25T04:19:23Z"
    status: dict[str, Any] = {"phase": phase, "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]}
    if ip:
        status["podIP"] = ip
    container = {"name": "app", "image": "nginx", "ports": ports or []}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {"nodeName": node, "containers": [container]},
        "status": status,
    }


def ref(p: Obj) -> dict[str, str]:
    return {"kind": "Pod", "namespace": "default", "name": p["metadata"]["name"], "uid": p["metadata"]["uid"]}


def created(view: FakeView, action: Any, name: str | None = None) -> Obj:
    """Store what a Create would have stored (the API server names generateName objects)."""
    assert isinstance(action, Create)
    stored = clone(action.obj)
    stored["metadata"].setdefault("name", name or stored["metadata"].get("generateName", "") + "x7k2p")
    stored["metadata"]["uid"] = "uid-" + stored["metadata"]["name"]
    return view.add(stored)


# -- Endpoints --------------------------------------------------------------------------------------------------
def test_ready_pods_are_addresses_and_unready_ones_not_ready_addresses() -> None:
    a, b = pod("web-a", "10.244.1.5"), pod("web-b", "10.244.2.3", ready=False)
    others = [
        pod("no-ip"),
        pod("done", "10.244.1.9", phase="Succeeded"),
        pod("leaving", "10.244.1.8", terminating=True),
        pod("other-app", "10.244.1.7", labels={"app": "db"}),
    ]
    view = FakeView([service({"app": "web"}), a, b, *others])

    (action,) = EndpointsController().reconcile(view, SVC, NOW).actions

    assert isinstance(action, Create)
    assert action.obj["subsets"] == [
        {
            "addresses": [{"ip": "10.244.1.5", "nodeName": "worker-1", "targetRef": ref(a)}],
            "notReadyAddresses": [{"ip": "10.244.2.3", "nodeName": "worker-1", "targetRef": ref(b)}],
            "ports": [{"port": 80, "protocol": "TCP"}],
        }
    ]


def test_endpoints_object_copies_service_labels_and_annotates_the_trigger_time() -> None:
    view = FakeView([service({"app": "web"}, labels={"app": "web"}, clusterIP="None")])

    (action,) = EndpointsController().reconcile(view, SVC, NOW).actions

    assert isinstance(action, Create)
    assert action.obj["metadata"] == {
        "name": "web",
        "namespace": "default",
        "labels": {"app": "web", "service.kubernetes.io/headless": ""},
        "annotations": {"endpoints.kubernetes.io/last-change-trigger-time": "2025-11-25T04:18:53Z"},
    }
    assert "subsets" not in action.obj  # a selector that matches nothing: `Endpoints: <none>`


def test_publish_not_ready_addresses_lists_every_pod_as_ready() -> None:
    view = FakeView([service({"app": "web"}, publishNotReadyAddresses=True), pod("a", "10.244.1.5", ready=False)])

    (action,) = EndpointsController().reconcile(view, SVC, NOW).actions

    assert isinstance(action, Create)
    assert [a["ip"] for a in action.obj["subsets"][0]["addresses"]] == ["10.244.1.5"]
    assert "notReadyAddresses" not in action.obj["subsets"][0]


@pytest.mark.parametrize(
    ("target", "container_ports", "expected"),
    [
        (8080, [], 8080),
        ("http", [{"name": "http", "containerPort": 5000, "protocol": "TCP"}], 5000),
        ("http", [{"name": "http", "containerPort": 5000, "protocol": "UDP"}], None),
        ("http", [{"name": "metrics", "containerPort": 9090}], None),
    ],
)
def test_find_port_resolves_target_port_per_pod(target: Any, container_ports: list[Any], expected: int | None) -> None:
    assert find_port(pod("a", ports=container_ports), {"port": 80, "protocol": "TCP", "targetPort": target}) == expected


def test_named_target_port_resolves_per_pod_and_subsets_repack_by_address_set() -> None:
    svc = service(
        {"app": "web"},
        ports=[
            {"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"},
            {"name": "metrics", "port": 9090, "protocol": "TCP", "targetPort": 9090},
        ],
    )
    a = pod("a", "10.244.1.5", ports=[{"name": "http", "containerPort": 8080, "protocol": "TCP"}])
    b = pod("b", "10.244.2.3", ports=[{"name": "http", "containerPort": 8080, "protocol": "TCP"}])
    c = pod("c", "10.244.2.4", ports=[{"name": "web", "containerPort": 8080, "protocol": "TCP"}])

    subsets = build_subsets(svc, [a, b, c])

    assert [([x["ip"] for x in s["addresses"]], s["ports"]) for s in subsets] == [
        (["10.244.1.5", "10.244.2.3"], [{"name": "http", "port": 8080, "protocol": "TCP"}]),
        (["10.244.1.5", "10.244.2.3", "10.244.2.4"], [{"name": "metrics", "port": 9090, "protocol": "TCP"}]),
    ]


def test_endpoints_are_written_once_then_updated_only_on_change() -> None:
    web_a = pod("a", "10.244.1.5")
    view = FakeView([service({"app": "web"}), web_a])
    controller = EndpointsController()
    created(view, controller.reconcile(view, SVC, NOW).actions[0], "web")

    assert controller.reconcile(view, SVC, NOW + 1000).actions == []
    web_a["status"]["conditions"][0]["status"] = "False"
    (update,) = controller.reconcile(view, SVC, NOW + 2000).actions
    assert isinstance(update, Update)
    assert "addresses" not in update.obj["subsets"][0]
    assert update.obj["metadata"]["annotations"]["endpoints.kubernetes.io/last-change-trigger-time"] == (
        "2025-11-25T04:18:55Z"
    )


def test_service_without_selector_keeps_its_manual_endpoints() -> None:
    manual = {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": "web", "namespace": "default"},
        "subsets": [{"addresses": [{"ip": "192.0.2.10"}], "ports": [{"port": 80}]}],
    }
    view = FakeView([service(None), manual, pod("a", "10.244.1.5")])

    assert EndpointsController().reconcile(view, SVC, NOW).actions == []
    assert EndpointSliceController().reconcile(view, SVC, NOW).actions == []


def test_deleting_the_service_deletes_its_endpoints() -> None:
    view = FakeView([{"apiVersion": "v1", "kind": "Endpoints", "metadata": {"name": "web", "namespace": "default"}}])

    assert EndpointsController().reconcile(view, SVC, NOW).actions == [Delete(ObjKey("Endpoints", "default", "web"))]


def test_pod_changes_map_to_the_services_selecting_them() -> None:
    db = {**service({"app": "db"}), "metadata": {"name": "db", "namespace": "default", "uid": "u2"}}
    view = FakeView(
        [service({"app": "web"}), db, service(None) | {"metadata": {"name": "manual", "namespace": "default"}}]
    )

    assert services_for_pod(view, pod("a", labels={"app": "web", "tier": "fe"})) == [SVC]
    assert services_for_pod(view, pod("b", labels={"app": "cache"})) == []


# -- EndpointSlices -----------------------------------------------------------------------------------------------
def test_slice_conditions_include_terminating_pods() -> None:
    ready, leaving, starting = (
        pod("a", "10.244.1.5"),
        pod("b", "10.244.2.3", terminating=True),
        pod("c", "10.244.2.4", ready=False),
    )
    view = FakeView([service({"app": "web"}, labels={"app": "web"}), ready, leaving, starting])

    (action,) = EndpointSliceController().reconcile(view, SVC, NOW).actions

    assert isinstance(action, Create)
    conditions = {e["targetRef"]["name"]: e["conditions"] for e in action.obj["endpoints"]}
    assert conditions == {
        "a": {"ready": True, "serving": True, "terminating": False},
        "b": {"ready": False, "serving": True, "terminating": True},
        "c": {"ready": False, "serving": False, "terminating": False},
    }
    assert action.obj["endpoints"][0] == {
        "addresses": ["10.244.1.5"],
        "conditions": {"ready": True, "serving": True, "terminating": False},
        "nodeName": "worker-1",
        "targetRef": ref(ready),
    }


def test_slice_metadata_names_labels_and_owner() -> None:
    view = FakeView([service({"app": "web"}, labels={"app": "web"}), pod("a", "10.244.1.5")])

    (action,) = EndpointSliceController().reconcile(view, SVC, NOW).actions

    assert isinstance(action, Create)
    assert action.obj["apiVersion"] == "discovery.k8s.io/v1" and action.obj["addressType"] == "IPv4"
    meta = action.obj["metadata"]
    assert meta["generateName"] == "web-"
    assert meta["labels"] == {
        "app": "web",
        "kubernetes.io/service-name": "web",
        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
    }
    assert meta["ownerReferences"] == [
        {
            "apiVersion": "v1",
            "kind": "Service",
            "name": "web",
            "uid": "svc-uid",
            "controller": True,
            "blockOwnerDeletion": True,
        }
    ]
    assert action.obj["ports"] == [{"name": "", "port": 80, "protocol": "TCP"}]


def test_selector_matching_nothing_gets_one_placeholder_slice_then_a_real_one() -> None:
    view = FakeView([service({"app": "web"})])
    controller = EndpointSliceController()

    placeholder = created(view, controller.reconcile(view, SVC, NOW).actions[0])

    assert placeholder["endpoints"] == [] and "ports" not in placeholder
    assert controller.reconcile(view, SVC, NOW).actions == []
    view.add(pod("a", "10.244.1.5"))
    (action,) = controller.reconcile(view, SVC, NOW).actions
    # the placeholder is reused (same name) rather than deleted and replaced
    assert isinstance(action, Update) and action.obj["metadata"]["name"] == placeholder["metadata"]["name"]
    assert action.obj["ports"] == [{"name": "", "port": 80, "protocol": "TCP"}]
    assert [e["addresses"] for e in action.obj["endpoints"]] == [["10.244.1.5"]]
    view.add(action.obj)
    view.remove(ObjKey("Pod", "default", "a"))
    (back,) = controller.reconcile(view, SVC, NOW).actions
    assert isinstance(back, Update) and back.obj["endpoints"] == [] and "ports" not in back.obj


def test_more_than_100_endpoints_are_split_and_the_result_is_a_fixed_point() -> None:
    pods = [pod(f"web-{i:03d}", f"10.244.{i // 200 + 1}.{i % 200 + 2}") for i in range(150)]
    view = FakeView([service({"app": "web"}), *pods])
    controller = EndpointSliceController()

    actions = controller.reconcile(view, SVC, NOW).actions

    assert [len(a.obj["endpoints"]) for a in actions if isinstance(a, Create)] == [100, 50]
    for i, action in enumerate(actions):
        created(view, action, f"web-slice{i}")
    assert controller.reconcile(view, SVC, NOW).actions == []
    view.remove(ObjKey("Pod", "default", "web-000"))
    (update,) = controller.reconcile(view, SVC, NOW).actions  # only the slice that held web-000 changes
    assert isinstance(update, Update) and update.obj["metadata"]["name"] == "web-slice0"
    assert len(update.obj["endpoints"]) == 99
    view.add(update.obj)
    view.add(pod("web-new", "10.244.9.9"))
    (fill,) = controller.reconcile(view, SVC, NOW).actions  # a newcomer fills the slice with room that fits best
    assert isinstance(fill, Update) and fill.obj["metadata"]["name"] == "web-slice0"
    assert fill.obj["endpoints"][-1]["targetRef"]["name"] == "web-new"


def test_pods_resolving_different_named_ports_get_separate_slices() -> None:
    svc = service({"app": "web"}, ports=[{"name": "http", "port": 80, "protocol": "TCP", "targetPort": "http"}])
    a = pod("a", "10.244.1.5", ports=[{"name": "http", "containerPort": 8080, "protocol": "TCP"}])
    b = pod("b", "10.244.2.3", ports=[{"name": "http", "containerPort": 9000, "protocol": "TCP"}])
    view = FakeView([svc, a, b])

    actions = EndpointSliceController().reconcile(view, SVC, NOW).actions

    assert sorted((a.obj["ports"][0]["port"], len(a.obj["endpoints"])) for a in actions if isinstance(a, Create)) == [
        (8080, 1),
        (9000, 1),
    ]


def test_slices_owned_by_an_older_service_of_the_same_name_are_deleted() -> None:
    stale = {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "addressType": "IPv4",
        "endpoints": [],
        "metadata": {
            "name": "web-old12",
            "namespace": "default",
            "uid": "s-old",
            "labels": {
                "kubernetes.io/service-name": "web",
                "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
            },
            "ownerReferences": [{"kind": "Service", "name": "web", "uid": "old", "controller": True}],
        },
    }
    view = FakeView([service({"app": "web"}), stale])

    actions = EndpointSliceController().reconcile(view, SVC, NOW).actions

    assert Delete(ObjKey("EndpointSlice", "default", "web-old12"), uid="s-old") in actions
    assert any(isinstance(a, Create) for a in actions)


# -- in the simulated cluster ---------------------------------------------------------------------------------------
def web_deployment(replicas: int) -> Obj:
    labels = {"app": "web"}
    container = {"name": "nginx", "image": "nginx:1.25", "ports": [{"name": "http", "containerPort": 80}]}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [container]}},
        },
    }


def web_service() -> Obj:
    port = {"name": "web", "port": 8080, "protocol": "TCP", "targetPort": "http"}
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {"selector": {"app": "web"}, "ports": [port]},
    }


@pytest.fixture
def sim() -> Any:
    from cluster.sim import SimCluster

    return SimCluster.new()


def test_sim_endpoints_follow_the_ready_pods_and_go_with_the_service(sim: Any) -> None:
    sim.api.create(web_service())
    sim.api.create(web_deployment(2))
    sim.settle()

    pod_ips = sorted(
        p["status"]["podIP"] for p in sim.list("Pod", "default") if p["metadata"]["labels"]["app"] == "web"
    )
    endpoints = sim.get("Endpoints", "default", "web")
    (slice_obj,) = [s for s in sim.list("EndpointSlice", "default") if s["metadata"]["name"] != "kubernetes"]
    assert [a["ip"] for a in endpoints["subsets"][0]["addresses"]] == pod_ips
    assert endpoints["subsets"][0]["ports"] == [{"name": "web", "port": 80, "protocol": "TCP"}]
    assert slice_obj["metadata"]["name"].startswith("web-") and len(slice_obj["metadata"]["name"]) == 9
    assert sorted(e["addresses"][0] for e in slice_obj["endpoints"]) == pod_ips
    assert all(
        e["conditions"] == {"ready": True, "serving": True, "terminating": False} for e in slice_obj["endpoints"]
    )
    assert slice_obj["ports"] == [{"name": "web", "port": 80, "protocol": "TCP"}]

    sim.api.delete("Service", "default", "web")
    sim.settle()

    assert sim.get("Endpoints", "default", "web") is None
    assert [s["metadata"]["name"] for s in sim.list("EndpointSlice", "default")] == ["kubernetes"]


def test_sim_a_terminating_pod_leaves_endpoints_but_stays_in_the_slice_while_it_drains(sim: Any) -> None:
    sim.api.create(web_service())
    sim.api.create(web_deployment(1))
    sim.settle()
    (pod_obj,) = [p for p in sim.list("Pod", "default") if p["metadata"]["labels"]["app"] == "web"]

    sim.api.delete("Pod", "default", pod_obj["metadata"]["name"])
    sim.run_until(sim.now_ms)

    endpoints = sim.get("Endpoints", "default", "web")
    ips = [
        a["ip"] for s in endpoints.get("subsets", []) for a in s.get("addresses", []) + s.get("notReadyAddresses", [])
    ]
    assert pod_obj["status"]["podIP"] not in ips
    slices = [s for s in sim.list("EndpointSlice", "default") if s["metadata"]["name"] != "kubernetes"]
    conditions = {e["targetRef"]["name"]: e["conditions"] for s in slices for e in s["endpoints"]}
    assert conditions[pod_obj["metadata"]["name"]]["terminating"] is True
    assert conditions[pod_obj["metadata"]["name"]]["ready"] is False


def test_sim_fixed_point_for_both_controllers(sim: Any) -> None:
    sim.api.create(web_service())
    sim.api.create(web_deployment(3))
    sim.settle()
    sim.api.patch("Deployment", "default", "web", {"spec": {"replicas": 1}})
    sim.settle()

    for controller in (EndpointsController(), EndpointSliceController()):
        for svc in sim.list("Service"):
            assert controller.reconcile(sim.engine.view, ObjKey.of(svc), sim.now_ms).actions == []
    assert len(sim.get("Endpoints", "default", "web")["subsets"][0]["addresses"]) == 1
