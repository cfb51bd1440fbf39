"""The control-plane engine: a de-duplicated work queue and a timer heap in simulated time.

Like controller-runtime, every store write is fed to each reconciler's
watches, which map it to keys; keys wait in one FIFO queue (a key already
queued is not queued twice, so a burst of 1,000 pod updates reconciles their
ReplicaSet once). ``requeue_after_ms`` puts a key on the timer heap.
``run_until(t)`` drains the queue, then fires timers in time order, moving
the simulated clock to each timer as it fires — nothing ever sleeps.
"""

from __future__ import annotations

import heapq
import logging
from collections import OrderedDict
from collections.abc import Iterable

from cluster.apiserver.context import RequestContext
from cluster.apiserver.server import ApiServer
from cluster.core import errors
from cluster.core.objects import Obj
from cluster.engine.actions import (
    Action,
    Bind,
    Create,
    Delete,
    ObjKey,
    Patch,
    RecordEvent,
    SetPrivate,
    Trace,
    Update,
    UpdateStatus,
)
from cluster.engine.reconciler import Mapper, Reconciler, self_key
from cluster.engine.recorder import EventRecorder
from cluster.engine.storeview import StoreView

log = logging.getLogger(__name__)

WorkItem = tuple[int, ObjKey]
MAX_RECONCILES_PER_RUN = 500_000
_MAX_ERROR_BACKOFF_MS = 60_000
# Timers fire on 100 ms ticks of simulated time. Everything due in one tick fires together, so a thousand
# kubelets finishing their image pulls within the same tick wake their ReplicaSet once, as informer events
# queue up behind a busy controller in a real cluster (a simplification of when, within 100 ms, a thing happens).
TICK_MS = 100


def status_only_change(old: Obj, new: Obj) -> bool:
    """Whether ``new`` differs from ``old`` only in ``status`` and ``metadata.resourceVersion``.

    Judged by identity, not equality: a status write shares every other
    field of the stored object (and what its metadata holds) with the next
    version, so "the very same data" is exactly what status-blind mappers need.
    """
    for field in old.keys() | new.keys():
        if field != "status" and field != "metadata" and old.get(field, _MISSING) is not new.get(field, _MISSING):
            return False
    old_meta, new_meta = old["metadata"], new["metadata"]
    if old_meta.keys() != new_meta.keys():
        return False
    return all(field == "resourceVersion" or old_meta[field] is value for field, value in new_meta.items())


_MISSING = object()


class Engine:
    def __init__(self, api: ApiServer, reconcilers: Iterable[Reconciler], now_ms: int) -> None:
        self.api = api
        self.now_ms = now_ms
        self.reconcilers: list[Reconciler] = list(reconcilers)
        self.view = StoreView(api.store, lambda: self.now_ms)
        self.recorder = EventRecorder(api)
        # An insertion-ordered set used as a FIFO. OrderedDict, not dict: taking the first key of a plain dict
        # that has had its head deleted many times rescans the emptied slots, which made draining a queue of
        # thousands of keys quadratic.
        self.queue: OrderedDict[WorkItem, None] = OrderedDict()
        self.timers: list[tuple[int, int, int, ObjKey]] = []
        self._timer_due: dict[WorkItem, int] = {}
        self._timer_seq = 0
        self._failures: dict[WorkItem, int] = {}
        self._watchers: dict[str, list[tuple[int, Mapper, bool]]] = {}
        self.reconcile_count = 0
        # Tests want a failing reconciler to fail loudly; a live sandbox logs it and retries instead.
        self.raise_errors = False
        for idx, rec in enumerate(self.reconcilers):
            for watch in rec.watches():
                blind = watch.status_blind or watch.mapper is self_key
                self._watchers.setdefault(watch.kind, []).append((idx, watch.mapper, blind))
        api.store.listeners.append(self._on_change)

    # -- feeding the queue -------------------------------------------------------------------------------
    def _on_change(self, _type: str, old: Obj | None, new: Obj | None) -> None:
        obj = new if new is not None else old
        assert obj is not None
        view, queue = self.view, self.queue
        both = old is not None and new is not None
        status_only = both and status_only_change(old, new)  # type: ignore[arg-type]
        for idx, mapper, blind in self._watchers.get(obj["kind"], ()):
            for key in mapper(view, obj):
                queue.setdefault((idx, key), None)  # enqueue(), inlined: this runs for every watcher of every write
            if both and not (blind and status_only):
                for key in mapper(view, old):  # type: ignore[arg-type]
                    queue.setdefault((idx, key), None)

    def enqueue(self, idx: int, key: ObjKey) -> None:
        self.queue.setdefault((idx, key), None)

    def resync(self) -> None:
        """Queue every object for every watching reconciler (a cold start: the informers' initial list)."""
        for kind, watchers in self._watchers.items():
            for obj in self.api.store.list(kind):
                for idx, mapper, _blind in watchers:
                    for key in mapper(self.view, obj):
                        self.enqueue(idx, key)

    def add_timer(self, idx: int, key: ObjKey, due_ms: int) -> None:
        due_ms = -(-due_ms // TICK_MS) * TICK_MS
        item = (idx, key)
        current = self._timer_due.get(item)
        if current is not None and current <= due_ms:
            return
        self._timer_due[item] = due_ms
        self._timer_seq += 1
        heapq.heappush(self.timers, (due_ms, self._timer_seq, idx, key))

    def next_timer_ms(self, ignore: Iterable[str] = ()) -> int | None:
        """When the earliest live timer is due (of reconcilers not named in ``ignore``); None if there is none.

        ``_timer_due`` holds exactly the live timers (the heap also keeps superseded entries), so it is the
        one to scan.
        """
        names = set(ignore)
        skip = {i for i, r in enumerate(self.reconcilers) if r.name in names}
        return min((d for (idx, _key), d in self._timer_due.items() if idx not in skip), default=None)

    @property
    def idle(self) -> bool:
        return not self.queue

    # -- running ---------------------------------------------------------------------------------------------
    def run_until(self, until_ms: int) -> int:
        """Process all work due up to ``until_ms``; returns how many reconciles ran."""
        ran = 0
        while ran < MAX_RECONCILES_PER_RUN:
            if self.queue:
                self._process(next(iter(self.queue)))
                ran += 1
                continue
            if not self._fire_next_timer(until_ms):
                break
        else:
            log.error("engine: reconcile budget exhausted at %s; a reconciler is not converging", self.now_ms)
        self.now_ms = max(self.now_ms, until_ms)
        return ran

    def step(self, until_ms: int | None = None) -> bool:
        """Run reconciles until one of them acts (or fire the next timer); False when nothing is left."""
        for _ in range(100_000):
            if self.queue:
                if self._process(next(iter(self.queue))):
                    return True
                continue
            if not self._fire_next_timer(until_ms):
                return False
        return False

    def _fire_next_timer(self, until_ms: int | None) -> bool:
        """Fire every live timer of the earliest due tick (≤ ``until_ms``); False if none."""
        fired_at: int | None = None
        while self.timers:
            due, _, idx, key = self.timers[0]
            if (until_ms is not None and due > until_ms) or (fired_at is not None and due != fired_at):
                break
            heapq.heappop(self.timers)
            if self._timer_due.get((idx, key)) != due:
                continue
            del self._timer_due[(idx, key)]
            fired_at = due
            self.now_ms = max(self.now_ms, due)
            self.enqueue(idx, key)
        return fired_at is not None

    def _process(self, item: WorkItem) -> bool:
        del self.queue[item]
        idx, key = item
        rec = self.reconcilers[idx]
        self.reconcile_count += 1
        try:
            result = rec.reconcile(self.view, key, self.now_ms)
        except Exception:
            if self.raise_errors:
                raise
            # Like a controller's recovered panic: log, back off, retry; the control plane keeps running.
            log.exception("engine: %s failed reconciling %s", rec.name, key)
            failures = self._failures.get(item, 0) + 1
            self._failures[item] = failures
            self.add_timer(idx, key, self.now_ms + min(1000 * 2 ** (failures - 1), _MAX_ERROR_BACKOFF_MS))
            return False
        ok = True
        if result.actions:  # most reconciles find nothing to do: no request context for them
            ctx = RequestContext(actor=result.actor or rec.actor, component=rec.name, internal=True)
            ok = self._apply(result.actions, ctx)
        if not ok:
            failures = self._failures.get(item, 0) + 1
            self._failures[item] = failures
            self.add_timer(idx, key, self.now_ms + min(1000 * 2 ** (failures - 1), _MAX_ERROR_BACKOFF_MS))
        else:
            self._failures.pop(item, None)
        if result.requeue_after_ms is not None:
            self.add_timer(idx, key, self.now_ms + max(1, int(result.requeue_after_ms)))
        return bool(result.actions)

    # -- applying actions ------------------------------------------------------------------------------------
    def _apply(self, actions: list[Action], ctx: RequestContext) -> bool:
        """Apply in order; a failed Create turns its following ``{created}`` event into FailedCreate."""
        created_name = ""
        failed_create: errors.ApiError | None = None
        skipped = False
        ok = True
        for action in actions:
            if isinstance(action, RecordEvent):
                if not (skipped and "{created}" in action.message):  # a skipped create has nothing to report
                    self._record(action, ctx, created_name, failed_create)
                continue
            skipped = failed_create is not None and isinstance(action, Create)
            if skipped:
                continue  # slow start: stop creating after the first failure in a batch
            try:
                created_name = self._apply_one(action, ctx) or created_name
                failed_create = None if isinstance(action, Create) else failed_create
            except errors.ApiError as exc:
                ok = False
                if isinstance(action, Create):
                    failed_create = exc
                    created_name = ""
                else:
                    log.debug("engine: %s failed for %s: %s", type(action).__name__, ctx.component, exc.message)
        return ok

    def _record(self, ev: RecordEvent, ctx: RequestContext, created: str, failed: errors.ApiError | None) -> None:
        if "{created}" in ev.message:
            if failed is not None:
                ev = RecordEvent(
                    ev.involved,
                    "Warning",
                    "FailedCreate",
                    f"Error creating: {failed.message}",
                    ev.component,
                    ev.host,
                    ev.field_path,
                )
            else:
                ev = RecordEvent(
                    ev.involved,
                    ev.type,
                    ev.reason,
                    ev.message.replace("{created}", created),
                    ev.component,
                    ev.host,
                    ev.field_path,
                )
        self.recorder.record(ev, ctx)

    def _apply_one(self, action: Action, ctx: RequestContext) -> str:
        api = self.api
        if isinstance(action, Create):
            return str(api.create(action.obj, ctx)["metadata"]["name"])
        if isinstance(action, Update):
            api.update(action.obj, ctx)
        elif isinstance(action, UpdateStatus):
            api.update_status(action.obj, ctx)
        elif isinstance(action, Patch):
            k = action.key
            api.patch(k.kind, k.namespace, k.name, action.patch, action.patch_type, ctx, action.subresource)
        elif isinstance(action, Delete):
            k = action.key
            api.delete(k.kind, k.namespace, k.name, ctx, action.grace_period_seconds, action.propagation, action.uid)
        elif isinstance(action, Bind):
            api.bind(action.key.namespace, action.key.name, action.node, ctx)
        elif isinstance(action, Trace):
            api.tracer.emit(
                self.now_ms,
                action.source,
                action.target,
                action.verb,
                action.text,
                obj=str(action.obj or ""),
                code=f"{action.source.split(':')[0]}.{action.verb}",
                params=action.params,
            )
        elif isinstance(action, SetPrivate):
            api.set_private(action.key, action.data)
        return ""
