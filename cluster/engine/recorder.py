"""An event recorder like client-go's: one ``v1 Event`` per distinct occurrence, repeats counted.

Events are API objects written through the API server. client-go's
``EventCorrelator`` shapes what reaches them, and so does this recorder:

- **Counting**: a repeat of the same (involved object, type, reason, message,
  source) bumps ``count`` and ``lastTimestamp`` of the existing Event instead
  of creating another, which is what makes ``describe`` show ``63s (x3 over 8h)``.
- **Aggregation**: from the tenth *different* message of the same source,
  object, type and reason within ten minutes, the events are folded into one
  ``(combined from similar events): <latest message>`` Event that counts up
  (a ReplicaSet creating twenty pods shows nine ``Created pod`` lines and one
  combined line ``x11``).
- **Spam filter**: each (source, object) pair may record a burst of 25 events,
  then one more per 5 minutes; the rest are dropped, as client-go drops them. A
  controller failing in a tight loop (a quota refusing every create) cannot
  fill the store with Events.

The caches behind aggregation and the spam filter live in memory, as they do in
client-go: a restarted controller manager or kubelet starts them afresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

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


# client-go tools/record/events_cache.go defaults.
AGGREGATE_MAX_EVENTS = 10
AGGREGATE_INTERVAL_MS = 600_000
SPAM_BURST = 25
SPAM_REFILL_MS = 300_000  # one token per 5 minutes (qps 1/300)
COMBINED_PREFIX = "(combined from similar events): "


@dataclass
class _Similar:
    """Distinct messages seen for one aggregation key, and when the last one came."""

    messages: set[str] = field(default_factory=set)
    last_ms: int = 0


@dataclass
class _Bucket:
    """A token bucket of the spam filter, refilled in simulated time."""

    tokens: float
    at_ms: int


LRU_ENTRIES = 4096
_K = TypeVar("_K")
_V = TypeVar("_V")


def _lru_get(cache: dict[_K, _V], key: _K) -> _V | None:
    value = cache.pop(key, None)
    if value is not None:
        cache[key] = value  # most recently used last
    return value


def _lru_put(cache: dict[_K, _V], key: _K, value: _V) -> None:
    cache.pop(key, None)
    cache[key] = value
    if len(cache) > LRU_ENTRIES:
        del cache[next(iter(cache))]


class EventRecorder:
    def __init__(self, api: ApiServer) -> None:
        self.api = api
        self._index: dict[tuple[str, ...], ObjKey] = {}
        # client-go keeps these three in LRU caches of 4,096 entries; so do we (insertion-ordered dicts).
        self._observed: dict[tuple[str, ...], tuple[int, str]] = {}
        self._similar: dict[tuple[str, ...], _Similar] = {}
        self._buckets: dict[tuple[str, ...], _Bucket] = {}
        self._seq = 0

    def _signature(self, ev: RecordEvent, message: str) -> tuple[str, ...]:
        meta = ev.involved.get("metadata", {})
        return (meta.get("uid", ""), ev.type, ev.reason, message, ev.component, ev.host, ev.field_path)

    def _aggregate(self, ev: RecordEvent, now: int) -> tuple[str, tuple[str, ...]]:
        """The message to record and the key to count it under (``EventAggregator.EventAggregate``)."""
        uid = ev.involved.get("metadata", {}).get("uid", "")
        key = (ev.component, ev.host, uid, ev.type, ev.reason)
        similar = _lru_get(self._similar, key)
        if similar is None or now - similar.last_ms > AGGREGATE_INTERVAL_MS:
            similar = _Similar()
            _lru_put(self._similar, key, similar)
        similar.last_ms = now
        similar.messages.add(ev.message)
        if len(similar.messages) < AGGREGATE_MAX_EVENTS:
            return ev.message, self._signature(ev, ev.message)
        return COMBINED_PREFIX + ev.message, ("combined", *key)

    def _allowed(self, ev: RecordEvent, now: int) -> bool:
        """``EventSourceObjectSpamFilter``: a burst of 25 per source and object, then one per 5 minutes."""
        key = (ev.component, ev.host, ev.involved.get("metadata", {}).get("uid", ""))
        bucket = _lru_get(self._buckets, key)
        if bucket is None:
            bucket = _Bucket(float(SPAM_BURST), now)
            _lru_put(self._buckets, key, bucket)
        bucket.tokens = min(float(SPAM_BURST), bucket.tokens + (now - bucket.at_ms) / SPAM_REFILL_MS)
        bucket.at_ms = now
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True

    def record(self, ev: RecordEvent, ctx: RequestContext) -> None:
        now = self.api.clock()
        stamp = rfc3339(now)
        message, sig = self._aggregate(ev, now)
        # Like client-go's eventLogger, every occurrence is counted, including the ones the spam filter then
        # keeps from the API server: the next write carries the whole count ("x201 over 52m").
        seen = _lru_get(self._observed, sig)
        count, first = (seen[0] + 1, seen[1]) if seen else (1, stamp)
        _lru_put(self._observed, sig, (count, first))
        if not self._allowed(ev, now):
            return
        key = self._index.get(sig)
        existing = self.api.store.get(key) if key else None
        try:
            if existing is not None:
                updated = dict(existing)
                updated["count"] = count
                updated["lastTimestamp"] = stamp
                updated["message"] = message
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
                "message": message,
                "source": {"component": ev.component, **({"host": ev.host} if ev.host else {})},
                "firstTimestamp": first,
                "lastTimestamp": stamp,
                "count": count,
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
        self._observed.clear()
        for ev in self.api.store.list("Event"):
            inv = ev.get("involvedObject", {})
            src = ev.get("source", {})
            sig: tuple[str, ...] = (
                inv.get("uid", ""),
                ev.get("type", ""),
                ev.get("reason", ""),
                ev.get("message", ""),
                src.get("component", ""),
                src.get("host", ""),
                inv.get("fieldPath", ""),
            )
            if sig[3].startswith(COMBINED_PREFIX):
                sig = ("combined", sig[4], sig[5], sig[0], sig[1], sig[2])
            self._index[sig] = ObjKey.of(ev)
            _lru_put(self._observed, sig, (int(ev.get("count") or 1), str(ev.get("firstTimestamp") or "")))
