import random
from collections import Counter
from typing import Any

import pytest

from cluster.core.objects import clone
from cluster.engine.actions import Bind, ObjKey, RecordEvent, Result, SetPrivate, Trace, UpdateStatus
from cluster.scheduler import Decision, Scheduler, schedule_pod
from cluster.scheduler.matching import term_matches, tolerates
from cluster.scheduler.scheduler import backoff_ms
from cluster.sim import SimCluster
from tests.unit.fakes import FakeView

Obj = dict[str, Any]
NOW = 1_764_044_333_000
CP_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}
TOO_BIG_CPU = (
    "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
    "2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, "
    "2 No preemption victims found for incoming pod."
)


def node(name: str, *, cpu: str = "2", memory: str = "4015948Ki", pods: str = "110", **extra: Any) -> Obj:
    labels = {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux", **extra.pop("labels", {})}
    allocatable = {"cpu": cpu, "memory": memory, "pods": pods}
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "uid": f"uid-{name}", "resourceVersion": "1", "labels": labels},
        "spec": {"taints": extra.pop("taints", []), **extra},
        "status": {"capacity": dict(allocatable), "allocatable": allocatable, "images": []},
    }


def cluster_nodes(workers: int = 2) -> list[Obj]:
    control = node("control-plane", labels={"node-role.kubernetes.io/control-plane": ""}, taints=[CP_TAINT])
    return [control] + [node(f"worker-{i}") for i in range(1, workers + 1)]


def pod(name: str, *, cpu: str | None = None, memory: str | None = None, owner: str | None = None, **spec: Any) -> Obj:
    requests = {k: v for k, v in (("cpu", cpu), ("memory", memory)) if v}
    container = {"name": "app", "image": spec.pop("image", "nginx:1.25"), "resources": {"requests": requests}}
    if "ports" in spec:
        container["ports"] = spec.pop("ports")
    meta: Obj = {"name": name, "namespace": "default", "uid": f"uid-{name}", "resourceVersion": "1"}
    if owner:
        meta["ownerReferences"] = [
            {"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-rs", "uid": owner, "controller": True}
        ]
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {"containers": [container], "schedulerName": "default-scheduler", **spec},
        "status": {"phase": "Pending"},
    }


def decide(p: Obj, nodes: list[Obj], bound: dict[str, list[Obj]] | None = None, seed: int = 1) -> Decision:
    return schedule_pod(p, nodes, bound or {}, random.Random(seed))


# ----------------------------------------------------------------------------------------- placement


def test_six_replicas_spread_three_and_three_and_avoid_the_control_plane() -> None:
    nodes = cluster_nodes()
    bound: dict[str, list[Obj]] = {n["metadata"]["name"]: [] for n in nodes}
    for i in range(6):
        p = pod(f"web-{i}", owner="rs-uid")
        decision = decide(p, nodes, bound, seed=i)
        assert decision.node is not None
        bound[decision.node].append(p)
    assert {name: len(pods) for name, pods in bound.items()} == {"control-plane": 0, "worker-1": 3, "worker-2": 3}


def test_pod_requesting_three_cpus_gets_the_real_failed_scheduling_message() -> None:
    decision = decide(pod("big", cpu="3"), cluster_nodes())
    assert decision.node is None
    assert decision.message == TOO_BIG_CPU
    assert decision.filter_reasons == {
        "control-plane": ["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"],
        "worker-1": ["Insufficient cpu"],
        "worker-2": ["Insufficient cpu"],
    }


def test_every_insufficient_resource_and_the_pod_limit_are_listed() -> None:
    full = node("worker-1", pods="1", memory="1Gi")
    decision = decide(pod("p", cpu="3", memory="2Gi"), [full], {"worker-1": [pod("other")]})
    assert decision.message == (
        "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 Too many pods. "
        "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod."
    )


def test_requests_of_bound_pods_count_against_allocatable() -> None:
    nodes = [node("worker-1"), node("worker-2")]
    bound = {"worker-1": [pod("a", cpu="1500m")], "worker-2": [pod("b", cpu="1")]}
    assert decide(pod("p", cpu="800m"), nodes, bound).node == "worker-2"


def test_reasons_are_sorted_as_strings_so_ten_comes_before_two() -> None:
    hdd = [node(f"hdd-{i:02d}", labels={"disk": "hdd"}) for i in range(10)]
    small_ssd = [node(f"ssd-{i}", cpu="1", labels={"disk": "ssd"}) for i in range(2)]
    decision = decide(pod("p", cpu="2", nodeSelector={"disk": "ssd"}), hdd + small_ssd)
    assert decision.message.startswith(
        "0/12 nodes are available: 10 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu. "
    )
    assert decision.message.endswith(
        "preemption: 0/12 nodes are available: 10 Preemption is not helpful for scheduling, "
        "2 No preemption victims found for incoming pod."
    )


def test_node_selector_that_matches_nothing() -> None:
    decision = decide(pod("p", nodeSelector={"disktype": "ssd"}), cluster_nodes())
    assert decision.message == (
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        "2 node(s) didn't match Pod's node affinity/selector. "
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    )


def test_node_selector_picks_the_labelled_worker() -> None:
    nodes = cluster_nodes()
    nodes[2]["metadata"]["labels"]["disktype"] = "ssd"
    assert decide(pod("p", nodeSelector={"disktype": "ssd"}), nodes).node == "worker-2"


def test_cordoned_node_is_skipped_and_named_in_the_message() -> None:
    nodes = cluster_nodes()
    for n in nodes[1:]:
        n["spec"]["unschedulable"] = True
        n["spec"]["taints"] = [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]
    assert decide(pod("p"), nodes).message == (
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        "2 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    )
    nodes[2]["spec"] = {"taints": []}
    assert decide(pod("p"), nodes).node == "worker-2"


def test_tolerating_the_unschedulable_taint_ignores_the_cordon() -> None:
    cordoned = node("worker-1", unschedulable=True)
    toleration = {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"}
    assert decide(pod("p", tolerations=[toleration]), [cordoned]).node == "worker-1"


def test_toleration_of_the_control_plane_taint_allows_the_control_plane() -> None:
    selector = {"node-role.kubernetes.io/control-plane": ""}
    assert decide(pod("p", nodeSelector=selector), cluster_nodes()).node is None
    toleration = {"key": "node-role.kubernetes.io/control-plane", "operator": "Exists", "effect": "NoSchedule"}
    assert decide(pod("p", nodeSelector=selector, tolerations=[toleration]), cluster_nodes()).node == "control-plane"


def test_taint_with_a_value_is_printed_as_key_colon_value() -> None:
    tainted = node("gpu-1", taints=[{"key": "gpu", "value": "true", "effect": "NoExecute"}])
    assert decide(pod("p"), [tainted]).message.startswith(
        "0/1 nodes are available: 1 node(s) had untolerated taint {gpu: true}. "
    )


def test_prefer_no_schedule_taint_is_avoided_but_not_forbidden() -> None:
    soft = [{"key": "dedicated", "value": "batch", "effect": "PreferNoSchedule"}]
    nodes = [node("worker-1", taints=soft), node("worker-2")]
    decision = decide(pod("p"), nodes)
    assert decision.node == "worker-2"
    assert decision.scores["worker-1"]["TaintToleration"] == 0
    assert decision.scores["worker-2"]["TaintToleration"] == 300
    assert decide(pod("p"), nodes[:1]).node == "worker-1"


def test_host_port_conflict_rejects_the_node_but_preemption_could_help() -> None:
    port = {"containerPort": 80, "hostPort": 8080, "protocol": "TCP"}
    nodes = [node("worker-1"), node("worker-2")]
    bound = {"worker-1": [pod("a", ports=[port])]}
    assert decide(pod("b", ports=[port]), nodes, bound).node == "worker-2"
    bound["worker-2"] = [pod("c", ports=[dict(port, hostIP="10.0.0.1")])]
    assert decide(pod("d", ports=[port]), nodes, bound).message == (
        "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. "
        "preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."
    )
    assert decide(pod("e", ports=[dict(port, protocol="UDP")]), nodes, bound).node is not None


def test_match_fields_pin_rejects_other_nodes_before_filtering() -> None:
    pin = {"nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["worker-1"]}]}]}
    affinity = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": pin}}
    assert decide(pod("ds", affinity=affinity), cluster_nodes()).node == "worker-1"
    assert decide(pod("ds", cpu="3", affinity=affinity), cluster_nodes()).message == (
        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity]. "
        "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, "
        "2 Preemption is not helpful for scheduling."
    )


def test_preferred_node_affinity_wins_over_an_emptier_node() -> None:
    preferred = [
        {"weight": 50, "preference": {"matchExpressions": [{"key": "zone", "operator": "In", "values": ["a"]}]}}
    ]
    nodes = [node("worker-1", labels={"zone": "a"}), node("worker-2", labels={"zone": "b"})]
    bound = {"worker-1": [pod("busy", cpu="500m")]}
    decision = decide(
        pod("p", affinity={"nodeAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": preferred}}),
        nodes,
        bound,
    )
    assert decision.node == "worker-1"
    assert (decision.scores["worker-1"]["NodeAffinity"], decision.scores["worker-2"]["NodeAffinity"]) == (200, 0)


def test_no_nodes_and_preemption_policy_never() -> None:
    assert decide(pod("p"), []).message == "no nodes available to schedule pods"
    assert decide(pod("p", cpu="3", preemptionPolicy="Never"), [node("worker-1")]).message == (
        "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never."
    )


def test_scores_follow_the_upstream_arithmetic() -> None:
    # worker-1 holds 1 CPU / 1Gi of requests; the pod asks 500m / 512Mi.
    nodes = [node("worker-1", memory="4Gi"), node("worker-2", memory="4Gi")]
    bound = {"worker-1": [pod("a", cpu="1", memory="1Gi")]}
    decision = decide(pod("p", cpu="500m", memory="512Mi"), nodes, bound)
    # LeastAllocated: cpu (2000-1500)*100/2000 = 25, memory (4096-1536)*100/4096 = 62 -> (25+62)/2 = 43
    assert decision.scores["worker-1"]["NodeResourcesFit"] == 43
    # Balanced: fractions .75 and .375 -> (1 - .1875) * 100 = 81
    assert decision.scores["worker-1"]["NodeResourcesBalancedAllocation"] == 81
    assert decision.scores["worker-2"]["NodeResourcesFit"] == (75 + 87) // 2
    assert decision.total["worker-2"] > decision.total["worker-1"]
    assert decision.node == "worker-2"
    assert "PodTopologySpread" not in decision.scores["worker-1"]  # no owner to spread by: skipped


def test_image_locality_prefers_the_node_that_has_the_image() -> None:
    nodes = [node("worker-1"), node("worker-2")]
    nodes[1]["status"]["images"] = [{"names": ["nginx:1.25", "docker.io/library/nginx:1.25"], "sizeBytes": 500 * 2**20}]
    decision = decide(pod("p"), nodes)
    assert decision.node == "worker-2"
    # 500Mi spread over 1 of 2 nodes = 250Mi -> 100 * (250Mi - 23Mi) / (1000Mi - 23Mi) = 23
    assert decision.scores["worker-2"]["ImageLocality"] == 23


def test_tie_break_is_deterministic_for_a_seed_and_varies_with_it() -> None:
    nodes = cluster_nodes(workers=3)
    picks = [decide(pod("p"), nodes, seed=7).node for _ in range(5)]
    assert len(set(picks)) == 1
    chosen = Counter(decide(pod("p"), nodes, seed=s).node for s in range(60))
    assert set(chosen) == {"worker-1", "worker-2", "worker-3"}


@pytest.mark.parametrize(
    ("expression", "labels", "matches"),
    [
        ({"key": "disk", "operator": "In", "values": ["ssd", "nvme"]}, {"disk": "nvme"}, True),
        ({"key": "disk", "operator": "In", "values": ["ssd"]}, {}, False),
        ({"key": "disk", "operator": "NotIn", "values": ["hdd"]}, {}, True),
        ({"key": "disk", "operator": "NotIn", "values": ["hdd"]}, {"disk": "hdd"}, False),
        ({"key": "gpu", "operator": "Exists"}, {"gpu": ""}, True),
        ({"key": "gpu", "operator": "DoesNotExist"}, {"gpu": ""}, False),
        ({"key": "cores", "operator": "Gt", "values": ["4"]}, {"cores": "8"}, True),
        ({"key": "cores", "operator": "Lt", "values": ["4"]}, {"cores": "8"}, False),
        ({"key": "cores", "operator": "Gt", "values": ["4"]}, {"cores": "many"}, False),
        ({"key": "cores", "operator": "Gt", "values": ["x"]}, {"cores": "8"}, False),  # unparsable term
        ({"key": "disk", "operator": "In", "values": []}, {"disk": "ssd"}, False),
    ],
)
def test_node_selector_requirements(expression: Obj, labels: dict[str, str], matches: bool) -> None:
    assert term_matches({"matchExpressions": [expression]}, labels, "worker-1") is matches


def test_empty_term_matches_nothing_and_fields_match_the_node_name() -> None:
    assert not term_matches({}, {"a": "b"}, "worker-1")
    name_in = {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["worker-1"]}]}
    assert term_matches(name_in, {}, "worker-1")
    assert not term_matches(name_in, {}, "worker-2")


@pytest.mark.parametrize(
    ("toleration", "taint", "expected"),
    [
        ({"operator": "Exists"}, CP_TAINT, True),
        ({"key": "node-role.kubernetes.io/control-plane", "operator": "Exists"}, CP_TAINT, True),
        (
            {"key": "node-role.kubernetes.io/control-plane", "effect": "NoExecute", "operator": "Exists"},
            CP_TAINT,
            False,
        ),
        ({"key": "gpu", "value": "true"}, {"key": "gpu", "value": "true", "effect": "NoSchedule"}, True),
        ({"key": "gpu", "value": "false"}, {"key": "gpu", "value": "true", "effect": "NoSchedule"}, False),
    ],
)
def test_toleration_matching(toleration: Obj, taint: Obj, expected: bool) -> None:
    assert tolerates(toleration, taint) is expected


# ------------------------------------------------------------------------------------------ reconciler


def apply(view: FakeView, result: Result) -> None:
    """What the engine would do with the actions, enough for the scheduler's fixed point."""
    for action in result.actions:
        if isinstance(action, UpdateStatus):
            current = view.get_key(ObjKey.of(action.obj))
            assert current is not None
            current["status"] = clone(action.obj["status"])
        elif isinstance(action, Bind):
            current = view.get_key(action.key)
            assert current is not None
            current["spec"]["nodeName"] = action.node
        elif isinstance(action, SetPrivate):
            if action.data is None:
                view.privates.pop(action.key, None)
            else:
                view.privates[action.key] = action.data


def fake_cluster(*pods: Obj, now_ms: int = NOW) -> FakeView:
    return FakeView([*cluster_nodes(), *pods], now_ms)


def test_reconcile_binds_records_scheduled_and_traces_the_scores() -> None:
    view = fake_cluster(pod("web-7c5ddbdf54-x7k2p"))
    key = ObjKey("Pod", "default", "web-7c5ddbdf54-x7k2p")
    result = Scheduler().reconcile(view, key, NOW)
    trace, bind, event = result.actions
    assert isinstance(bind, Bind) and bind.key == key and bind.node in ("worker-1", "worker-2")
    assert isinstance(event, RecordEvent)
    assert (event.type, event.reason, event.component) == ("Normal", "Scheduled", "default-scheduler")
    assert event.message == f"Successfully assigned default/web-7c5ddbdf54-x7k2p to {bind.node}"
    assert isinstance(trace, Trace) and (trace.source, trace.target, trace.verb) == (
        "scheduler",
        "scheduler",
        "schedule",
    )
    assert set(trace.params["total"]) == {"worker-1", "worker-2"}
    assert trace.params["filtered"] == {
        "control-plane": ["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"]
    }
    apply(view, result)
    assert Scheduler().reconcile(view, key, NOW).actions == []


def test_reconcile_failure_sets_condition_event_and_backoff_then_is_idempotent() -> None:
    view = fake_cluster(pod("big", cpu="3"))
    key = ObjKey("Pod", "default", "big")
    scheduler = Scheduler()
    first = scheduler.reconcile(view, key, NOW)
    update, event, private = first.actions
    assert isinstance(update, UpdateStatus)
    assert update.obj["status"]["conditions"] == [
        {
            "type": "PodScheduled",
            "status": "False",
            "lastProbeTime": None,
            "lastTransitionTime": "2025-11-25T04:18:53Z",
            "reason": "Unschedulable",
            "message": TOO_BIG_CPU,
        }
    ]
    assert isinstance(event, RecordEvent)
    assert (event.type, event.reason, event.message) == ("Warning", "FailedScheduling", TOO_BIG_CPU)
    assert isinstance(private, SetPrivate) and private.data == {
        "attempts": 1,
        "lastAttemptMs": NOW,
        "message": TOO_BIG_CPU,
        "eventMs": NOW,
    }
    assert first.requeue_after_ms == 1000
    apply(view, first)
    again = scheduler.reconcile(view, key, NOW)
    assert again.actions == []
    assert again.requeue_after_ms == 1000


def run_retries(scheduler: Scheduler, view: FakeView, key: ObjKey, start: int, until: int) -> list[tuple[int, Result]]:
    """Follow the requeue timer like the engine does; returns (time, result) of every call."""
    calls, now = [], start
    while now <= until:
        result = scheduler.reconcile(view, key, now)
        apply(view, result)
        calls.append((now, result))
        assert result.requeue_after_ms is not None
        now += result.requeue_after_ms
    return calls


def test_retries_back_off_to_ten_seconds_and_re_report_every_five_minutes() -> None:
    view = fake_cluster(pod("big", cpu="3"))
    key = ObjKey("Pod", "default", "big")
    calls = run_retries(Scheduler(), view, key, NOW, NOW + 11 * 60_000)
    offsets = [(t - NOW) // 1000 for t, _ in calls]
    assert offsets[:7] == [0, 1, 3, 7, 15, 25, 35]
    events = [(t - NOW) // 1000 for t, r in calls if any(isinstance(a, RecordEvent) for a in r.actions)]
    assert events == [0, 305, 605]
    status_writes = [t for t, r in calls if any(isinstance(a, UpdateStatus) for a in r.actions)]
    assert status_writes == [NOW]
    capped_writes = [t for t, r in calls[6:] if r.actions and not any(isinstance(a, RecordEvent) for a in r.actions)]
    assert capped_writes == []


def test_backoff_doubles_from_one_second_and_caps_at_ten() -> None:
    assert [backoff_ms(n) for n in range(1, 7)] == [1000, 2000, 4000, 8000, 10000, 10000]


def test_changed_message_updates_condition_and_records_a_new_event() -> None:
    view = fake_cluster(pod("big", cpu="3"))
    key = ObjKey("Pod", "default", "big")
    scheduler = Scheduler()
    apply(view, scheduler.reconcile(view, key, NOW))
    view.remove(ObjKey("Node", "", "worker-2"))
    result = scheduler.reconcile(view, key, NOW + 1000)
    kinds = [type(a).__name__ for a in result.actions]
    assert kinds == ["UpdateStatus", "RecordEvent", "SetPrivate"]
    assert "0/2 nodes are available" in result.actions[1].message  # type: ignore[union-attr]


def test_freed_capacity_binds_the_pending_pod_and_clears_private_state() -> None:
    hog = pod("hog", cpu="1500m")
    hog["spec"]["nodeName"] = "worker-1"
    view = FakeView([*cluster_nodes(workers=1), hog, pod("p", cpu="1")], NOW)
    key = ObjKey("Pod", "default", "p")
    scheduler = Scheduler()
    apply(view, scheduler.reconcile(view, key, NOW))
    assert view.private(key) is not None
    hog["status"]["phase"] = "Succeeded"  # terminal pods no longer hold their requests
    result = scheduler.reconcile(view, key, NOW + 1000)
    assert [type(a).__name__ for a in result.actions] == ["Trace", "Bind", "RecordEvent", "SetPrivate"]
    assert isinstance(result.actions[-1], SetPrivate) and result.actions[-1].data is None


def test_reconcile_ignores_bound_terminating_gated_and_foreign_pods() -> None:
    bound = pod("bound")
    bound["spec"]["nodeName"] = "worker-1"
    terminating = pod("terminating")
    terminating["metadata"]["deletionTimestamp"] = "2025-11-25T04:18:53Z"
    gated = pod("gated", schedulingGates=[{"name": "example.com/wait"}])
    foreign = pod("foreign")
    foreign["spec"]["schedulerName"] = "my-scheduler"
    view = fake_cluster(bound, terminating, gated, foreign)
    for name in ("bound", "terminating", "gated", "foreign", "missing"):
        assert Scheduler().reconcile(view, ObjKey("Pod", "default", name), NOW).actions == []


def test_watches_requeue_parked_pods_on_node_changes_and_freed_pods() -> None:
    waiting = pod("waiting", cpu="3")
    fresh = pod("fresh")
    finishing = pod("finishing")
    finishing["spec"]["nodeName"] = "worker-1"
    running = pod("running")
    running["spec"]["nodeName"] = "worker-2"
    view = fake_cluster(waiting, fresh, finishing, running)
    scheduler = Scheduler()
    apply(view, scheduler.reconcile(view, ObjKey.of(waiting), NOW))
    pod_mapper = next(w.mapper for w in scheduler.watches() if w.kind == "Pod")
    node_mapper = next(w.mapper for w in scheduler.watches() if w.kind == "Node")
    waiting_key = ObjKey.of(waiting)
    assert pod_mapper(view, fresh) == [ObjKey.of(fresh)]
    assert node_mapper(view, cluster_nodes()[1]) == [waiting_key]  # only pods that already failed
    assert pod_mapper(view, running) == []  # a status update of a running pod frees nothing
    finishing["status"]["phase"] = "Succeeded"
    assert pod_mapper(view, finishing) == [waiting_key]
    assert pod_mapper(view, finishing) == []  # the old state of the same write: already counted
    view.remove(ObjKey.of(running))
    assert pod_mapper(view, running) == [waiting_key]


def test_event_fed_cache_decides_like_a_fresh_count() -> None:
    """Drive the mappers as the engine does on every write; the cached totals must equal a recount."""
    rng = random.Random(5)
    view = fake_cluster()
    scheduler = Scheduler()
    pod_mapper = next(w.mapper for w in scheduler.watches() if w.kind == "Pod")
    names: list[str] = []
    for step in range(150):
        action = rng.random()
        if action < 0.5 or not names:
            name = f"p{step}"
            cpu = rng.choice(["100m", "250m", "500m", None])
            new = pod(name, cpu=cpu, memory=rng.choice(["64Mi", None]), owner=rng.choice(["rs-a", "rs-b"]))
            new["spec"]["nodeName"] = rng.choice(["worker-1", "worker-2"])
            view.add(new)
            names.append(name)
        elif action < 0.8:
            victim = names.pop(rng.randrange(len(names)))
            old = view.get("Pod", "default", victim)
            view.remove(ObjKey("Pod", "default", victim))
            pod_mapper(view, old)  # type: ignore[arg-type]
            continue
        else:
            changed = view.get("Pod", "default", rng.choice(names))
            assert changed is not None
            changed["status"]["phase"] = rng.choice(["Running", "Succeeded", "Failed"])
            changed["metadata"]["resourceVersion"] = str(step)
            new = changed
        pod_mapper(view, new)
        probe = pod(f"probe-{step}", cpu="300m", owner="rs-a")
        cached = scheduler.decide(view, probe, 0)
        fresh = Scheduler().decide(view, probe, 0)
        assert (cached.node, cached.message, cached.total) == (fresh.node, fresh.message, fresh.total)


def web(name: str, node_name: str | None = None, **spec: Any) -> Obj:
    p = pod(name, **spec)
    p["metadata"]["labels"] = {"app": "web"}
    if node_name:
        p["spec"]["nodeName"] = node_name
    return p


def spread_constraint(**overrides: Any) -> Obj:
    constraint = {
        "maxSkew": 1,
        "topologyKey": "kubernetes.io/hostname",
        "whenUnsatisfiable": "DoNotSchedule",
        "labelSelector": {"matchLabels": {"app": "web"}},
    }
    return constraint | overrides


def test_do_not_schedule_spread_counts_the_tainted_control_plane_as_an_empty_domain() -> None:
    bound = {"worker-1": [web("a", "worker-1"), web("b", "worker-1")], "worker-2": [web("c", "worker-2")]}
    decision = decide(web("d", topologySpreadConstraints=[spread_constraint()]), cluster_nodes(), bound)
    assert decision.message == (
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        "2 node(s) didn't match pod topology spread constraints. preemption: 0/3 nodes are available: "
        "1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
    )
    honor = spread_constraint(nodeTaintsPolicy="Honor")
    assert decide(web("d", topologySpreadConstraints=[honor]), cluster_nodes(), bound).node == "worker-2"


def test_spread_constraint_on_a_missing_label_is_unresolvable() -> None:
    zone = spread_constraint(topologyKey="topology.kubernetes.io/zone")
    nodes = [node("worker-1", labels={"topology.kubernetes.io/zone": "a"}), node("worker-2")]
    decision = decide(web("p", topologySpreadConstraints=[zone]), nodes)
    assert decision.node == "worker-1"
    assert decision.filter_reasons["worker-2"] == [
        "node(s) didn't match pod topology spread constraints (missing required label)"
    ]


def test_schedule_anyway_constraint_prefers_the_emptier_domain_without_filtering() -> None:
    soft = spread_constraint(whenUnsatisfiable="ScheduleAnyway", maxSkew=1)
    nodes = [node("worker-1"), node("worker-2")]
    bound = {"worker-1": [web("a", "worker-1"), web("b", "worker-1")]}
    decision = decide(web("p", topologySpreadConstraints=[soft]), nodes, bound)
    assert decision.node == "worker-2"
    assert decision.scores["worker-2"]["PodTopologySpread"] == 200
    assert decision.scores["worker-1"]["PodTopologySpread"] < 200
    bound["worker-2"] = [web(f"z{i}", "worker-2") for i in range(5)]
    assert decide(web("p", topologySpreadConstraints=[soft]), nodes, bound).node == "worker-1"


# ---------------------------------------------------------------------------------- in the simulated cluster


def deployment(name: str, replicas: int, cpu: str | None = None) -> Obj:
    container: Obj = {"name": "nginx", "image": "nginx:1.25"}
    if cpu:
        container["resources"] = {"requests": {"cpu": cpu}}
    template = {"metadata": {"labels": {"app": name}}, "spec": {"containers": [container]}}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}}, "template": template},
    }


def bare_pod(name: str, cpu: str) -> Obj:
    container = {"name": "app", "image": "nginx:1.25", "resources": {"requests": {"cpu": cpu}}}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"containers": [container]},
    }


def failed_scheduling(cluster: SimCluster, name: str) -> list[Obj]:
    return [
        e
        for e in cluster.events("default")
        if e["involvedObject"]["name"] == name and e["reason"] == "FailedScheduling"
    ]


def test_sim_deployment_replicas_spread_over_the_workers() -> None:
    cluster = SimCluster.new(seed=3, nodes=2)
    cluster.api.create(deployment("web", 6))
    cluster.settle(60_000)
    placed = Counter(p["spec"].get("nodeName") for p in cluster.list("Pod", "default"))
    assert placed == {"worker-1": 3, "worker-2": 3}
    scheduled = [e for e in cluster.events("default") if e["reason"] == "Scheduled"]
    assert len(scheduled) == 6
    assert all(e["message"].startswith("Successfully assigned default/web-") for e in scheduled)


def test_sim_unschedulable_pod_reports_once_then_every_five_minutes() -> None:
    cluster = SimCluster.new(seed=1, nodes=2)
    cluster.api.create(bare_pod("big", "3"))
    cluster.advance(60_000)
    big = cluster.get("Pod", "default", "big")
    assert big is not None and big["status"]["phase"] == "Pending"
    condition = big["status"]["conditions"][0]
    assert (condition["type"], condition["status"], condition["reason"]) == ("PodScheduled", "False", "Unschedulable")
    assert condition["message"] == TOO_BIG_CPU
    [event] = failed_scheduling(cluster, "big")
    assert (event["type"], event["count"], event["message"]) == ("Warning", 1, TOO_BIG_CPU)
    cluster.advance(10 * 60_000)
    [event] = failed_scheduling(cluster, "big")
    assert event["count"] == 3


def test_sim_deleting_a_pod_frees_room_for_the_pending_one() -> None:
    cluster = SimCluster.new(seed=1, nodes=1)
    cluster.api.create(bare_pod("first", "1500m"))
    cluster.settle(30_000)
    cluster.api.create(bare_pod("second", "1"))
    cluster.advance(30_000)
    second = cluster.get("Pod", "default", "second")
    assert second is not None and not second["spec"].get("nodeName")
    assert "1 Insufficient cpu" in second["status"]["conditions"][0]["message"]
    cluster.api.delete("Pod", "default", "first", grace_period_seconds=0)
    cluster.advance(15_000)
    second = cluster.get("Pod", "default", "second")
    assert second is not None and second["spec"].get("nodeName") == "worker-1"


def test_sim_cordon_keeps_pods_pending_until_uncordon() -> None:
    cluster = SimCluster.new(seed=1, nodes=1)
    cluster.api.patch("Node", "", "worker-1", {"spec": {"unschedulable": True}})
    cluster.settle(30_000)
    cluster.api.create(bare_pod("waiting", "100m"))
    cluster.advance(20_000)
    waiting = cluster.get("Pod", "default", "waiting")
    assert waiting is not None
    assert waiting["status"]["conditions"][0]["message"] == (
        "0/2 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, "
        "1 node(s) were unschedulable. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling."
    )
    cluster.api.patch("Node", "", "worker-1", {"spec": {"unschedulable": False}})
    cluster.advance(15_000)
    waiting = cluster.get("Pod", "default", "waiting")
    assert waiting is not None and waiting["spec"].get("nodeName") == "worker-1"
