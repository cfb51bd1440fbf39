"""The scheduler's informer cache: node totals kept current from watch events instead of recounted.

kube-scheduler never re-adds up a node's pods per decision; its cache is
updated by the pod and node informers and snapshotted at the start of each
cycle. Here the engine calls the scheduler's watch mappers on every Pod
write, and the mappers call ``sync_pod``: the entry for that pod is replaced
by what the view now holds (bound and not Succeeded/Failed, or nothing).
A decision then costs O(nodes), not O(pods) — what lets 1,000 replicas
schedule in well under a second.

The cache is only trusted for the view whose writes it has seen: the first
event from a view rebuilds it from that view's current pods, and a
reconcile against any other view (a unit test's ``FakeView``) computes from
scratch instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cluster.engine.actions import ObjKey
from cluster.engine.view import View
from cluster.scheduler.nodeinfo import NodeBase, NodeInfo, NodeTotals, PodInfo, PodInfoCache

Obj = dict[str, Any]
TERMINAL_PHASES = ("Succeeded", "Failed")


def bound_node(pod: Obj | None) -> str:
    """The node whose resources the pod holds: its nodeName unless it is gone or terminal."""
    if pod is None or (pod.get("status") or {}).get("phase") in TERMINAL_PHASES:
        return ""
    return str((pod.get("spec") or {}).get("nodeName") or "")


class SchedulerCache:
    def __init__(self) -> None:
        self.infos = PodInfoCache()
        self.view: View | None = None
        self._pods: dict[ObjKey, tuple[str, PodInfo]] = {}
        self._totals: dict[str, NodeTotals] = {}
        self._bases: dict[tuple[str, str, str], NodeBase] = {}
        self.parked: set[ObjKey] = set()  # pending pods whose last attempt failed
        # Bumped whenever a node or the totals of bound pods change: an unschedulable pod whose
        # spec and this number are unchanged would get the very same verdict again.
        self.generation = 0

    # -- feeding ---------------------------------------------------------------------------------------------
    def attach(self, view: View, is_parked: Callable[[Obj], bool]) -> None:
        """Start trusting events from ``view``: rebuild everything from its current pods."""
        self.view = view
        self.generation += 1
        self._pods.clear()
        self._totals.clear()
        self.parked.clear()
        for pod in view.list("Pod"):
            self._sync(ObjKey.of(pod), pod, is_parked)

    def sync_pod(self, view: View, key: ObjKey, is_parked: Callable[[Obj], bool]) -> None:
        """Make the entry for ``key`` match the view (called for every Pod write)."""
        if view is not self.view:
            self.attach(view, is_parked)
            return
        self._sync(key, view.get_key(key), is_parked)

    def _sync(self, key: ObjKey, pod: Obj | None, is_parked: Callable[[Obj], bool]) -> None:
        node = bound_node(pod)
        entry = (node, self.infos.get(pod)) if pod is not None and node else None
        old = self._pods.get(key)
        if entry != old:
            self.generation += 1
            if old is not None:
                del self._pods[key]
                self._totals[old[0]].remove(old[1])
            if entry is not None:
                self._pods[key] = entry
                self._totals.setdefault(entry[0], NodeTotals()).add(entry[1])
        if pod is not None and is_parked(pod):
            self.parked.add(key)
        else:
            self.parked.discard(key)

    def node_changed(self) -> None:
        self.generation += 1

    # -- reading ---------------------------------------------------------------------------------------------
    def holds(self, key: ObjKey) -> bool:
        """Whether the pod is counted on a node (bound and not terminal)."""
        return key in self._pods

    def trusted(self, view: View) -> bool:
        return view is self.view

    def node_base(self, node: Obj) -> NodeBase:
        meta = node.get("metadata") or {}
        key = (meta.get("name") or "", meta.get("uid") or "", meta.get("resourceVersion") or "")
        base = self._bases.get(key)
        if base is None or not key[2]:
            if len(self._bases) > 10_000:
                self._bases.clear()
            base = self._bases[key] = NodeBase.of(node)
        return base

    def snapshot(self, nodes: list[Obj]) -> list[NodeInfo]:
        """NodeInfos sharing the cached totals (read-only for the plugins)."""
        out = []
        for node in nodes:
            base = self.node_base(node)
            out.append(NodeInfo(base, self._totals.get(base.name) or NodeTotals()))
        return out
