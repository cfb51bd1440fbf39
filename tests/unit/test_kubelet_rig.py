"""A minimal engine around ``FakeView`` for driving the kubelet alone (shared by the kubelet tests).

It applies the kubelet's actions the way the engine does (status PUTs, private
state, the final delete), requeues keys through the kubelet's own watches and
fires its ``requeue_after_ms`` timers in simulated time, recording events and
trace steps with the time they happened. Every reconcile is followed by a
second one at the same instant that must return no actions: the fixed-point
property is checked on every single step.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

from cluster.core.objects import Obj, clone
from cluster.core.timefmt import rfc3339
from cluster.engine.actions import Delete, ObjKey, RecordEvent, Result, SetPrivate, Trace, UpdateStatus
from cluster.kubelet import Kubelet, new_node
from tests.unit.fakes import FakeView

START_MS = 1_764_044_333_000


@dataclass
class Seen:
    at_ms: int
    event: RecordEvent

    @property
    def text(self) -> str:
        return f"{self.event.type} {self.event.reason} {self.event.message}"


@dataclass
class Rig:
    view: FakeView
    kubelet: Kubelet = field(default_factory=Kubelet)
    events: list[Seen] = field(default_factory=list)
    traces: list[tuple[int, Trace]] = field(default_factory=list)
    timers: list[tuple[int, int, ObjKey]] = field(default_factory=list)
    queue: list[ObjKey] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    rv: int = 1
    seq: int = 0
    check_fixed_point: bool = True

    @property
    def now(self) -> int:
        return self.view.now_ms

    # -- objects ------------------------------------------------------------------------------------------------
    def put(self, obj: Obj) -> None:
        self.rv += 1
        obj["metadata"]["resourceVersion"] = str(self.rv)
        old = self.view.get_key(ObjKey.of(obj))
        self.view.add(obj)
        self._changed(old)
        self._changed(obj)

    def _changed(self, obj: Obj | None) -> None:
        if obj is None:
            return
        for watch in self.kubelet.watches():
            if watch.kind == obj["kind"]:
                for key in watch.mapper(self.view, obj):
                    if key not in self.queue:
                        self.queue.append(key)

    def pod(self, name: str = "app", node: str = "worker-1", **spec: Any) -> ObjKey:
        """Create a pod already bound to ``node`` (as the scheduler leaves it)."""
        containers = spec.pop("containers", None) or [{"name": name, "image": spec.pop("image", "nginx:1.25")}]
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": name,
                "namespace": "default",
                "uid": f"uid-{name}",
                "creationTimestamp": rfc3339(self.now),
            },
            "spec": {"containers": containers, "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, **spec},
            "status": {
                "phase": "Pending",
                "qosClass": "BestEffort",
                "conditions": [
                    {
                        "type": "PodScheduled",
                        "status": "True",
                        "lastProbeTime": None,
                        "lastTransitionTime": rfc3339(self.now),
                    }
                ],
            },
        }
        if node:
            pod["spec"]["nodeName"] = node
        self.put(pod)
        return ObjKey.of(pod)

    def get(self, key: ObjKey) -> Obj:
        obj = self.view.get_key(key)
        assert obj is not None, f"{key} is gone"
        return obj

    def delete(self, key: ObjKey, grace: int | None = None) -> None:
        """A user's DELETE of a running pod: mark it terminating, as the API server does."""
        pod = clone(self.get(key))
        seconds = pod["spec"].get("terminationGracePeriodSeconds", 30) if grace is None else grace
        pod["metadata"]["deletionTimestamp"] = rfc3339(self.now + seconds * 1000)
        pod["metadata"]["deletionGracePeriodSeconds"] = seconds
        self.put(pod)

    def set_private(self, key: ObjKey, data: dict[str, Any] | None) -> None:
        if data is None:
            self.view.privates.pop(key, None)
        else:
            self.view.privates[key] = data

    # -- running ------------------------------------------------------------------------------------------------
    def _apply(self, result: Result) -> None:
        for action in result.actions:
            if isinstance(action, RecordEvent):
                self.events.append(Seen(self.now, action))
            elif isinstance(action, Trace):
                self.traces.append((self.now, action))
            elif isinstance(action, SetPrivate):
                self.set_private(action.key, action.data)
            elif isinstance(action, UpdateStatus):
                current = clone(self.get(ObjKey.of(action.obj)))
                assert current["metadata"]["resourceVersion"] == action.obj["metadata"]["resourceVersion"], "stale PUT"
                current["status"] = clone(action.obj["status"])
                self.put(current)
            elif isinstance(action, Delete):
                current = self.get(action.key)
                assert action.grace_period_seconds == 0 and action.uid == current["metadata"]["uid"]
                self.view.remove(action.key)
                self.view.privates.pop(action.key, None)
                self._changed(current)
            else:
                raise AssertionError(f"unexpected action {action!r}")

    def reconcile(self, key: ObjKey) -> Result:
        result = self.kubelet.reconcile(self.view, key, self.now)
        self.results.append(result)
        self._apply(result)
        if result.requeue_after_ms is not None:
            self.seq += 1
            heapq.heappush(self.timers, (self.now + result.requeue_after_ms, self.seq, key))
        if self.check_fixed_point and result.actions:
            again = self.kubelet.reconcile(self.view, key, self.now)
            assert again.actions == [], f"not a fixed point at {self.now - START_MS} ms: {again.actions}"
        return result

    def drain(self) -> None:
        while self.queue:
            self.reconcile(self.queue.pop(0))

    def run_until(self, until_ms: int) -> None:
        self.drain()
        while self.timers and self.timers[0][0] <= until_ms:
            due, _, key = heapq.heappop(self.timers)
            self.view._now_ms = max(self.now, due)
            self.reconcile(key)
            self.drain()
        self.view._now_ms = max(self.now, until_ms)

    def advance(self, ms: int) -> None:
        self.run_until(self.now + ms)

    # -- reading ------------------------------------------------------------------------------------------------
    def container(self, key: ObjKey, index: int = 0) -> dict[str, Any]:
        return dict(self.get(key)["status"]["containerStatuses"][index])

    def waiting_reason(self, key: ObjKey, index: int = 0) -> str:
        return str(self.container(key, index)["state"].get("waiting", {}).get("reason", ""))

    def condition(self, key: ObjKey, ctype: str) -> dict[str, Any]:
        return next(c for c in self.get(key)["status"]["conditions"] if c["type"] == ctype)

    def reasons(self, since_ms: int = 0) -> list[str]:
        return [s.event.reason for s in self.events if s.at_ms >= since_ms]

    def texts(self, reason: str) -> list[tuple[int, str]]:
        return [(s.at_ms - START_MS, s.event.message) for s in self.events if s.event.reason == reason]


def make_rig(nodes: int = 2, images: dict[str, list[dict[str, Any]]] | None = None) -> Rig:
    """A rig with ``worker-1`` … ``worker-N`` registered and Ready at ``START_MS``."""
    view = FakeView([], START_MS)
    rig = Rig(view)
    for i in range(1, nodes + 1):
        node = new_node(f"worker-{i}", i, START_MS)
        node["metadata"]["uid"] = f"node-uid-{i}"
        node["status"]["images"] = clone((images or {}).get(node["metadata"]["name"], []))
        rig.put(node)
    rig.drain()
    return rig
