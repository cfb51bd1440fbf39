"""An in-memory simulated cluster: store + API server + engine + every reconciler.

This is the pure core assembled. Tests, benchmarks and the Django shell all
use it; the shell adds persistence (load/flush rows) and wall-clock pacing
around it. ``SimCluster.new`` boots what ``kubeadm init`` plus two joined
workers would show: a tainted control-plane node, Ready workers with their
own pod CIDRs, the four system namespaces and the ``kubernetes`` Service.
"""

from __future__ import annotations

import builtins
import weakref
from collections.abc import Iterable
from typing import Any

from cluster.apiserver.context import RequestContext
from cluster.apiserver.server import ApiServer
from cluster.apiserver.store import Store
from cluster.core.ids import IdSource
from cluster.core.kinds import KindRegistry
from cluster.core.objects import Obj
from cluster.engine.actions import ObjKey
from cluster.engine.engine import Engine
from cluster.engine.reconciler import Reconciler
from cluster.engine.trace import Tracer, TraceStep
from cluster.networking.records import TrafficLog

DEFAULT_START_MS = 1_764_044_333_000  # 2025-11-25T04:18:53Z: a fixed epoch for reproducible tests
SYSTEM_NAMESPACES = ("default", "kube-node-lease", "kube-public", "kube-system")
BOOT = RequestContext(actor="bootstrap", component="kubeadm")
# Reconcilers that only do housekeeping: "settled" ignores their timers.
HOUSEKEEPING = ("event-ttl", "horizontal-pod-autoscaler")
# Terminal programs get the API server; this finds the cluster around it (weakly: a dropped cluster may go).
_BY_API: weakref.WeakValueDictionary[int, SimCluster] = weakref.WeakValueDictionary()


def build_registry() -> KindRegistry:
    from cluster.apiserver.builtin import register_builtin_kinds

    registry = KindRegistry()
    register_builtin_kinds(registry)
    return registry


def default_reconcilers() -> list[Reconciler]:
    """Every controller of the simulated control plane, in the order the engine consults them."""
    from cluster.controllers.deployment import DeploymentController
    from cluster.controllers.endpoints import EndpointsController
    from cluster.controllers.endpointslice import EndpointSliceController
    from cluster.controllers.eventttl import EventTTLController
    from cluster.controllers.garbagecollector import GarbageCollector
    from cluster.controllers.kubernetesservice import KubernetesServiceController
    from cluster.controllers.namespace import NamespaceController
    from cluster.controllers.nodelifecycle import NodeLifecycleController, PodGCController
    from cluster.controllers.replicaset import ReplicaSetController
    from cluster.kubelet import Kubelet
    from cluster.scheduler import Scheduler

    reconcilers: list[Any] = [
        DeploymentController(),
        ReplicaSetController(),
        Scheduler(),
        Kubelet(),
        EndpointsController(),
        EndpointSliceController(),
        GarbageCollector(),
        NodeLifecycleController(),
        PodGCController(),
        NamespaceController(),
        EventTTLController(),
        KubernetesServiceController(),
    ]
    import cluster.controllers.hpa  # noqa: F401  (registers the HPA controller)
    from cluster import extensions
    from cluster.networking import register  # noqa: F401  (cloud LB, ingress status and load-generator loops)

    reconcilers.extend(extensions.extra_reconcilers())
    return reconcilers


class SimCluster:
    def __init__(
        self,
        *,
        seed: int = 1,
        now_ms: int = DEFAULT_START_MS,
        quotas: dict[str, int] | None = None,
        resource_version: int = 0,
        id_state: list[object] | None = None,
        trace_seq: int = 0,
        reconcilers: Iterable[Reconciler] | None = None,
        registry: KindRegistry | None = None,
        strict: bool = True,
    ) -> None:
        self.seed = seed
        self.store = Store(resource_version)
        self.ids = IdSource(seed)
        if id_state is not None:
            self.ids.set_state(id_state)
        self.tracer = Tracer(trace_seq)
        self.registry = registry or build_registry()
        self._now_ms = now_ms
        self.api = ApiServer(self.store, self.registry, self.ids, self.tracer, lambda: self.engine.now_ms, quotas)
        self.engine = Engine(self.api, reconcilers if reconcilers is not None else default_reconcilers(), now_ms)
        self.engine.raise_errors = strict
        # ``traffic.request`` records (curl, load runs) waiting to be published, drained like the tracer.
        self.traffic = TrafficLog()
        for rec in self.engine.reconcilers:
            if hasattr(rec, "traffic_log"):
                rec.traffic_log = self.traffic
        _BY_API[id(self.api)] = self

    @classmethod
    def of(cls, api: object) -> SimCluster | None:
        """The cluster whose API server is ``api`` (how a terminal program reaches the traffic log and engine)."""
        cluster = _BY_API.get(id(api))
        return cluster if cluster is not None and cluster.api is api else None

    def wake(self, reconciler: str, key: ObjKey) -> bool:
        """Queue ``key`` for the reconciler named ``reconciler`` now (a program started work it must pick up)."""
        for idx, rec in enumerate(self.engine.reconcilers):
            if rec.name == reconciler:
                self.engine.enqueue(idx, key)
                return True
        return False

    # -- construction --------------------------------------------------------------------------------------
    @classmethod
    def new(
        cls,
        seed: int = 1,
        nodes: int = 2,
        start_ms: int = DEFAULT_START_MS,
        quotas: dict[str, int] | None = None,
        strict: bool = True,
    ) -> SimCluster:
        cluster = cls(seed=seed, now_ms=start_ms, quotas=quotas, strict=strict)
        cluster.bootstrap(nodes)
        return cluster

    def bootstrap(self, workers: int) -> None:
        from cluster.bootstrap import bootstrap_objects

        self.tracer.enabled = False
        for obj in bootstrap_objects(workers, self.now_ms):
            self.api.create(obj, BOOT)
        self.tracer.enabled = True
        self.engine.run_until(self.now_ms)

    @classmethod
    def restore(
        cls,
        *,
        seed: int,
        now_ms: int,
        objects: Iterable[Obj],
        privates: dict[ObjKey, dict[str, Any]],
        resource_version: int,
        id_state: list[object] | None,
        trace_seq: int = 0,
        quotas: dict[str, int] | None = None,
        strict: bool = False,
    ) -> SimCluster:
        """Rebuild from persisted rows; every object is queued once (level-triggered: it simply converges)."""
        cluster = cls(
            seed=seed,
            now_ms=now_ms,
            quotas=quotas,
            resource_version=resource_version,
            id_state=id_state,
            trace_seq=trace_seq,
            strict=strict,
        )
        cluster.store.load(objects, privates)
        cluster.store.oldest_rv = resource_version
        cluster.engine.recorder.rebuild()
        cluster.engine.resync()
        return cluster

    # -- time ------------------------------------------------------------------------------------------------
    @property
    def now_ms(self) -> int:
        return self.engine.now_ms

    def run_until(self, until_ms: int) -> int:
        return self.engine.run_until(until_ms)

    def advance(self, ms: int) -> int:
        return self.engine.run_until(self.now_ms + max(0, int(ms)))

    def settle(self, limit_ms: int = 600_000) -> int:
        """Run until no work is due except housekeeping, or ``limit_ms`` of simulated time have passed."""
        deadline = self.now_ms + limit_ms
        ran = self.engine.run_until(self.now_ms)
        while True:
            due = self.engine.next_timer_ms(ignore=HOUSEKEEPING)
            if due is None or due > deadline:
                return ran
            ran += self.engine.run_until(due)

    def step(self) -> bool:
        return self.engine.step()

    # -- conveniences for tests and the CLI ----------------------------------------------------------------
    def get(self, kind: str, namespace: str, name: str) -> Obj | None:
        return self.store.get(ObjKey(kind, namespace, name))

    def list(self, kind: str, namespace: str | None = None) -> list[Obj]:
        return self.store.list(kind, namespace)

    def events(self, namespace: str | None = None) -> builtins.list[Obj]:
        items = self.store.list("Event", namespace)
        return sorted(items, key=lambda e: (e.get("lastTimestamp") or "", e["metadata"]["name"]))

    @property
    def trace(self) -> builtins.list[TraceStep]:
        return self.tracer.steps
