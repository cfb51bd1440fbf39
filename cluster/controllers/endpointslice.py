"""The EndpointSlice controller: the endpoints kube-proxy and ``kubectl describe svc`` read in 1.32.

Every selected pod with an IP that is not finished becomes one endpoint —
terminating pods too, so a client can tell "draining" from "gone" — with the
conditions of K8S_FACTS §3.5: ``ready`` (Ready and not terminating, or
always with ``publishNotReadyAddresses``), ``serving`` (Ready) and
``terminating`` (deletionTimestamp set). Endpoints are grouped by their
resolved port set (a named ``targetPort`` can resolve differently per pod)
and cut into slices of at most 100. A Service whose selector matches nothing
still gets one empty placeholder slice, as in Kubernetes.

Slices are named ``<service>-<5 random>`` by the API server (``generateName``),
labelled ``kubernetes.io/service-name`` and
``endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io``
and owned by the Service (controller reference), so the garbage collector
removes them with the Service.

Like the real reconciler, a sync keeps endpoints in the slice they are in,
drops the ones no longer wanted (deleting slices left empty), puts new ones
first into slices it is updating anyway, then into the unchanged slice they
fill best, then into new slices — and turns a slice it was about to delete
into one it was about to create, so a Service's slice usually keeps its name
(even the placeholder becomes the first real slice).

Simplifications: new endpoints are taken in pod-name order (the real one
iterates a set); only IPv4; ``zone`` is copied from the node's
``topology.kubernetes.io/zone`` label without topology hints; the
trigger-time annotation is the simulated time of the write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cluster.controllers.endpoints import (
    TRIGGER_TIME_ANNOTATION,
    is_headless,
    pod_ip,
    resolved_ports,
    selected_pods,
    service_labels,
    service_selector,
    services_for_pod,
    should_pod_be_in_endpoints,
    should_set_hostname,
    target_ref,
)
from cluster.controllers.podutil import is_ready
from cluster.core.objects import Obj, clone, is_terminating, labels_of, name_of, namespace_of, uid_of
from cluster.core.timefmt import rfc3339
from cluster.engine.actions import Action, Create, Delete, ObjKey, Result, Update
from cluster.engine.reconciler import Watch, self_key
from cluster.engine.view import View

SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
MANAGED_BY = "endpointslice-controller.k8s.io"
ZONE_LABEL = "topology.kubernetes.io/zone"
MAX_ENDPOINTS_PER_SLICE = 100

PortSet = tuple[tuple[str, int, str, str], ...]
Endpoint = dict[str, Any]


def slice_labels(service: Obj) -> dict[str, str]:
    labels = {k: v for k, v in service_labels(service).items() if k not in (SERVICE_NAME_LABEL, MANAGED_BY_LABEL)}
    labels[SERVICE_NAME_LABEL] = name_of(service)
    labels[MANAGED_BY_LABEL] = MANAGED_BY
    return labels


def slice_ports(ports: PortSet) -> list[dict[str, Any]]:
    out = []
    for name, port, protocol, app_protocol in ports:
        entry: dict[str, Any] = {"name": name, "port": port, "protocol": protocol}
        if app_protocol:
            entry["appProtocol"] = app_protocol
        out.append(entry)
    return out


def _port_set(slice_obj: Obj) -> PortSet:
    return tuple(
        (str(p.get("name", "")), int(p.get("port", 0)), str(p.get("protocol", "TCP")), str(p.get("appProtocol", "")))
        for p in slice_obj.get("ports") or []
    )


def build_endpoint(view: View, service: Obj, pod: Obj) -> dict[str, Any]:
    publish = bool((service.get("spec") or {}).get("publishNotReadyAddresses"))
    terminating = is_terminating(pod)
    serving = is_ready(pod)
    ready = publish or (serving and not terminating)
    endpoint: dict[str, Any] = {
        "addresses": [pod_ip(pod)],
        "conditions": {"ready": ready, "serving": serving, "terminating": terminating},
    }
    if should_set_hostname(pod, service):
        endpoint["hostname"] = pod["spec"]["hostname"]
    node_name = (pod.get("spec") or {}).get("nodeName")
    if node_name:
        endpoint["nodeName"] = node_name
    endpoint["targetRef"] = target_ref(pod)
    node = view.get("Node", "", node_name) if node_name else None
    zone = labels_of(node).get(ZONE_LABEL) if node is not None else None
    if zone:
        endpoint["zone"] = zone
    return endpoint


def desired_endpoints(view: View, service: Obj) -> dict[PortSet, list[Endpoint]]:
    """Endpoints of the selected pods, grouped by the port set each pod resolves."""
    groups: dict[PortSet, list[Endpoint]] = {}
    for pod in sorted(selected_pods(view, service), key=name_of):
        if should_pod_be_in_endpoints(pod, include_terminating=True):
            ports = () if _portless_headless(service) else tuple(resolved_ports(service, pod))
            groups.setdefault(ports, []).append(build_endpoint(view, service, pod))
    return groups


def _portless_headless(service: Obj) -> bool:
    return is_headless(service) and not (service.get("spec") or {}).get("ports")


def _owner_ref(service: Obj) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "name": name_of(service),
        "uid": uid_of(service),
        "controller": True,
        "blockOwnerDeletion": True,
    }


def _owned_by(slice_obj: Obj, service: Obj) -> bool:
    refs = slice_obj.get("metadata", {}).get("ownerReferences") or []
    return any(r.get("controller") and r.get("uid") == uid_of(service) for r in refs)


def managed_slices(view: View, namespace: str, service_name: str) -> list[Obj]:
    return [
        s
        for s in view.list("EndpointSlice", namespace)
        if labels_of(s).get(SERVICE_NAME_LABEL) == service_name and labels_of(s).get(MANAGED_BY_LABEL) == MANAGED_BY
    ]


@dataclass
class SlicePlan:
    """One sync's writes, sent in the real reconciler's order: creates, then updates, then deletes."""

    creates: list[tuple[PortSet, list[Endpoint]]] = field(default_factory=list)
    updates: list[tuple[Obj, PortSet, list[Endpoint]]] = field(default_factory=list)
    deletes: list[Obj] = field(default_factory=list)


def _endpoint_uid(endpoint: Endpoint) -> str:
    return str((endpoint.get("targetRef") or {}).get("uid", ""))


def _kept_endpoints(slice_obj: Obj, desired: dict[str, Endpoint], placed: set[str]) -> list[Endpoint]:
    """The slice's endpoints that are still wanted, in place, refreshed to their desired content."""
    kept = []
    for endpoint in slice_obj.get("endpoints") or []:
        uid = _endpoint_uid(endpoint)
        if uid in desired and uid not in placed:
            kept.append(desired[uid])
            placed.add(uid)
    return kept


def _closest_fit(candidates: list[tuple[Obj, list[Endpoint]]], count: int) -> tuple[Obj, list[Endpoint]] | None:
    """``getSliceToFill``: the unchanged slice that ``count`` more endpoints fill most completely."""
    best, best_room = None, MAX_ENDPOINTS_PER_SLICE
    for candidate in candidates:
        room = MAX_ENDPOINTS_PER_SLICE - (count + len(candidate[1]))
        if 0 <= room < best_room:
            best, best_room = candidate, room
    return best


def plan_port_set(
    service: Obj, ports: PortSet, endpoints: list[Endpoint], existing: list[Obj], plan: SlicePlan
) -> None:
    """Keep endpoints where they are, fill slices being updated, then the closest unchanged fit, then new slices."""
    desired = {_endpoint_uid(e): e for e in endpoints}
    placed: set[str] = set()
    to_update: list[tuple[Obj, list[Endpoint]]] = []
    unchanged: list[tuple[Obj, list[Endpoint]]] = []
    for slice_obj in existing:
        kept = _kept_endpoints(slice_obj, desired, placed)
        changed = kept != (slice_obj.get("endpoints") or [])
        if changed and not kept:
            plan.deletes.append(slice_obj)
        elif changed or labels_of(slice_obj) != slice_labels(service):
            to_update.append((slice_obj, kept))
        else:
            unchanged.append((slice_obj, kept))
    pending = [e for uid, e in desired.items() if uid not in placed]
    for _, eps in sorted(to_update, key=lambda entry: -len(entry[1])):
        room = MAX_ENDPOINTS_PER_SLICE - len(eps)
        eps.extend(pending[:room])
        pending = pending[room:]
    while pending:
        target = _closest_fit(unchanged, len(pending)) if len(pending) < MAX_ENDPOINTS_PER_SLICE else None
        if target is None:
            plan.creates.append((ports, pending[:MAX_ENDPOINTS_PER_SLICE]))
            pending = pending[MAX_ENDPOINTS_PER_SLICE:]
        else:
            unchanged.remove(target)
            target[1].extend(pending)
            to_update.append(target)
            pending = []
    plan.updates.extend((s, ports, eps) for s, eps in to_update)


def _is_placeholder(slice_obj: Obj) -> bool:
    return not slice_obj.get("ports") and not slice_obj.get("endpoints")


def plan_service(view: View, service: Obj) -> tuple[SlicePlan, list[Obj]]:
    """The plan for the Service's own slices, and the managed slices of another owner (to delete)."""
    slices = managed_slices(view, namespace_of(service), name_of(service))
    foreign = [s for s in slices if not _owned_by(s, service)]
    owned: dict[PortSet, list[Obj]] = {}
    for s in slices:
        if _owned_by(s, service):
            owned.setdefault(_port_set(s), []).append(s)
    desired = desired_endpoints(view, service)
    plan = SlicePlan()
    for ports in sorted(set(desired) | set(owned)):
        if ports in desired:
            plan_port_set(service, ports, desired[ports], owned.get(ports, []), plan)
        else:
            plan.deletes.extend(owned[ports])
    if not plan.creates and len(plan.deletes) == sum(len(v) for v in owned.values()):
        if len(plan.deletes) == 1 and _is_placeholder(plan.deletes[0]):
            plan.deletes = []
        else:
            plan.creates.append(((), []))
    _reuse_deleted(plan)
    return plan, foreign


def _reuse_deleted(plan: SlicePlan) -> None:
    """Prefer updating a slice about to be deleted over deleting one and creating another."""
    while plan.creates and plan.deletes:
        ports, endpoints = plan.creates.pop()
        plan.updates.append((plan.deletes.pop(0), ports, endpoints))


def _new_slice(service: Obj, ports: PortSet, endpoints: list[Endpoint], now_ms: int) -> Obj:
    meta = {
        "generateName": f"{name_of(service)}-",
        "namespace": namespace_of(service),
        "labels": slice_labels(service),
        "annotations": {TRIGGER_TIME_ANNOTATION: rfc3339(now_ms)},
        "ownerReferences": [_owner_ref(service)],
    }
    obj: Obj = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice", "metadata": meta, "addressType": "IPv4"}
    obj["endpoints"] = endpoints
    if ports:
        obj["ports"] = slice_ports(ports)
    return obj


def _updated_slice(slice_obj: Obj, service: Obj, ports: PortSet, endpoints: list[Endpoint], now_ms: int) -> Obj:
    new: Obj = clone(slice_obj)
    new["metadata"]["labels"] = slice_labels(service)
    new["metadata"].setdefault("annotations", {})[TRIGGER_TIME_ANNOTATION] = rfc3339(now_ms)
    new["endpoints"] = endpoints
    if ports:
        new["ports"] = slice_ports(ports)
    else:
        new.pop("ports", None)
    return new


def reconcile_service_slices(view: View, service: Obj, now_ms: int) -> list[Action]:
    plan, foreign = plan_service(view, service)
    actions: list[Action] = [Create(_new_slice(service, ports, eps, now_ms)) for ports, eps in plan.creates]
    actions.extend(Update(_updated_slice(s, service, ports, eps, now_ms)) for s, ports, eps in plan.updates)
    actions.extend(Delete(ObjKey.of(s), uid=uid_of(s)) for s in [*foreign, *plan.deletes])
    return actions


def _slice_mapper(view: View, slice_obj: Obj) -> list[ObjKey]:
    """A managed slice changed behind the controller's back (or was deleted): resync its Service."""
    labels = labels_of(slice_obj)
    if labels.get(MANAGED_BY_LABEL) != MANAGED_BY or not labels.get(SERVICE_NAME_LABEL):
        return []
    service = view.get("Service", namespace_of(slice_obj), labels[SERVICE_NAME_LABEL])
    return [ObjKey.of(service)] if service is not None else []


class EndpointSliceController:
    name = "endpointslice-controller"
    actor = "controller-manager"

    def watches(self) -> list[Watch]:
        return [
            Watch("Service", self_key),
            Watch("Pod", services_for_pod, status_blind=True),
            Watch("EndpointSlice", _slice_mapper),
        ]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        service = view.get_key(key)
        if service is None or not service_selector(service) or is_terminating(service):
            return Result()
        return Result(reconcile_service_slices(view, service, now_ms))
