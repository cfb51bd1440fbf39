"""Pod IPs from the node's ``spec.podCIDR``, handed out like the host-local IPAM plugin.

host-local (what kindnet and the bridge CNI use) walks the range from the
last address it reserved, wraps around, and skips addresses still in use,
so a deleted pod's IP is not given to the very next pod — a learner who
watches ``kubectl get pods -o wide`` sees fresh IPs, as on a real node. The
cursor lives in the node's private state (``ipam.lastReservedIP``).

Simplification: IPv4 only; the network address and the gateway (``.1``) are
never handed out, nor is the broadcast address.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Container

FALLBACK_CIDR = "10.88.0.0/16"  # containerd's default bridge network, for a node without a podCIDR


def allocate(pod_cidr: str | None, last: str | None, in_use: Container[str]) -> str | None:
    """The next free address after ``last`` in ``pod_cidr``; None when the range is exhausted."""
    network = ipaddress.ip_network(pod_cidr or FALLBACK_CIDR, strict=False)
    first = int(network.network_address) + 2
    end = int(network.broadcast_address) - 1
    if end < first:
        return None
    size = end - first + 1
    start = first
    if last:
        try:
            start = int(ipaddress.ip_address(last)) + 1
        except ValueError:
            start = first
    if not first <= start <= end:
        start = first
    for offset in range(size):
        candidate = str(ipaddress.ip_address(first + (start - first + offset) % size))
        if candidate not in in_use:
            return candidate
    return None
