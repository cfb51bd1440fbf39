"""From a URL to a pod: the hops a request takes through the simulated cluster.

* **Names.** The laptop knows ``localhost`` and — like a hosts file the
  sandbox keeps for you — every host named in an Ingress rule (pointing at
  the ingress controller). A pod resolves through cluster DNS (``dns``).
* **Entry points.** ``localhost:<nodePort>`` and ``<nodeIP>:<nodePort>`` hit
  kube-proxy's NodePort rules (every node, K8S_FACTS §5.4; the laptop acts as
  one more node on which every endpoint is local, like the course's
  single-node Docker Desktop); port 80 of a node or localhost is the ingress
  controller; a LoadBalancer IP reaches the Service's port; a ClusterIP or pod
  IP only routes from inside the cluster — from the laptop it times out.
* **kube-proxy** picks the endpoint (``proxy``); a Service without usable
  endpoints is REJECTed (connection refused); ``externalTrafficPolicy:
  Local`` on a node without a local endpoint, an unknown ClusterIP port or
  ``internalTrafficPolicy: Local`` without a local endpoint drop the packet
  (timeout). With ``Cluster`` the source is SNAT-ed to the node; with
  ``Local`` the client IP is kept.
"""

from __future__ import annotations

from typing import Any

from cluster.core.objects import Obj, name_of, namespace_of
from cluster.networking import backends as bk
from cluster.networking import dns, proxy
from cluster.networking.addresses import API_SERVER_IP, API_SERVER_PORT, LOCALHOST_NAMES, bridge_ip, is_ip
from cluster.networking.apps import HttpResponse, api_server_plain_http, error_page
from cluster.networking.backends import Backend
from cluster.networking.delivery import deliver
from cluster.networking.ingress import declared_hosts
from cluster.networking.ingress import match as match_ingress
from cluster.networking.network import Call, Client, Network, Outcome
from cluster.networking.records import TrafficRecord

NODE_PORT_MIN, NODE_PORT_MAX = 30000, 32767
LOOPBACK = "127.0.0.1"
INGRESS_SERVER = "nginx"
CROSS_NODE_MS = 1


def resolve_host(net: Network, client: Client, host: str) -> tuple[str, ...]:
    """The addresses ``host`` resolves to for ``client`` (empty: could not resolve)."""
    host = host.strip("[]").lower()
    if host in LOCALHOST_NAMES:
        return (LOOPBACK,)
    if is_ip(host):
        return (host,)
    if client.in_cluster:
        answer = dns.resolve(net.view, host, client.namespace)
        return answer.ips if answer is not None else ()
    return (LOOPBACK,) if host in declared_hosts(net.ingresses) else ()


def send(net: Network, client: Client, call: Call, at_ms: int, record: bool = True) -> Outcome:
    """Send one request; returns what came back and which way it went (and records it for the page)."""
    out = Outcome(port=call.port)
    addresses = resolve_host(net, client, call.host)
    if not addresses:
        out.fail("resolve")
    else:
        out.ip = addresses[int(net.state.proxy_config().get("seq", 0)) % len(addresses)]
        _connect(net, client, call, out.ip, at_ms, out)
    if record:
        net.state.record(**record_fields(client, call, out, at_ms))
    return out


def record_fields(client: Client, call: Call, out: Outcome, at_ms: int) -> dict[str, Any]:
    from cluster.networking.network import failure_text

    fields: TrafficRecord = {
        "at_ms": at_ms,
        "client": client.label,
        "entry": out.entry or f"{call.host}:{call.port}",
        "node": out.node,
        "service": out.service,
        "namespace": out.namespace,
        "pod": out.pod,
        "pod_ip": out.pod_ip,
        "status": out.status,
        "latency_ms": out.latency_ms,
        "method": call.method,
        "path": call.path,
        "error": failure_text(out, call.host) if out.exit_code else "",
    }
    if out.ingress:
        fields["ingress"] = out.ingress
    return fields


def _connect(net: Network, client: Client, call: Call, ip: str, at_ms: int, out: Outcome) -> None:
    if ip == LOOPBACK:
        if client.in_cluster:
            _to_own_pod(net, client, call, at_ms, out)
        else:
            _node_entry(net, client, call, "localhost", f"{call.host}:{call.port}", at_ms, out)
        return
    if ip in net.nodes_by_ip:
        _node_entry(net, client, call, net.nodes_by_ip[ip], f"{ip}:{call.port}", at_ms, out)
        return
    if (svc := net.by_lb_ip(ip)) is not None:
        _service_entry(net, client, call, svc, f"{ip}:{call.port}", at_ms, out, external=True)
        return
    if client.in_cluster and (svc := net.by_cluster_ip(ip)) is not None:
        _service_entry(net, client, call, svc, f"{ip}:{call.port}", at_ms, out, external=False)
        return
    if client.in_cluster and (pod := net.pod_by_ip(ip)) is not None:
        out.entry, out.node = f"{ip}:{call.port}", str((pod.get("spec") or {}).get("nodeName") or "")
        deliver(net, pod, call.port, call, client.ip, at_ms, out, _hop(client, out.node))
        return
    out.entry = f"{ip}:{call.port}"
    out.fail("timeout")


def _hop(client: Client, node: str) -> int:
    return 0 if client.node == node else CROSS_NODE_MS


def _to_own_pod(net: Network, client: Client, call: Call, at_ms: int, out: Outcome) -> None:
    pod = net.view.get("Pod", client.namespace, client.pod)
    out.entry, out.node = f"localhost:{call.port}", client.node
    if pod is None:
        out.fail("refused")
        return
    deliver(net, pod, call.port, call, LOOPBACK, at_ms, out)


def _node_entry(net: Network, client: Client, call: Call, node: str, entry: str, at_ms: int, out: Outcome) -> None:
    """A connection to a node (or the laptop): NodePort rules, the ingress controller, the API server."""
    out.entry, out.node = entry, node
    port = call.port
    if NODE_PORT_MIN <= port <= NODE_PORT_MAX and (found := net.by_node_port(port)) is not None:
        svc, sp = found
        policy = (svc.get("spec") or {}).get("externalTrafficPolicy", "Cluster")
        local = node if policy == "Local" and node != "localhost" else None
        _route_service(net, client, call, svc, sp, at_ms, out, local_node=local, snat=policy != "Local")
        return
    if port == 80:
        _ingress(net, client, call, at_ms, out)
        return
    if port == API_SERVER_PORT and net.node_ip(node) == API_SERVER_IP:
        _api_server(net, call, at_ms, out)
        return
    out.fail("refused")


def _service_entry(
    net: Network, client: Client, call: Call, svc: Obj, entry: str, at_ms: int, out: Outcome, external: bool
) -> None:
    """A connection to a Service's virtual IP (LoadBalancer ingress IP or ClusterIP) on its ``port``."""
    out.entry, out.node = entry, client.node
    sp = bk.port_by_number(svc, call.port)
    if sp is None:
        out.service, out.namespace = name_of(svc), namespace_of(svc)
        out.fail("timeout")
        return
    spec = svc.get("spec") or {}
    if external:
        policy = spec.get("externalTrafficPolicy", "Cluster")
        _route_service(net, client, call, svc, sp, at_ms, out, local_node=None, snat=policy != "Local")
        return
    local = client.node if spec.get("internalTrafficPolicy") == "Local" else None
    _route_service(net, client, call, svc, sp, at_ms, out, local_node=local, snat=False)


def _route_service(
    net: Network,
    client: Client,
    call: Call,
    svc: Obj,
    sp: dict[str, Any],
    at_ms: int,
    out: Outcome,
    local_node: str | None,
    snat: bool,
) -> None:
    out.service, out.namespace = name_of(svc), namespace_of(svc)
    every = net.backends(svc, sp)
    candidates = bk.usable(every)
    if not candidates:
        out.fail("refused")  # kube-proxy REJECTs traffic to a Service with no endpoints
        return
    if local_node is not None:
        candidates = bk.local_only(every, local_node)
        if not candidates:
            out.fail("timeout")  # Local policy: a node without a local endpoint drops the packet
            return
    chain = f"{out.namespace}/{out.service}:{sp.get('port')}"
    config = net.state.proxy_config()
    backend = proxy.choose(
        config,
        chain,
        candidates,
        client_ip=client.ip,
        now_ms=at_ms,
        salt=net.state.salt,
        affinity_s=proxy.affinity_seconds(svc),
    )
    _to_backend(net, client, call, backend, at_ms, out, snat)


def _source_ip(net: Network, client: Client, backend: Backend, entry_node: str, snat: bool) -> str:
    """The source address the pod sees: masqueraded to the node unless the client IP is preserved."""
    if not snat or client.in_cluster:
        return client.ip
    node_name = backend.node if entry_node == "localhost" else entry_node
    if node_name == backend.node:
        node = net.view.get("Node", "", node_name)
        return bridge_ip(node) if node is not None else client.ip
    return net.node_ip(node_name) or client.ip


def _to_backend(
    net: Network, client: Client, call: Call, backend: Backend, at_ms: int, out: Outcome, snat: bool
) -> None:
    entry_node = out.node
    if out.node == "localhost" or not out.node:
        out.node = backend.node
    if not backend.pod:
        out.pod_ip = backend.ip
        if backend.ip == API_SERVER_IP:
            _api_server(net, call, at_ms, out)
        else:
            out.fail("timeout")
        return
    pod = net.view.get("Pod", backend.namespace, backend.pod)
    if pod is None:
        out.pod_ip = backend.ip
        out.fail("refused")
        return
    hop = 0 if entry_node in ("localhost", backend.node) else CROSS_NODE_MS
    source = _source_ip(net, client, backend, entry_node, snat)
    deliver(net, pod, backend.port, call, source, at_ms, out, hop)


def _api_server(net: Network, call: Call, at_ms: int, out: Outcome) -> None:
    """kube-apiserver speaks only TLS: a plain-HTTP request gets its one-line 400."""
    out.pod_ip = API_SERVER_IP
    out.response, out.latency_ms = api_server_plain_http(), 2


# -- the ingress controller ------------------------------------------------------------------------------------
def _ingress(net: Network, client: Client, call: Call, at_ms: int, out: Outcome) -> None:
    out.entry = "ingress"
    route = match_ingress(net.ingresses, call.host_header, call.path)
    if route is None:
        out.response, out.latency_ms = error_page(404, INGRESS_SERVER, at_ms), 1
        return
    out.ingress = f"{route.namespace}/{route.ingress}"
    out.service, out.namespace = route.service, route.namespace
    svc = net.view.get("Service", route.namespace, route.service)
    sp = _ingress_port(svc, route.port_number, route.port_name) if svc is not None else None
    candidates = bk.usable(net.backends(svc, sp)) if svc is not None and sp is not None else []
    if svc is None or sp is None or not candidates:
        out.response, out.latency_ms = error_page(503, INGRESS_SERVER, at_ms), 1
        return
    config = net.state.proxy_config()
    cursors = config.setdefault("rr", {})
    chain = f"ingress:{route.namespace}/{route.service}:{sp.get('port')}"
    backend, cursors[chain] = proxy.pick_round_robin(candidates, int(cursors.get(chain, 0)))
    _proxied(net, client, call, backend, at_ms, out)


def _ingress_port(svc: Obj, number: int | None, name: str) -> dict[str, Any] | None:
    if number is not None:
        return bk.port_by_number(svc, number)
    return next((p for p in bk.service_ports(svc) if p.get("name") == name), None)


def _proxied(net: Network, client: Client, call: Call, backend: Backend, at_ms: int, out: Outcome) -> None:
    """nginx proxies to the pod: upstream failures become 502, and its own Server/Date headers replace the app's."""
    pod = net.view.get("Pod", backend.namespace, backend.pod) if backend.pod else None
    out.node = backend.node
    if pod is None:
        out.response, out.latency_ms = error_page(502, INGRESS_SERVER, at_ms), 1
        return
    node = net.view.get("Node", "", backend.node)
    forwarded = Call(
        call.host,
        call.port,
        call.path,
        call.method,
        [*call.headers, ("X-Forwarded-For", client.ip), ("X-Real-IP", client.ip)],
        call.body,
        call.scheme,
        call.user_agent,
    )
    deliver(net, pod, backend.port, forwarded, bridge_ip(node) if node is not None else client.ip, at_ms, out, 1)
    if out.exit_code:
        out.exit_code, out.failure = 0, ""
        out.response = error_page(502, INGRESS_SERVER, at_ms)
        return
    assert out.response is not None
    out.response = _rebrand(out.response)


def _rebrand(response: HttpResponse) -> HttpResponse:
    headers = [(k, v) for k, v in response.headers if k.lower() != "server"]
    return HttpResponse(response.status, [("Server", INGRESS_SERVER), *headers], response.body, response.reason)
