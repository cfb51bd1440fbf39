"""``kubectl describe`` text: goldens per kind plus the layout rules of K8S_FACTS §6.4 / Appendix B."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cluster.core.timefmt import rfc3339
from cluster.kubectl.printers import describe
from tests.unit.test_printers_support import NOW, deployment, pod, replicaset
from tests.unit.test_printers_support_net import endpoint_slice, endpoints, event, hpa, node, service, simple

Obj = dict[str, Any]
Golden = Callable[[str, str], None]


def ago(seconds: int) -> str:
    return rfc3339(NOW - seconds * 1000)


def pod_events() -> list[Obj]:
    return [
        event("Pulling", 'Pulling image "nginx:1.25"', first=ago(57), field_path="spec.containers{nginx}"),
        event(
            "Scheduled",
            "Successfully assigned default/web2-7c5ddbdf54-x7k2p to worker-1",
            first=ago(58),
            component="default-scheduler",
        ),
    ]


def test_describe_pod_tail_matches_observed_layout() -> None:
    text = describe("Pod", pod(), {}, pod_events(), NOW)
    assert text.endswith(
        "Conditions:\n"
        "  Type                        Status\n"
        "  PodReadyToStartContainers   True \n"
        "  Initialized                 True \n"
        "  Ready                       True \n"
        "  ContainersReady             True \n"
        "  PodScheduled                True \n"
        "Volumes:\n"
        "  kube-api-access-x7k2p:\n"
        "    Type:                    Projected (a volume that contains injected data from multiple sources)\n"
        "    TokenExpirationSeconds:  3607\n"
        "    ConfigMapName:           kube-root-ca.crt\n"
        "    ConfigMapOptional:       <nil>\n"
        "    DownwardAPI:             true\n"
        "QoS Class:                   BestEffort\n"
        "Node-Selectors:              <none>\n"
        "Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
        "                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
        "Events:\n"
        "  Type    Reason     Age   From               Message\n"
        "  ----    ------     ----  ----               -------\n"
        "  Normal  Scheduled  58s   default-scheduler  "
        "Successfully assigned default/web2-7c5ddbdf54-x7k2p to worker-1\n"
        '  Normal  Pulling    57s   kubelet            Pulling image "nginx:1.25"\n'
    )


def test_without_volumes_the_volumes_line_joins_the_conditions_block() -> None:
    bare = pod()
    bare["spec"]["volumes"] = []
    assert "\nVolumes:                      <none>\nQoS Class:                    BestEffort\n" in describe(
        "Pod", bare, {}, [], NOW
    )


def test_no_events_and_hidden_events() -> None:
    assert describe("Pod", pod(), {}, [], NOW).endswith("Events:                      <none>\n")
    assert "Events" not in describe("Pod", pod(), {}, None, NOW)


def test_repeated_events_show_count_and_span() -> None:
    backoff = event(
        "BackOff", "Back-off restarting failed container", type_="Warning", first=ago(8 * 3600), last=ago(63), count=3
    )
    assert "  Warning  BackOff  63s (x3 over 8h)  kubelet  Back-off restarting failed container\n" in describe(
        "Pod", pod(), {}, [backoff], NOW
    )


def crashing_pod() -> Obj:
    p = pod(
        "app-7d9c8b6f5d-q2w3e",
        labels={"app": "app", "pod-template-hash": "7d9c8b6f5d"},
        rs="app-7d9c8b6f5d",
        image="busybox:1.36",
        ready=False,
        resources={"requests": {"cpu": "100m", "memory": "64Mi"}, "limits": {"memory": "128Mi"}},
    )
    p["spec"]["containers"][0].update(
        command=["sh", "-c"],
        args=["echo starting; exit 1"],
        ports=[{"containerPort": 8080, "protocol": "TCP"}],
        env=[
            {"name": "MODE", "value": "debug"},
            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
            {"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "db", "key": "password"}}},
        ],
        livenessProbe={
            "httpGet": {"path": "/healthz", "port": 8080, "scheme": "HTTP"},
            "timeoutSeconds": 1,
            "periodSeconds": 10,
            "successThreshold": 1,
            "failureThreshold": 3,
        },
    )
    p["status"]["containerStatuses"] = [
        {
            "name": "nginx",
            "ready": False,
            "started": False,
            "restartCount": 4,
            "image": "docker.io/library/busybox:1.36",
            "imageID": "docker.io/library/busybox@sha256:768e5c6f5cb6db0794eec98dc7a967f4"
            "0631746c32232b78a3105fb946f3ab83",
            "containerID": "containerd://4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c",
            "state": {
                "waiting": {"reason": "CrashLoopBackOff", "message": "back-off 1m20s restarting failed container"}
            },
            "lastState": {
                "terminated": {
                    "exitCode": 1,
                    "reason": "Error",
                    "startedAt": ago(95),
                    "finishedAt": ago(95),
                }
            },
        }
    ]
    return p


def test_describe_pod_goldens(golden: Golden) -> None:
    golden("printers/describe_pod.txt", describe("Pod", pod(), {}, pod_events(), NOW))
    backoff = event(
        "BackOff",
        "Back-off restarting failed container nginx in pod app-7d9c8b6f5d-q2w3e_default(uid-app)",
        name="app-7d9c8b6f5d-q2w3e",
        type_="Warning",
        first=ago(300),
        last=ago(10),
        count=6,
    )
    golden("printers/describe_pod_crashloop.txt", describe("Pod", crashing_pod(), {}, [backoff], NOW))
    terminating = pod()
    terminating["metadata"]["deletionTimestamp"] = ago(-25)
    terminating["metadata"]["deletionGracePeriodSeconds"] = 30
    golden("printers/describe_pod_terminating.txt", describe("Pod", terminating, {}, [], NOW))


def test_terminating_pod_status_lines() -> None:
    terminating = pod()
    terminating["metadata"]["deletionTimestamp"] = ago(-25)
    terminating["metadata"]["deletionGracePeriodSeconds"] = 30
    text = describe("Pod", terminating, {}, [], NOW)
    assert "Status:                    Terminating (lasts <invalid>)\n" in text
    assert "Termination Grace Period:  30s\n" in text


def deployment_replicasets() -> list[Obj]:
    old = replicaset(pod_hash="6d57fb5cfd", replicas=0, ready=0, image="nginx:1.24", created=ago(3600))
    return [replicaset(replicas=3, ready=3, revision="2"), old, replicaset("other", replicas=1)]


def test_describe_deployment_golden(golden: Golden) -> None:
    events = [
        event(
            "ScalingReplicaSet",
            "Scaled up replica set web2-7c5ddbdf54 from 0 to 3",
            kind="Deployment",
            name="web2",
            component="deployment-controller",
            first=ago(122),
        )
    ]
    text = describe("Deployment", deployment(revision="2"), {"ReplicaSet": deployment_replicasets()}, events, NOW)
    golden("printers/describe_deployment.txt", text)
    assert "OldReplicaSets:  web2-6d57fb5cfd (0/0 replicas created)\n" in text
    assert "NewReplicaSet:   web2-7c5ddbdf54 (3/3 replicas created)\n" in text
    assert "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable\n" in text


def test_describe_deployment_without_replicasets_omits_the_lines() -> None:
    text = describe("Deployment", deployment(), {}, [], NOW)
    assert "OldReplicaSets" not in text
    assert "NewReplicaSet:" not in text


def test_describe_replicaset_golden(golden: Golden) -> None:
    pods = [
        pod(),
        pod("web2-7c5ddbdf54-b9qzm", phase="Pending", statuses=[]),
        pod("stranger", rs="other-rs"),
    ]
    text = describe("ReplicaSet", replicaset(), {"Pod": pods}, [], NOW)
    golden("printers/describe_replicaset.txt", text)
    assert "Pods Status:    1 Running / 1 Waiting / 0 Succeeded / 0 Failed\n" in text
    assert "Replicas:       3 current / 3 desired\n" in text
    assert "Controlled By:  Deployment/web2\n" in text


def test_describe_service_golden(golden: Golden) -> None:
    slices = [
        endpoint_slice(
            "pe2", ["10.244.1.5", "10.244.2.3", "10.244.2.4", "10.244.1.9", "10.244.2.8"], not_ready=("10.244.2.4",)
        )
    ]
    text = describe("Service", service(), {"EndpointSlice": slices}, [], NOW)
    golden("printers/describe_service.txt", text)
    assert "Port:                     <unset>  8080/TCP\n" in text
    assert "Endpoints:                10.244.1.5:80,10.244.2.3:80,10.244.1.9:80 + 1 more...\n" in text


def test_describe_service_endpoint_sources() -> None:
    assert "Endpoints:                <none>\n" in describe("Service", service(), {"EndpointSlice": []}, [], NOW)
    legacy = {"Endpoints": [endpoints("pe2", ["10.244.1.5"])]}
    assert "Endpoints:                10.244.1.5:80\n" in describe("Service", service(), legacy, [], NOW)


def test_describe_node_golden(golden: Golden) -> None:
    p1 = pod(resources={"requests": {"cpu": "250m", "memory": "64Mi"}, "limits": {"cpu": "500m", "memory": "128Mi"}})
    p2 = pod(
        "kube-proxy-7xk9p", namespace="kube-system", rs=None, labels={"k8s-app": "kube-proxy"}, created=ago(5 * 86400)
    )
    done = pod("job-abc", phase="Succeeded", statuses=[])
    events = [
        event("NodeReady", "Node worker-1 status is now: NodeReady", kind="Node", name="worker-1", first=ago(5 * 86400))
    ]
    text = describe("Node", node(), {"Pod": [p1, p2, done]}, events, NOW)
    golden("printers/describe_node.txt", text)
    assert "Non-terminated Pods:          (2 in total)\n" in text
    assert "  cpu                250m (12%)  500m (25%)\n" in text
    assert "  memory             64Mi (1%)   128Mi (3%)\n" in text


def test_describe_node_reads_the_lease_when_given() -> None:
    lease = simple(
        "Lease",
        "worker-1",
        namespace="kube-node-lease",
        spec={"holderIdentity": "worker-1", "renewTime": "2026-11-25T04:19:55.000000Z", "acquireTime": ago(86400)},
    )
    text = describe("Node", node(), {"Lease": [lease]}, [], NOW)
    assert "  HolderIdentity:  worker-1\n  AcquireTime:     Tue, 24 Nov 2026 04:20:00 +0000\n" in text
    assert "  RenewTime:       Wed, 25 Nov 2026 04:19:55 +0000\n" in text


def test_describe_cordoned_node_taints() -> None:
    text = describe("Node", node(unschedulable=True, roles=("control-plane",)), {}, [], NOW)
    assert "Roles:              control-plane\n" in text
    assert "Taints:             node.kubernetes.io/unschedulable:NoSchedule\nUnschedulable:      true\n" in text


def test_describe_namespace_golden(golden: Golden) -> None:
    ns = simple(
        "Namespace",
        "default",
        namespace=None,
        metadata_labels=None,
        status={"phase": "Active"},
    )
    ns["metadata"]["labels"] = {"kubernetes.io/metadata.name": "default"}
    golden("printers/describe_namespace.txt", describe("Namespace", ns, {}, None, NOW))


def test_describe_hpa_golden(golden: Golden) -> None:
    obj = hpa()
    obj["status"]["conditions"] = [
        {
            "type": "AbleToScale",
            "status": "True",
            "reason": "ReadyForNewScale",
            "message": "recommended size matches current size",
        },
        {
            "type": "ScalingActive",
            "status": "True",
            "reason": "ValidMetricFound",
            "message": "the HPA was able to successfully calculate a replica count from cpu resource utilization "
            "(percentage of request)",
        },
    ]
    text = describe("HorizontalPodAutoscaler", obj, {}, [], NOW)
    golden("printers/describe_hpa.txt", text)
    assert "  resource cpu on pods  (as a percentage of request):  45% (45m) / 80%\n" in text


def test_describe_ingress_golden(golden: Golden) -> None:
    ingress = simple(
        "Ingress",
        "web",
        spec={
            "ingressClassName": "nginx",
            "rules": [
                {
                    "host": "web.example.com",
                    "http": {
                        "paths": [
                            {
                                "path": "/",
                                "pathType": "Prefix",
                                "backend": {"service": {"name": "pe2", "port": {"number": 8080}}},
                            },
                            {
                                "path": "/api",
                                "pathType": "Prefix",
                                "backend": {"service": {"name": "api", "port": {"number": 80}}},
                            },
                        ]
                    },
                }
            ],
        },
        status={"loadBalancer": {"ingress": [{"ip": "192.168.49.2"}]}},
    )
    related = {"Service": [service()], "EndpointSlice": [endpoint_slice("pe2", ["10.244.1.5"])]}
    text = describe("Ingress", ingress, related, [], NOW)
    golden("printers/describe_ingress.txt", text)
    assert 'api:80 (<error: services "api" not found>)' in text


def test_generic_describe_uses_smart_labels() -> None:
    lease = simple(
        "Lease",
        "worker-1",
        namespace="kube-node-lease",
        apiVersion="coordination.k8s.io/v1",
        spec={"holderIdentity": "worker-1", "leaseDurationSeconds": 40},
    )
    text = describe("Lease", lease, {}, None, NOW)
    assert "API Version:  coordination.k8s.io/v1\n" in text
    assert "  Holder Identity:         worker-1\n  Lease Duration Seconds:  40\n" in text
    assert "Creation Timestamp:  2026-11-25T04:00:00Z\n" in text


def test_configmap_describe_lists_data() -> None:
    cm = simple("ConfigMap", "app", data={"b.txt": "two", "a.txt": "one"})
    text = describe("ConfigMap", cm, {}, [], NOW)
    assert "\nData\n====\na.txt:\n----\none\n\nb.txt:\n----\ntwo\n\n\nBinaryData\n====\n\nEvents:  <none>\n" in text
