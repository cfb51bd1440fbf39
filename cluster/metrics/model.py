"""The resource metrics API's objects (``metrics.k8s.io/v1beta1`` PodMetrics and NodeMetrics).

Usage is kept the way metrics-server keeps it: CPU in nanocores, memory in
bytes. Consumers round like the Go ``Quantity`` methods they call:
``kubectl top`` prints ``MilliValue()`` of the summed CPU (rounded *up*, so
an idle nginx at 0.6 millicores shows ``1m``) and ``Value()/2^20`` of memory
(rounded down, ``3Mi``); the HPA sums ``MilliValue()`` per container.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from cluster.core.quantity import format_bytes, format_quantity
from cluster.core.timefmt import rfc3339

Obj = dict[str, Any]
API_VERSION = "metrics.k8s.io/v1beta1"
NANO = 1_000_000_000


def milli_cpu(nanocores: int) -> int:
    """``Quantity.MilliValue()`` of a nanocore count: rounded up."""
    return -(-nanocores // 1_000_000)


def cpu_quantity(nanocores: int) -> str:
    """The canonical quantity string metrics-server sends (``600u``, ``250m``, ``1500m``)."""
    return format_quantity(Fraction(nanocores, NANO))


def window_text(window_ms: int) -> str:
    """A ``metav1.Duration`` as JSON: Go's duration string (``15s``, ``1m0s``)."""
    seconds = window_ms // 1000
    return f"{seconds // 60}m{seconds % 60}s" if seconds >= 60 else f"{seconds}s"


@dataclass(frozen=True)
class ContainerUsage:
    name: str
    cpu_nanocores: int
    memory_bytes: int

    @property
    def cpu_millis(self) -> int:
        return milli_cpu(self.cpu_nanocores)

    def milli_value(self, resource: str) -> int:
        """``usage[resource].MilliValue()`` as the HPA's metrics client reads it (memory in milli-bytes)."""
        if resource == "cpu":
            return self.cpu_millis
        if resource == "memory":
            return self.memory_bytes * 1000
        raise KeyError(resource)

    def to_api(self) -> Obj:
        return {"name": self.name, "usage": {"cpu": cpu_quantity(self.cpu_nanocores),
                                             "memory": format_bytes(self.memory_bytes)}}  # fmt: skip


@dataclass(frozen=True)
class PodMetrics:
    """One pod's sample: when it was taken, over which window, and each reporting container's usage."""

    namespace: str
    name: str
    timestamp_ms: int
    window_ms: int
    containers: tuple[ContainerUsage, ...]
    labels: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def cpu_nanocores(self) -> int:
        return sum(c.cpu_nanocores for c in self.containers)

    @property
    def memory_bytes(self) -> int:
        return sum(c.memory_bytes for c in self.containers)

    @property
    def cpu_millis(self) -> int:
        """What ``kubectl top pod`` prints: the MilliValue of the pod's summed CPU."""
        return milli_cpu(self.cpu_nanocores)

    def container(self, name: str) -> ContainerUsage | None:
        return next((c for c in self.containers if c.name == name), None)

    def to_api(self, now_ms: int) -> Obj:
        return {
            "kind": "PodMetrics",
            "apiVersion": API_VERSION,
            "metadata": {"name": self.name, "namespace": self.namespace, "creationTimestamp": rfc3339(now_ms),
                         "labels": dict(self.labels)},
            "timestamp": rfc3339(self.timestamp_ms),
            "window": window_text(self.window_ms),
            "containers": [c.to_api() for c in self.containers],
        }  # fmt: skip


@dataclass(frozen=True)
class NodeMetrics:
    name: str
    timestamp_ms: int
    window_ms: int
    cpu_nanocores: int
    memory_bytes: int
    labels: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def cpu_millis(self) -> int:
        return milli_cpu(self.cpu_nanocores)

    def to_api(self, now_ms: int) -> Obj:
        return {
            "kind": "NodeMetrics",
            "apiVersion": API_VERSION,
            "metadata": {"name": self.name, "creationTimestamp": rfc3339(now_ms), "labels": dict(self.labels)},
            "timestamp": rfc3339(self.timestamp_ms),
            "window": window_text(self.window_ms),
            "usage": {"cpu": cpu_quantity(self.cpu_nanocores), "memory": format_bytes(self.memory_bytes)},
        }
