"""ClusterIP and NodePort allocation, as the apiserver's registry does on Service create/update.

Both allocators pick at random (from the sandbox's seeded generator) outside
the static lower band that dynamic allocation avoids (KEP-3070 / KEP-3668),
and report the real error texts for out-of-range or taken values.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Iterable

from cluster.core.errors import FieldError, invalid
from cluster.core.objects import Obj

SERVICE_CIDR = ipaddress.ip_network("10.96.0.0/12")
NODE_PORT_RANGE = (30000, 32767)
_CIDR_SIZE = SERVICE_CIDR.num_addresses
IP_STATIC_BAND = min(max(16, _CIDR_SIZE // 16), 256)
_PORT_COUNT = NODE_PORT_RANGE[1] - NODE_PORT_RANGE[0] + 1
PORT_STATIC_BAND = min(max(16, _PORT_COUNT // 32), 128)


def used_cluster_ips(services: Iterable[Obj]) -> set[str]:
    used: set[str] = set()
    for svc in services:
        for ip in (svc.get("spec") or {}).get("clusterIPs") or []:
            used.add(ip)
    return used


def used_node_ports(services: Iterable[Obj]) -> set[int]:
    used: set[int] = set()
    for svc in services:
        for port in (svc.get("spec") or {}).get("ports") or []:
            if port.get("nodePort"):
                used.add(int(port["nodePort"]))
    return used


def allocate_cluster_ip(
    requested: str | None, used: set[str], rng: random.Random
) -> tuple[str | None, list[FieldError]]:
    """Return the IP to use, or errors for a requested one that is invalid or taken."""
    if requested:
        try:
            addr = ipaddress.ip_address(requested)
        except ValueError:
            return None, [
                invalid(
                    "spec.clusterIPs[0]", requested, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
                )
            ]
        if addr not in SERVICE_CIDR or addr == SERVICE_CIDR.network_address:
            detail = (
                f"failed to allocate IP {requested}: the provided IP ({requested}) is not in the valid range. "
                f"The range of valid IPs is {SERVICE_CIDR}"
            )
            return None, [invalid("spec.clusterIPs", [requested], detail)]
        if requested in used:
            return None, [
                invalid(
                    "spec.clusterIPs",
                    [requested],
                    f"failed to allocate IP {requested}: provided IP is already allocated",
                )
            ]
        return requested, []
    base = int(SERVICE_CIDR.network_address)
    last = _CIDR_SIZE - 2
    for _ in range(4096):
        offset = rng.randint(IP_STATIC_BAND + 1, last)
        ip = str(ipaddress.ip_address(base + offset))
        if ip not in used:
            return ip, []
    for offset in range(1, last + 1):
        ip = str(ipaddress.ip_address(base + offset))
        if ip not in used:
            return ip, []
    return None, [invalid("spec.clusterIPs", [], "failed to allocate a serviceIP: range is full")]


def check_node_port(path: str, port: int, used: set[int]) -> list[FieldError]:
    lo, hi = NODE_PORT_RANGE
    if not lo <= port <= hi:
        return [invalid(path, port, f"provided port is not in the valid range. The range of valid ports is {lo}-{hi}")]
    if port in used:
        return [invalid(path, port, "provided port is already allocated")]
    return []


def allocate_node_port(used: set[int], rng: random.Random) -> int | None:
    lo, hi = NODE_PORT_RANGE
    for _ in range(4096):
        port = rng.randint(lo + PORT_STATIC_BAND, hi)
        if port not in used:
            return port
    for port in range(lo, hi + 1):
        if port not in used:
            return port
    return None
