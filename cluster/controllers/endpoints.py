"""The Endpoints controller: which pod IPs stand behind a Service (``kubectl get endpoints``).

For a Service with a selector it lists the selected pods of its namespace
that have an IP and are not finished, puts Ready ones in
``subsets[].addresses`` and the others in ``notReadyAddresses`` (all of
them in ``addresses`` with ``publishNotReadyAddresses``), and resolves each
service port's ``targetPort`` per pod: a number is used as is, a name is
looked up among the pod's container ports — a pod without that named port
does not serve that port. Subsets are then packed like the real
``RepackSubsets``: each distinct set of addresses gets one subset with all
ports that share it. Terminating pods are left out (EndpointSlices keep
them with ``terminating: true``).

The Endpoints object is named like the Service, carries the Service's
labels (plus ``service.kubernetes.io/headless`` for headless Services; the
``endpoints.kubernetes.io/managed-by`` label only arrived in 1.33) and the
``endpoints.kubernetes.io/last-change-trigger-time`` annotation. It is written
only when its subsets or labels differ. Services without a selector are left
alone (their Endpoints are the user's); deleting a Service deletes the
Endpoints of that name.

Simplifications: the trigger time is the simulated time of the write (the
real tracker remembers the earliest unprocessed pod/service change); ports
inside a subset keep the Service's port order and subsets are ordered by
their first port (the real sort is by an object hash); no 1000-address
truncation.
"""

from __future__ import annotations

from typing import Any

from cluster.controllers.podutil import TERMINAL_PHASES, is_ready
from cluster.core.labels import selector_from_set
from cluster.core.objects import Obj, clone, is_terminating, labels_of, name_of, namespace_of, uid_of
from cluster.core.timefmt import rfc3339
from cluster.engine.actions import Action, Create, Delete, ObjKey, Result, Update
from cluster.engine.reconciler import Watch, self_key
from cluster.engine.view import View

HEADLESS_LABEL = "service.kubernetes.io/headless"
TRIGGER_TIME_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time"

PortKey = tuple[str, int, str, str]  # name, port, protocol, appProtocol
AddrKey = tuple[str, str]  # ip, pod uid


# -- shared by the Endpoints and EndpointSlice controllers ------------------------------------------------------
def service_selector(service: Obj) -> dict[str, str]:
    """The equality-based selector; empty when the Service selects nothing (its endpoints are manual)."""
    return dict((service.get("spec") or {}).get("selector") or {})


def selector_matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    """``SelectorFromSet(selector).Matches(labels)``; an empty selector selects nothing here (no managed endpoints)."""
    return bool(selector) and selector_from_set(selector).matches(labels)


def services_for_pod(view: View, pod: Obj) -> list[ObjKey]:
    """Services in the pod's namespace whose selector matches the pod's labels."""
    labels = labels_of(pod)
    return [
        ObjKey.of(svc)
        for svc in view.list("Service", namespace_of(pod))
        if selector_matches(service_selector(svc), labels)
    ]


def is_headless(service: Obj) -> bool:
    return (service.get("spec") or {}).get("clusterIP") == "None"


def pod_ip(pod: Obj) -> str:
    status = pod.get("status") or {}
    if status.get("podIP"):
        return str(status["podIP"])
    ips = status.get("podIPs") or []
    return str(ips[0].get("ip", "")) if ips else ""


def pod_is_terminal(pod: Obj) -> bool:
    return (pod.get("status") or {}).get("phase") in TERMINAL_PHASES


def should_pod_be_in_endpoints(pod: Obj, include_terminating: bool) -> bool:
    """Not finished, has an IP, and (unless asked for) not terminating."""
    if pod_is_terminal(pod) or not pod_ip(pod):
        return False
    return include_terminating or not is_terminating(pod)


def selected_pods(view: View, service: Obj) -> list[Obj]:
    selector = service_selector(service)
    return [p for p in view.list("Pod", namespace_of(service)) if selector_matches(selector, labels_of(p))]


def _container_ports(pod: Obj) -> list[dict[str, Any]]:
    spec = pod.get("spec") or {}
    ports = [p for c in spec.get("containers") or [] for p in c.get("ports") or []]
    sidecars = [c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"]
    return ports + [p for c in sidecars for p in c.get("ports") or []]


def find_port(pod: Obj, service_port: dict[str, Any]) -> int | None:
    """Resolve ``targetPort`` for one pod: numbers as is, names via the pod's (and sidecars') container ports."""
    target = service_port.get("targetPort", service_port.get("port"))
    if isinstance(target, int):
        return target
    protocol = service_port.get("protocol", "TCP")
    for port in _container_ports(pod):
        if port.get("name") == target and port.get("protocol", "TCP") == protocol:
            return int(port["containerPort"])
    return None


def resolved_ports(service: Obj, pod: Obj) -> list[PortKey]:
    """The pod's (name, port, protocol, appProtocol) for every service port it can serve."""
    out: list[PortKey] = []
    for sp in (service.get("spec") or {}).get("ports") or []:
        number = find_port(pod, sp)
        if number is not None:
            out.append(
                (str(sp.get("name", "")), number, str(sp.get("protocol", "TCP")), str(sp.get("appProtocol", "")))
            )
    return out


def should_set_hostname(pod: Obj, service: Obj) -> bool:
    spec = pod.get("spec") or {}
    return (
        bool(spec.get("hostname"))
        and spec.get("subdomain") == name_of(service)
        and namespace_of(pod) == (namespace_of(service))
    )


def target_ref(pod: Obj) -> dict[str, str]:
    return {"kind": "Pod", "namespace": namespace_of(pod), "name": name_of(pod), "uid": uid_of(pod)}


def service_labels(service: Obj) -> dict[str, str]:
    """The Service's labels with the headless marker set or cleared."""
    labels = {k: v for k, v in labels_of(service).items() if k != HEADLESS_LABEL}
    if is_headless(service):
        labels[HEADLESS_LABEL] = ""
    return labels


# -- Endpoints ---------------------------------------------------------------------------------------------------
def _address(pod: Obj, service: Obj) -> dict[str, Any]:
    addr: dict[str, Any] = {"ip": pod_ip(pod)}
    if should_set_hostname(pod, service):
        addr["hostname"] = pod["spec"]["hostname"]
    if (pod.get("spec") or {}).get("nodeName"):
        addr["nodeName"] = pod["spec"]["nodeName"]
    addr["targetRef"] = target_ref(pod)
    return addr


def _endpoint_port(key: PortKey) -> dict[str, Any]:
    name, port, protocol, app_protocol = key
    out: dict[str, Any] = {"name": name} if name else {}
    out.update(port=port, protocol=protocol)
    if app_protocol:
        out["appProtocol"] = app_protocol
    return out


def _port_order(service: Obj) -> dict[str, int]:
    return {str(sp.get("name", "")): i for i, sp in enumerate((service.get("spec") or {}).get("ports") or [])}


def build_subsets(service: Obj, pods: list[Obj]) -> list[dict[str, Any]]:
    """Subsets for ``pods`` packed like RepackSubsets: ports grouped by identical address sets."""
    publish = bool((service.get("spec") or {}).get("publishNotReadyAddresses"))
    no_ports = not (service.get("spec") or {}).get("ports")
    by_port: dict[PortKey | None, dict[AddrKey, tuple[dict[str, Any], bool]]] = {}
    for pod in pods:
        if not should_pod_be_in_endpoints(pod, include_terminating=publish):
            continue
        entry = (_address(pod, service), publish or is_ready(pod))
        addr_key = (pod_ip(pod), uid_of(pod))
        port_keys: list[PortKey | None] = (
            [None] if no_ports and is_headless(service) else list(resolved_ports(service, pod))
        )
        for port_key in port_keys:
            by_port.setdefault(port_key, {})[addr_key] = entry
    groups: dict[frozenset[tuple[AddrKey, bool]], list[PortKey | None]] = {}
    members: dict[frozenset[tuple[AddrKey, bool]], dict[AddrKey, tuple[dict[str, Any], bool]]] = {}
    for port_key, addrs in by_port.items():
        sig = frozenset((k, ready) for k, (_, ready) in addrs.items())
        groups.setdefault(sig, []).append(port_key)
        members[sig] = addrs
    order = _port_order(service)
    subsets = [_subset(members[sig], ports, order) for sig, ports in groups.items()]
    return sorted(subsets, key=lambda s: _subset_sort_key(s, order))


def _subset(
    addrs: dict[AddrKey, tuple[dict[str, Any], bool]], ports: list[PortKey | None], order: dict[str, int]
) -> dict[str, Any]:
    ordered = [entry for _, entry in sorted(addrs.items(), key=lambda item: item[0])]  # by IP, then uid
    ready = [a for a, ok in ordered if ok]
    not_ready = [a for a, ok in ordered if not ok]
    real_ports = sorted((p for p in ports if p is not None), key=lambda p: (order.get(p[0], 0), p))
    subset: dict[str, Any] = {}
    if ready:
        subset["addresses"] = ready
    if not_ready:
        subset["notReadyAddresses"] = not_ready
    if real_ports:
        subset["ports"] = [_endpoint_port(p) for p in real_ports]
    return subset


def _subset_sort_key(subset: dict[str, Any], order: dict[str, int]) -> tuple[int, str]:
    ports = subset.get("ports") or [{}]
    addrs = subset.get("addresses") or subset.get("notReadyAddresses") or [{}]
    return (order.get(str(ports[0].get("name", "")), 0), str(addrs[0].get("ip", "")))


def _endpoints_mapper(view: View, endpoints: Obj) -> list[ObjKey]:
    """A changed or deleted Endpoints object of a selector Service is put back by resyncing the Service."""
    service = view.get("Service", namespace_of(endpoints), name_of(endpoints))
    return [ObjKey.of(service)] if service is not None and service_selector(service) else []


def _new_endpoints(service: Obj, subsets: list[dict[str, Any]], now_ms: int) -> Obj:
    meta: dict[str, Any] = {"name": name_of(service), "namespace": namespace_of(service)}
    labels = service_labels(service)
    if labels:
        meta["labels"] = labels
    meta["annotations"] = {TRIGGER_TIME_ANNOTATION: rfc3339(now_ms)}
    obj: Obj = {"apiVersion": "v1", "kind": "Endpoints", "metadata": meta}
    if subsets:
        obj["subsets"] = subsets
    return obj


def _updated_endpoints(current: Obj, service: Obj, subsets: list[dict[str, Any]], now_ms: int) -> Obj:
    new: Obj = clone(current)
    meta = new["metadata"]
    labels = service_labels(service)
    if labels:
        meta["labels"] = labels
    else:
        meta.pop("labels", None)
    meta.setdefault("annotations", {})[TRIGGER_TIME_ANNOTATION] = rfc3339(now_ms)
    if subsets:
        new["subsets"] = subsets
    else:
        new.pop("subsets", None)
    return new


class EndpointsController:
    name = "endpoint-controller"
    actor = "controller-manager"

    def watches(self) -> list[Watch]:
        return [
            Watch("Service", self_key),
            Watch("Pod", services_for_pod, status_blind=True),
            Watch("Endpoints", _endpoints_mapper),
        ]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        service = view.get_key(key)
        current = view.get("Endpoints", key.namespace, key.name)
        if service is None:
            return Result([Delete(ObjKey.of(current))] if current is not None else [])
        if not service_selector(service) or is_terminating(service):
            return Result()
        subsets = build_subsets(service, selected_pods(view, service))
        return Result(self._write(current, service, subsets, now_ms))

    def _write(self, current: Obj | None, service: Obj, subsets: list[dict[str, Any]], now_ms: int) -> list[Action]:
        if current is None:
            return [Create(_new_endpoints(service, subsets, now_ms))]
        same_labels = labels_of(current) == service_labels(service)
        if same_labels and (current.get("subsets") or []) == subsets:
            return []
        return [Update(_updated_endpoints(current, service, subsets, now_ms))]
