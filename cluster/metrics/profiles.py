"""What each built-in app and each node costs in CPU and memory, idle and under load.

metrics-server reports what cAdvisor measured in the container's cgroup. The
sandbox runs no processes, so usage is *derived*: every app gets a profile
(idle CPU and memory, CPU time per request, memory per request/second of
load) and the load comes from the traffic counters the traffic model keeps
per pod. ``registry.k8s.io/hpa-example`` is the famous CPU hog of the HPA
walkthrough: every request burns ~50 ms of CPU in a PHP loop, so ten
requests a second keep half a core busy.

Nodes report more than their pods: the kubelet, containerd and the system
slice on a worker, and additionally etcd, the API server, the scheduler and
the controller manager on the control-plane node (they run as static pods
there; the sandbox draws them as boxes on the map instead).

Simplification: the numbers are plausible orders of magnitude for these
images, not measurements; usage is a deterministic function of load (no
noise), so what a learner sees can be explained from the load alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cluster.core.ids import stable_random
from cluster.kubelet.images import lookup

Obj = dict[str, Any]

KI = 1024
MI = 1024 * KI
CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane"


@dataclass(frozen=True)
class AppProfile:
    """Resource cost of one container running an app.

    ``cpu_ns_per_request`` is CPU time per request, so a rate of ``r``
    requests/s adds ``r × cpu_ns_per_request`` nanocores; ``bytes_per_rps``
    is the memory each request/s of sustained load keeps resident (workers,
    buffers).
    """

    idle_nanocores: int
    idle_bytes: int
    cpu_ns_per_request: int = 0
    bytes_per_rps: int = 0


PROFILES: dict[str, AppProfile] = {
    "nginx": AppProfile(600_000, 3 * MI + 256 * KI, 250_000, 16 * KI),
    "httpd": AppProfile(800_000, 7 * MI + 512 * KI, 500_000, 128 * KI),
    "hostname": AppProfile(1_400_000, 21 * MI, 2_000_000, 256 * KI),
    "echo": AppProfile(300_000, 2 * MI + 128 * KI, 150_000, 8 * KI),
    "cpu-hog": AppProfile(900_000, 9 * MI + 640 * KI, 50_000_000, 1 * MI),
    "redis": AppProfile(2_100_000, 3 * MI + 384 * KI, 50_000, 4 * KI),
    "crasher": AppProfile(500_000, 1 * MI),
    "": AppProfile(0, 400 * KI),  # busybox / alpine running a shell or `sleep`
}
# An image the sandbox does not know the app of (e.g. a user image pushed without one).
DEFAULT_PROFILE = AppProfile(1_000_000, 5 * MI, 1_000_000, 64 * KI)


@dataclass(frozen=True)
class AppInfo:
    """The app an image runs and the ports it serves (the container that answers the pod's requests)."""

    app: str
    ports: tuple[int, ...]

    @property
    def profile(self) -> AppProfile:
        return PROFILES.get(self.app, DEFAULT_PROFILE)


UNKNOWN_APP = AppInfo("?", ())


@lru_cache(maxsize=256)
def _builtin_app(image: str) -> AppInfo:
    info = lookup(image)
    return UNKNOWN_APP if info is None else AppInfo(info.app, info.ports)


def app_for_image(image: str, pushed: dict[str, Any] | None = None) -> AppInfo:
    """The app behind ``image``, looking in the sandbox's pushed images as well as the built-in registry."""
    if pushed:
        info = lookup(image, pushed)
        return UNKNOWN_APP if info is None else AppInfo(info.app, info.ports)
    return _builtin_app(image)


@dataclass(frozen=True)
class NodeBaseline:
    """What a node uses with no pods at all: system daemons (and, on the control plane, its components)."""

    nanocores: int
    memory_bytes: int


CONTROL_PLANE_BASELINE = NodeBaseline(142_000_000, 610 * MI)
WORKER_BASELINE = NodeBaseline(27_000_000, 205 * MI)


def node_baseline(node: Obj) -> NodeBaseline:
    """The node's own usage: the role's baseline plus a small offset fixed per node, so nodes differ a little."""
    labels = (node.get("metadata") or {}).get("labels") or {}
    base = CONTROL_PLANE_BASELINE if CONTROL_PLANE_LABEL in labels else WORKER_BASELINE
    rng = stable_random("node-baseline", (node.get("metadata") or {}).get("name", ""))
    return NodeBaseline(base.nanocores + rng.randrange(0, 9_000_000), base.memory_bytes + rng.randrange(0, 24 * MI))
