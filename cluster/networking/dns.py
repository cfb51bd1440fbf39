"""Cluster DNS as CoreDNS answers it for a pod (``dnsPolicy: ClusterFirst``).

A pod's ``/etc/resolv.conf`` lists the search domains ``<ns>.svc.cluster.local
svc.cluster.local cluster.local`` with ``ndots:5``, so ``web``, ``web.shop``,
``web.shop.svc`` and ``web.shop.svc.cluster.local`` all reach the Service
``web`` in namespace ``shop``. CoreDNS's ``kubernetes`` plugin answers:

* a ClusterIP Service → its ClusterIP (one A record);
* a headless Service (``clusterIP: None``) → the IPs of its ready endpoints;
* an ExternalName Service → a CNAME to ``spec.externalName`` (nothing else);
* ``<a-b-c-d>.<ns>.pod.cluster.local`` → that pod IP;
* ``<hostname>.<subdomain>.<ns>.svc.cluster.local`` → the pod with that
  ``hostname`` behind the headless Service ``subdomain``.

Simplifications: no upstream resolver (the sandbox has no Internet, so other
names do not resolve), only A records, and the ``loadbalance`` plugin's
shuffling of headless answers is left to the caller.
"""

from __future__ import annotations

from dataclasses import dataclass

from cluster.core.objects import Obj, labels_of
from cluster.engine.view import View
from cluster.networking.addresses import CLUSTER_DOMAIN, is_ip
from cluster.networking.backends import SERVICE_NAME_LABEL

SUFFIX = "." + CLUSTER_DOMAIN
NDOTS = 5
MAX_CNAME_DEPTH = 8


@dataclass(frozen=True)
class Answer:
    """What a lookup returned: the A records and, for ExternalName, the CNAME followed."""

    fqdn: str
    ips: tuple[str, ...]
    cname: str = ""
    namespace: str = ""
    service: str = ""


def search_list(namespace: str) -> list[str]:
    return [f"{namespace}.svc{SUFFIX}", f"svc{SUFFIX}", CLUSTER_DOMAIN]


def candidates(name: str, namespace: str) -> list[str]:
    """The FQDNs the resolver tries, in order (search domains first while the name has fewer than 5 dots)."""
    if name.endswith("."):
        return [name[:-1].lower()]  # an absolute name skips the search list
    name = name.lower()
    searched = [f"{name}.{domain}" for domain in search_list(namespace)]
    return [*searched, name] if name.count(".") < NDOTS else [name, *searched]


def _ready_ips(view: View, namespace: str, service: str) -> tuple[str, ...]:
    ips: set[str] = set()
    for slice_obj in view.list("EndpointSlice", namespace):
        if labels_of(slice_obj).get(SERVICE_NAME_LABEL) != service:
            continue
        for ep in slice_obj.get("endpoints") or []:
            if (ep.get("conditions") or {}).get("ready") is not False:
                ips.update(str(a) for a in ep.get("addresses") or [])
    return tuple(sorted(ips, key=lambda ip: tuple(int(p) for p in ip.split("."))))


def _service_answer(view: View, fqdn: str, service: Obj, depth: int) -> Answer | None:
    spec = service.get("spec") or {}
    namespace, name = service["metadata"].get("namespace", ""), service["metadata"]["name"]
    if spec.get("type") == "ExternalName":
        target = str(spec.get("externalName") or "").rstrip(".").lower()
        followed = lookup_fqdn(view, target, depth + 1) if depth < MAX_CNAME_DEPTH else None
        ips = followed.ips if followed is not None else ()
        return Answer(fqdn, ips, cname=target, namespace=namespace, service=name)
    if spec.get("clusterIP") == "None":
        ips = _ready_ips(view, namespace, name)
        return Answer(fqdn, ips, namespace=namespace, service=name) if ips else None
    ip = spec.get("clusterIP")
    return Answer(fqdn, (str(ip),), namespace=namespace, service=name) if ip else None


def _pod_by_hostname(view: View, namespace: str, subdomain: str, hostname: str) -> str | None:
    for pod in view.list("Pod", namespace):
        spec = pod.get("spec") or {}
        if spec.get("hostname") == hostname and spec.get("subdomain") == subdomain:
            ip = (pod.get("status") or {}).get("podIP")
            if ip:
                return str(ip)
    return None


def lookup_fqdn(view: View, fqdn: str, depth: int = 0) -> Answer | None:
    """Answer one fully qualified name inside ``cluster.local`` (None: NXDOMAIN or no records)."""
    if not fqdn.endswith(SUFFIX):
        return None
    parts = fqdn[: -len(SUFFIX)].split(".")
    if len(parts) == 3 and parts[2] == "svc":
        service = view.get("Service", parts[1], parts[0])
        return _service_answer(view, fqdn, service, depth) if service is not None else None
    if len(parts) == 4 and parts[3] == "svc":
        ip = _pod_by_hostname(view, parts[2], parts[1], parts[0])
        return Answer(fqdn, (ip,), namespace=parts[2]) if ip else None
    if len(parts) == 3 and parts[2] == "pod":
        ip = parts[0].replace("-", ".")
        return Answer(fqdn, (ip,), namespace=parts[1]) if is_ip(ip) else None
    return None


def resolve(view: View, name: str, namespace: str) -> Answer | None:
    """Resolve ``name`` as a pod in ``namespace`` would (IP literals resolve to themselves)."""
    if is_ip(name):
        return Answer(name, (name,))
    for fqdn in candidates(name, namespace):
        answer = lookup_fqdn(view, fqdn)
        if answer is not None:
            return answer
    return None
