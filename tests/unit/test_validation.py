"""Kind validation with Kubernetes 1.32's field paths and messages (K8S_FACTS §2)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from cluster.apiserver.defaults import default_object
from cluster.apiserver.validation import convert_hpa_v1_to_v2, convert_hpa_v2_to_v1, validate_object
from cluster.core.errors import invalid_object

Obj = dict[str, Any]
Mutation = Callable[[Obj], None]

LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)


def deployment() -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": "default", "labels": {"app": "web"}},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25"}]},
            },
        },
    }


def pod() -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"containers": [{"name": "web", "image": "nginx"}]},
    }


def service() -> Obj:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80}]},
    }


def messages(obj: Obj, old: Obj | None = None) -> list[str]:
    default_object(obj)
    return [e.message() for e in validate_object(obj, old)]


def mutated(factory: Callable[[], Obj], mutate: Mutation) -> Obj:
    obj = factory()
    mutate(obj)
    return obj


def _set(path: str, value: Any) -> Mutation:
    def mutate(obj: Obj) -> None:
        *parents, last = path.split(".")
        target = obj
        for part in parents:
            target = target[int(part)] if isinstance(target, list) else target.setdefault(part, {})
        target[last] = value

    return mutate


def _delete(path: str) -> Mutation:
    def mutate(obj: Obj) -> None:
        *parents, last = path.split(".")
        target = obj
        for part in parents:
            target = target[part]
        del target[last]

    return mutate


def test_valid_objects_have_no_errors() -> None:
    for obj in (deployment(), pod(), service()):
        assert messages(obj) == []


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            _set("spec.template.metadata.labels", {"app": "web2"}),
            [
                'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web2"}: '
                "`selector` does not match template `labels`"
            ],
        ),
        (
            _delete("spec.selector"),
            [
                "spec.selector: Required value",
                'spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: '
                "`selector` does not match template `labels`",
            ],
        ),
        (
            _set("spec.selector", {}),
            [
                "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
                "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"
            ],
        ),
        (_set("spec.replicas", -1), ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"]),
        (
            _set("spec.minReadySeconds", -5),
            ["spec.minReadySeconds: Invalid value: -5: must be greater than or equal to 0"],
        ),
        (
            _set("spec.revisionHistoryLimit", -1),
            ["spec.revisionHistoryLimit: Invalid value: -1: must be greater than or equal to 0"],
        ),
        (
            lambda d: d["spec"].update(minReadySeconds=600, progressDeadlineSeconds=600),
            ["spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"],
        ),
        (
            _set("spec.strategy", {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}),
            ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"],
        ),
        (
            _set("spec.strategy", {"rollingUpdate": {"maxSurge": "0%", "maxUnavailable": "0%"}}),
            ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0'],
        ),
        (
            _set("spec.strategy", {"rollingUpdate": {"maxUnavailable": "120%"}}),
            ['spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "120%": must not be greater than 100%'],
        ),
        (
            _set("spec.strategy", {"rollingUpdate": {"maxSurge": "1"}}),
            [
                'spec.strategy.rollingUpdate.maxSurge: Invalid value: "1": a valid percent string must be a numeric '
                "string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
            ],
        ),
        (
            _set("spec.strategy", {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}),
            ["spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"],
        ),
        (
            _set("spec.strategy", {"type": "BlueGreen"}),
            [
                'spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:"BlueGreen", '
                'RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: "Recreate", "RollingUpdate"'
            ],
        ),
        (
            _set("spec.template.spec.restartPolicy", "Never"),
            ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
        ),
        (
            _set("spec.template.spec.containers", []),
            ["spec.template.spec.containers: Required value"],
        ),
        (
            lambda d: d["spec"]["template"]["spec"]["containers"][0].pop("image"),
            ["spec.template.spec.containers[0].image: Required value"],
        ),
    ],
)
def test_deployment_validation(mutate: Mutation, expected: list[str]) -> None:
    assert messages(mutated(deployment, mutate)) == expected


def test_selector_mismatch_renders_like_kubectl() -> None:
    obj = mutated(deployment, _set("spec.template.metadata.labels", {"app": "web2"}))
    default_object(obj)
    error = invalid_object("Deployment", "apps", "web", validate_object(obj, None))
    assert error.details["kind"] == "Deployment"
    assert error.causes() == [
        {
            "reason": "FieldValueInvalid",
            "message": 'Invalid value: map[string]string{"app":"web2"}: `selector` does not match template `labels`',
            "field": "spec.template.metadata.labels",
        }
    ]


def test_deployment_selector_is_immutable() -> None:
    old = deployment()
    default_object(old)
    new = copy.deepcopy(old)
    new["spec"]["selector"] = {"matchLabels": {"app": "new"}}
    new["spec"]["template"]["metadata"]["labels"] = {"app": "new"}
    assert messages(new, old) == [
        'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"new"}, '
        "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"
    ]
    removed = copy.deepcopy(old)
    del removed["spec"]["selector"]
    assert messages(removed, old)[0] == "spec.selector: Required value"
    assert messages(removed, old)[-1] == 'spec.selector: Invalid value: "null": field is immutable'
    same = copy.deepcopy(old)
    same["spec"]["replicas"] = 5
    same["spec"]["selector"]["matchExpressions"] = []  # empty and missing lists are semantically equal
    assert messages(same, old) == []


def test_replica_set_rules_and_immutable_selector() -> None:
    rs = deployment()
    rs["kind"] = "ReplicaSet"
    rs["spec"]["replicas"] = -2
    assert messages(rs) == ["spec.replicas: Invalid value: -2: must be greater than or equal to 0"]
    old = deployment()
    old["kind"] = "ReplicaSet"
    default_object(old)
    new = copy.deepcopy(old)
    new["spec"]["selector"]["matchLabels"]["tier"] = "fe"
    new["spec"]["template"]["metadata"]["labels"]["tier"] = "fe"
    assert [m.rsplit(": ", 1)[-1] for m in messages(new, old)] == ["field is immutable"]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (_set("spec.containers", []), ["spec.containers: Required value"]),
        (
            _set("spec.containers", [{}]),
            ["spec.containers[0].name: Required value", "spec.containers[0].image: Required value"],
        ),
        (
            _set("spec.containers.0.name", "My_C"),
            [f'spec.containers[0].name: Invalid value: "My_C": {LABEL_MSG}'],
        ),
        (
            lambda p: p["spec"]["containers"].append({"name": "web", "image": "busybox"}),
            ['spec.containers[1].name: Duplicate value: "web"'],
        ),
        (
            _set("spec.containers.0.ports", [{"containerPort": 70000}, {"containerPort": 80, "protocol": "HTTP"}]),
            [
                "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, "
                "inclusive",
                'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", '
                '"UDP"',
            ],
        ),
        (
            _set("spec.containers.0.resources", {"limits": {"cpu": "500m"}, "requests": {"cpu": "1000m"}}),
            [
                'spec.containers[0].resources.requests[cpu]: Invalid value: "1": must be less than or equal to cpu '
                "limit of 500m"
            ],
        ),
        (
            _set("spec.containers.0.resources", {"requests": {"memory": "abc"}}),
            [
                'spec.containers[0].resources.requests[memory]: Invalid value: "abc": quantities must match the '
                "regular "
                "expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            ],
        ),
        (
            _set("spec.containers.0.resources", {"requests": {"cpu": "-1", "gpu": "1"}}),
            [
                'spec.containers[0].resources.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0',
                "spec.containers[0].resources.requests[gpu]: Invalid value: gpu: must be a standard resource for "
                "containers",
            ],
        ),
        (
            _set("spec.restartPolicy", "Sometimes"),
            ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
        ),
        (
            _set("spec.containers.0.volumeMounts", [{"name": "data", "mountPath": "/data"}]),
            ['spec.containers[0].volumeMounts[0].name: Not found: "data"'],
        ),
        (
            _set("spec.tolerations", [{"key": "a", "operator": "Exists", "value": "b"}]),
            [
                'spec.tolerations[0].operator: Invalid value: core.Toleration{Key:"a", Operator:"Exists", Value:"b", '
                "Effect:\"\", TolerationSeconds:(*int64)(nil)}: value must be empty when `operator` is 'Exists'"
            ],
        ),
        (
            _set("metadata.labels", {"app": "-x"}),
            [
                'metadata.labels: Invalid value: "-x": a valid label must be an empty string or consist of '
                "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
                "(e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
            ],
        ),
    ],
)
def test_pod_validation(mutate: Mutation, expected: list[str]) -> None:
    assert messages(mutated(pod, mutate)) == expected


def test_pod_update_may_only_change_images_deadline_and_tolerations() -> None:
    old = pod()
    default_object(old)
    image_change = copy.deepcopy(old)
    image_change["spec"]["containers"][0]["image"] = "nginx:1.25"
    image_change["spec"]["tolerations"].append({"key": "gpu", "operator": "Exists", "effect": "NoSchedule"})
    image_change["spec"]["activeDeadlineSeconds"] = 600
    assert messages(image_change, old) == []

    forbidden = copy.deepcopy(old)
    forbidden["spec"]["restartPolicy"] = "Never"
    (message,) = messages(forbidden, old)
    assert message.startswith(
        "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
        "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to "
        "existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
        "previously negative)\n  core.PodSpec{\n"
    )
    assert '- \tRestartPolicy: "Always",\n+ \tRestartPolicy: "Never",\n' in message


def test_pod_update_container_count_and_deadline_rules() -> None:
    old = pod()
    old["spec"]["activeDeadlineSeconds"] = 100
    default_object(old)
    added = copy.deepcopy(old)
    added["spec"]["containers"].append({"name": "sidecar", "image": "busybox"})
    assert messages(added, old)[-1] == "spec.containers: Forbidden: pod updates may not add or remove containers"
    longer = copy.deepcopy(old)
    longer["spec"]["activeDeadlineSeconds"] = 200
    assert messages(longer, old) == [
        "spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value"
    ]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (_set("spec.ports", []), ["spec.ports: Required value"]),
        (
            _set("spec.ports", [{"port": 80}, {"port": 0, "name": "web"}]),
            [
                "spec.ports[0].name: Required value",
                "spec.ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                "spec.ports[1].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
            ],
        ),
        (
            _set("spec.ports", [{"port": 80, "name": "a"}, {"port": 81, "name": "a", "protocol": "ICMP"}]),
            [
                'spec.ports[1].name: Duplicate value: "a"',
                'spec.ports[1].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"',
            ],
        ),
        (
            _set("spec.ports", [{"port": 80, "nodePort": 30080}]),
            ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
        ),
        (
            _set("spec.type", "Balanced"),
            [
                'spec.type: Unsupported value: "Balanced": supported values: "ClusterIP", "ExternalName", '
                '"LoadBalancer", "NodePort"'
            ],
        ),
        (
            lambda s: s["spec"].update(type="ExternalName", ports=[]),
            ["spec.externalName: Required value"],
        ),
        (_set("spec.clusterIP", "None"), []),
        (
            lambda s: s["spec"].update(type="NodePort", clusterIP="None"),
            ["spec.clusterIP: Invalid value: \"None\": may not be set to 'None' for NodePort services"],
        ),
    ],
)
def test_service_validation(mutate: Mutation, expected: list[str]) -> None:
    assert messages(mutated(service, mutate)) == expected


def test_service_cluster_ip_may_not_change_once_set() -> None:
    old = service()
    old["spec"].update(clusterIP="10.96.0.50", clusterIPs=["10.96.0.50"])
    default_object(old)
    changed = copy.deepcopy(old)
    changed["spec"]["clusterIP"] = "10.96.0.99"
    assert messages(changed, old) == [
        'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.99"}: may not change once set'
    ]
    omitted = copy.deepcopy(old)
    del omitted["spec"]["clusterIP"], omitted["spec"]["clusterIPs"]
    assert messages(omitted, old) == []
    assert omitted["spec"]["clusterIPs"] == ["10.96.0.50"]  # carried over like the Service registry does


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        (
            {"scaleTargetRef": {"kind": "Deployment", "name": "web"}, "minReplicas": 3, "maxReplicas": 1},
            ["spec.maxReplicas: Invalid value: 1: must be greater than or equal to `minReplicas`"],
        ),
        (
            {"scaleTargetRef": {}, "minReplicas": 0, "maxReplicas": 2},
            [
                "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
                "spec.scaleTargetRef.kind: Required value",
                "spec.scaleTargetRef.name: Required value",
            ],
        ),
        (
            {
                "scaleTargetRef": {"kind": "Deployment", "name": "web"},
                "maxReplicas": 3,
                "metrics": [
                    {
                        "type": "Resource",
                        "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 0}},
                    }
                ],
            },
            ["spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0"],
        ),
    ],
)
def test_hpa_validation(spec: Obj, expected: list[str]) -> None:
    hpa = {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": spec,
    }
    assert messages(hpa) == expected


def test_hpa_v1_round_trips_through_v2() -> None:
    v1 = {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {
            "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
            "minReplicas": 2,
            "maxReplicas": 5,
            "targetCPUUtilizationPercentage": 70,
        },
    }
    v2 = convert_hpa_v1_to_v2(v1)
    assert v2["apiVersion"] == "autoscaling/v2"
    assert v2["spec"]["metrics"] == [
        {"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 70}}}
    ]
    assert messages(copy.deepcopy(v2)) == []
    v2["spec"]["metrics"].append(
        {
            "type": "Resource",
            "resource": {"name": "memory", "target": {"type": "AverageValue", "averageValue": "100Mi"}},
        }
    )
    v2["status"] = {
        "currentReplicas": 2,
        "desiredReplicas": 3,
        "conditions": [{"type": "AbleToScale", "status": "True"}],
        "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": 91}}}],
    }
    back = convert_hpa_v2_to_v1(v2)
    assert back["spec"]["targetCPUUtilizationPercentage"] == 70
    assert back["status"]["currentCPUUtilizationPercentage"] == 91
    assert "autoscaling.alpha.kubernetes.io/metrics" in back["metadata"]["annotations"]
    assert convert_hpa_v1_to_v2(back) == v2


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (
            {"path": "/", "backend": {"service": {"name": "web", "port": {"number": 80}}}},
            ["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"],
        ),
        (
            {"path": "/", "pathType": "Regex", "backend": {"service": {"name": "web", "port": {"number": 80}}}},
            [
                'spec.rules[0].http.paths[0].pathType: Unsupported value: "Regex": supported values: "Exact", '
                '"ImplementationSpecific", "Prefix"'
            ],
        ),
        (
            {"path": "api", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"name": "http"}}}},
            ['spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path'],
        ),
        (
            {"path": "/", "pathType": "Exact", "backend": {"service": {"name": "web"}}},
            ["spec.rules[0].http.paths[0].backend: Required value: port name or number is required"],
        ),
        ({"path": "/", "pathType": "Exact", "backend": {"service": {"name": "web", "port": {"number": 80}}}}, []),
    ],
)
def test_ingress_paths(path: Obj, expected: list[str]) -> None:
    ingress = {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": {"rules": [{"host": "web.example.com", "http": {"paths": [path]}}]},
    }
    assert messages(ingress) == expected


def test_config_map_keys_and_total_size() -> None:
    cm = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "cfg", "namespace": "default"},
        "data": {"app.properties": "x", "bad key": "y"},
    }
    assert messages(cm) == [
        'data[bad key]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters, '
        "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
        "'[-._a-zA-Z0-9]+')"
    ]
    big = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg"}, "data": {"a": "x" * (1024 * 1024 + 1)}}
    assert [e.body() for e in validate_object(big)] == ["Too long: must have at most 1048576 bytes"]


def test_generate_name_and_owner_references_are_checked() -> None:
    obj = pod()
    obj["metadata"]["generateName"] = "Web-"
    obj["metadata"]["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-1"}]
    assert [m.split(":")[0] for m in messages(obj)] == ["metadata.generateName", "metadata.ownerReferences.uid"]


def test_node_taints_and_namespace_finalizers() -> None:
    node = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": "worker-1"},
        "spec": {
            "taints": [
                {"key": "gpu", "effect": "NoSchedule"},
                {"key": "gpu", "effect": "NoSchedule"},
                {"key": "x", "effect": "Sometimes"},
            ]
        },
    }
    assert messages(node) == [
        'spec.taints[1]: Duplicate value: core.Taint{Key:"gpu", Value:"", Effect:"NoSchedule", TimeAdded:<nil>}: '
        "taints must be unique by key and effect pair",
        'spec.taints[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", '
        '"NoExecute"',
    ]
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}, "spec": {"finalizers": ["kubernetes"]}}
    assert messages(ns) == []


def test_unknown_kinds_pass() -> None:
    assert validate_object({"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w"}}) == []
