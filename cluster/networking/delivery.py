"""The last hop: a connection arrives at ``podIP:port`` and the container's process answers (or does not).

Nothing listening on the port, or the process already gone → the kernel
refuses the connection (curl exit 7). A process that is stopped while the
request is in flight closes the socket without a reply — a graceful SIGTERM
exit gives curl ``(52) Empty reply from server``, a SIGKILL ``(56) Recv
failure: Connection reset by peer``. Otherwise the app's response comes back
after its latency, and the pod's counters and access log are updated.

Latency: each app has a base cost plus a little jitter; ``cpu-hog`` spends
50 ms of CPU per request, divided by its CPU limit (at most one core), and
once the last second's requests need more CPU than the limit allows, each
request takes that many times longer (the CFS quota shared by all of them) —
so an overloaded HPA target visibly slows down until new replicas take a
share. Simplification: arrivals are treated as evenly spaced, so there is no
queueing below saturation.
"""

from __future__ import annotations

from cluster.core.objects import Obj, name_of, namespace_of
from cluster.core.quantity import cpu_millis
from cluster.engine.actions import ObjKey
from cluster.networking import accesslog, counters
from cluster.networking.apps import BASE_LATENCY_MS, App, HttpRequest, PodInfo, respond
from cluster.networking.containers import container_state, serving_container
from cluster.networking.network import Call, Network, Outcome
from cluster.networking.proxy import draw

CPU_HOG_COST_MS = 50
MAX_OVERLOAD = 20.0


def _cores(pod: Obj, container: str) -> float:
    for c in (pod.get("spec") or {}).get("containers") or []:
        if c.get("name") == container:
            limit = ((c.get("resources") or {}).get("limits") or {}).get("cpu")
            if limit:
                try:
                    return max(0.001, min(1.0, cpu_millis(limit) / 1000))
                except ValueError:
                    return 1.0
    return 1.0


def latency_ms(net: Network, app: App, pod: Obj, container: str, at_ms: int) -> int:
    base = BASE_LATENCY_MS.get(app.kind, 2)
    jitter = draw(net.state.salt, int(net.state.proxy_config().get("seq", 0)), 63)
    if app.kind != "cpu-hog":
        return base + int(jitter * base)
    cores = _cores(pod, container)
    rate = counters.rate_last_second(net.state.traffic(pod), at_ms)
    demand = min(MAX_OVERLOAD, rate * CPU_HOG_COST_MS / (cores * 1000))
    return int(CPU_HOG_COST_MS / cores * max(1.0, demand) * (1 + jitter * 0.2))


def request_for(call: Call, client_ip: str) -> HttpRequest:
    headers = [("Host", call.host_header), ("User-Agent", call.user_agent), ("Accept", "*/*")]
    headers = [(k, v) for k, v in headers if not call.header(k)] + call.headers
    return HttpRequest(call.method, call.path, call.host_header, headers, call.body, client_ip)


def deliver(
    net: Network, pod: Obj, port: int, call: Call, client_ip: str, at_ms: int, out: Outcome, hop_ms: int = 0
) -> Outcome:
    """Hand the connection to whatever listens on ``port`` in ``pod``; fills ``out``."""
    ip = str((pod.get("status") or {}).get("podIP") or "")
    out.pod, out.namespace, out.pod_ip = name_of(pod), namespace_of(pod), ip
    found = serving_container(pod, port, net.pushed)
    if found is None:
        return out.fail("refused")
    container, app = found
    out.container = container
    state = container_state(net.view.private(ObjKey.of(pod)), container)
    if not state.running or (state.stop_at_ms is not None and state.stop_at_ms <= at_ms):
        return out.fail("refused")
    latency = latency_ms(net, app, pod, container, at_ms) + hop_ms
    out.latency_ms = latency
    traffic = net.state.traffic(pod)
    if state.stop_at_ms is not None and state.stop_at_ms < at_ms + latency:
        counters.count(traffic, at_ms, errors=1, latency_ms=latency)
        return out.fail("reset" if state.signal == "SIGKILL" else "empty")
    req = request_for(call, client_ip)
    node = str((pod.get("spec") or {}).get("nodeName") or "")
    response = respond(app, req, PodInfo(name_of(pod), namespace_of(pod), ip, node), at_ms + latency)
    if response is None:
        counters.count(traffic, at_ms, errors=1, latency_ms=latency)
        return out.fail("empty")
    counters.count(traffic, at_ms, errors=int(response.status >= 500), latency_ms=latency)
    line = accesslog.line_for(app.kind, req, response, at_ms + latency)
    if line is not None:
        counters.append_log(traffic, at_ms + latency, container, line)
    out.response = response
    return out
