"""metrics-server: per pod, container and node usage, as the resource metrics API would serve it.

Consumers are the HPA controller (through a ``View``) and ``kubectl top``
(through the store); both only need ``list``, ``pods_on_node`` and
``private``. What is reported follows metrics-server:

* only containers whose state is ``running`` report, and only once they have
  run for a whole window before the scrape (a container needs two cAdvisor
  samples), so a pod started less than 15 s before the last scrape has no
  metrics yet ("missing" for the HPA, ``metrics not available yet`` for
  ``kubectl top``);
* nothing is reported for pods on a node whose kubelet cannot be scraped
  (stopped, or the node not Ready), and such a node has no node metrics;
* a node's usage is its own baseline plus every running container on it.

The load goes to the container that serves the pod's port (the first one
whose image serves a port or which declares one); side containers idle.
"""

from __future__ import annotations

import builtins
from dataclasses import replace
from fractions import Fraction
from typing import Any, Protocol

from cluster.core.quantity import memory_bytes, parse_quantity
from cluster.core.timefmt import parse_rfc3339
from cluster.engine.actions import ObjKey
from cluster.metrics.model import ContainerUsage, NodeMetrics, PodMetrics
from cluster.metrics.profiles import AppInfo, app_for_image, node_baseline
from cluster.metrics.usage import (
    MIN_SHARES,
    WINDOW_MS,
    Caps,
    container_usage,
    requests_in_window,
    scrape_time,
    share_cpu,
)

Obj = dict[str, Any]
REGISTRY_KEY = ObjKey("ImageRegistry", "", "docker.io")  # where the sandbox keeps pushed images


class Reader(Protocol):
    """The read side both a reconciler's ``View`` and the API server's ``Store`` offer."""

    def list(self, kind: str, namespace: str | None = None) -> list[Obj]: ...

    def pods_on_node(self, node_name: str) -> builtins.list[Obj]: ...

    def private(self, key: ObjKey) -> dict[str, Any] | None: ...


def _running_since(pod: Obj) -> dict[str, int]:
    """Container name -> when its current instance started, for every running container (sidecars included)."""
    status = pod.get("status") or {}
    sidecars = {c.get("name") for c in (pod.get("spec") or {}).get("initContainers") or []
                if c.get("restartPolicy") == "Always"}  # fmt: skip
    statuses = list(status.get("containerStatuses") or [])
    statuses += [s for s in status.get("initContainerStatuses") or [] if s.get("name") in sidecars]
    started: dict[str, int] = {}
    for st in statuses:
        running = (st.get("state") or {}).get("running")
        if running is None or not running.get("startedAt"):
            continue
        try:
            started[str(st.get("name"))] = parse_rfc3339(str(running["startedAt"]))
        except ValueError:
            continue
    return started


def _node_ready(node: Obj) -> bool:
    conditions = (node.get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


class MetricsServer:
    """Answers resource metrics queries for one snapshot of the cluster."""

    def __init__(self, reader: Reader) -> None:
        self._reader = reader
        self._nodes: dict[str, Obj] | None = None
        self._shared: dict[tuple[str, int], dict[str, list[ContainerUsage]]] = {}
        registry = reader.private(REGISTRY_KEY) or {}
        images = registry.get("images")
        self._pushed: dict[str, Any] | None = images if isinstance(images, dict) else None

    # -- nodes ---------------------------------------------------------------------------------------------
    def _node(self, name: str) -> Obj | None:
        if self._nodes is None:
            self._nodes = {n["metadata"]["name"]: n for n in self._reader.list("Node")}
        return self._nodes.get(name)

    def scrapable(self, node_name: str) -> bool:
        """Can metrics-server reach this node's kubelet (it exists, is Ready and its kubelet runs)?"""
        node = self._node(node_name)
        if node is None or not _node_ready(node):
            return False
        return (self._reader.private(ObjKey("Node", "", node_name)) or {}).get("kubeletStoppedAtMs") is None

    def node_metrics(self, node: Obj, now_ms: int) -> NodeMetrics | None:
        name = node["metadata"]["name"]
        if not self.scrapable(name):
            return None
        scrape = scrape_time(now_ms)
        base = node_baseline(node)
        cpu, memory = base.nanocores, base.memory_bytes
        for usages in self._node_usage(name, scrape).values():
            for usage in usages:
                cpu += usage.cpu_nanocores
                memory += usage.memory_bytes
        labels = dict((node.get("metadata") or {}).get("labels") or {})
        return NodeMetrics(name, scrape, WINDOW_MS, cpu, memory, labels)

    def list_node_metrics(self, nodes: list[Obj], now_ms: int) -> list[NodeMetrics]:
        return [m for m in (self.node_metrics(n, now_ms) for n in nodes) if m is not None]

    # -- pods ----------------------------------------------------------------------------------------------
    def pod_metrics(self, pod: Obj, now_ms: int) -> PodMetrics | None:
        """The pod's latest sample, or None while it has none (not running, too new, node unreachable)."""
        node = (pod.get("spec") or {}).get("nodeName")
        if not node or (pod.get("status") or {}).get("phase") != "Running" or not self.scrapable(str(node)):
            return None
        scrape = scrape_time(now_ms)
        running = _running_since(pod)
        started_by = scrape - WINDOW_MS
        shared = self._node_usage(str(node), scrape).get(str((pod.get("metadata") or {}).get("uid", "")), [])
        containers = [u for u in shared if running.get(u.name, started_by + 1) <= started_by]
        if not containers:
            return None
        meta = pod.get("metadata") or {}
        labels = dict(meta.get("labels") or {})
        return PodMetrics(meta.get("namespace", ""), meta.get("name", ""), scrape, WINDOW_MS, tuple(containers), labels)

    def list_pod_metrics(self, pods: list[Obj], now_ms: int) -> list[PodMetrics]:
        return [m for m in (self.pod_metrics(p, now_ms) for p in pods) if m is not None]

    # -- usage ---------------------------------------------------------------------------------------------
    def _node_usage(self, node_name: str, scrape_ms: int) -> dict[str, list[ContainerUsage]]:
        """Every running container's usage on the node, by pod uid, after the node's CPU was shared out."""
        cached = self._shared.get((node_name, scrape_ms))
        if cached is not None:
            return cached
        demands: list[tuple[str, ContainerUsage, int]] = []
        for pod in self._reader.pods_on_node(node_name):
            specs = self._container_specs(pod)
            for usage in self._usage(pod, scrape_ms, started_by=None):
                demands.append((str(pod["metadata"].get("uid", "")), usage, _request_millis(specs.get(usage.name))))
        node = self._node(node_name)
        capacity = self._node_cpu_nanocores(node_name)
        if node is not None and capacity is not None:
            capacity -= node_baseline(node).nanocores
            given = share_cpu([u.cpu_nanocores for _, u, _ in demands], [w for _, _, w in demands], capacity)
            demands = [(uid, replace(u, cpu_nanocores=cpu), w) for (uid, u, w), cpu in zip(demands, given, strict=True)]
        out: dict[str, list[ContainerUsage]] = {}
        for uid, usage, _ in demands:
            out.setdefault(uid, []).append(usage)
        self._shared[(node_name, scrape_ms)] = out
        return out

    def _usage(self, pod: Obj, scrape_ms: int, started_by: int | None) -> list[ContainerUsage]:
        """Usage over the window ending at ``scrape_ms`` of the running containers (started by ``started_by``)."""
        running = _running_since(pod)
        if started_by is not None:
            running = {n: t for n, t in running.items() if t <= started_by}
        if not running:
            return []
        specs = self._container_specs(pod)
        serving = self._serving_container(pod, running)
        traffic = (self._reader.private(ObjKey.of(pod)) or {}).get("traffic")
        requests = requests_in_window(traffic, scrape_ms - WINDOW_MS, scrape_ms)
        node_cpu = self._node_cpu_nanocores(str((pod.get("spec") or {}).get("nodeName") or ""))
        out = []
        for name in [n for n in specs if n in running]:
            spec = specs[name]
            app = self._app(spec)
            cpu, memory = container_usage(app.profile, requests if name == serving else 0, WINDOW_MS,
                                          _caps(spec, node_cpu))  # fmt: skip
            out.append(ContainerUsage(name, cpu, memory))
        return out

    def _app(self, container: Obj) -> AppInfo:
        return app_for_image(str(container.get("image") or ""), self._pushed)

    @staticmethod
    def _container_specs(pod: Obj) -> dict[str, Obj]:
        spec = pod.get("spec") or {}
        out = {str(c.get("name")): c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"}
        out.update({str(c.get("name")): c for c in spec.get("containers") or []})
        return out

    def _serving_container(self, pod: Obj, running: dict[str, int]) -> str | None:
        containers = [c for c in (pod.get("spec") or {}).get("containers") or [] if c.get("name") in running]
        for c in containers:
            if c.get("ports") or self._app(c).ports:
                return str(c["name"])
        return str(containers[0]["name"]) if containers else None

    def _node_cpu_nanocores(self, node_name: str) -> int | None:
        node = self._node(node_name)
        cpu = ((node or {}).get("status") or {}).get("allocatable", {}).get("cpu")
        return _nanocores(cpu) if cpu is not None else None


def _nanocores(quantity: Any) -> int | None:
    try:
        return int(parse_quantity(quantity) * Fraction(10**9))
    except ValueError:
        return None


def _request_millis(container: Obj | None) -> int:
    """The container's ``cpu.shares`` weight: its CPU request in millicores (at least the kernel's minimum)."""
    cpu = ((container or {}).get("resources") or {}).get("requests", {}).get("cpu")
    nanocores = _nanocores(cpu) if cpu is not None else None
    return max(MIN_SHARES, (nanocores or 0) // 1_000_000)


def _caps(container: Obj, node_cpu: int | None) -> Caps:
    limits = (container.get("resources") or {}).get("limits") or {}
    cpu = _nanocores(limits["cpu"]) if "cpu" in limits else node_cpu
    memory: int | None = None
    if "memory" in limits:
        try:
            memory = memory_bytes(limits["memory"])
        except ValueError:
            memory = None
    return Caps(cpu, memory)
