"""Reads, writes and subresources of a sandbox's Kubernetes API, through Django's test client.

Every request runs through ``services.sandbox_run``: these tests check the
wire (status codes, Status bodies, Tables, Warning headers) and that the
cluster really changed (or, for dry runs and refusals, did not).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from cluster import persistence, services
from cluster.models import Sandbox
from tests.integration.test_k8sapi import TABLE, body_of, call, make_sandbox
from tests.unit.test_protobuf import KUBECTL_BODIES

pytestmark = pytest.mark.django_db(transaction=True)
Obj = dict[str, Any]
DEPLOYMENTS = "apis/apps/v1/namespaces/default/deployments"
PODS = "api/v1/namespaces/default/pods"


def deployment(name: str = "web", replicas: int = 2, image: str = "nginx:1.25", **spec: Any) -> Obj:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": "app", "image": image}]}},
            **spec,
        },
    }


def stored(sandbox: Sandbox, kind: str, name: str, namespace: str = "default") -> Obj | None:
    cluster = persistence.load(Sandbox.objects.get(pk=sandbox.pk)).cluster
    return cluster.get(kind, namespace, name)


@pytest.fixture
def sandbox() -> Sandbox:
    return make_sandbox()


@pytest.fixture
def running(client: Client, sandbox: Sandbox) -> Sandbox:
    """A sandbox with deployment ``web`` (2 replicas) created over the API and running."""
    assert call(client, sandbox, "POST", DEPLOYMENTS, deployment()).status_code == 201
    services.sandbox_advance(sandbox.pk, 20_000)
    return sandbox


# -- create --------------------------------------------------------------------------------------------------------
def test_create_returns_201_with_the_stored_object(client: Client, sandbox: Sandbox) -> None:
    response = call(client, sandbox, "POST", f"{DEPLOYMENTS}?fieldManager=kubectl-create", deployment())
    assert response.status_code == 201
    created = body_of(response)
    assert created["metadata"]["generation"] == 1
    assert created["metadata"]["uid"]
    assert created["spec"]["strategy"]["rollingUpdate"] == {"maxUnavailable": "25%", "maxSurge": "25%"}
    assert stored(sandbox, "Deployment", "web") is not None


def test_a_protobuf_body_from_kubectl_is_created_and_answered_in_json(client: Client, sandbox: Sandbox) -> None:
    body = bytes.fromhex(KUBECTL_BODIES["create deployment"])
    response = call(client, sandbox, "POST", DEPLOYMENTS, body, content_type="application/vnd.kubernetes.protobuf")
    assert response.status_code == 201
    assert response["Content-Type"] == "application/json"
    assert body_of(response)["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert stored(sandbox, "Deployment", "pbweb") is not None


def test_an_undecodable_protobuf_body_is_415(client: Client, sandbox: Sandbox) -> None:
    response = call(
        client, sandbox, "POST", DEPLOYMENTS, b"k8s\x00\x0a\x02", content_type="application/vnd.kubernetes.protobuf"
    )
    assert response.status_code == 415
    status = body_of(response)
    assert status["reason"] == "UnsupportedMediaType"
    assert status["message"].startswith("the protobuf body could not be decoded: ")


@pytest.mark.parametrize("depth", [65, 100_000])
def test_a_json_body_nested_too_deeply_is_400_and_changes_nothing(client: Client, sandbox: Sandbox, depth: int) -> None:
    body = '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "deep"}, "data": ' + "[" * depth
    response = call(client, sandbox, "POST", "api/v1/namespaces/default/configmaps", body + "]" * depth + "}")
    assert response.status_code == 400
    assert body_of(response)["message"] == "the request body is nested more than 64 levels deep"
    assert stored(sandbox, "ConfigMap", "deep") is None


def test_an_unknown_content_type_is_415(client: Client, sandbox: Sandbox) -> None:
    response = call(client, sandbox, "POST", DEPLOYMENTS, "x", content_type="text/csv")
    assert response.status_code == 415
    assert body_of(response)["message"].endswith('; got "text/csv"')


def test_a_body_without_type_meta_takes_the_urls(client: Client, sandbox: Sandbox) -> None:
    body = {"metadata": {"name": "dev"}}
    response = call(client, sandbox, "POST", "api/v1/namespaces", body)
    assert response.status_code == 201
    assert body_of(response)["kind"] == "Namespace"


@pytest.mark.parametrize(
    ("validation", "code", "warning"),
    [
        ("Strict", 400, None),
        ("Warn", 201, '299 - "unknown field \\"spec.surprise\\""'),
        ("", 201, '299 - "unknown field \\"spec.surprise\\""'),
        ("Ignore", 201, None),
    ],
)
def test_field_validation(client: Client, sandbox: Sandbox, validation: str, code: int, warning: str | None) -> None:
    query = f"?fieldValidation={validation}" if validation else ""
    response = call(client, sandbox, "POST", DEPLOYMENTS + query, deployment(surprise=True))
    assert response.status_code == code
    assert response.headers.get("Warning") == warning
    if code == 400:
        assert body_of(response)["message"] == (
            'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: '
            'unknown field "spec.surprise"'
        )


def test_dry_run_validates_without_storing(client: Client, sandbox: Sandbox) -> None:
    response = call(client, sandbox, "POST", f"{DEPLOYMENTS}?dryRun=All", deployment())
    assert response.status_code == 201
    assert body_of(response)["metadata"]["name"] == "web"
    assert stored(sandbox, "Deployment", "web") is None


def test_create_errors_are_status_objects(client: Client, sandbox: Sandbox) -> None:
    call(client, sandbox, "POST", DEPLOYMENTS, deployment())
    again = call(client, sandbox, "POST", DEPLOYMENTS, deployment())
    assert again.status_code == 409
    assert body_of(again)["message"] == 'deployments.apps "web" already exists'
    bad = deployment("bad")
    bad["spec"]["template"]["metadata"]["labels"] = {"app": "other"}
    invalid = body_of(call(client, sandbox, "POST", DEPLOYMENTS, bad))
    assert invalid["code"] == 422
    assert invalid["details"]["kind"] == "Deployment"
    assert invalid["details"]["causes"] == [
        {
            "reason": "FieldValueInvalid",
            "message": 'Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`',
            "field": "spec.template.metadata.labels",
        }
    ]


def test_creating_a_namespaced_kind_needs_a_namespace_in_the_url(client: Client, sandbox: Sandbox) -> None:
    response = call(client, sandbox, "POST", "apis/apps/v1/deployments", deployment())
    assert response.status_code == 405
    assert body_of(response)["reason"] == "MethodNotAllowed"


# -- reads ---------------------------------------------------------------------------------------------------------
def test_get_and_list_as_json(client: Client, running: Sandbox) -> None:
    web = body_of(call(client, running, "GET", f"{DEPLOYMENTS}/web"))
    assert web["kind"] == "Deployment"
    assert web["status"]["readyReplicas"] == 2
    pods = body_of(call(client, running, "GET", f"{PODS}?labelSelector=app%3Dweb"))
    assert pods["kind"] == "PodList"
    assert pods["metadata"]["resourceVersion"] == str(Sandbox.objects.get(pk=running.pk).resource_version)
    assert len(pods["items"]) == 2
    assert "kind" not in pods["items"][0]  # as the real API server lists them


def test_a_missing_object_is_404(client: Client, sandbox: Sandbox) -> None:
    response = call(client, sandbox, "GET", f"{DEPLOYMENTS}/nope")
    assert response.status_code == 404
    assert body_of(response) == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": 'deployments.apps "nope" not found',
        "reason": "NotFound",
        "details": {"name": "nope", "group": "apps", "kind": "deployments"},
        "code": 404,
    }


def test_tables_have_the_printer_columns_and_row_metadata(client: Client, running: Sandbox) -> None:
    table = body_of(call(client, running, "GET", "api/v1/pods?limit=500", accept=TABLE))
    assert table["kind"] == "Table"
    assert table["apiVersion"] == "meta.k8s.io/v1"
    columns = [(c["name"], c["priority"]) for c in table["columnDefinitions"]]
    assert columns[:5] == [("Name", 0), ("Ready", 0), ("Status", 0), ("Restarts", 0), ("Age", 0)]
    assert ("IP", 1) in columns and ("Node", 1) in columns
    assert [row["cells"][2] for row in table["rows"]] == ["Running", "Running"]
    first = table["rows"][0]["object"]
    assert first["kind"] == "PartialObjectMetadata"
    assert first["metadata"]["namespace"] == "default"
    assert first["metadata"]["labels"]["app"] == "web"


def test_a_single_get_as_table_has_one_row_and_include_object_embeds_it(client: Client, running: Sandbox) -> None:
    table = body_of(call(client, running, "GET", f"{DEPLOYMENTS}/web?includeObject=Object", accept=TABLE))
    assert [row["cells"][:4] for row in table["rows"]] == [["web", "2/2", 2, 2]]
    assert table["rows"][0]["object"]["kind"] == "Deployment"


def test_partial_object_metadata_lists(client: Client, running: Sandbox) -> None:
    accept = "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json"
    metas = body_of(call(client, running, "GET", PODS, accept=accept))
    assert metas["kind"] == "PartialObjectMetadataList"
    assert {item["kind"] for item in metas["items"]} == {"PartialObjectMetadata"}
    assert "spec" not in metas["items"][0]


def test_field_selectors_and_bad_selectors(client: Client, running: Sandbox) -> None:
    one = body_of(call(client, running, "GET", f"{DEPLOYMENTS}?fieldSelector=metadata.name%3Dweb"))
    assert [d["metadata"]["name"] for d in one["items"]] == ["web"]
    bad = call(client, running, "GET", f"{PODS}?fieldSelector=spec.image%3Dnginx")
    assert bad.status_code == 400
    assert body_of(bad)["reason"] == "BadRequest"


def test_limit_and_continue_page_through_every_item_once(client: Client, running: Sandbox) -> None:
    names: list[str] = []
    token = ""
    for _ in range(10):
        page = body_of(call(client, running, "GET", f"api/v1/pods?limit=2&continue={token}"))
        names += [f"{p['metadata']['namespace']}/{p['metadata']['name']}" for p in page["items"]]
        token = page["metadata"].get("continue", "")
        if not token:
            break
        assert page["metadata"]["remainingItemCount"] >= 1
    everything = body_of(call(client, running, "GET", "api/v1/pods"))["items"]
    assert names == [f"{p['metadata']['namespace']}/{p['metadata']['name']}" for p in everything]
    assert len(names) == len(set(names)) >= 2


# -- update, patch ---------------------------------------------------------------------------------------------------
def test_update_with_a_stale_resource_version_conflicts(client: Client, running: Sandbox) -> None:
    web = body_of(call(client, running, "GET", f"{DEPLOYMENTS}/web"))
    web["spec"]["replicas"] = 3
    assert call(client, running, "PUT", f"{DEPLOYMENTS}/web", web).status_code == 200
    web["spec"]["replicas"] = 4
    stale = call(client, running, "PUT", f"{DEPLOYMENTS}/web", web)
    assert stale.status_code == 409
    assert body_of(stale)["message"] == (
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your '
        "changes to the latest version and try again"
    )


def test_update_name_must_match_the_url(client: Client, running: Sandbox) -> None:
    response = call(client, running, "PUT", f"{DEPLOYMENTS}/other", deployment())
    assert response.status_code == 400
    assert body_of(response)["message"] == "the name of the object (web) does not match the name on the URL (other)"


@pytest.mark.parametrize(
    ("content_type", "patch", "replicas"),
    [
        ("application/merge-patch+json", {"spec": {"replicas": 4}}, 4),
        ("application/strategic-merge-patch+json", {"spec": {"replicas": 5}}, 5),
        ("application/json-patch+json", [{"op": "replace", "path": "/spec/replicas", "value": 1}], 1),
    ],
)
def test_patch_types(client: Client, running: Sandbox, content_type: str, patch: Any, replicas: int) -> None:
    response = call(client, running, "PATCH", f"{DEPLOYMENTS}/web", patch, content_type=content_type)
    assert response.status_code == 200
    assert body_of(response)["spec"]["replicas"] == replicas
    assert body_of(response)["metadata"]["generation"] == 2


def test_strategic_merge_patch_merges_containers_by_name(client: Client, running: Sandbox) -> None:
    patch = {"spec": {"template": {"spec": {"$setElementOrder/containers": [{"name": "app"}],
                                            "containers": [{"name": "app", "image": "nginx:1.27"}]}}}}  # fmt: skip
    smp = "application/strategic-merge-patch+json"
    patched = body_of(call(client, running, "PATCH", f"{DEPLOYMENTS}/web", patch, content_type=smp))
    assert patched["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert patched["spec"]["template"]["spec"]["containers"][0]["imagePullPolicy"] == "IfNotPresent"


def test_server_side_apply_creates_then_patches(client: Client, sandbox: Sandbox) -> None:
    apply = "application/apply-patch+yaml"
    url = f"{DEPLOYMENTS}/web?fieldManager=kubectl&fieldValidation=Strict&force=false"
    first = call(client, sandbox, "PATCH", url, deployment(), content_type=apply)
    assert first.status_code == 201
    second = call(client, sandbox, "PATCH", url, json.dumps(deployment(replicas=3)), content_type=apply)
    assert second.status_code == 200
    assert body_of(second)["spec"]["replicas"] == 3
    without_manager = call(client, sandbox, "PATCH", f"{DEPLOYMENTS}/web", deployment(), content_type=apply)
    assert without_manager.status_code == 400


def test_an_unknown_patch_type_is_415(client: Client, running: Sandbox) -> None:
    response = call(client, running, "PATCH", f"{DEPLOYMENTS}/web", {}, content_type="application/json")
    assert response.status_code == 415


# -- delete ----------------------------------------------------------------------------------------------------------
def test_deleting_a_deployment_answers_a_success_status(client: Client, running: Sandbox) -> None:
    uid = stored(running, "Deployment", "web")["metadata"]["uid"]  # type: ignore[index]
    response = call(client, running, "DELETE", f"{DEPLOYMENTS}/web", {"propagationPolicy": "Background"})
    assert response.status_code == 200
    assert body_of(response) == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Success",
        "details": {"name": "web", "group": "apps", "kind": "deployments", "uid": uid},
    }
    assert stored(running, "Deployment", "web") is None


def test_deleting_a_running_pod_answers_it_terminating(client: Client, running: Sandbox) -> None:
    pod = body_of(call(client, running, "GET", PODS))["items"][0]["metadata"]["name"]
    response = call(client, running, "DELETE", f"{PODS}/{pod}?gracePeriodSeconds=30")
    assert response.status_code == 200
    assert body_of(response)["kind"] == "Pod"
    assert body_of(response)["metadata"]["deletionGracePeriodSeconds"] == 30
    assert stored(running, "Pod", pod)["metadata"]["deletionTimestamp"]  # type: ignore[index]


def test_delete_preconditions_and_dry_run(client: Client, running: Sandbox) -> None:
    stale = {"preconditions": {"resourceVersion": "1"}}
    conflict = call(client, running, "DELETE", f"{DEPLOYMENTS}/web", stale)
    assert conflict.status_code == 409
    assert "Precondition failed: ResourceVersion in precondition: 1" in body_of(conflict)["message"]
    assert call(client, running, "DELETE", f"{DEPLOYMENTS}/web", {"dryRun": ["All"]}).status_code == 200
    assert stored(running, "Deployment", "web") is not None
    assert call(client, running, "DELETE", f"{DEPLOYMENTS}/nope").status_code == 404


def test_delete_collection_by_label(client: Client, running: Sandbox) -> None:
    response = call(client, running, "DELETE", f"{PODS}?labelSelector=app%3Dweb&gracePeriodSeconds=0")
    assert response.status_code == 200
    assert len(body_of(response)["items"]) == 2
    cluster = persistence.load(Sandbox.objects.get(pk=running.pk)).cluster
    assert [p for p in cluster.list("Pod", "default") if p["metadata"]["labels"].get("app") == "web"] == []


# -- subresources ------------------------------------------------------------------------------------------------------
def test_scale_subresource(client: Client, running: Sandbox) -> None:
    scale = body_of(call(client, running, "GET", f"{DEPLOYMENTS}/web/scale"))
    assert scale["kind"] == "Scale"
    assert scale["apiVersion"] == "autoscaling/v1"
    assert scale["spec"] == {"replicas": 2}
    assert scale["status"] == {"replicas": 2, "selector": "app=web"}
    merge = "application/merge-patch+json"
    patched = body_of(
        call(client, running, "PATCH", f"{DEPLOYMENTS}/web/scale", {"spec": {"replicas": 5}}, content_type=merge)
    )
    assert patched["spec"] == {"replicas": 5}
    assert stored(running, "Deployment", "web")["spec"]["replicas"] == 5  # type: ignore[index]
    scale["spec"]["replicas"] = 1
    stale = call(client, running, "PUT", f"{DEPLOYMENTS}/web/scale", scale)
    assert stale.status_code == 409
    del scale["metadata"]["resourceVersion"]
    assert body_of(call(client, running, "PUT", f"{DEPLOYMENTS}/web/scale", scale))["spec"] == {"replicas": 1}
    json_patch = [{"op": "replace", "path": "/spec/replicas", "value": 4}]
    patched = call(
        client, running, "PATCH", f"{DEPLOYMENTS}/web/scale", json_patch, content_type="application/json-patch+json"
    )
    assert body_of(patched)["spec"] == {"replicas": 4}
    negative = call(
        client, running, "PATCH", f"{DEPLOYMENTS}/web/scale", {"spec": {"replicas": -1}}, content_type=merge
    )
    assert negative.status_code == 422
    assert (
        body_of(negative)["message"]
        == 'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0'
    )


def test_status_subresource_reads_the_object(client: Client, running: Sandbox) -> None:
    status = body_of(call(client, running, "GET", f"{DEPLOYMENTS}/web/status"))
    assert status["status"]["availableReplicas"] == 2


def test_hpas_are_served_as_autoscaling_v1_too(client: Client, running: Sandbox) -> None:
    hpa = {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web"},
        "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                 "minReplicas": 2, "maxReplicas": 5, "targetCPUUtilizationPercentage": 70},
    }  # fmt: skip
    v1 = "apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers"
    created = body_of(call(client, running, "POST", v1, hpa))
    assert created["apiVersion"] == "autoscaling/v1"
    assert created["spec"]["targetCPUUtilizationPercentage"] == 70
    v2 = body_of(call(client, running, "GET", "apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web"))
    assert v2["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"] == 70
    merge = "application/merge-patch+json"
    patch = {"spec": {"targetCPUUtilizationPercentage": 50}}
    patched = body_of(call(client, running, "PATCH", f"{v1}/web", patch, content_type=merge))
    assert patched["spec"]["targetCPUUtilizationPercentage"] == 50


def test_pod_logs_are_text(client: Client, running: Sandbox) -> None:
    pod = body_of(call(client, running, "GET", PODS))["items"][0]["metadata"]["name"]
    response = call(client, running, "GET", f"{PODS}/{pod}/log?container=app")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("/docker-entrypoint.sh:")
    tail = call(client, running, "GET", f"{PODS}/{pod}/log?tailLines=1").content.decode()
    assert tail.splitlines() == lines[-1:]
    stamped = call(client, running, "GET", f"{PODS}/{pod}/log?tailLines=1&timestamps=true").content.decode()
    assert stamped.endswith(f" {lines[-1]}\n") and stamped[:4].isdigit()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("container=sidecar", "container sidecar is not valid for pod {pod}"),
        ("previous=true", 'previous terminated container "app" in pod "{pod}" not found'),
    ],
)
def test_pod_log_errors(client: Client, running: Sandbox, query: str, message: str) -> None:
    pod = body_of(call(client, running, "GET", PODS))["items"][0]["metadata"]["name"]
    response = call(client, running, "GET", f"{PODS}/{pod}/log?{query}")
    assert response.status_code == 400
    assert body_of(response)["message"] == message.format(pod=pod)


def test_exec_is_refused_with_a_clear_status(client: Client, running: Sandbox) -> None:
    pod = body_of(call(client, running, "GET", PODS))["items"][0]["metadata"]["name"]
    response = call(client, running, "POST", f"{PODS}/{pod}/exec?command=ls&stdout=true")
    assert response.status_code == 400
    assert body_of(response)["message"] == (
        "exec is not supported by this sandbox: its containers are simulated; "
        'run "kubectl exec" in the sandbox\'s terminal instead'
    )


def test_eviction_deletes_the_pod(client: Client, running: Sandbox) -> None:
    pod = body_of(call(client, running, "GET", PODS))["items"][0]["metadata"]["name"]
    eviction = {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": pod, "namespace": "default"}}
    response = call(client, running, "POST", f"{PODS}/{pod}/eviction", eviction)
    assert response.status_code == 201
    assert body_of(response)["status"] == "Success"
    assert stored(running, "Pod", pod)["metadata"]["deletionTimestamp"]  # type: ignore[index]


def test_methods_a_path_does_not_take_are_405(client: Client, running: Sandbox) -> None:
    assert call(client, running, "PUT", DEPLOYMENTS, deployment()).status_code == 405
    assert call(client, running, "POST", f"{DEPLOYMENTS}/web", deployment()).status_code == 405
    assert call(client, running, "DELETE", f"{DEPLOYMENTS}/web/scale").status_code == 405
