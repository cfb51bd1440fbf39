"""Node objects as a kubelet registers and reports them.

``new_node`` builds what ``kubeadm join`` leaves in the API (labels,
addresses, capacity, nodeInfo, podCIDR) so ``kubectl get nodes -o wide`` and
``describe node`` look like a kind/minikube cluster. While its kubelet runs,
the kubelet owns the node's conditions: after a fault clears it reports
Ready again with the kubelet's own reasons and messages, and it lists the
images it has pulled in ``status.images`` (largest first, at most 50, like
``nodeStatusMaxImages``).

Simplification: no periodic heartbeats or Lease renewals are written; the
node lifecycle controller reads the kubelet's running/stopped state instead.
"""

from __future__ import annotations

import hashlib
from typing import Any

from cluster.core.objects import Obj, clone
from cluster.core.timefmt import rfc3339
from cluster.kubelet.images import ImageInfo

KUBELET_VERSION = "v1.32.4"
MAX_IMAGES = 50
CONTROL_PLANE_ROLE = "control-plane"

_PRESSURE = (
    ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
    ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
)


def node_ready_conditions(now_ms: int) -> list[dict[str, Any]]:
    """The four conditions of a healthy node, in the kubelet's order."""
    stamp = rfc3339(now_ms)
    out = [
        {
            "type": t,
            "status": "False",
            "lastHeartbeatTime": stamp,
            "lastTransitionTime": stamp,
            "reason": r,
            "message": m,
        }
        for t, r, m in _PRESSURE
    ]
    out.append(
        {
            "type": "Ready",
            "status": "True",
            "lastHeartbeatTime": stamp,
            "lastTransitionTime": stamp,
            "reason": "KubeletReady",
            "message": "kubelet is posting ready status",
        }
    )
    return out


def _hex(*parts: object, length: int = 32) -> str:
    return hashlib.sha256("/".join(str(p) for p in parts).encode()).hexdigest()[:length]


def _uuid(*parts: object) -> str:
    h = _hex(*parts)
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:32]}"


def _resources() -> dict[str, str]:
    return {
        "cpu": "2",
        "ephemeral-storage": "61202244Ki",
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        "memory": "4015948Ki",
        "pods": "110",
    }


def _labels(name: str, role: str) -> dict[str, str]:
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
    }
    if role == CONTROL_PLANE_ROLE:
        labels["node-role.kubernetes.io/control-plane"] = ""
        labels["node.kubernetes.io/exclude-from-external-load-balancers"] = ""
    return labels


def new_node(name: str, index: int, now_ms: int, role: str = "worker") -> Obj:
    """A registered, Ready node: ``index`` 0 is the control plane (192.168.49.2, 10.244.0.0/24)."""
    cidr = f"10.244.{index}.0/24"
    spec: dict[str, Any] = {"podCIDR": cidr, "podCIDRs": [cidr]}
    if role == CONTROL_PLANE_ROLE:
        spec["taints"] = [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": _labels(name, role),
            "annotations": {
                "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
            "creationTimestamp": rfc3339(now_ms),
        },
        "spec": spec,
        "status": {
            "addresses": [
                {"type": "InternalIP", "address": f"192.168.49.{index + 2}"},
                {"type": "Hostname", "address": name},
            ],
            "allocatable": _resources(),
            "capacity": _resources(),
            "conditions": node_ready_conditions(now_ms),
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "images": [],
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": _uuid(name, "boot"),
                "containerRuntimeVersion": "containerd://1.7.24",
                "kernelVersion": "6.8.0-45-generic",
                "kubeProxyVersion": KUBELET_VERSION,
                "kubeletVersion": KUBELET_VERSION,
                "machineID": _hex(name, "machine"),
                "operatingSystem": "linux",
                "osImage": "Ubuntu 22.04.5 LTS",
                "systemUUID": _uuid(name, "system"),
            },
        },
    }


def internal_ip(node: Obj) -> str:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return str(address.get("address", ""))
    return ""


def image_names(node: Obj) -> set[str]:
    return {n for image in (node.get("status") or {}).get("images") or [] for n in image.get("names") or []}


def with_images(node: Obj, pulled: list[ImageInfo]) -> Obj | None:
    """A copy of ``node`` listing the newly pulled images, or None when it already lists them."""
    images = [clone(i) for i in (node.get("status") or {}).get("images") or []]
    known = {n for i in images for n in i.get("names") or []}
    added = False
    for info in pulled:
        if info.digest_ref in known:
            continue
        images.append({"names": info.names, "sizeBytes": info.size_bytes})
        known.update(info.names)
        added = True
    if not added:
        return None
    images.sort(key=lambda i: -int(i.get("sizeBytes") or 0))
    updated: Obj = clone(node)
    updated.setdefault("status", {})["images"] = images[:MAX_IMAGES]
    return updated


def is_ready(node: Obj) -> bool:
    for cond in (node.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            return bool(cond.get("status") == "True")
    return False


def with_ready_conditions(node: Obj, now_ms: int) -> Obj:
    """A copy of ``node`` reporting healthy conditions; unchanged conditions keep their transition time."""
    old = {c.get("type"): c for c in (node.get("status") or {}).get("conditions") or []}
    fresh = node_ready_conditions(now_ms)
    for cond in fresh:
        prev = old.get(cond["type"])
        if prev is not None and prev.get("status") == cond["status"] and prev.get("lastTransitionTime"):
            cond["lastTransitionTime"] = prev["lastTransitionTime"]
    known = {c["type"] for c in fresh}
    updated: Obj = clone(node)
    updated.setdefault("status", {})["conditions"] = fresh + [clone(c) for t, c in old.items() if t not in known]
    return updated
