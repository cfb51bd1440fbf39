"""Schemas: strict decoding, ``kubectl explain`` layout and the OpenAPI components."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from cluster.apiserver.defaults import default_object
from cluster.core import schema
from cluster.core.schema.explain import wrap
from cluster.core.schema.openapi import REF_PREFIX, components

Obj = dict[str, Any]


def deployment() -> Obj:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "replicas": 3,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "nginx", "image": "nginx", "ports": [{"containerPort": 80}]}]},
            },
        },
    }


# -- strict decoding --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: None, []),
        (lambda d: d["spec"].update(replica=3), ["spec.replica"]),
        (
            lambda d: d["spec"]["template"]["spec"]["containers"][0].update(imagee="nginx"),
            ["spec.template.spec.containers[0].imagee"],
        ),
        (lambda d: d["metadata"].update(lables={"a": "b"}), ["metadata.lables"]),
        (lambda d: d["spec"]["selector"].update(matchLabel={"a": "b"}), ["spec.selector.matchLabel"]),
        (
            lambda d: d["spec"]["template"]["spec"]["containers"][0]["ports"][0].update(port=80),
            ["spec.template.spec.containers[0].ports[0].port"],
        ),
    ],
)
def test_unknown_fields(mutate: Any, expected: list[str]) -> None:
    obj = deployment()
    mutate(obj)
    assert schema.unknown_fields("Deployment", obj) == expected


def test_unknown_fields_in_document_order_and_free_form_maps_are_open() -> None:
    obj = {
        "apiVersion": "v1",
        "kind": "Pod",
        "foo": 1,
        "metadata": {"name": "p", "labels": {"anything": "goes"}, "annotations": {"x/y": "z"}},
        "spec": {
            "containers": [{"name": "a", "image": "b", "resources": {"limits": {"nvidia.com/gpu": "1"}}, "cmd": []}]
        },
        "bar": 2,
    }
    assert schema.unknown_fields("Pod", obj) == ["foo", "spec.containers[0].cmd", "bar"]


def test_strict_error_message_matches_the_api_server() -> None:
    assert schema.strict_error_message("Deployment", "v1", ["spec.replica"]) == (
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field '
        '"spec.replica"'
    )
    assert schema.strict_error_message("Deployment", "apps/v1", ["spec.replica", "spec.foo"]) == (
        'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
        'unknown field "spec.replica", unknown field "spec.foo"'
    )


def test_prune_unknown_drops_only_unknown_fields() -> None:
    obj = deployment()
    obj["spec"]["replica"] = 3
    obj["spec"]["template"]["spec"]["containers"][0]["imagee"] = "x"
    expected = deployment()
    # "replica" was added after "template", so it comes later in document order
    assert schema.prune_unknown("Deployment", obj) == ["spec.template.spec.containers[0].imagee", "spec.replica"]
    assert obj == expected


def test_hpa_is_checked_against_the_version_it_was_sent_in() -> None:
    v1 = {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "spec": {"targetCPUUtilizationPercentage": 80},
    }
    v2 = {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "spec": {"targetCPUUtilizationPercentage": 80},
    }
    assert schema.unknown_fields("HorizontalPodAutoscaler", v1) == []
    assert schema.unknown_fields("HorizontalPodAutoscaler", v2) == ["spec.targetCPUUtilizationPercentage"]


def _defaulted(obj: Obj) -> Obj:
    obj = copy.deepcopy(obj)
    default_object(obj)
    return obj


@pytest.mark.parametrize(
    "obj",
    [
        deployment(),
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "a", "image": "b"}]},
        },
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "s"},
            "spec": {"type": "LoadBalancer", "ports": [{"port": 80}]},
        },
        {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "dev"}},
        {
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "h"},
            "spec": {"maxReplicas": 3},
        },
    ],
)
def test_everything_the_defaulter_writes_is_in_the_schema(obj: Obj) -> None:
    defaulted = _defaulted(obj)
    assert schema.unknown_fields(defaulted["kind"], defaulted) == []


# -- kubectl explain --------------------------------------------------------------------------------------------
def test_explain_deployment_spec_replicas() -> None:
    assert schema.explain("Deployment", "spec.replicas") == (
        "GROUP:      apps\n"
        "KIND:       Deployment\n"
        "VERSION:    v1\n"
        "\n"
        "FIELD: replicas <integer>\n"
        "\n"
        "\n"
        "DESCRIPTION:\n"
        "    Number of desired pods. A pointer, so that an explicit zero differs from\n"
        "    unset. Defaults to 1.\n"
        "    \n"
        "\n"
    )


def test_explain_resource_lists_fields_alphabetically() -> None:
    text = schema.explain("Deployment")
    assert text.startswith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nDESCRIPTION:\n")
    assert "FIELDS:\n  apiVersion\t<string>\n" in text
    assert "  metadata\t<ObjectMeta>\n    Standard object metadata.\n\n" in text
    assert text.index("  kind\t") < text.index("  metadata\t") < text.index("  spec\t") < text.index("  status\t")
    assert text.endswith("    Most recently observed status of the Deployment.\n\n\n")


def test_explain_object_field_shows_both_descriptions_and_required_markers() -> None:
    text = schema.explain("Deployment", "spec")
    assert text.startswith(
        "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\nFIELD: spec <DeploymentSpec>\n\n\nDESCRIPTION:\n"
        "    Specification of the desired behavior of the Deployment.\n"
        "    The desired state of a Deployment.\n    \nFIELDS:\n"
    )
    assert "  selector\t<LabelSelector> -required-\n" in text
    assert "  template\t<PodTemplateSpec> -required-\n" in text
    assert "  strategy\t<DeploymentStrategy>\n" in text


def test_explain_enum_field() -> None:
    assert schema.explain("Deployment", "spec.strategy.type") == (
        "GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n\n"
        "FIELD: type <string>\nENUM:\n    Recreate\n    RollingUpdate\n\n"
        "DESCRIPTION:\n    Recreate or RollingUpdate. Defaults to RollingUpdate.\n    \n\n"
    )
    fields = schema.explain("Deployment", "spec.strategy")
    assert "  type\t<string>\n  enum: Recreate, RollingUpdate\n" in fields


@pytest.mark.parametrize(
    ("kind", "path", "field_line"),
    [
        ("Pod", "spec.containers", "FIELD: containers <[]Container>"),
        ("Pod", "spec.containers.resources.limits", "FIELD: limits <map[string]Quantity>"),
        ("Pod", "metadata.labels", "FIELD: labels <map[string]string>"),
        ("Pod", "metadata.creationTimestamp", "FIELD: creationTimestamp <string>"),
        ("Deployment", "spec.strategy.rollingUpdate.maxSurge", "FIELD: maxSurge <IntOrString>"),
        ("Service", "spec.ports.targetPort", "FIELD: targetPort <IntOrString>"),
        ("Ingress", "spec.rules.http.paths.pathType", "FIELD: pathType <string>"),
        ("HorizontalPodAutoscaler", "spec.metrics", "FIELD: metrics <[]MetricSpec>"),
    ],
)
def test_explain_type_hints(kind: str, path: str, field_line: str) -> None:
    text = schema.explain(kind, path)
    assert text.splitlines()[4 if schema.kind_definition(kind).gvk[0] else 3] == field_line  # type: ignore[union-attr]


def test_explain_core_kind_has_no_group_line() -> None:
    assert schema.explain("Pod").startswith("KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n")


def test_explain_recursive_lists_nested_fields_without_descriptions() -> None:
    text = schema.explain("Service", "spec.sessionAffinityConfig", recursive=True)
    assert text.endswith("FIELDS:\n  clientIP\t<ClientIPConfig>\n    timeoutSeconds\t<integer>\n\n")


@pytest.mark.parametrize(("path", "missing"), [("spec.replica", "replica"), ("spec.replicas.value", "value")])
def test_explain_unknown_field(path: str, missing: str) -> None:
    with pytest.raises(schema.ExplainError, match=f'^field "{missing}" does not exist$'):
        schema.explain("Deployment", path)


def test_wrap_breaks_at_spaces_within_the_limit_and_keeps_long_words() -> None:
    assert wrap("aaa bbb ccc", 7) == "aaa bbb\nccc"
    assert wrap("x " + "y" * 12 + " z", 5) == "x\n" + "y" * 12 + "\nz"
    assert wrap("one\ntwo three", 8) == "one\ntwo\nthree"


# -- OpenAPI ------------------------------------------------------------------------------------------------------
def test_openapi_schema_of_a_kind() -> None:
    doc = schema.openapi_schema("Deployment")
    assert doc["x-kubernetes-group-version-kind"] == [{"group": "apps", "kind": "Deployment", "version": "v1"}]
    assert list(doc["properties"]) == ["apiVersion", "kind", "metadata", "spec", "status"]
    assert doc["properties"]["spec"]["allOf"] == [{"$ref": REF_PREFIX + "io.k8s.api.apps.v1.DeploymentSpec"}]
    spec = components()["io.k8s.api.apps.v1.DeploymentSpec"]
    assert spec["required"] == ["selector", "template"]


def test_openapi_scalars_look_like_kubernetes_ones() -> None:
    comps = components()
    assert "type" not in comps["io.k8s.apimachinery.pkg.api.resource.Quantity"]
    assert comps["io.k8s.apimachinery.pkg.apis.meta.v1.Time"]["type"] == "string"
    limits = comps["io.k8s.api.core.v1.ResourceRequirements"]["properties"]["limits"]
    assert limits["additionalProperties"] == {"$ref": REF_PREFIX + "io.k8s.apimachinery.pkg.api.resource.Quantity"}


def _refs(value: Any) -> list[str]:
    if isinstance(value, dict):
        own = [value["$ref"]] if "$ref" in value else []
        return own + [r for v in value.values() for r in _refs(v)]
    if isinstance(value, list):
        return [r for v in value for r in _refs(v)]
    return []


def test_openapi_document_is_self_contained() -> None:
    doc = schema.openapi_document([("apps/v1", "Deployment"), ("v1", "Service")])
    names = set(doc["components"]["schemas"])
    assert {"io.k8s.api.apps.v1.Deployment", "io.k8s.api.core.v1.Service", "io.k8s.api.core.v1.Container"} <= names
    assert all(ref[len(REF_PREFIX) :] in names for ref in _refs(doc))


@pytest.mark.parametrize(
    ("api_version", "kind"),
    [
        ("v1", "Namespace"),
        ("v1", "Node"),
        ("v1", "Pod"),
        ("apps/v1", "ReplicaSet"),
        ("apps/v1", "Deployment"),
        ("v1", "Service"),
        ("v1", "Endpoints"),
        ("discovery.k8s.io/v1", "EndpointSlice"),
        ("v1", "Event"),
        ("v1", "ConfigMap"),
        ("autoscaling/v2", "HorizontalPodAutoscaler"),
        ("autoscaling/v1", "HorizontalPodAutoscaler"),
        ("networking.k8s.io/v1", "Ingress"),
        ("coordination.k8s.io/v1", "Lease"),
    ],
)
def test_every_builtin_kind_has_a_schema(api_version: str, kind: str) -> None:
    defn = schema.kind_definition(kind, api_version)
    assert defn is not None and defn.gvk is not None
    assert defn.field("apiVersion") and defn.field("kind") and defn.field("metadata")
    assert schema.KINDS[(api_version, kind)] == defn.name


def _client_class(client: Any, name: str) -> Any:
    *_, group, version, short = name.split(".")
    prefix = version[0].upper() + version[1:]
    for candidate in (f"{prefix}{short}", f"{group.capitalize()}{prefix}{short}", f"CoreV1{short}"):
        if hasattr(client, candidate):
            return getattr(client, candidate)
    return None


def test_field_names_exist_in_the_official_python_client() -> None:
    """Every field we describe is a real Kubernetes field (the client is newer, so it may have more)."""
    client = pytest.importorskip("kubernetes.client")
    unknown = {}
    for name, defn in schema.DEFINITIONS.items():
        cls = _client_class(client, name)
        if defn.scalar or cls is None:
            continue
        extra = {f.name for f in defn.fields} - set(cls.attribute_map.values())
        if extra:
            unknown[name] = extra
    assert unknown == {}


# -- decode-time type errors ------------------------------------------------------------------------------------
def _container(obj: Obj) -> Obj:
    container: Obj = obj["spec"]["template"]["spec"]["containers"][0]
    return container


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda d: None, None),
        (
            lambda d: _container(d).update(env=[{"name": "PORT", "value": 8080}]),
            "json: cannot unmarshal number into Go struct field EnvVar.spec.template.spec.containers.env.value "
            "of type string",
        ),
        (
            lambda d: d["spec"].update(replicas="3"),
            "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32",
        ),
        (
            lambda d: d["spec"].update(replicas=1.5),
            "json: cannot unmarshal number 1.5 into Go struct field DeploymentSpec.spec.replicas of type int32",
        ),
        (
            lambda d: _container(d).update(ports={"containerPort": 80}),
            "json: cannot unmarshal object into Go struct field Container.spec.template.spec.containers.ports "
            "of type []v1.ContainerPort",
        ),
        (
            lambda d: d["metadata"].update(labels={"tier": 1}),
            "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
        ),
        (
            lambda d: _container(d).update(resources={"limits": {"cpu": "1 core"}}),
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        ),
        (lambda d: _container(d).update(resources={"limits": {"cpu": 1, "memory": "1Gi"}}), None),
        (lambda d: d["spec"].update(strategy={"rollingUpdate": {"maxSurge": 1, "maxUnavailable": "25%"}}), None),
    ],
)
def test_decode_error(mutate: Any, expected: str | None) -> None:
    obj = deployment()
    mutate(obj)
    assert schema.decode_error("Deployment", obj) == expected


def test_cannot_handle_message() -> None:
    detail = "json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"
    assert schema.cannot_handle_message("Deployment", "apps/v1", detail) == (
        f'Deployment in version "v1" cannot be handled as a Deployment: {detail}'
    )
