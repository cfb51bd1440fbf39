"""One HPA sync in progress: the working status, its conditions, and what the sync asks the API server for.

``reconcileAutoscaler`` mutates a copy of the HPA's status as it goes
(``setCondition`` keeps the order in which conditions first appear and
moves ``lastTransitionTime`` only when a condition's status flips), records
events along the way and writes the status once at the end if it changed.
This class is that copy plus the collected actions, in the order they
happen.
"""

from __future__ import annotations

import copy
from typing import Any

from cluster.controllers.hpa.memory import Memory
from cluster.core.timefmt import rfc3339
from cluster.engine.actions import Action, ObjKey, RecordEvent, SetPrivate, UpdateStatus
from cluster.engine.view import View
from cluster.metrics import MetricsServer

Obj = dict[str, Any]
COMPONENT = "horizontal-pod-autoscaler"


class HpaSync:
    def __init__(self, view: View, hpa: Obj, memory: Memory, now_ms: int) -> None:
        self.view = view
        self.hpa = hpa
        self.memory = memory
        self.now_ms = now_ms
        self.original: Obj = hpa.get("status") or {}
        self.status: Obj = copy.deepcopy(self.original)
        self.actions: list[Action] = []
        self._metrics: MetricsServer | None = None

    @property
    def spec(self) -> Obj:
        return self.hpa.get("spec") or {}

    @property
    def namespace(self) -> str:
        return str((self.hpa.get("metadata") or {}).get("namespace", ""))

    @property
    def metrics_server(self) -> MetricsServer:
        if self._metrics is None:
            self._metrics = MetricsServer(self.view)
        return self._metrics

    # -- events and conditions -----------------------------------------------------------------------------
    def event(self, event_type: str, reason: str, message: str) -> None:
        self.actions.append(RecordEvent(self.hpa, event_type, reason, message, COMPONENT))

    def set_condition(self, condition_type: str, status: str, reason: str, message: str) -> None:
        """``setCondition``: update in place, or append; the transition time moves only on a status change."""
        conditions: list[Obj] = self.status.setdefault("conditions", [])
        existing = next((c for c in conditions if c.get("type") == condition_type), None)
        if existing is None:
            existing = {"type": condition_type, "status": ""}
            conditions.append(existing)
        if existing.get("status") != status:
            existing["lastTransitionTime"] = rfc3339(self.now_ms)
        updated = {"type": condition_type, "status": status, "lastTransitionTime": existing.get("lastTransitionTime"),
                   "reason": reason, "message": message}  # fmt: skip
        existing.clear()
        existing.update(updated)

    # -- status ----------------------------------------------------------------------------------------------
    def set_status(self, current: int, desired: int, metric_statuses: list[Obj] | None, rescale: bool) -> None:
        """``setStatus``: replicas and metrics replace the old ones; lastScaleTime moves on a rescale."""
        last_scale = rfc3339(self.now_ms) if rescale else self.status.get("lastScaleTime")
        conditions = self.status.get("conditions")
        status: Obj = {}
        if last_scale:
            status["lastScaleTime"] = last_scale
        if current:
            status["currentReplicas"] = current
        status["desiredReplicas"] = desired
        if metric_statuses:
            status["currentMetrics"] = metric_statuses
        if conditions:
            status["conditions"] = conditions
        self.status = status

    def keep_replicas_set_metrics(self, current: int, metric_statuses: list[Obj] | None) -> None:
        """``setCurrentReplicasAndMetricsInStatus``: the desired count stays what it was."""
        self.set_status(current, int(self.status.get("desiredReplicas") or 0), metric_statuses, False)

    def finish(self) -> list[Action]:
        """The sync's actions, then the status write (only if it changed) and the remembered state."""
        actions = list(self.actions)
        if self.status != self.original:
            updated = copy.deepcopy(self.hpa)
            updated["status"] = self.status
            actions.append(UpdateStatus(updated))
        key = ObjKey.of(self.hpa)
        actions.append(SetPrivate(key, self.memory.merged_into(self.view.private(key))))
        return actions
