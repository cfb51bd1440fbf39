"""An event recorder like client-go's: one ``v1 Event`` per distinct occurrence, repeats counted.

Events are API objects written through the API server. A repeat of the same
(involved object, type, reason, message, source) bumps ``count`` and
``lastTimestamp`` of the existing Event instead of creating another, which is
what makes ``describe`` show ``63s (x3 over 8h)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cluster.apiserver.context import RequestContext
from cluster.core import errors
from cluster.core.objects import Obj
from cluster.core.timefmt import rfc3339
from cluster.engine.actions import ObjKey, RecordEvent

if TYPE_CHECKING:
    from cluster.apiserver.server import ApiServer


def _involved(obj: Obj, field_path: str) -> dict[str, str]:
    meta = obj.get("metadata", {})
    ref = {
        "apiVersion": obj.get("apiVersion", "v1"),
        "kind": obj.get("kind", ""),
        "name": meta.get("name", ""),
        "namespace": meta.get("namespace", ""),
        "uid": meta.get("uid", ""),
        "resourceVersion": meta.get("resourceVersion", ""),
    }
    if not ref["namespace"]:
        ref.pop("namespace")
    if field_path:
        ref["fieldPath"] = field_path
    return ref


class EventRecorder:
    def __init__(self, api: ApiServer) -> None:
        self.api = api
        self._index: dict[tuple[str, ...], ObjKey] = {}
        self._seq = 0

    def _signature(self, ev: RecordEvent) -> tuple[str, ...]:
        meta = ev.involved.get("metadata", {})
        return (meta.get("uid", ""), ev.type, ev.reason, ev.message, ev.component, ev.host, ev.field_path)

    def record(self, ev: RecordEvent, ctx: RequestContext) -> None:
        now = self.api.clock()
        stamp = rfc3339(now)
        sig = self._signature(ev)
        key = self._index.get(sig)
        existing = self.api.store.get(key) if key else None
        try:
            if existing is not None:
                updated = dict(existing)
                updated["count"] = int(existing.get("count", 1)) + 1
                updated["lastTimestamp"] = stamp
                updated["metadata"] = dict(existing["metadata"])
                self.api.update(updated, ctx)
                return
            self._seq += 1
            namespace = ev.involved.get("metadata", {}).get("namespace") or "default"
            name = f"{ev.involved.get('metadata', {}).get('name', 'unknown')}.{now * 1_000_000 + self._seq:x}"
            event: Obj = {
                "apiVersion": "v1",
                "kind": "Event",
                "metadata": {"name": name, "namespace": namespace},
                "involvedObject": _involved(ev.involved, ev.field_path),
                "reason": ev.reason,
                "message": ev.message,
                "source": {"component": ev.component, **({"host": ev.host} if ev.host else {})},
                "firstTimestamp": stamp,
                "lastTimestamp": stamp,
                "count": 1,
                "type": ev.type,
                "eventTime": None,
                "reportingComponent": ev.component,
                "reportingInstance": ev.host,
            }
            created = self.api.create(event, ctx, handed_over=True)  # built here, for this request only
            self._index[sig] = ObjKey.of(created)
        except errors.ApiError:
            # Like client-go, a failure to record an event never fails the controller.
            return

    def rebuild(self) -> None:
        """After a cold start, re-learn which Events exist so repeats keep counting."""
        self._index.clear()
        for ev in self.api.store.list("Event"):
            inv = ev.get("involvedObject", {})
            src = ev.get("source", {})
            sig = (
                inv.get("uid", ""),
                ev.get("type", ""),
                ev.get("reason", ""),
                ev.get("message", ""),
                src.get("component", ""),
                src.get("host", ""),
                inv.get("fieldPath", ""),
            )
            self._index[sig] = ObjKey.of(ev)
