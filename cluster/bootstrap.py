"""The objects a fresh sandbox starts with: what ``kubeadm init`` and ``kubeadm join`` leave behind.

Simplification (said in the UI too): the control-plane components run as
boxes on the cluster map rather than as static pods in ``kube-system``.
"""

from __future__ import annotations

from cluster.core.objects import Obj
from cluster.sim_names import CONTROL_PLANE_NODE, worker_name

API_SERVER_IP = "192.168.49.2"


def namespace(name: str) -> Obj:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def kubernetes_service() -> list[Obj]:
    labels = {"component": "apiserver", "provider": "kubernetes"}
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "kubernetes", "namespace": "default", "labels": labels},
        "spec": {
            "type": "ClusterIP",
            "clusterIP": "10.96.0.1",
            "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
        },
    }
    endpoints = {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"},
        },
        "subsets": [
            {"addresses": [{"ip": API_SERVER_IP}], "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}
        ],
    }
    endpoint_slice = {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"kubernetes.io/service-name": "kubernetes"},
        },
        "addressType": "IPv4",
        "endpoints": [{"addresses": [API_SERVER_IP], "conditions": {"ready": True}}],
        "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
    }
    return [service, endpoints, endpoint_slice]


def bootstrap_objects(workers: int, now_ms: int) -> list[Obj]:
    from cluster.kubelet import new_node

    objects: list[Obj] = [namespace(ns) for ns in ("default", "kube-node-lease", "kube-public", "kube-system")]
    objects.append(new_node(CONTROL_PLANE_NODE, 0, now_ms, "control-plane"))
    objects.extend(new_node(worker_name(i), i, now_ms, "worker") for i in range(1, workers + 1))
    objects.extend(kubernetes_service())
    return objects
