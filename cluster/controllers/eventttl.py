"""Event TTL: Events expire one hour after they last happened.

kube-apiserver stores Events with an etcd lease of ``--event-ttl`` (default
1 h), so ``kubectl get events`` only ever shows the last hour and an
Event's expiry moves forward each time it repeats (its ``lastTimestamp`` and
``count`` are bumped). The sandbox models the lease with one timer per Event:
the key is the Event, and it is deleted once ``now`` reaches the last
occurrence plus the TTL.

Simplification: the expiry is computed from ``lastTimestamp`` (falling back
to ``eventTime`` or creation time) rather than from the time of the last
write, which is the same thing for recorder-written Events.
"""

from __future__ import annotations

from cluster.controllers.podutil import parse_time_ms
from cluster.core.objects import Obj, uid_of
from cluster.engine.actions import Delete, ObjKey, Result
from cluster.engine.reconciler import Watch, self_key
from cluster.engine.view import View

EVENT_TTL_MS = 60 * 60 * 1000


def last_seen_ms(event: Obj) -> int | None:
    for value in (
        event.get("lastTimestamp"),
        event.get("eventTime"),
        event.get("metadata", {}).get("creationTimestamp"),
    ):
        parsed = parse_time_ms(value)
        if parsed is not None:
            return parsed
    return None


class EventTTLController:
    name = "event-ttl"
    actor = "api-server"

    def watches(self) -> list[Watch]:
        return [Watch("Event", self_key)]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        event = view.get_key(key)
        if event is None:
            return Result()
        seen = last_seen_ms(event)
        expires = (seen if seen is not None else now_ms) + EVENT_TTL_MS
        if now_ms >= expires:
            return Result([Delete(key, uid=uid_of(event))])
        return Result(requeue_after_ms=expires - now_ms)
