"""Builders of realistic API objects for the printer tests (no tests here).

The objects look like what the sandbox's API server stores after defaulting,
so golden files show what a learner would actually see.
"""

from __future__ import annotations

from typing import Any

from cluster.core.timefmt import parse_rfc3339

Obj = dict[str, Any]

NOW = parse_rfc3339("2026-11-25T04:20:00Z")
TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
]
DIGEST = "0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31"
POD_CONDITIONS = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"]


def owner(kind: str, name: str, uid: str) -> Obj:
    api_version = "v1" if kind in ("Node",) else "apps/v1"
    return {
        "apiVersion": api_version,
        "kind": kind,
        "name": name,
        "uid": uid,
        "controller": True,
        "blockOwnerDeletion": True,
    }


def api_access_volume(suffix: str = "x7k2p") -> Obj:
    return {
        "name": f"kube-api-access-{suffix}",
        "projected": {
            "defaultMode": 420,
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                {
                    "downwardAPI": {
                        "items": [
                            {"path": "namespace", "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}
                        ]
                    }
                },
            ],
        },
    }


def container(name: str = "nginx", image: str = "nginx:1.25", **extra: Any) -> Obj:
    spec: Obj = {
        "name": name,
        "image": image,
        "imagePullPolicy": "IfNotPresent",
        "resources": {},
        "terminationMessagePath": "/dev/termination-log",
        "terminationMessagePolicy": "File",
    }
    spec.update(extra)
    return spec


def running_status(name: str = "nginx", image: str = "nginx:1.25", started: str = "2026-11-25T04:15:03Z") -> Obj:
    return {
        "name": name,
        "ready": True,
        "started": True,
        "restartCount": 0,
        "image": image,
        "imageID": f"docker.io/library/{image.split(':')[0]}@sha256:" + DIGEST,
        "containerID": "containerd://8d2f3c1e9a7b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5",
        "state": {"running": {"startedAt": started}},
    }


def conditions(ready: bool = True) -> list[Obj]:
    out = []
    for kind in POD_CONDITIONS:
        status = "True" if ready or kind in ("PodScheduled", "Initialized", "PodReadyToStartContainers") else "False"
        out.append(
            {"type": kind, "status": status, "lastProbeTime": None, "lastTransitionTime": "2026-11-25T04:15:03Z"}
        )
    return out


def pod(
    name: str = "web2-7c5ddbdf54-x7k2p",
    *,
    namespace: str = "default",
    created: str = "2026-11-25T04:15:00Z",
    node: str | None = "worker-1",
    ip: str | None = "10.244.1.5",
    labels: Obj | None = None,
    rs: str | None = "web2-7c5ddbdf54",
    image: str = "nginx:1.25",
    statuses: list[Obj] | None = None,
    phase: str = "Running",
    ready: bool = True,
    resources: Obj | None = None,
) -> Obj:
    metadata: Obj = {
        "name": name,
        "namespace": namespace,
        "uid": f"uid-{name}",
        "resourceVersion": "812",
        "creationTimestamp": created,
        "labels": labels if labels is not None else {"app": "web2", "pod-template-hash": "7c5ddbdf54"},
    }
    if rs:
        metadata["generateName"] = rs + "-"
        metadata["ownerReferences"] = [owner("ReplicaSet", rs, f"uid-{rs}")]
    spec: Obj = {
        "containers": [
            container(
                image=image,
                resources=resources or {},
                volumeMounts=[
                    {
                        "name": "kube-api-access-x7k2p",
                        "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                        "readOnly": True,
                    }
                ],
            )
        ],
        "restartPolicy": "Always",
        "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst",
        "serviceAccountName": "default",
        "securityContext": {},
        "schedulerName": "default-scheduler",
        "tolerations": TOLERATIONS,
        "priority": 0,
        "enableServiceLinks": True,
        "preemptionPolicy": "PreemptLowerPriority",
        "volumes": [api_access_volume()],
    }
    status: Obj = {"phase": phase, "qosClass": "BestEffort" if not resources else "Burstable"}
    if node:
        spec["nodeName"] = node
        status["hostIP"] = "192.168.49.3"
        status["hostIPs"] = [{"ip": "192.168.49.3"}]
        status["startTime"] = created
        status["conditions"] = conditions(ready)
    if ip:
        status["podIP"] = ip
        status["podIPs"] = [{"ip": ip}]
    status["containerStatuses"] = statuses if statuses is not None else [running_status(image=image)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": metadata, "spec": spec, "status": status}


def template(labels: Obj, image: str = "nginx:1.25") -> Obj:
    return {
        "metadata": {"labels": labels},
        "spec": {
            "containers": [container(image=image)],
            "restartPolicy": "Always",
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst",
            "securityContext": {},
            "schedulerName": "default-scheduler",
        },
    }


def _with_unavailable(deploy: Obj) -> Obj:
    missing = deploy["spec"]["replicas"] - deploy["status"]["availableReplicas"]
    if missing > 0:
        deploy["status"]["unavailableReplicas"] = missing
    return deploy


def deployment(
    name: str = "web2",
    *,
    replicas: int = 3,
    ready: int = 3,
    updated: int = 3,
    available: int = 3,
    created: str = "2026-11-25T04:17:58Z",
    image: str = "nginx:1.25",
    generation: int = 1,
    observed: int = 1,
    revision: str = "1",
) -> Obj:
    return _with_unavailable(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {
                "name": name,
                "namespace": "default",
                "uid": f"uid-{name}",
                "resourceVersion": "845",
                "generation": generation,
                "creationTimestamp": created,
                "labels": {"app": name},
                "annotations": {"deployment.kubernetes.io/revision": revision},
            },
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": name}},
                "template": template({"app": name}, image),
                "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
                "revisionHistoryLimit": 10,
                "progressDeadlineSeconds": 600,
            },
            "status": {
                "observedGeneration": observed,
                "replicas": max(replicas, updated),
                "updatedReplicas": updated,
                "readyReplicas": ready,
                "availableReplicas": available,
                "conditions": [
                    {
                        "type": "Available",
                        "status": "True",
                        "reason": "MinimumReplicasAvailable",
                        "message": "Deployment has minimum availability.",
                        "lastUpdateTime": created,
                        "lastTransitionTime": created,
                    },
                    {
                        "type": "Progressing",
                        "status": "True",
                        "reason": "NewReplicaSetAvailable",
                        "message": f'ReplicaSet "{name}-7c5ddbdf54" has successfully progressed.',
                        "lastUpdateTime": created,
                        "lastTransitionTime": created,
                    },
                ],
            },
        }
    )


def replicaset(
    deploy: str = "web2",
    pod_hash: str = "7c5ddbdf54",
    *,
    replicas: int = 3,
    ready: int = 3,
    revision: str = "1",
    image: str = "nginx:1.25",
    created: str = "2026-11-25T04:17:58Z",
    change_cause: str | None = None,
) -> Obj:
    name = f"{deploy}-{pod_hash}"
    labels = {"app": deploy, "pod-template-hash": pod_hash}
    annotations = {
        "deployment.kubernetes.io/desired-replicas": "3",
        "deployment.kubernetes.io/max-replicas": "4",
        "deployment.kubernetes.io/revision": revision,
    }
    if change_cause:
        annotations["kubernetes.io/change-cause"] = change_cause
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {
            "name": name,
            "namespace": "default",
            "uid": f"uid-{name}",
            "creationTimestamp": created,
            "labels": labels,
            "annotations": annotations,
            "ownerReferences": [owner("Deployment", deploy, f"uid-{deploy}")],
        },
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": template(labels, image),
        },
        "status": {
            "replicas": replicas,
            "fullyLabeledReplicas": replicas,
            "readyReplicas": ready,
            "availableReplicas": ready,
            "observedGeneration": 1,
        },
    }
