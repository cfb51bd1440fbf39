"""Fault injection for the cluster map's buttons: break something, then watch the control loops repair it.

Every fault goes the way it would in a real cluster, so the map animates the
same hops a learner would see on their own: deleting a pod, cordoning and
draining a node are ``kubectl`` requests to the API server (run through the
sandbox's own kubectl, actor ``kubectl``); a crashing container, a dead
kubelet and a slow registry are not API requests at all, so they are written
to the private state the kubelet and the node lifecycle controller read, and
the affected reconcilers are woken.

Simplifications: "crash" makes every running container of the pod exit with
code 1 now (the app died, ``reason: Error``); "fail node" stops the node's
kubelet (``kubeletStoppedAtMs``), the node lifecycle controller does the rest
50 s later; "slow image pull" adds ``SLOW_PULL_MS`` to every pull the node's
kubelet starts from now on (``slowPullMs`` in the node's private state).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cluster.controllers.nodelifecycle import STOPPED_AT
from cluster.engine.actions import ObjKey
from cluster.kubelet.state import PRIVATE_KEY
from cluster.sim import SimCluster

SLOW_PULL_KEY = "slowPullMs"
SLOW_PULL_MS = 30_000
KUBELET = "kubelet"
Fault = Callable[[SimCluster, str], None]


class FaultError(ValueError):
    """The fault cannot be injected (unknown target, malformed target, a kubectl error)."""


def _split(target: str) -> tuple[str, str]:
    """``namespace/name`` (or a bare ``name`` in ``default``)."""
    namespace, _, name = target.rpartition("/")
    if not name:
        raise FaultError(f"invalid target {target!r}")
    return namespace or "default", name


def _kubectl(cluster: SimCluster, line: str) -> None:
    from cluster.kubectl.base import Env
    from cluster.kubectl.shell import run_line

    output = run_line(Env(api=cluster.api, now_ms=lambda: cluster.now_ms), line)
    if output.exit_code != 0:
        raise FaultError("\n".join(output.stderr) or f"{line} failed")


def _node(cluster: SimCluster, name: str) -> ObjKey:
    if cluster.get("Node", "", name) is None:
        raise FaultError(f'node "{name}" not found')
    return ObjKey("Node", "", name)


def _merge_private(cluster: SimCluster, key: ObjKey, **values: Any) -> None:
    """Set keys of an object's private state, keeping the rest (the kubelet's IPAM cursor lives there)."""
    private = dict(cluster.store.private(key) or {})
    for name, value in values.items():
        if value is None:
            private.pop(name, None)
        else:
            private[name] = value
    cluster.api.set_private(key, private)


def delete_pod(cluster: SimCluster, target: str) -> None:
    """``kubectl delete pod NAME -n NAMESPACE`` (graceful: the pod turns Terminating)."""
    namespace, name = _split(target)
    _kubectl(cluster, f"kubectl delete pod {name} -n {namespace} --wait=false")


def crash_container(cluster: SimCluster, target: str) -> None:
    """Every running container of the pod exits with code 1 now; the kubelet restarts it per restartPolicy."""
    namespace, name = _split(target)
    key = ObjKey("Pod", namespace, name)
    state = (cluster.store.private(key) or {}).get(PRIVATE_KEY)
    if cluster.store.get(key) is None or state is None:
        raise FaultError(f'pod "{name}" is not running on a node')
    crashed = 0
    for rec in state.get("containers") or []:
        if rec.get("stage") == "running":
            rec.update(exitAtMs=cluster.now_ms, exitCode=1, killAtMs=None)
            crashed += 1
    if not crashed:
        raise FaultError(f'pod "{name}" has no running container')
    _merge_private(cluster, key, **{PRIVATE_KEY: state})
    cluster.wake(KUBELET, key)


def fail_node(cluster: SimCluster, target: str) -> None:
    """Stop the node's kubelet: no more status, no more pods started there."""
    key = _node(cluster, target)
    _merge_private(cluster, key, **{STOPPED_AT: cluster.now_ms})
    cluster.engine.resync()


def recover_node(cluster: SimCluster, target: str) -> None:
    """Start the node's kubelet again (and give it a normal registry)."""
    key = _node(cluster, target)
    _merge_private(cluster, key, **{STOPPED_AT: None, SLOW_PULL_KEY: None})
    cluster.engine.resync()


def cordon_node(cluster: SimCluster, target: str) -> None:
    _node(cluster, target)
    _kubectl(cluster, f"kubectl cordon {target}")


def uncordon_node(cluster: SimCluster, target: str) -> None:
    _node(cluster, target)
    _kubectl(cluster, f"kubectl uncordon {target}")


def drain_node(cluster: SimCluster, target: str) -> None:
    """``kubectl drain NODE --ignore-daemonsets --delete-emptydir-data --force``."""
    _node(cluster, target)
    _kubectl(cluster, f"kubectl drain {target} --ignore-daemonsets --delete-emptydir-data --force")


def slow_image_pull(cluster: SimCluster, target: str) -> None:
    """Pulls the node's kubelet starts from now on take ``SLOW_PULL_MS`` longer."""
    key = _node(cluster, target)
    _merge_private(cluster, key, **{SLOW_PULL_KEY: SLOW_PULL_MS})


FAULTS: dict[str, Fault] = {
    "delete-pod": delete_pod,
    "crash-container": crash_container,
    "fail-node": fail_node,
    "recover-node": recover_node,
    "cordon-node": cordon_node,
    "uncordon-node": uncordon_node,
    "drain-node": drain_node,
    "slow-image-pull": slow_image_pull,
}


def inject(cluster: SimCluster, action: str, target: str) -> None:
    """Run the fault named ``action`` against ``target`` (a node name, or ``namespace/name`` of a pod)."""
    fault = FAULTS.get(action)
    if fault is None:
        raise FaultError(f"unknown fault {action!r} (one of {', '.join(FAULTS)})")
    fault(cluster, target)
