"""Server-side defaulting and the pod admission mutations (K8S_FACTS §1.4)."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from cluster.apiserver.defaults import default_object
from cluster.apiserver.defaults.pod import default_pull_policy, image_tag

Obj = dict[str, Any]


def run_pod(name: str = "nginx", image: str = "nginx") -> Obj:
    """What ``kubectl run NAME --image=IMAGE`` POSTs (K8S_FACTS §1.1)."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "labels": {"run": name}},
        "spec": {
            "containers": [{"image": image, "name": name, "resources": {}}],
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": "Always",
        },
        "status": {},
    }


def create_deployment(replicas: int | None = 3) -> Obj:
    """What ``kubectl create deployment web --image=nginx`` sends (Appendix A)."""
    spec: Obj = {
        "selector": {"matchLabels": {"app": "web"}},
        "strategy": {},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"image": "nginx", "name": "nginx", "resources": {}}]},
        },
    }
    if replicas is not None:
        spec["replicas"] = replicas
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": spec,
    }


def service(**spec: Any) -> Obj:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}, "spec": spec}


@pytest.mark.parametrize(
    ("image", "policy"),
    [
        ("nginx", "Always"),
        ("nginx:latest", "Always"),
        ("nginx:1.25", "IfNotPresent"),
        ("nginx@sha256:" + "a" * 64, "IfNotPresent"),
        ("nginx:1.25@sha256:" + "a" * 64, "IfNotPresent"),
        ("registry.k8s.io/e2e/busybox:1.0", "IfNotPresent"),
        ("localhost:5000/web", "Always"),
        ("localhost:5000/web:v2", "IfNotPresent"),
        ("Nginx", "IfNotPresent"),  # unparsable: the defaulter ignores the error and finds no tag
    ],
)
def test_image_pull_policy(image: str, policy: str) -> None:
    assert default_pull_policy(image) == policy
    pod = run_pod(image=image)
    default_object(pod)
    assert pod["spec"]["containers"][0]["imagePullPolicy"] == policy


def test_image_tag_parsing() -> None:
    assert image_tag("nginx") == "latest"
    assert image_tag("docker.io/library/nginx:1.27-alpine") == "1.27-alpine"
    assert image_tag("nginx@sha256:" + "b" * 64) == ""


def test_kubectl_run_pod_gets_pod_defaults_and_admission_effects() -> None:
    pod = run_pod()
    default_object(pod, suffix=lambda: "x7k2p")
    assert pod["spec"] == {
        "containers": [
            {
                "image": "nginx",
                "name": "nginx",
                "resources": {},
                "imagePullPolicy": "Always",
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
                "volumeMounts": [
                    {
                        "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                        "name": "kube-api-access-x7k2p",
                        "readOnly": True,
                    }
                ],
            }
        ],
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
        "schedulerName": "default-scheduler",
        "enableServiceLinks": True,
        "serviceAccountName": "default",
        "serviceAccount": "default",
        "volumes": [
            {
                "name": "kube-api-access-x7k2p",
                "projected": {
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                        {
                            "downwardAPI": {
                                "items": [
                                    {
                                        "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                        "path": "namespace",
                                    }
                                ]
                            }
                        },
                    ],
                },
            }
        ],
        "tolerations": [
            {
                "effect": "NoExecute",
                "key": "node.kubernetes.io/not-ready",
                "operator": "Exists",
                "tolerationSeconds": 300,
            },
            {
                "effect": "NoExecute",
                "key": "node.kubernetes.io/unreachable",
                "operator": "Exists",
                "tolerationSeconds": 300,
            },
        ],
        "priority": 0,
        "preemptionPolicy": "PreemptLowerPriority",
    }
    assert pod["status"] == {}  # qosClass and phase are set later, not by defaulting


def test_pod_defaulting_is_idempotent_and_the_token_suffix_is_stable() -> None:
    first = run_pod("web")
    default_object(first)
    again = copy.deepcopy(first)
    default_object(again)
    assert again == first
    other = run_pod("web")
    default_object(other)
    volume = first["spec"]["volumes"][0]["name"]
    assert volume == other["spec"]["volumes"][0]["name"]
    assert volume.startswith("kube-api-access-")
    assert len(volume) == len("kube-api-access-") + 5


def test_existing_tolerations_and_disabled_automount_are_respected() -> None:
    pod = run_pod()
    pod["spec"]["automountServiceAccountToken"] = False
    pod["spec"]["tolerations"] = [{"operator": "Exists"}]  # tolerates every taint already
    default_object(pod)
    assert "volumes" not in pod["spec"]
    assert "volumeMounts" not in pod["spec"]["containers"][0]
    assert pod["spec"]["tolerations"] == [{"operator": "Exists"}]


def test_system_priority_class_resolves_to_its_value() -> None:
    pod = run_pod()
    pod["spec"]["priorityClassName"] = "system-node-critical"
    default_object(pod)
    assert pod["spec"]["priority"] == 2000001000


def test_pod_requests_default_to_limits_but_templates_do_not() -> None:
    resources = {"limits": {"cpu": "500m", "memory": "128Mi"}, "requests": {"cpu": "250m"}}
    pod = run_pod()
    pod["spec"]["containers"][0]["resources"] = copy.deepcopy(resources)
    default_object(pod)
    assert pod["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "250m", "memory": "128Mi"}

    deploy = create_deployment()
    deploy["spec"]["template"]["spec"]["containers"][0]["resources"] = copy.deepcopy(resources)
    default_object(deploy)
    assert deploy["spec"]["template"]["spec"]["containers"][0]["resources"]["requests"] == {"cpu": "250m"}


def test_deployment_defaults() -> None:
    deploy = create_deployment(replicas=None)
    default_object(deploy)
    spec = deploy["spec"]
    assert spec["replicas"] == 1
    assert spec["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}
    assert spec["revisionHistoryLimit"] == 10
    assert spec["progressDeadlineSeconds"] == 600
    assert "minReadySeconds" not in spec


def test_deployment_template_gets_pod_spec_defaults_only() -> None:
    deploy = create_deployment()
    default_object(deploy)
    template_spec = deploy["spec"]["template"]["spec"]
    assert template_spec == {
        "containers": [
            {
                "image": "nginx",
                "name": "nginx",
                "resources": {},
                "imagePullPolicy": "Always",
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
            }
        ],
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
        "schedulerName": "default-scheduler",
    }


@pytest.mark.parametrize(
    ("strategy", "expected"),
    [
        ({"type": "Recreate"}, {"type": "Recreate"}),
        (
            {"rollingUpdate": {"maxSurge": 1}},
            {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": "25%"}},
        ),
        (
            {"rollingUpdate": {"maxUnavailable": 0}},
            {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": "25%"}},
        ),
    ],
)
def test_deployment_explicit_values_are_kept(strategy: Obj, expected: Obj) -> None:
    deploy = create_deployment(replicas=0)
    deploy["spec"]["strategy"] = strategy
    deploy["spec"]["revisionHistoryLimit"] = 0
    default_object(deploy)
    assert deploy["spec"]["strategy"] == expected
    assert (deploy["spec"]["replicas"], deploy["spec"]["revisionHistoryLimit"]) == (0, 0)


def test_replica_set_defaults_replicas_and_template() -> None:
    rs = create_deployment(replicas=None)
    rs["kind"] = "ReplicaSet"
    default_object(rs)
    assert rs["spec"]["replicas"] == 1
    assert "strategy" in rs["spec"] and rs["spec"]["strategy"] == {}  # untouched: ReplicaSets have no strategy
    assert rs["spec"]["template"]["spec"]["schedulerName"] == "default-scheduler"


def test_probe_and_http_get_defaults() -> None:
    pod = run_pod()
    pod["spec"]["containers"][0]["livenessProbe"] = {"httpGet": {"port": 80}}
    pod["spec"]["containers"][0]["ports"] = [{"containerPort": 80}]
    default_object(pod)
    container = pod["spec"]["containers"][0]
    assert container["livenessProbe"] == {
        "httpGet": {"port": 80, "path": "/", "scheme": "HTTP"},
        "timeoutSeconds": 1,
        "periodSeconds": 10,
        "successThreshold": 1,
        "failureThreshold": 3,
    }
    assert container["ports"] == [{"containerPort": 80, "protocol": "TCP"}]


def test_volume_defaults() -> None:
    pod = run_pod()
    pod["spec"]["volumes"] = [
        {"name": "scratch"},
        {"name": "cfg", "configMap": {"name": "cfg"}},
        {"name": "h", "hostPath": {"path": "/x"}},
    ]
    default_object(pod, suffix=lambda: "abcde")
    assert pod["spec"]["volumes"][:3] == [
        {"name": "scratch", "emptyDir": {}},
        {"name": "cfg", "configMap": {"name": "cfg", "defaultMode": 420}},
        {"name": "h", "hostPath": {"path": "/x", "type": ""}},
    ]


@pytest.mark.parametrize(
    ("ports", "expected"),
    [
        ([{"port": 80}], [{"port": 80, "protocol": "TCP", "targetPort": 80}]),
        ([{"port": 80, "targetPort": 0}], [{"port": 80, "targetPort": 80, "protocol": "TCP"}]),
        ([{"port": 80, "targetPort": "http"}], [{"port": 80, "targetPort": "http", "protocol": "TCP"}]),
        ([{"port": 53, "protocol": "UDP", "targetPort": 5353}], [{"port": 53, "protocol": "UDP", "targetPort": 5353}]),
    ],
)
def test_service_port_protocol_and_target_port(ports: list[Obj], expected: list[Obj]) -> None:
    svc = service(ports=ports, selector={"app": "web"})
    default_object(svc)
    assert svc["spec"]["ports"] == expected


def test_cluster_ip_service_defaults() -> None:
    svc = service(ports=[{"port": 80}], selector={"app": "web"})
    default_object(svc)
    assert {k: v for k, v in svc["spec"].items() if k not in ("ports", "selector")} == {
        "sessionAffinity": "None",
        "type": "ClusterIP",
        "internalTrafficPolicy": "Cluster",
        "ipFamilyPolicy": "SingleStack",
        "ipFamilies": ["IPv4"],
    }
    assert "clusterIP" not in svc["spec"]  # allocated by the API server, not defaulted
    assert svc["status"] == {"loadBalancer": {}}  # a struct: it reads back even when empty


def test_a_container_from_a_manifest_reads_back_with_empty_resources() -> None:
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c"}]}}
    default_object(pod)
    assert pod["spec"]["containers"][0]["resources"] == {}


@pytest.mark.parametrize(
    ("svc_type", "extra"),
    [
        ("NodePort", {"externalTrafficPolicy": "Cluster"}),
        ("LoadBalancer", {"externalTrafficPolicy": "Cluster", "allocateLoadBalancerNodePorts": True}),
    ],
)
def test_externally_accessible_service_defaults(svc_type: str, extra: Obj) -> None:
    svc = service(type=svc_type, ports=[{"port": 80}])
    default_object(svc)
    for key, value in extra.items():
        assert svc["spec"][key] == value
    assert svc["spec"]["internalTrafficPolicy"] == "Cluster"


def test_client_ip_affinity_gets_a_three_hour_timeout() -> None:
    svc = service(ports=[{"port": 80}], sessionAffinity="ClientIP")
    default_object(svc)
    assert svc["spec"]["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}


def test_external_name_service_gets_no_ip_fields() -> None:
    svc = service(type="ExternalName", externalName="db.example.com")
    default_object(svc)
    assert svc["spec"] == {"type": "ExternalName", "externalName": "db.example.com", "sessionAffinity": "None"}


def test_namespace_gets_name_label_and_active_phase() -> None:
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev", "labels": {"team": "a"}}}
    default_object(ns)
    assert ns["metadata"]["labels"] == {"team": "a", "kubernetes.io/metadata.name": "dev"}
    assert ns["status"] == {"phase": "Active"}


def test_node_allocatable_defaults_to_capacity() -> None:
    capacity = {"cpu": "2", "memory": "4015948Ki", "pods": "110"}
    node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "n"}, "status": {"capacity": dict(capacity)}}
    default_object(node)
    assert node["status"]["allocatable"] == capacity


def test_hpa_defaults_min_replicas_and_cpu_metric() -> None:
    hpa = {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}, "maxReplicas": 5},
    }
    default_object(hpa)
    assert hpa["spec"]["minReplicas"] == 1
    assert hpa["spec"]["metrics"] == [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}
    ]
    assert "behavior" not in hpa["spec"]  # applied by the controller at run time, not stored


def test_hpa_partial_behavior_is_completed() -> None:
    hpa = {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web"},
        "spec": {"maxReplicas": 5, "behavior": {"scaleDown": {"stabilizationWindowSeconds": 60}}},
    }
    default_object(hpa)
    assert hpa["spec"]["behavior"] == {
        "scaleUp": {
            "policies": [
                {"periodSeconds": 15, "type": "Pods", "value": 4},
                {"periodSeconds": 15, "type": "Percent", "value": 100},
            ],
            "selectPolicy": "Max",
            "stabilizationWindowSeconds": 0,
        },
        "scaleDown": {
            "policies": [{"periodSeconds": 15, "type": "Percent", "value": 100}],
            "selectPolicy": "Max",
            "stabilizationWindowSeconds": 60,
        },
    }


@pytest.mark.parametrize(
    "obj",
    [
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}},
        {"apiVersion": "v1", "kind": "Event", "metadata": {"name": "e"}, "reason": "Started"},
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {"name": "i"},
            "spec": {"rules": [{"http": {"paths": [{"path": "/", "backend": {"service": {"name": "web"}}}]}}]},
        },
        {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}},
    ],
)
def test_kinds_without_defaults_are_untouched(obj: Obj) -> None:
    before = copy.deepcopy(obj)
    default_object(obj)
    assert obj == before


def test_endpoint_ports_default_to_tcp() -> None:
    endpoints = {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": "web"},
        "subsets": [{"ports": [{"port": 80}]}],
    }
    default_object(endpoints)
    assert endpoints["subsets"][0]["ports"] == [{"port": 80, "protocol": "TCP"}]
    eps = {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": "web-x"},
        "ports": [{"port": 80}],
    }
    default_object(eps)
    assert eps["ports"] == [{"port": 80, "name": "", "protocol": "TCP"}]
