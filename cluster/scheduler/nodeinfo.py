"""The scheduler's snapshot: per-node aggregates and the pod being scheduled, computed once per decision.

kube-scheduler keeps a ``NodeInfo`` per node (requested resources, the
non-zero requests scoring uses, host ports in use, images present, the pods).
``build_snapshot`` counts them from scratch, O(pods); the reconciler instead
keeps ``NodeTotals`` current from watch events (``cache.py``). Either way a
pod's resource footprint is parsed once per pod (``PodInfoCache``), not once
per decision.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cluster.core.quantity import QuantityError, cpu_millis, memory_bytes, pod_requests
from cluster.scheduler.matching import RequiredNodeAffinity, preferred_terms

Obj = dict[str, Any]
HostPort = tuple[str, str, int]  # (hostIP, protocol, hostPort)

HOSTNAME_LABEL = "kubernetes.io/hostname"
ZONE_LABEL = "topology.kubernetes.io/zone"
# DefaultSelector considers the controllers that own pods by selector; Jobs and DaemonSets are not spread.
SPREAD_OWNER_KINDS = ("ReplicaSet", "ReplicationController", "StatefulSet")
_CACHE_LIMIT = 50_000


@dataclass(frozen=True)
class PodInfo:
    """What the scheduler needs to know about one pod (bound or incoming)."""

    key: str  # namespace/name
    namespace: str
    labels: Mapping[str, str]
    requests: Mapping[str, int]  # fit: cpu in millicores, the rest in whole units
    non_zero_cpu: int  # scoring: a missing container request counts as 100m
    non_zero_memory: int  # ... and as 200Mi
    host_ports: tuple[HostPort, ...]
    spread_key: str | None  # the uid of the owning ReplicaSet/StatefulSet, for default topology spreading
    terminating: bool


def host_ports(pod: Obj) -> tuple[HostPort, ...]:
    """Container ports with a ``hostPort`` (hostIP "" means 0.0.0.0, protocol defaults to TCP)."""
    out = []
    for container in (pod.get("spec") or {}).get("containers") or []:
        for port in container.get("ports") or []:
            number = int(port.get("hostPort") or 0)
            if number > 0:
                out.append((port.get("hostIP") or "0.0.0.0", port.get("protocol") or "TCP", number))
    return tuple(out)


def spread_key(pod: Obj) -> str | None:
    for ref in (pod.get("metadata") or {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return str(ref.get("uid")) if ref.get("kind") in SPREAD_OWNER_KINDS and ref.get("uid") else None
    return None


def _requests(pod: Obj, non_zero: bool) -> dict[str, int]:
    try:
        return pod_requests(pod, non_zero=non_zero)
    except QuantityError:
        return {}  # the API server validates quantities; a malformed one counts as no request


Footprint = tuple[dict[str, int], int, int]  # (requests, non-zero cpu, non-zero memory)


def footprint(pod: Obj) -> Footprint:
    """The resource part of a pod: the costly part to compute, and immutable once the pod exists."""
    non_zero = _requests(pod, True)
    return _requests(pod, False), non_zero.get("cpu", 0), non_zero.get("memory", 0)


def pod_info(pod: Obj, resources: Footprint | None = None) -> PodInfo:
    meta = pod.get("metadata") or {}
    requests, non_zero_cpu, non_zero_memory = resources or footprint(pod)
    return PodInfo(
        key=f"{meta.get('namespace', '')}/{meta.get('name', '')}",
        namespace=meta.get("namespace", ""),
        labels=meta.get("labels") or {},
        requests=requests,
        non_zero_cpu=non_zero_cpu,
        non_zero_memory=non_zero_memory,
        host_ports=host_ports(pod),
        spread_key=spread_key(pod),
        terminating=bool(meta.get("deletionTimestamp")),
    )


class PodInfoCache:
    """Memo of a pod's resource footprint by uid (one per scheduler, i.e. per cluster).

    Container resources cannot change on a live pod (in-place resize is off
    by default in 1.32), so a kubelet status update does not re-parse them.
    """

    def __init__(self) -> None:
        self._footprints: dict[str, Footprint] = {}

    def get(self, pod: Obj) -> PodInfo:
        uid = (pod.get("metadata") or {}).get("uid") or ""
        if not uid:
            return pod_info(pod)
        resources = self._footprints.get(uid)
        if resources is None:
            if len(self._footprints) >= _CACHE_LIMIT:
                self._footprints.clear()
            resources = self._footprints[uid] = footprint(pod)
        return pod_info(pod, resources)


def _allocatable(node: Obj) -> dict[str, int]:
    status = node.get("status") or {}
    values = status.get("allocatable") or status.get("capacity") or {}
    out = {}
    for name, text in values.items():
        try:
            out[name] = cpu_millis(text) if name == "cpu" else memory_bytes(text)
        except QuantityError:
            continue
    return out


def _images(node: Obj) -> dict[str, int]:
    out: dict[str, int] = {}
    for image in (node.get("status") or {}).get("images") or []:
        for name in image.get("names") or []:
            out[name] = int(image.get("sizeBytes") or 0)
    return out


@dataclass
class NodeTotals:
    """What the pods bound to a node add up to; ``remove`` lets a cache keep it current."""

    requested: dict[str, int] = field(default_factory=dict)
    non_zero_cpu: int = 0
    non_zero_memory: int = 0
    pod_count: int = 0
    used_ports: Counter[HostPort] = field(default_factory=Counter)
    spread_counts: dict[str, int] = field(default_factory=dict)
    pods: dict[str, PodInfo] = field(default_factory=dict)

    def add(self, info: PodInfo, sign: int = 1) -> None:
        self.pod_count += sign
        if sign > 0:
            self.pods[info.key] = info
        else:
            self.pods.pop(info.key, None)
        for name, value in info.requests.items():
            self.requested[name] = self.requested.get(name, 0) + sign * value
        self.non_zero_cpu += sign * info.non_zero_cpu
        self.non_zero_memory += sign * info.non_zero_memory
        for port in info.host_ports:
            held = self.used_ports[port] + sign
            if held > 0:
                self.used_ports[port] = held
            else:
                self.used_ports.pop(port, None)
        if info.spread_key and not info.terminating:  # countPodsMatchSelector skips terminating pods
            count = self.spread_counts.get(info.spread_key, 0) + sign
            if count:
                self.spread_counts[info.spread_key] = count
            else:
                self.spread_counts.pop(info.spread_key, None)

    def remove(self, info: PodInfo) -> None:
        self.add(info, -1)


@dataclass(frozen=True)
class NodeBase:
    """The parsed parts of a Node object (memoized per resourceVersion by the scheduler's cache)."""

    node: Obj
    name: str
    labels: Mapping[str, str]
    allocatable: Mapping[str, int]
    images: Mapping[str, int]

    @staticmethod
    def of(node: Obj) -> NodeBase:
        meta = node.get("metadata") or {}
        return NodeBase(node, meta.get("name", ""), meta.get("labels") or {}, _allocatable(node), _images(node))


@dataclass(frozen=True)
class NodeInfo:
    """One node with the totals of the pods bound to it: what every plugin looks at."""

    base: NodeBase
    totals: NodeTotals

    @property
    def node(self) -> Obj:
        return self.base.node

    @property
    def name(self) -> str:
        return self.base.name

    @property
    def labels(self) -> Mapping[str, str]:
        return self.base.labels

    @property
    def allocatable(self) -> Mapping[str, int]:
        return self.base.allocatable

    @property
    def images(self) -> Mapping[str, int]:
        return self.base.images

    def hostname(self) -> str:
        """The hostname topology value; a node missing the kubelet's label is its own domain."""
        return self.labels.get(HOSTNAME_LABEL, self.name)


def build_snapshot(nodes: list[Obj], pods_by_node: Mapping[str, list[Obj]], infos: PodInfoCache) -> list[NodeInfo]:
    """NodeInfos from scratch: O(bound pods)."""
    snapshot = []
    for node in nodes:
        base = NodeBase.of(node)
        totals = NodeTotals()
        for pod in pods_by_node.get(base.name, ()):
            totals.add(infos.get(pod))
        snapshot.append(NodeInfo(base, totals))
    return snapshot


def normalized_image(name: str) -> str:
    """ImageLocality's ``normalizedImageName``: an untagged image means ``:latest``."""
    return name if name.rfind(":") > name.rfind("/") else name + ":latest"


@dataclass(frozen=True)
class IncomingPod:
    """The pod being scheduled, pre-digested for the filter and score plugins."""

    pod: Obj
    info: PodInfo
    balanced_cpu: int  # BalancedAllocation uses the real requests
    balanced_memory: int
    node_name: str
    tolerations: list[Mapping[str, Any]]
    affinity: RequiredNodeAffinity
    preferred: list[tuple[int, Mapping[str, Any]]]
    images: tuple[str, ...]

    @staticmethod
    def of(pod: Obj) -> IncomingPod:
        spec = pod.get("spec") or {}
        info = pod_info(pod)
        containers = list(spec.get("initContainers") or []) + list(spec.get("containers") or [])
        return IncomingPod(
            pod=pod,
            info=info,
            balanced_cpu=info.requests.get("cpu", 0),
            balanced_memory=info.requests.get("memory", 0),
            node_name=spec.get("nodeName") or "",
            tolerations=list(spec.get("tolerations") or []),
            affinity=RequiredNodeAffinity.of(pod),
            preferred=preferred_terms(pod),
            images=tuple(normalized_image(c.get("image") or "") for c in containers),
        )


def image_spread(snapshot: list[NodeInfo]) -> dict[str, int]:
    """How many nodes hold each image name (``ImageStateSummary.NumNodes``)."""
    counts: dict[str, int] = {}
    for info in snapshot:
        for name in info.images:
            counts[name] = counts.get(name, 0) + 1
    return counts
