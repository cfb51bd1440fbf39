"""Where things live on the simulated network: nodes, the learner's laptop, load-balancer IPs.

The sandbox's machines sit on one bridge network like a minikube or kind
cluster: the control-plane node at 192.168.49.2, workers after it, and the
learner's laptop is the host end of that bridge (192.168.49.1). A real cluster
gets LoadBalancer IPs from a cloud provider or MetalLB; the sandbox hands them
out from 192.168.49.200–250, the range a MetalLB setup on minikube typically
uses.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from cluster.core.objects import Obj, name_of
from cluster.engine.view import View

LAPTOP_IP = "192.168.49.1"
LOCALHOST_NAMES = ("localhost", "127.0.0.1", "::1", "[::1]")
LB_POOL_FIRST = "192.168.49.200"
LB_POOL_LAST = "192.168.49.250"
CLUSTER_DOMAIN = "cluster.local"
API_SERVER_IP = "192.168.49.2"
API_SERVER_PORT = 6443


def node_ip(node: Obj) -> str:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return str(address.get("address", ""))
    return ""


def node_ips(view: View) -> dict[str, str]:
    """InternalIP -> node name, for every node."""
    return {ip: name_of(n) for n in view.list("Node") if (ip := node_ip(n))}


def node_ready(node: Obj) -> bool:
    for cond in (node.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            return bool(cond.get("status") == "True")
    return False


@lru_cache(maxsize=1)
def lb_pool() -> tuple[str, ...]:
    first = int(ipaddress.ip_address(LB_POOL_FIRST))
    last = int(ipaddress.ip_address(LB_POOL_LAST))
    return tuple(str(ipaddress.ip_address(i)) for i in range(first, last + 1))


def is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def in_cidr(ip: str, cidr: str) -> bool:
    try:
        return ipaddress.ip_address(ip) in ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False


def bridge_ip(node: Obj) -> str:
    """The node's end of its pod bridge (``cni0``): the first address of its podCIDR, e.g. 10.244.1.1."""
    return _first_host(str((node.get("spec") or {}).get("podCIDR") or ""))


@lru_cache(maxsize=1024)
def _first_host(cidr: str) -> str:
    try:
        return str(ipaddress.ip_network(cidr, strict=False).network_address + 1) if cidr else ""
    except ValueError:
        return ""
