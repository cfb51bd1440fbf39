"""Rollouts end to end: the Deployment and ReplicaSet controllers against a tiny in-test cluster.

``MiniCluster`` plays API server (names, uids, generations, resourceVersions),
scheduler and kubelet (pods become Ready a few seconds after creation and
disappear a couple of seconds after deletion) just enough to drive both
controllers, and checks invariants after *every* applied action.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import jsonpatch

from cluster.controllers.deployment import DeploymentController, util
from cluster.controllers.podutil import format_time, is_active, is_ready, parse_time_ms
from cluster.controllers.replicaset import ReplicaSetController
from cluster.core.ids import NAME_ALPHABET
from cluster.engine.actions import (
    Action,
    Create,
    Delete,
    ObjKey,
    Patch,
    RecordEvent,
    Result,
    Update,
    UpdateStatus,
)
from tests.unit.fakes import FakeView

Obj = dict[str, Any]
START = 1_764_044_333_000
SECOND = 1000
TERMINATION_MS = 2 * SECOND


class MiniCluster:
    def __init__(self) -> None:
        self.view = FakeView([], START)
        self.controllers: list[Any] = [DeploymentController(), ReplicaSetController()]
        self.counter = 0
        self.ready_after_ms = 3 * SECOND
        self.never_ready: set[str] = set()
        self.events: list[RecordEvent] = []
        self.checks: list[Callable[[MiniCluster], None]] = []

    @property
    def now_ms(self) -> int:
        return self.view.now_ms

    # -- API server --------------------------------------------------------------------------------------
    def _bump(self, obj: Obj) -> None:
        self.counter += 1
        obj["metadata"]["resourceVersion"] = str(self.counter)

    def create(self, obj: Obj) -> Obj:
        obj = copy.deepcopy(obj)
        meta = obj["metadata"]
        if not meta.get("name"):
            self.counter += 1
            suffix = "".join(NAME_ALPHABET[(self.counter // 27**i) % 27] for i in range(5))
            meta["name"] = meta.pop("generateName") + suffix
        assert self.view.get_key(ObjKey.of(obj)) is None, f"{meta['name']} already exists"
        meta.update(uid=f"uid-{meta['name']}", creationTimestamp=format_time(self.now_ms))
        if obj["kind"] in ("Deployment", "ReplicaSet"):
            meta["generation"] = 1
        obj.setdefault("status", {})
        self._bump(obj)
        return self.view.add(obj)

    def _stored(self, obj: Obj) -> Obj:
        stored = self.view.get_key(ObjKey.of(obj))
        assert stored is not None
        sent = obj["metadata"].get("resourceVersion")
        assert sent in (None, stored["metadata"]["resourceVersion"]), f"409 on {ObjKey.of(obj)}"
        return stored

    def update(self, obj: Obj) -> None:
        stored = self._stored(obj)
        new = copy.deepcopy(obj)
        new["status"] = stored["status"]
        for field in ("uid", "creationTimestamp", "generation"):
            new["metadata"][field] = stored["metadata"].get(field)
        if new.get("spec") != stored.get("spec"):
            new["metadata"]["generation"] = stored["metadata"]["generation"] + 1
        self._bump(new)
        self.view.add(new)

    def update_status(self, obj: Obj) -> None:
        """Status subresource; a Deployment's status update also carries its annotations (as in Kubernetes)."""
        stored = self._stored(obj)
        new = copy.deepcopy(stored)
        new["status"] = copy.deepcopy(obj["status"])
        if obj["kind"] == "Deployment":
            new["metadata"]["annotations"] = copy.deepcopy(obj["metadata"].get("annotations"))
        self._bump(new)
        self.view.add(new)

    def delete(self, key: ObjKey) -> None:
        obj = self.view.get_key(key)
        assert obj is not None
        if key.kind == "Pod":
            obj["metadata"]["deletionTimestamp"] = format_time(self.now_ms)
            self._bump(obj)
        else:
            self.view.remove(key)

    def apply(self, result: Result) -> None:
        for action in result.actions:
            self._apply_one(action)
            for check in self.checks:
                check(self)

    def _apply_one(self, action: Action) -> None:
        if isinstance(action, Create):
            self.create(action.obj)
        elif isinstance(action, Update):
            self.update(action.obj)
        elif isinstance(action, UpdateStatus):
            self.update_status(action.obj)
        elif isinstance(action, Delete):
            self.delete(action.key)
        elif isinstance(action, Patch):
            current = self.view.get_key(action.key)
            assert current is not None and action.patch_type == "json"
            patched = jsonpatch.apply_patch(current, action.patch)
            self._bump(patched)
            self.view.add(patched)
        elif isinstance(action, RecordEvent):
            self.events.append(action)

    # -- scheduler and kubelet -----------------------------------------------------------------------------
    def kubelet(self) -> None:
        for pod in self.view.list("Pod"):
            deleted_at = parse_time_ms(pod["metadata"].get("deletionTimestamp"))
            if deleted_at is not None:
                if self.now_ms >= deleted_at + TERMINATION_MS:
                    self.view.remove(ObjKey.of(pod))
                continue
            pod["spec"].setdefault("nodeName", "worker-1")
            image = pod["spec"]["containers"][0]["image"]
            created = parse_time_ms(pod["metadata"]["creationTimestamp"]) or 0
            if not is_ready(pod) and image not in self.never_ready and self.now_ms >= created + self.ready_after_ms:
                since = format_time(self.now_ms)
                pod["status"] = {
                    "phase": "Running",
                    "conditions": [{"type": "Ready", "status": "True", "lastTransitionTime": since}],
                }
            elif "phase" not in pod["status"]:
                pod["status"] = {"phase": "Pending"}
            for check in self.checks:
                check(self)

    # -- the control loop ------------------------------------------------------------------------------------
    def reconcile_all(self) -> int:
        acted = 0
        for controller in self.controllers:
            kind = "Deployment" if isinstance(controller, DeploymentController) else "ReplicaSet"
            for obj in self.view.list(kind):
                result = controller.reconcile(self.view, ObjKey.of(obj), self.now_ms)
                if result.actions:
                    acted += 1
                    self.apply(result)
        return acted

    def settle(self) -> None:
        for _ in range(200):
            if not self.reconcile_all():
                return
        raise AssertionError("controllers did not converge")

    def run(self, seconds: int, until: Callable[[MiniCluster], bool] | None = None) -> None:
        for _ in range(seconds):
            self.settle()
            if until is not None and until(self):
                return
            self.view._now_ms += SECOND
            self.kubelet()
        self.settle()

    # -- conveniences ----------------------------------------------------------------------------------------
    def deployment(self, name: str = "web") -> Obj:
        obj = self.view.get("Deployment", "default", name)
        assert obj is not None
        return obj

    def replica_sets(self) -> list[Obj]:
        return sorted(self.view.list("ReplicaSet"), key=util.creation_key)

    def set_image(self, image: str, name: str = "web") -> None:
        deploy = copy.deepcopy(self.deployment(name))
        deploy["spec"]["template"]["spec"]["containers"][0]["image"] = image
        self.update(deploy)

    def pods(self, image: str | None = None) -> list[Obj]:
        pods = [p for p in self.view.list("Pod") if is_active(p)]
        return [p for p in pods if image is None or p["spec"]["containers"][0]["image"] == image]


def new_deployment(replicas: int = 3, image: str = "nginx:1.25", strategy: Obj | None = None, **spec: Any) -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": strategy
            or {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}},
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600,
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": image}]},
            },
            **spec,
        },
    }


def rolled_out(cluster: MiniCluster) -> bool:
    deploy = cluster.deployment()
    cond = util.get_condition(deploy["status"], util.PROGRESSING) or {}
    return cond.get("reason") == util.NEW_RS_AVAILABLE and len(cluster.pods()) == deploy["spec"]["replicas"]


def start(replicas: int = 3, **kwargs: Any) -> MiniCluster:
    cluster = MiniCluster()
    cluster.create(new_deployment(replicas, **kwargs))
    cluster.run(60, until=rolled_out)
    assert rolled_out(cluster)
    return cluster


def scaling_messages(cluster: MiniCluster) -> list[str]:
    return [e.message for e in cluster.events if e.reason == "ScalingReplicaSet"]


# ---------------------------------------------------------------- the required scenarios


def test_rolling_update_of_ten_stays_within_surge_and_unavailability_at_every_step() -> None:
    cluster = start(replicas=10)
    seen: dict[str, int] = {"max_pods": 0, "min_available": 10}

    def bounds(c: MiniCluster) -> None:
        active = c.pods()
        available = sum(1 for p in active if is_ready(p))
        seen["max_pods"] = max(seen["max_pods"], len(active))
        seen["min_available"] = min(seen["min_available"], available)
        assert len(active) <= 13, "more than replicas + maxSurge (3) pods"
        assert available >= 8, "fewer than replicas - maxUnavailable (2) available"

    cluster.checks.append(bounds)
    cluster.set_image("nginx:1.26")
    cluster.run(120, until=rolled_out)
    assert rolled_out(cluster)
    assert len(cluster.pods("nginx:1.26")) == 10
    assert seen == {"max_pods": 13, "min_available": 8}  # the budget is actually used
    status = cluster.deployment()["status"]
    assert (status["replicas"], status["updatedReplicas"], status["availableReplicas"]) == (10, 10, 10)
    assert "unavailableReplicas" not in status


def test_three_replicas_roll_one_at_a_time() -> None:
    cluster = start(replicas=3)
    first_rs = cluster.replica_sets()[0]["metadata"]["name"]
    cluster.events.clear()
    cluster.set_image("nginx:1.26")
    cluster.run(120, until=rolled_out)
    new_rs = cluster.replica_sets()[1]["metadata"]["name"]
    assert scaling_messages(cluster) == [
        f"Scaled up replica set {new_rs} from 0 to 1",
        f"Scaled down replica set {first_rs} from 3 to 2",
        f"Scaled up replica set {new_rs} from 1 to 2",
        f"Scaled down replica set {first_rs} from 2 to 1",
        f"Scaled up replica set {new_rs} from 2 to 3",
        f"Scaled down replica set {first_rs} from 1 to 0",
    ]


def test_rollback_renumbers_the_old_replicaset() -> None:
    cluster = start()
    cluster.set_image("nginx:1.26")
    cluster.run(120, until=rolled_out)
    first, second = cluster.replica_sets()
    assert [util.revision(first), util.revision(second)] == [1, 2]
    # kubectl rollout undo: put the revision-1 template back (minus pod-template-hash)
    template = copy.deepcopy(first["spec"]["template"])
    del template["metadata"]["labels"]["pod-template-hash"]
    jsonpatch_ops = [{"op": "replace", "path": "/spec/template", "value": template}]
    deploy = jsonpatch.apply_patch(cluster.deployment(), jsonpatch_ops)
    cluster.update(deploy)
    cluster.run(120, until=rolled_out)
    first, second = cluster.replica_sets()
    assert sorted(util.revision(rs) for rs in cluster.replica_sets()) == [2, 3]
    assert util.revision(first) == 3
    assert first["metadata"]["annotations"][util.REVISION_HISTORY] == "1"
    assert cluster.deployment()["metadata"]["annotations"][util.REVISION] == "3"
    assert len(cluster.pods("nginx:1.25")) == 3
    assert len(cluster.replica_sets()) == 2  # the old RS came back; nothing new was created


def test_recreate_never_runs_old_and_new_pods_together() -> None:
    cluster = start(strategy={"type": "Recreate"})

    def exclusive(c: MiniCluster) -> None:
        every = c.view.list("Pod")  # terminating pods count: they may still be serving
        images = {p["spec"]["containers"][0]["image"] for p in every}
        assert len(images) <= 1, f"old and new pods at once: {images}"

    cluster.checks.append(exclusive)
    cluster.events.clear()
    cluster.set_image("nginx:1.26")
    cluster.run(120, until=rolled_out)
    assert len(cluster.pods("nginx:1.26")) == 3
    old_rs, new_rs = (rs["metadata"]["name"] for rs in cluster.replica_sets())
    assert scaling_messages(cluster) == [
        f"Scaled down replica set {old_rs} from 3 to 0",
        f"Scaled up replica set {new_rs} from 0 to 3",
    ]


def test_revision_history_limit_deletes_oldest_idle_replicasets() -> None:
    cluster = start(replicas=1, revisionHistoryLimit=2)
    for minor in range(26, 30):
        cluster.set_image(f"nginx:1.{minor}")
        cluster.run(120, until=rolled_out)
    revisions = [util.revision(rs) for rs in cluster.replica_sets()]
    assert revisions == [3, 4, 5]  # the current one plus two old ones
    assert [util.replicas(rs) for rs in cluster.replica_sets()] == [0, 0, 1]


def test_progress_deadline_exceeded_with_a_never_ready_image() -> None:
    cluster = start(progressDeadlineSeconds=60)
    cluster.never_ready.add("nginx:broken")
    cluster.set_image("nginx:broken")
    cluster.run(50)
    cond = util.get_condition(cluster.deployment()["status"], util.PROGRESSING)
    assert cond is not None and cond["reason"] == util.RS_UPDATED
    cluster.run(30)
    cond = util.get_condition(cluster.deployment()["status"], util.PROGRESSING)
    new_rs = cluster.replica_sets()[1]["metadata"]["name"]
    assert cond == {
        "type": "Progressing",
        "status": "False",
        "reason": "ProgressDeadlineExceeded",
        "message": f'ReplicaSet "{new_rs}" has timed out progressing.',
        "lastUpdateTime": cond["lastUpdateTime"],
        "lastTransitionTime": cond["lastUpdateTime"],
    }
    assert len(cluster.pods("nginx:1.25")) == 3  # maxUnavailable 0: the old pods stay
    assert len(cluster.pods("nginx:broken")) == 1  # maxSurge 1: one new pod, never ready


def test_requeue_timer_points_past_the_deadline() -> None:
    cluster = start(progressDeadlineSeconds=60)
    cluster.never_ready.add("nginx:broken")
    cluster.set_image("nginx:broken")
    cluster.run(5)
    deploy = cluster.deployment()
    result = DeploymentController().reconcile(cluster.view, ObjKey.of(deploy), cluster.now_ms)
    assert result.actions == []
    cond = util.get_condition(deploy["status"], util.PROGRESSING)
    assert cond is not None
    last_update = parse_time_ms(cond["lastUpdateTime"])
    assert last_update is not None
    assert result.requeue_after_ms == last_update + 60 * SECOND - cluster.now_ms + SECOND


def test_every_reconcile_is_a_fixed_point_after_applying() -> None:
    cluster = MiniCluster()
    cluster.create(new_deployment(5))
    checked = 0
    for step in range(150):
        if step == 40:
            cluster.set_image("nginx:1.26")
        if step == 90:
            scaled = copy.deepcopy(cluster.deployment())
            scaled["spec"]["replicas"] = 8
            cluster.update(scaled)
        for controller in cluster.controllers:
            kind = "Deployment" if isinstance(controller, DeploymentController) else "ReplicaSet"
            for obj in cluster.view.list(kind):
                key = ObjKey.of(obj)
                result = controller.reconcile(cluster.view, key, cluster.now_ms)
                if not result.actions:
                    continue
                cluster.apply(result)
                again = controller.reconcile(cluster.view, key, cluster.now_ms)
                assert again.actions == [], f"{controller.name} on {key} acted twice: {again.actions}"
                checked += 1
        cluster.view._now_ms += SECOND
        cluster.kubelet()
    assert checked > 20
    assert len(cluster.pods("nginx:1.26")) == 8
