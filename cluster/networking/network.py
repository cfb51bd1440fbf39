"""One batch's view of the network: indexes over Services, nodes and pods, and the request/response types.

Built per batch (one ``curl``, one load-generator tick) from the control
plane's objects, so a thousand requests in a tick look the Service up by
NodePort once, not a thousand times; nothing here outlives the batch, so it
can never disagree with the objects it was built from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cluster.core.objects import Obj, labels_of, name_of, namespace_of
from cluster.engine.actions import ObjKey
from cluster.engine.view import View
from cluster.networking import backends as bk
from cluster.networking.addresses import LAPTOP_IP, node_ip
from cluster.networking.apps import HttpResponse
from cluster.networking.ingress import served_ingresses
from cluster.networking.state import NetState

REGISTRY_KEY = ObjKey("ImageRegistry", "", "docker.io")
CURL_USER_AGENT = "curl/8.5.0"


@dataclass(frozen=True)
class Client:
    """Who sends: the learner's laptop, or a pod (``kubectl exec … -- curl``) with its namespace and node."""

    ip: str = LAPTOP_IP
    label: str = "laptop"
    namespace: str = ""
    pod: str = ""
    node: str = ""

    @property
    def in_cluster(self) -> bool:
        return bool(self.pod)


@dataclass
class Call:
    """One HTTP request as the client makes it (``host`` as typed in the URL)."""

    host: str
    port: int = 80
    path: str = "/"
    method: str = "GET"
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: str = ""
    scheme: str = "http"
    user_agent: str = CURL_USER_AGENT

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")

    @property
    def host_header(self) -> str:
        explicit = self.header("Host")
        if explicit:
            return explicit
        default = 443 if self.scheme == "https" else 80
        return self.host if self.port == default else f"{self.host}:{self.port}"


@dataclass
class Outcome:
    """What happened: an HTTP response, or a curl-level failure (``exit_code`` 6/7/28/52/56) and the route taken."""

    port: int
    response: HttpResponse | None = None
    exit_code: int = 0
    failure: str = ""  # "resolve" | "refused" | "timeout" | "empty" | "reset"
    ip: str = ""
    entry: str = ""
    node: str = ""
    service: str = ""
    namespace: str = ""
    pod: str = ""
    pod_ip: str = ""
    container: str = ""
    ingress: str = ""
    latency_ms: int = 0
    notes: list[str] = field(default_factory=list)

    def fail(self, kind: str) -> Outcome:
        self.failure = kind
        self.exit_code = {"resolve": 6, "refused": 7, "timeout": 28, "empty": 52, "reset": 56}[kind]
        self.response = None
        return self

    @property
    def status(self) -> int:
        return self.response.status if self.response is not None else 0


def failure_text(out: Outcome, host: str, elapsed_ms: int = 0) -> str:
    """curl's message for a failed transfer (without the ``curl: (N) `` prefix)."""
    if out.failure == "resolve":
        return f"Could not resolve host: {host}"
    if out.failure == "refused":
        return f"Failed to connect to {host} port {out.port} after {elapsed_ms} ms: Couldn't connect to server"
    if out.failure == "timeout":
        return f"Failed to connect to {host} port {out.port} after {elapsed_ms} ms: Timeout was reached"
    if out.failure == "empty":
        return "Empty reply from server"
    if out.failure == "reset":
        return "Recv failure: Connection reset by peer"
    return ""


class Network:
    """Indexes for one batch, plus the batch's mutable state (``NetState``)."""

    def __init__(self, view: View, now_ms: int, state: NetState | None = None) -> None:
        self.view = view
        self.now_ms = now_ms
        self.state = state or NetState(view, now_ms)
        self._nodes: dict[str, str] | None = None
        self._services: list[Obj] | None = None
        self._slices: dict[tuple[str, str], list[Obj]] | None = None
        self._pods_by_ip: dict[str, Obj] | None = None
        self._ingresses: list[Obj] | None = None
        self._backends: dict[tuple[str, str, str], list[bk.Backend]] = {}
        self._pushed: dict[str, Any] | None = None

    @property
    def nodes_by_ip(self) -> dict[str, str]:
        if self._nodes is None:
            self._nodes = {ip: name_of(n) for n in self.view.list("Node") if (ip := node_ip(n))}
        return self._nodes

    def node_ip(self, node: str) -> str:
        return next((ip for ip, name in self.nodes_by_ip.items() if name == node), "")

    @property
    def services(self) -> list[Obj]:
        if self._services is None:
            self._services = [s for s in self.view.list("Service") if not s["metadata"].get("deletionTimestamp")]
        return self._services

    def by_node_port(self, port: int) -> tuple[Obj, dict[str, Any]] | None:
        for svc in self.services:
            if (svc.get("spec") or {}).get("type") in ("NodePort", "LoadBalancer"):
                sp = bk.port_by_node_port(svc, port)
                if sp is not None:
                    return svc, sp
        return None

    def by_cluster_ip(self, ip: str) -> Obj | None:
        return next((s for s in self.services if ip in ((s.get("spec") or {}).get("clusterIPs") or [])), None)

    def by_lb_ip(self, ip: str) -> Obj | None:
        for svc in self.services:
            if (svc.get("spec") or {}).get("type") != "LoadBalancer":
                continue
            ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
            if any(entry.get("ip") == ip for entry in ingress):
                return svc
        return None

    def pod_by_ip(self, ip: str) -> Obj | None:
        if self._pods_by_ip is None:
            self._pods_by_ip = {}
            for pod in self.view.list("Pod"):
                status = pod.get("status") or {}
                if status.get("podIP") and not (pod.get("spec") or {}).get("hostNetwork"):
                    self._pods_by_ip.setdefault(str(status["podIP"]), pod)
        return self._pods_by_ip.get(ip)

    @property
    def ingresses(self) -> list[Obj]:
        if self._ingresses is None:
            self._ingresses = served_ingresses(self.view)
        return self._ingresses

    @property
    def pushed(self) -> dict[str, Any] | None:
        if self._pushed is None:
            images = (self.view.private(REGISTRY_KEY) or {}).get("images")
            self._pushed = images if isinstance(images, dict) else {}
        return self._pushed or None

    def _slices_of(self, namespace: str, service: str) -> list[Obj]:
        if self._slices is None:
            self._slices = {}
            for s in self.view.list("EndpointSlice"):
                owner = labels_of(s).get(bk.SERVICE_NAME_LABEL)
                if owner:
                    self._slices.setdefault((namespace_of(s), owner), []).append(s)
        return self._slices.get((namespace, service), [])

    def backends(self, service: Obj, sp: dict[str, Any]) -> list[bk.Backend]:
        """Every endpoint of the service port (cached for the batch)."""
        key = (namespace_of(service), name_of(service), f"{sp.get('name', '')}/{sp.get('port')}")
        found = self._backends.get(key)
        if found is None:
            found = bk.backends_from(self.view, service, sp, self._slices_of(key[0], key[1]))
            self._backends[key] = found
        return found
