"""``kubectl describe node``: conditions, capacity, the pods on the node and what they request.

The "Non-terminated Pods" and "Allocated resources" tables are computed like
kubectl's ``describeNodeResource``: per-pod requests/limits (containers summed,
init containers as a peak, plus overhead) as a truncated percentage of
allocatable. The Lease section reads ``kube-node-lease/<node>`` when it is
among the related objects; otherwise it is derived from the node itself
(holder = node name, renew time = the Ready condition's last heartbeat),
standing in for a kubelet that always renews its lease.
"""

from __future__ import annotations

from typing import Any

from cluster.core.quantity import (
    BINARY_SI,
    DECIMAL_SI,
    QuantityError,
    cpu_millis,
    format_cpu_millis,
    format_quantity,
    memory_bytes,
    pod_limits,
    pod_requests,
    quantity_format,
)
from cluster.core.timefmt import describe_timestamp, since
from cluster.kubectl.printers.describe.containers import quantity_text
from cluster.kubectl.printers.describe.writer import (
    PrefixWriter,
    describe_events,
    print_annotations_multiline,
    print_labels_multiline,
    print_taints_multiline,
)
from cluster.kubectl.printers.rows_cluster import node_roles

Obj = dict[str, Any]
_STANDARD = {"cpu", "memory", "ephemeral-storage", "pods"}
_SYSTEM_INFO = (
    ("Machine ID", "machineID"),
    ("System UUID", "systemUUID"),
    ("Boot ID", "bootID"),
    ("Kernel Version", "kernelVersion"),
    ("OS Image", "osImage"),
    ("Operating System", "operatingSystem"),
    ("Architecture", "architecture"),
    ("Container Runtime Version", "containerRuntimeVersion"),
    ("Kubelet Version", "kubeletVersion"),
    ("Kube-Proxy Version", "kubeProxyVersion"),
)


def _amount(name: str, value: Any) -> int:
    try:
        return cpu_millis(value) if name == "cpu" else memory_bytes(value)
    except QuantityError:
        return 0


def _format_of(pods: list[Obj], name: str, section: str) -> str:
    """The format the first container quantity for ``name`` was written in (Go's Add keeps it)."""
    if name == "cpu":
        return DECIMAL_SI
    for pod in pods:
        spec = pod.get("spec") or {}
        for container in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]:
            value = ((container.get("resources") or {}).get(section) or {}).get(name)
            if value is not None:
                try:
                    return quantity_format(value)
                except QuantityError:
                    break
    return BINARY_SI


def _text(name: str, amount: int, fmt: str) -> str:
    if name == "cpu":
        return format_cpu_millis(amount)
    return format_quantity(amount, fmt)


def _percent(amount: int, allocatable: int) -> int:
    return int(amount / allocatable * 100) if allocatable else 0


def _allocatable(node: Obj) -> dict[str, Any]:
    status = node.get("status") or {}
    values: dict[str, Any] = status.get("allocatable") or status.get("capacity") or {}
    return values


def _lease(w: PrefixWriter, node: Obj, leases: list[Obj]) -> None:
    name = (node.get("metadata") or {}).get("name", "")
    lease = next((item for item in leases if (item.get("metadata") or {}).get("name") == name), None)
    w.write(0, "Lease:\n")
    if lease is not None:
        spec = lease.get("spec") or {}
        holder, acquired, renewed = spec.get("holderIdentity"), spec.get("acquireTime"), spec.get("renewTime")
    else:
        ready = [c for c in (node.get("status") or {}).get("conditions") or [] if c.get("type") == "Ready"]
        holder, acquired = name, None
        renewed = ready[-1].get("lastHeartbeatTime") if ready else None
    w.write(1, f"HolderIdentity:\t{holder or '<unset>'}\n")
    w.write(1, f"AcquireTime:\t{describe_timestamp(acquired) if acquired else '<unset>'}\n")
    w.write(1, f"RenewTime:\t{describe_timestamp(renewed) if renewed else '<unset>'}\n")


def _conditions(w: PrefixWriter, node: Obj) -> None:
    conditions = (node.get("status") or {}).get("conditions") or []
    if not conditions:
        return
    w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n")
    w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
    for c in conditions:
        heartbeat = describe_timestamp(c.get("lastHeartbeatTime"))
        transition = describe_timestamp(c.get("lastTransitionTime"))
        w.write(
            1,
            f"{c.get('type', '')} \t{c.get('status', '')} \t{heartbeat} \t{transition} \t{c.get('reason', '')} "
            f"\t{c.get('message', '')}\n",
        )


def _resources_and_info(w: PrefixWriter, node: Obj) -> None:
    status, spec = node.get("status") or {}, node.get("spec") or {}
    w.write(0, "Addresses:\n")
    for address in status.get("addresses") or []:
        w.write(1, f"{address.get('type', '')}:\t{address.get('address', '')}\n")
    for title, key in (("Capacity", "capacity"), ("Allocatable", "allocatable")):
        values = status.get(key) or {}
        if values:
            w.write(0, f"{title}:\n")
            for name in sorted(values):
                w.write(0, f"  {name}:\t{quantity_text(values[name])}\n")
    info = status.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for title, key in _SYSTEM_INFO:
        w.write(0, f"  {title}:\t{info.get(key, '')}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{spec['providerID']}\n")


def _pods_table(w: PrefixWriter, node: Obj, pods: list[Obj], now_ms: int) -> None:
    allocatable = _allocatable(node)
    alloc_cpu, alloc_mem = _amount("cpu", allocatable.get("cpu", 0)), _amount("memory", allocatable.get("memory", 0))
    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    for pod in pods:
        requests, limits = pod_requests(pod), pod_limits(pod)
        cells = []
        for name, alloc in (("cpu", alloc_cpu), ("memory", alloc_mem)):
            for values, section in ((requests, "requests"), (limits, "limits")):
                amount = values.get(name, 0)
                cells.append(f"{_text(name, amount, _format_of([pod], name, section))} ({_percent(amount, alloc)}%)")
        metadata = pod.get("metadata") or {}
        age = since(metadata.get("creationTimestamp"), now_ms)
        w.write(1, f"{metadata.get('namespace', '')}\t{metadata.get('name', '')}\t\t{chr(9).join(cells)}\t{age}\n")


def _allocated(w: PrefixWriter, node: Obj, pods: list[Obj]) -> None:
    allocatable = _allocatable(node)
    w.write(0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n")
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    requests: dict[str, int] = {}
    limits: dict[str, int] = {}
    for pod in pods:
        for totals, values in ((requests, pod_requests(pod)), (limits, pod_limits(pod))):
            for name, amount in values.items():
                totals[name] = totals.get(name, 0) + amount
    hugepages = sorted(name for name in allocatable if name.startswith("hugepages-"))
    for name in ["cpu", "memory", "ephemeral-storage", *hugepages]:
        alloc = _amount(name, allocatable.get(name, 0))
        texts = []
        for totals, section in ((requests, "requests"), (limits, "limits")):
            amount = totals.get(name, 0)
            texts.append(f"{_text(name, amount, _format_of(pods, name, section))} ({_percent(amount, alloc)}%)")
        w.write(1, f"{name}\t{texts[0]}\t{texts[1]}\n")
    extended = sorted(name for name in allocatable if name not in _STANDARD and not name.startswith("hugepages-"))
    for name in extended:
        fmt = _format_of(pods, name, "requests")
        w.write(1, f"{name}\t{_text(name, requests.get(name, 0), fmt)}\t{_text(name, limits.get(name, 0), fmt)}\n")


def _non_terminated(node: Obj, pods: list[Obj]) -> list[Obj]:
    name = (node.get("metadata") or {}).get("name")
    return [
        pod
        for pod in pods
        if (pod.get("spec") or {}).get("nodeName") in (None, name)
        and (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
    ]


def describe_node(node: Obj, related: dict[str, list[Obj]], events: list[Obj] | None, now_ms: int) -> str:
    metadata, spec = node.get("metadata") or {}, node.get("spec") or {}
    w = PrefixWriter()
    w.write(0, f"Name:\t{metadata.get('name', '')}\n")
    w.write(0, f"Roles:\t{','.join(node_roles(node)) or '<none>'}\n")
    print_labels_multiline(w, "Labels", metadata.get("labels"))
    print_annotations_multiline(w, "Annotations", metadata.get("annotations"))
    w.write(0, f"CreationTimestamp:\t{describe_timestamp(metadata.get('creationTimestamp'))}\n")
    print_taints_multiline(w, "Taints", spec.get("taints"))
    w.write(0, f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}\n")
    _lease(w, node, related.get("Lease") or [])
    _conditions(w, node)
    _resources_and_info(w, node)
    pods = _non_terminated(node, related.get("Pod") or [])
    _pods_table(w, node, pods, now_ms)
    _allocated(w, node, pods)
    describe_events(w, events, now_ms)
    return w.tabbed()
