"""The endpoints kube-proxy programs for a Service port, read from EndpointSlices as in 1.32.

kube-proxy watches EndpointSlices (labelled ``kubernetes.io/service-name``)
and, per service port, sends new connections only to endpoints whose
``ready`` condition is true. When none is ready it falls back to endpoints
that are ``serving`` and ``terminating`` (K8S_FACTS §3.5), so a Service whose
last pods are draining keeps answering until they are gone. Endpoints of a
Service without a selector that only exist as a legacy ``Endpoints`` object
(the ``kubernetes`` Service, hand-written Endpoints) are read from there.

Simplification: the EndpointSlice mirroring controller is not simulated;
reading the Endpoints object directly gives the same answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cluster.core.objects import Obj, labels_of, name_of, namespace_of
from cluster.engine.view import View

SERVICE_NAME_LABEL = "kubernetes.io/service-name"


@dataclass(frozen=True)
class Backend:
    """One endpoint of a service port: where a connection is DNAT-ed to."""

    ip: str
    port: int
    namespace: str
    pod: str  # "" when the address is not a pod (the API server, hand-written Endpoints)
    node: str
    ready: bool = True
    serving: bool = True
    terminating: bool = False

    @property
    def address(self) -> str:
        return f"{self.ip}:{self.port}"


def service_ports(service: Obj) -> list[dict[str, Any]]:
    return list((service.get("spec") or {}).get("ports") or [])


def port_by_number(service: Obj, port: int) -> dict[str, Any] | None:
    return next((p for p in service_ports(service) if int(p.get("port", 0)) == port), None)


def port_by_node_port(service: Obj, node_port: int) -> dict[str, Any] | None:
    return next((p for p in service_ports(service) if int(p.get("nodePort") or 0) == node_port), None)


def _slices(view: View, service: Obj) -> list[Obj]:
    name = name_of(service)
    return [
        s for s in view.list("EndpointSlice", namespace_of(service)) if labels_of(s).get(SERVICE_NAME_LABEL) == name
    ]


def _slice_port(slice_obj: Obj, port_name: str, protocol: str) -> int | None:
    for entry in slice_obj.get("ports") or []:
        if str(entry.get("name") or "") == port_name and entry.get("protocol", "TCP") == protocol:
            return int(entry["port"]) if entry.get("port") is not None else None
    return None


def _from_slices(slices: list[Obj], sp: dict[str, Any], namespace: str) -> list[Backend]:
    port_name, protocol = str(sp.get("name") or ""), str(sp.get("protocol") or "TCP")
    out: list[Backend] = []
    for slice_obj in slices:
        number = _slice_port(slice_obj, port_name, protocol)
        if number is None:
            continue
        for ep in slice_obj.get("endpoints") or []:
            cond = ep.get("conditions") or {}
            ref = ep.get("targetRef") or {}
            pod = str(ref.get("name", "")) if ref.get("kind") == "Pod" else ""
            for ip in ep.get("addresses") or []:
                ready = cond.get("ready") is not False
                serving = cond.get("serving", ready) is not False
                terminating = bool(cond.get("terminating"))
                out.append(
                    Backend(ip, number, namespace, pod, str(ep.get("nodeName") or ""), ready, serving, terminating)
                )
    return out


def _from_endpoints(endpoints: Obj, sp: dict[str, Any], namespace: str) -> list[Backend]:
    port_name = str(sp.get("name") or "")
    out: list[Backend] = []
    for subset in endpoints.get("subsets") or []:
        ports = [p for p in subset.get("ports") or [] if str(p.get("name") or "") == port_name]
        if not ports:
            continue
        number = int(ports[0]["port"])
        for ready, key in ((True, "addresses"), (False, "notReadyAddresses")):
            for addr in subset.get(key) or []:
                ref = addr.get("targetRef") or {}
                pod = str(ref.get("name", "")) if ref.get("kind") == "Pod" else ""
                out.append(
                    Backend(str(addr["ip"]), number, namespace, pod, str(addr.get("nodeName") or ""), ready, ready)
                )
    return out


def all_backends(view: View, service: Obj, sp: dict[str, Any]) -> list[Backend]:
    """Every endpoint of the service port, whatever its conditions, sorted by address."""
    return backends_from(view, service, sp, _slices(view, service))


def backends_from(view: View, service: Obj, sp: dict[str, Any], slices: list[Obj]) -> list[Backend]:
    """``all_backends`` given the Service's EndpointSlices (looked up by the caller)."""
    namespace = namespace_of(service)
    found = _from_slices(slices, sp, namespace)
    if not slices:
        endpoints = view.get("Endpoints", namespace, name_of(service))
        if endpoints is not None:
            found = _from_endpoints(endpoints, sp, namespace)
    unique = {(b.ip, b.port): b for b in found}
    return [unique[k] for k in sorted(unique, key=lambda k: (_ip_key(k[0]), k[1]))]


def _ip_key(ip: str) -> tuple[int, ...]:
    return tuple(int(p) for p in ip.split(".") if p.isdigit())


def usable(backends: list[Backend]) -> list[Backend]:
    """What kube-proxy sends new connections to: ready endpoints, else serving ones that are terminating."""
    ready = [b for b in backends if b.ready and not b.terminating]
    if ready:
        return ready
    return [b for b in backends if b.serving and b.terminating]


def local_only(backends: list[Backend], node: str) -> list[Backend]:
    """``externalTrafficPolicy``/``internalTrafficPolicy: Local``: this node's endpoints only."""
    return usable([b for b in backends if b.node == node])
