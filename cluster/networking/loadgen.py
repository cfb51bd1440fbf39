"""The load generator: a steady stream of requests through the same routing as ``curl``.

``load start`` stores a run in private state ``LoadGenerator/runs``; this
reconciler wakes every 100 ms tick of simulated time while a run is active
and sends that tick's share of requests (``rps`` × elapsed, evenly spaced, so
totals are exact). Each request goes through kube-proxy, the endpoints and
the pods exactly like a ``curl`` — so the pods' counters (and through them
``kubectl top`` and the HPA) see the load, a deleted pod stops getting
requests the moment it leaves the endpoints, and its replacement takes its
share once Ready. A request still in flight at the end of a tick is settled
at the next one: if its pod was killed meanwhile it fails like a reset
connection.

The page gets sampled ``traffic.request`` records (one per pod and outcome per
tick, at most ``MAX_RECORDS_PER_TICK``) carrying a ``count``; the run's own
tallies and the pods' counters are exact.

Simplification: requests of a run are evenly spaced (no Poisson arrivals);
a gap longer than ``MAX_CATCH_UP_MS`` (the sandbox was not running) is
skipped rather than replayed.
"""

from __future__ import annotations

from typing import Any

from cluster.core.objects import Obj, clone, name_of
from cluster.engine.actions import Action, ObjKey, Result, SetPrivate
from cluster.engine.reconciler import Watch
from cluster.engine.view import View
from cluster.networking import counters, podload
from cluster.networking.containers import container_state
from cluster.networking.network import Call, Client, Network, Outcome, failure_text
from cluster.networking.records import TrafficLog, TrafficRecord
from cluster.networking.routing import send

LOAD_KEY = ObjKey("LoadGenerator", "", "runs")
COMPONENT = "load-generator"
TICK_MS = 100
MAX_CATCH_UP_MS = 5_000
MAX_RECORDS_PER_TICK = 20
KEEP_FINISHED = 10
MAX_LOOP_PER_TICK = 50
Run = dict[str, Any]
Groups = dict[tuple[Any, ...], list[Any]]


def runs_of(private: dict[str, Any] | None) -> dict[str, Run]:
    return dict((private or {}).get("runs") or {})


def active(run: Run) -> bool:
    return run.get("doneMs") is None


def client_of(run: Run) -> Client:
    c = run.get("client") or {}
    return Client(
        str(c.get("ip", "192.168.49.1")),
        f"load/{run['name']}",
        str(c.get("namespace", "")),
        str(c.get("pod", "")),
        str(c.get("node", "")),
    )


def call_of(run: Run) -> Call:
    headers = [(str(k), str(v)) for k, v in run.get("headers") or []]
    return Call(
        run["host"],
        int(run["port"]),
        run.get("path", "/"),
        run.get("method", "GET"),
        headers,
        scheme=run.get("scheme", "http"),
    )


def due_times(run: Run, start_ms: int, end_ms: int) -> list[int]:
    """Send times of the run's requests in ``(start_ms, end_ms]``: request j goes at started + j·1000/rps."""
    origin, rps = int(run["startedAtMs"]), float(run["rps"])
    first = int((start_ms - origin) * rps // 1000) + 1
    last = int((end_ms - origin) * rps // 1000)
    return [origin + int(j * 1000 // rps) for j in range(max(first, 1), last + 1)]


def _bump(table: dict[str, Any], key: str) -> None:
    table[key] = int(table.get(key, 0)) + 1


def _finish(run: Run, ok: bool, outcome: str) -> None:
    """Count one finished request: ``outcome`` is the HTTP status or ``curl:<exit code>``."""
    _bump(run, "ok" if ok else "failed")
    _bump(run.setdefault("byStatus", {}), outcome)


def _settle(net: Network, run: Run, now_ms: int) -> None:
    """Settle requests that were still in flight: fail those whose pod stopped before they finished."""
    pending = []
    for entry in run.get("inflight") or []:
        namespace, pod_name, uid, container, end_ms, status = entry
        if end_ms > now_ms:
            pending.append(entry)
            continue
        pod = net.view.get("Pod", namespace, pod_name)
        alive = pod is not None and pod["metadata"].get("uid") == uid
        state = container_state(net.view.private(ObjKey.of(pod)) if pod is not None and alive else None, container)
        if alive and state.running and (state.stop_at_ms is None or state.stop_at_ms >= end_ms):
            _finish(run, True, str(status))
            continue
        if pod is not None and alive:
            counters.add_errors(net.state.traffic(pod), 1)
        _finish(run, False, "curl:52" if alive and state.signal == "SIGTERM" else "curl:56")
    run["inflight"] = pending


def _send_one(net: Network, run: Run, client: Client, call: Call, at: int, now_ms: int, groups: Groups) -> Outcome:
    out = send(net, client, call, at, record=False)
    _bump(run, "sent")
    run["latencyMsSum"] = int(run.get("latencyMsSum", 0)) + out.latency_ms
    if out.pod:
        _bump(run.setdefault("byPod", {}), out.pod)
    end = at + out.latency_ms
    if out.response is not None and out.pod and end > now_ms:
        pod = net.view.get("Pod", out.namespace, out.pod)
        uid = pod["metadata"].get("uid") if pod is not None else ""
        run.setdefault("inflight", []).append([out.namespace, out.pod, uid, out.container, end, out.status])
    else:
        _finish(run, out.exit_code == 0, str(out.status) if out.exit_code == 0 else f"curl:{out.exit_code}")
    error = failure_text(out, call.host) if out.exit_code else ""
    key = (out.entry, out.node, out.service, out.namespace, out.pod, out.pod_ip, out.status, error)
    group = groups.setdefault(key, [at, 0, 0])
    group[1] += 1
    group[2] += out.latency_ms
    return out


def _send_tick(net: Network, run: Run, times: list[int], now_ms: int, groups: Groups) -> None:
    client, call = client_of(run), call_of(run)
    for at in times:
        _send_one(net, run, client, call, at, now_ms, groups)


def _loop_tick(net: Network, run: Run, start: int, end: int, now_ms: int, groups: Groups) -> None:
    """A closed loop (a pod running ``while …; do wget …; done``): the next request waits for the answer."""
    client, call = client_of(run), call_of(run)
    at, sent = max(int(run.get("nextMs") or start), start), 0
    while at <= end and sent < MAX_LOOP_PER_TICK:
        out = _send_one(net, run, client, call, at, now_ms, groups)
        at += podload.next_delay_ms(run, out.latency_ms, out.failure == "timeout")
        sent += 1
    run["nextMs"] = at


def _records(net: Network, run: Run, groups: Groups) -> None:
    ranked = sorted(groups.items(), key=lambda item: -item[1][1])[:MAX_RECORDS_PER_TICK]
    for (entry, node, service, namespace, pod, pod_ip, status, error), (at, count, latency) in ranked:
        net.state.record(
            at_ms=at,
            client=f"load/{run['name']}",
            entry=entry,
            node=node,
            service=service,
            namespace=namespace,
            pod=pod,
            pod_ip=pod_ip,
            status=status,
            latency_ms=latency // count,
            method=run.get("method", "GET"),
            path=run.get("path", "/"),
            error=error,
            count=count,
            sampled=True,
            run=run["name"],
        )


def advance_run(net: Network, run: Run, now_ms: int) -> None:
    """Send the run's requests due up to ``now_ms`` and settle the ones in flight; updates ``run`` in place."""
    _settle(net, run, now_ms)
    until = run.get("untilMs")
    start = max(int(run.get("sentUntilMs") or run["startedAtMs"]), now_ms - MAX_CATCH_UP_MS)
    end = min(now_ms, int(until)) if until is not None else now_ms
    if end > start:
        groups: Groups = {}
        if run.get("mode") == "loop":
            _loop_tick(net, run, start, end, now_ms, groups)
        else:
            _send_tick(net, run, due_times(run, start, end), now_ms, groups)
        _records(net, run, groups)
        run["sentUntilMs"] = end
    if until is not None and end >= int(until) and not run.get("inflight"):
        run["doneMs"] = int(until)


def _trim(runs: dict[str, Run]) -> dict[str, Run]:
    finished = sorted((r for r in runs.values() if not active(r)), key=lambda r: int(r.get("doneMs") or 0))
    drop = {r["name"] for r in finished[: max(0, len(finished) - KEEP_FINISHED)]}
    return {name: run for name, run in runs.items() if name not in drop}


def _pod_keys(_view: View, pod: Obj) -> list[ObjKey]:
    """Pods running a request loop (``while …; do wget …; done``) drive runs of their own."""
    return [LOAD_KEY] if podload.has_loop(pod) else []


def sync_pod_loops(view: View, runs: dict[str, Run], now_ms: int) -> None:
    """Start a run for each running request-loop container; end the runs whose container stopped."""
    live: set[str] = set()
    for pod in view.list("Pod"):
        if not podload.has_loop(pod):
            continue
        for loop in podload.loops(pod):
            if not podload.loop_running(pod, view.private(ObjKey.of(pod)), loop[0]):
                continue
            name = podload.run_name(pod)
            live.add(name)
            current = runs.get(name)
            if current is None or current.get("podUID") != pod["metadata"].get("uid"):
                runs[name] = podload.new_loop_run(pod, loop, now_ms)
    for name, run in runs.items():
        if run.get("mode") == "loop" and active(run) and name not in live:
            run.update(doneMs=now_ms, inflight=[])


def _namespace_keys(_view: View, namespace: Obj) -> list[ObjKey]:
    """A cold start lists namespaces: that is when an interrupted run picks up again."""
    return [LOAD_KEY] if name_of(namespace) == "default" else []


class LoadGenerator:
    name = COMPONENT
    actor = COMPONENT

    def __init__(self) -> None:
        self.traffic_log: TrafficLog | None = None

    def watches(self) -> list[Watch]:
        return [Watch("Namespace", _namespace_keys), Watch("Pod", _pod_keys)]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        if key != LOAD_KEY:
            return Result()
        private = view.private(LOAD_KEY) or {}
        stored = runs_of(private)
        runs = {name: clone(run) for name, run in stored.items()}
        sync_pod_loops(view, runs, now_ms)
        if not any(active(r) for r in runs.values()):
            changed = runs != stored
            return Result([SetPrivate(LOAD_KEY, {**private, "runs": _trim(runs)})] if changed else [])
        net = Network(view, now_ms)
        for run in runs.values():
            if active(run):
                advance_run(net, run, now_ms)
        records: list[TrafficRecord] = net.state.records
        if self.traffic_log is not None and records:
            self.traffic_log.extend(records)
        actions: list[Action] = [SetPrivate(k, v) for k, v in net.state.writes()]
        actions.append(SetPrivate(LOAD_KEY, {**private, "runs": _trim(runs)}))
        still = any(active(r) for r in runs.values())
        return Result(actions, requeue_after_ms=TICK_MS if still else None, actor=COMPONENT)
