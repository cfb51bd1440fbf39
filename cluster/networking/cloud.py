"""The "cloud provider": LoadBalancer Services get an external IP, as a cloud controller would give them.

In a real cluster a LoadBalancer Service is a NodePort Service plus an
external load balancer that ``cloud-controller-manager``'s service
controller provisions through the cloud's API (or MetalLB on bare metal);
without one, EXTERNAL-IP stays ``<pending>`` forever (K8S_FACTS §5.5). The
sandbox plays that part so the learner sees the whole story: it assigns the
lowest free address of a MetalLB-style pool (192.168.49.200–250) to
``status.loadBalancer.ingress[0].ip`` with the events the service controller
records (``EnsuringLoadBalancer`` / ``EnsuredLoadBalancer``), honours
``spec.loadBalancerIP`` when that address is free, leaves Services with a
``loadBalancerClass`` to their own controller, and releases the address when
the Service stops being a LoadBalancer.

Simplification: provisioning is instantaneous, and traffic to the address
goes straight to kube-proxy's Service rules (no health-checked node hop).
"""

from __future__ import annotations

from cluster.core.objects import Obj, clone
from cluster.engine.actions import Action, ObjKey, RecordEvent, Result, Trace, UpdateStatus
from cluster.engine.reconciler import Watch, self_key
from cluster.engine.view import View
from cluster.networking.addresses import LB_POOL_FIRST, LB_POOL_LAST, lb_pool

COMPONENT = "service-controller"
ACTOR = "cloud-controller-manager"
WHY = (
    "A real cluster needs a cloud provider (or MetalLB on bare metal) to provision this load balancer; "
    "without one EXTERNAL-IP stays <pending>. The sandbox plays the cloud and assigns an IP from "
    f"{LB_POOL_FIRST}-{LB_POOL_LAST}."
)


def lb_ips(service: Obj) -> list[str]:
    ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    return [str(entry["ip"]) for entry in ingress if entry.get("ip")]


def wants_lb(service: Obj) -> bool:
    spec = service.get("spec") or {}
    return spec.get("type") == "LoadBalancer" and not spec.get("loadBalancerClass")


def _used(view: View, key: ObjKey) -> set[str]:
    return {ip for svc in view.list("Service") if ObjKey.of(svc) != key for ip in lb_ips(svc)}


def pick_ip(requested: str, used: set[str]) -> tuple[str | None, str]:
    """The address to assign (or None) and, on failure, the service controller's error."""
    pool = lb_pool()
    if requested:
        if requested not in pool:
            return None, f"requested IP {requested} is not in the pool {LB_POOL_FIRST}-{LB_POOL_LAST}"
        if requested in used:
            return None, f"requested IP {requested} is already allocated"
        return requested, ""
    free = next((ip for ip in pool if ip not in used), None)
    return free, "" if free else f"no available IPs in pool {LB_POOL_FIRST}-{LB_POOL_LAST}"


def _with_status(service: Obj, ips: list[str]) -> Obj:
    updated: Obj = clone(service)
    status = updated.setdefault("status", {})
    status["loadBalancer"] = {"ingress": [{"ip": ip, "ipMode": "VIP"} for ip in ips]} if ips else {}
    return updated


def _ensure(view: View, key: ObjKey, service: Obj) -> list[Action]:
    current = lb_ips(service)
    used = _used(view, key)
    requested = str((service.get("spec") or {}).get("loadBalancerIP") or "")
    if current and not set(current) & used and (not requested or current == [requested]):
        return []
    ip, error = pick_ip(requested, used)
    if ip is None:
        message = f"Error syncing load balancer: failed to ensure load balancer: {error}"
        return [RecordEvent(service, "Warning", "SyncLoadBalancerFailed", message, COMPONENT)]
    namespace, name = key.namespace, key.name
    return [
        RecordEvent(service, "Normal", "EnsuringLoadBalancer", "Ensuring load balancer", COMPONENT),
        Trace(
            ACTOR,
            "cloud",
            "provision",
            f"provision a load balancer for {namespace}/{name}: {ip}",
            key,
            {"ip": ip, "why": WHY},
        ),
        UpdateStatus(_with_status(service, [ip])),
        RecordEvent(service, "Normal", "EnsuredLoadBalancer", "Ensured load balancer", COMPONENT),
    ]


def _release(key: ObjKey, service: Obj) -> list[Action]:
    return [
        RecordEvent(service, "Normal", "DeletingLoadBalancer", "Deleting load balancer", COMPONENT),
        Trace(ACTOR, "cloud", "release", f"release the load balancer of {key.namespace}/{key.name}", key),
        UpdateStatus(_with_status(service, [])),
        RecordEvent(service, "Normal", "DeletedLoadBalancer", "Deleted load balancer", COMPONENT),
    ]


class LoadBalancerController:
    """cloud-controller-manager's service controller (LoadBalancer Services only)."""

    name = COMPONENT
    actor = ACTOR

    def watches(self) -> list[Watch]:
        return [Watch("Service", self_key)]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        service = view.get_key(key)
        if service is None or service["metadata"].get("deletionTimestamp"):
            return Result()
        if wants_lb(service):
            return Result(_ensure(view, key, service))
        if lb_ips(service) and not (service.get("spec") or {}).get("loadBalancerClass"):
            return Result(_release(key, service))
        return Result()
