"""Admission: per-sandbox quotas and the Service registry's IP/port allocation.

Quotas play the part of a ResourceQuota the sandbox owner cannot remove, so a
``--replicas=100000`` scales into a wall of ``FailedCreate`` events (exactly
what a real quota produces) instead of into the server's memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cluster.apiserver import allocators
from cluster.apiserver.context import RequestContext
from cluster.core import errors
from cluster.core.kinds import KindInfo
from cluster.core.objects import Obj, clone

if TYPE_CHECKING:
    from cluster.apiserver.server import ApiServer

GENERATION_KINDS = {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "HorizontalPodAutoscaler", "Ingress", "Job"}
# Kinds that never count against the object quota (they are capped on their own).
_UNCOUNTED = {"Event", "Endpoints", "EndpointSlice", "Lease"}
EVENT_CAP = 5000


def _active_pods(api: ApiServer) -> int:
    return sum(1 for p in api.store.list("Pod") if (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed"))


def _objects(api: ApiServer) -> int:
    return sum(api.store.count(info.kind) for info in api.registry.all() if info.kind not in _UNCOUNTED)


def admit_create(api: ApiServer, info: KindInfo, obj: Obj, ctx: RequestContext) -> None:
    name = obj["metadata"]["name"]
    if info.kind == "Event":
        if api.store.count("Event") >= EVENT_CAP:
            raise errors.ApiError(429, "TooManyRequests", "too many events in this sandbox; older ones expire after 1h")
        return
    limits = api.quotas
    if info.kind == "Pod" and api.store.count("Pod") >= limits["pods"]:
        used = _active_pods(api)
        if used >= limits["pods"]:
            raise errors.exceeded_quota(info.plural, name, "pods", used, limits["pods"])
    if info.kind == "Node":
        used = api.store.count("Node")
        if used >= limits["nodes"]:
            raise errors.exceeded_quota(info.plural, name, "count/nodes", used, limits["nodes"])
    if info.kind not in _UNCOUNTED and api.store.count() >= limits["objects"]:
        used = _objects(api)
        if used >= limits["objects"]:
            raise errors.exceeded_quota(info.plural, name, "count/objects", used, limits["objects"])
    if info.kind == "Service":
        allocate_service(api, obj, None)


# The NamespaceLifecycle admission plugin's immortal namespaces.
IMMORTAL_NAMESPACES = frozenset({"default", "kube-system", "kube-public"})


def admit_delete(info: KindInfo, current: Obj) -> None:
    name = current["metadata"]["name"]
    if info.kind == "Namespace" and name in IMMORTAL_NAMESPACES:
        raise errors.ApiError(
            403,
            "Forbidden",
            f'namespaces "{name}" is forbidden: this namespace may not be deleted',
            {"name": name, "kind": "namespaces"},
        )


def admit_update(api: ApiServer, info: KindInfo, new: Obj, current: Obj, ctx: RequestContext) -> None:
    if info.kind == "Service":
        if isinstance(new.get("spec"), dict):
            new["spec"] = clone(new["spec"])  # a status update shares spec with the stored object: never write into it
        allocate_service(api, new, current)


def on_create(api: ApiServer, info: KindInfo, obj: Obj, now_ms: int) -> None:
    """Server-populated status at creation time."""
    if info.kind == "Pod":
        # podStrategy.PrepareForCreate: a new pod is Pending with its QoS class, whatever the client sent.
        from cluster.kubelet.qos import qos_class

        obj["status"] = {"phase": "Pending", "qosClass": qos_class(obj)}
    if info.kind == "Namespace":
        obj.setdefault("status", {})["phase"] = "Active"
        obj.setdefault("spec", {}).setdefault("finalizers", ["kubernetes"])


def allocate_service(api: ApiServer, svc: Obj, current: Obj | None) -> None:
    """Fill clusterIP(s) and nodePorts; keep the ones already allocated on update."""
    spec = svc.setdefault("spec", {})
    svc_type = spec.get("type", "ClusterIP")
    others = [
        s for s in api.store.list("Service") if current is None or s["metadata"]["uid"] != current["metadata"]["uid"]
    ]
    errs: list[errors.FieldError] = []
    if svc_type == "ExternalName":
        spec.pop("clusterIP", None)
        spec.pop("clusterIPs", None)
    elif current is not None and (current.get("spec") or {}).get("clusterIP"):
        cur_spec = current["spec"]
        spec.setdefault("clusterIP", cur_spec["clusterIP"])
        spec.setdefault("clusterIPs", cur_spec.get("clusterIPs", [cur_spec["clusterIP"]]))
    elif spec.get("clusterIP") == "None":
        spec["clusterIPs"] = ["None"]
    else:
        requested = spec.get("clusterIP") or ((spec.get("clusterIPs") or [None])[0])
        ip, ip_errs = allocators.allocate_cluster_ip(requested, allocators.used_cluster_ips(others), api.ids.rng)
        errs.extend(ip_errs)
        if ip:
            spec["clusterIP"] = ip
            spec["clusterIPs"] = [ip]
    errs.extend(_node_ports(api, spec, svc_type, others, current))
    if errs:
        raise errors.invalid_object("Service", "", svc["metadata"]["name"], errs)


def _node_ports(
    api: ApiServer, spec: Obj, svc_type: str, others: list[Obj], current: Obj | None
) -> list[errors.FieldError]:
    ports = spec.get("ports") or []
    if svc_type not in ("NodePort", "LoadBalancer"):
        for port in ports:
            port.pop("nodePort", None)
        return []
    used = allocators.used_node_ports(others)
    previous = {p.get("port"): p.get("nodePort") for p in ((current or {}).get("spec") or {}).get("ports") or []}
    errs: list[errors.FieldError] = []
    for i, port in enumerate(ports):
        wanted = port.get("nodePort")
        if wanted:
            if wanted != previous.get(port.get("port")):
                errs.extend(allocators.check_node_port(f"spec.ports[{i}].nodePort", int(wanted), used))
            used.add(int(wanted))
            continue
        keep = previous.get(port.get("port"))
        chosen = keep or allocators.allocate_node_port(used, api.ids.rng)
        if chosen is None:
            errs.append(errors.invalid(f"spec.ports[{i}].nodePort", 0, "range is full"))
            continue
        port["nodePort"] = chosen
        used.add(chosen)
    return errs
