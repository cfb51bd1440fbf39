"""Builders of Services, endpoints, Nodes, Events, HPAs and small objects for the printer tests (no tests here)."""

from __future__ import annotations

from typing import Any

Obj = dict[str, Any]


def service(
    name: str = "pe2",
    *,
    svc_type: str = "NodePort",
    cluster_ip: str = "10.96.123.45",
    ports: list[Obj] | None = None,
    selector: Obj | None = None,
    created: str = "2026-11-25T04:19:56Z",
    status: Obj | None = None,
    external_ips: list[str] | None = None,
) -> Obj:
    spec: Obj = {
        "type": svc_type,
        "clusterIP": cluster_ip,
        "clusterIPs": [cluster_ip],
        "ipFamilies": ["IPv4"],
        "ipFamilyPolicy": "SingleStack",
        "ports": ports
        if ports is not None
        else [{"port": 8080, "protocol": "TCP", "targetPort": 80, "nodePort": 31234}],
        "selector": selector if selector is not None else {"app": "web2"},
        "sessionAffinity": "None",
        "internalTrafficPolicy": "Cluster",
    }
    if svc_type in ("NodePort", "LoadBalancer"):
        spec["externalTrafficPolicy"] = "Cluster"
    if external_ips:
        spec["externalIPs"] = external_ips
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": name,
            "namespace": "default",
            "uid": f"uid-{name}",
            "creationTimestamp": created,
            "labels": {"app": "web2"},
        },
        "spec": spec,
        "status": status if status is not None else {"loadBalancer": {}},
    }


def endpoint_slice(service_name: str, ips: list[str], *, port: int = 80, not_ready: tuple[str, ...] = ()) -> Obj:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": f"{service_name}-abcde",
            "namespace": "default",
            "creationTimestamp": "2026-11-25T04:19:56Z",
            "labels": {
                "kubernetes.io/service-name": service_name,
                "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
            },
        },
        "addressType": "IPv4",
        "ports": [{"name": "", "port": port, "protocol": "TCP"}],
        "endpoints": [
            {
                "addresses": [ip],
                "conditions": {"ready": ip not in not_ready, "serving": True, "terminating": False},
                "nodeName": "worker-1",
                "targetRef": {"kind": "Pod", "name": f"pod-{ip.rsplit('.', 1)[-1]}", "namespace": "default"},
            }
            for ip in ips
        ],
    }


def endpoints(name: str, ips: list[str], *, port: int = 80) -> Obj:
    subsets = [{"addresses": [{"ip": ip} for ip in ips], "ports": [{"port": port, "protocol": "TCP"}]}] if ips else []
    return {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": name, "namespace": "default", "creationTimestamp": "2026-11-25T04:19:56Z"},
        "subsets": subsets,
    }


def node(
    name: str = "worker-1",
    *,
    ready: str = "True",
    roles: tuple[str, ...] = (),
    unschedulable: bool = False,
    ip: str = "192.168.49.3",
    created: str = "2026-11-20T03:50:48Z",
) -> Obj:
    labels = {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
    }
    labels.update({f"node-role.kubernetes.io/{role}": "" for role in roles})
    capacity = {
        "cpu": "2",
        "ephemeral-storage": "61255492Ki",
        "hugepages-1Gi": "0",
        "hugepages-2Mi": "0",
        "memory": "4015948Ki",
        "pods": "110",
    }
    spec: Obj = {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"]}
    if unschedulable:
        spec["unschedulable"] = True
        spec["taints"] = [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}]
    heartbeat = "2026-11-25T04:19:40Z"
    condition_texts = [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", ready, "KubeletReady", "kubelet is posting ready status"),
    ]
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "uid": f"uid-{name}",
            "creationTimestamp": created,
            "labels": labels,
            "annotations": {
                "node.alpha.kubernetes.io/ttl": "0",
                "volumes.kubernetes.io/controller-managed-attach-detach": "true",
            },
        },
        "spec": spec,
        "status": {
            "capacity": capacity,
            "allocatable": dict(capacity),
            "conditions": [
                {
                    "type": kind,
                    "status": status,
                    "lastHeartbeatTime": heartbeat,
                    "lastTransitionTime": created,
                    "reason": reason,
                    "message": message,
                }
                for kind, status, reason, message in condition_texts
            ],
            "addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
            "nodeInfo": {
                "machineID": "3b4f0f2d1c9e4c3aa1f6a9c2e0d1b7a5",
                "systemUUID": "3b4f0f2d-1c9e-4c3a-a1f6-a9c2e0d1b7a5",
                "bootID": "0e1d2c3b-4a59-4687-9a8b-7c6d5e4f3a2b",
                "kernelVersion": "6.8.0-45-generic",
                "osImage": "Ubuntu 22.04.4 LTS",
                "containerRuntimeVersion": "containerd://1.7.22",
                "kubeletVersion": "v1.32.4",
                "kubeProxyVersion": "",
                "operatingSystem": "linux",
                "architecture": "amd64",
            },
        },
    }


def event(
    reason: str,
    message: str,
    *,
    kind: str = "Pod",
    name: str = "web2-7c5ddbdf54-x7k2p",
    first: str = "2026-11-25T04:19:02Z",
    last: str | None = None,
    count: int = 1,
    type_: str = "Normal",
    component: str = "kubelet",
    host: str = "",
    field_path: str = "",
) -> Obj:
    involved: Obj = {"kind": kind, "namespace": "default", "name": name, "uid": f"uid-{name}", "apiVersion": "v1"}
    if field_path:
        involved["fieldPath"] = field_path
    source: Obj = {"component": component}
    if host:
        source["host"] = host
    return {
        "apiVersion": "v1",
        "kind": "Event",
        "metadata": {"name": f"{name}.18b2f3a1c0d4e5f6", "namespace": "default", "creationTimestamp": first},
        "involvedObject": involved,
        "reason": reason,
        "message": message,
        "source": source,
        "firstTimestamp": first,
        "lastTimestamp": last or first,
        "count": count,
        "type": type_,
        "reportingComponent": component,
        "reportingInstance": host,
    }


def hpa(*, current: int | None = 45, target: int = 80, created: str = "2026-11-25T04:10:00Z") -> Obj:
    status: Obj = {"currentReplicas": 2, "desiredReplicas": 2}
    if current is not None:
        status["currentMetrics"] = [
            {
                "type": "Resource",
                "resource": {"name": "cpu", "current": {"averageUtilization": current, "averageValue": "45m"}},
            }
        ]
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "namespace": "default", "creationTimestamp": created},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "minReplicas": 2,
            "maxReplicas": 5,
            "metrics": [
                {
                    "type": "Resource",
                    "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": target}},
                }
            ],
        },
        "status": status,
    }


def simple(
    kind: str, name: str, *, namespace: str | None = "default", created: str = "2026-11-25T04:00:00Z", **body: Any
) -> Obj:
    metadata: Obj = {"name": name, "creationTimestamp": created}
    if namespace:
        metadata["namespace"] = namespace
    return {"kind": kind, "metadata": metadata, **body}
