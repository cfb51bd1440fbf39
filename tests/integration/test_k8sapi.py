"""A sandbox's Kubernetes API through Django's test client: authentication, discovery, OpenAPI, kubeconfig.

Sandboxes start paused; nothing here waits for the wall clock. The helpers
at the top are shared with ``test_k8sapi_verbs`` and ``test_k8sapi_watch``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client

from cluster import persistence, services
from cluster.models import Sandbox
from sandbox.k8sapi.auth import sandbox_api_token
from sandbox.k8sapi.kubeconfig import kubeconfig_for

pytestmark = pytest.mark.django_db(transaction=True)
Obj = dict[str, Any]
TABLE = (
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
)
AGGREGATED = (
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"
)
NOT_FOUND = {
    "kind": "Status",
    "apiVersion": "v1",
    "metadata": {},
    "status": "Failure",
    "message": "the server could not find the requested resource",
    "reason": "NotFound",
    "details": {},
    "code": 404,
}


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    yield
    persistence._CACHE.clear()


def make_sandbox(name: str = "api", seed: int = 7) -> Sandbox:
    sandbox = services.sandbox_create(name=name, session_key="cli", seed=seed, paused=True)
    sandbox_api_token(sandbox)
    return sandbox


@pytest.fixture
def sandbox() -> Sandbox:
    return make_sandbox()


def call(
    client: Client,
    sandbox: Sandbox,
    method: str,
    path: str,
    body: Any = None,
    *,
    content_type: str = "application/json",
    accept: str = "",
    token: str | None = None,
) -> HttpResponse:
    """One request to ``/k8s/<id>/<path>`` with the sandbox's bearer token (``token=""``: none)."""
    headers = {}
    token = sandbox.api_token if token is None else token
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if accept:
        headers["Accept"] = accept
    data: bytes | str = b""
    if isinstance(body, bytes | str):
        data = body
    elif body is not None:
        data = json.dumps(body)
    response: HttpResponse = client.generic(
        method, f"/k8s/{sandbox.pk}/{path}", data, content_type=content_type, headers=headers
    )
    return response


def body_of(response: HttpResponse) -> Obj:
    result: Obj = json.loads(response.content)
    return result


# -- authentication and authorization ------------------------------------------------------------------------------
def test_a_request_without_a_token_is_unauthorized(client: Client, sandbox: Sandbox) -> None:
    response = call(client, sandbox, "GET", "api/v1/namespaces/default/pods", token="")
    assert response.status_code == 401
    assert body_of(response) == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": "Unauthorized",
        "reason": "Unauthorized",
        "details": {},
        "code": 401,
    }


def test_an_unknown_token_is_unauthorized(client: Client, sandbox: Sandbox) -> None:
    assert call(client, sandbox, "GET", "api", token="not-a-token").status_code == 401


def test_version_answers_anonymous_callers(client: Client, sandbox: Sandbox) -> None:
    response = call(client, sandbox, "GET", "version", token="")
    assert response.status_code == 200
    assert body_of(response)["gitVersion"] == "v1.32.4"
    assert body_of(response)["minor"] == "32"


@pytest.mark.parametrize(
    ("method", "path", "message"),
    [
        ("GET", "api/v1/namespaces/default/pods", 'pods is forbidden: User "{user}" cannot list resource "pods" in '
         'API group "" in the namespace "default"'),
        ("GET", "api/v1/namespaces/default/pods?watch=true", 'pods is forbidden: User "{user}" cannot watch '
         'resource "pods" in API group "" in the namespace "default"'),
        ("GET", "api/v1/namespaces/default/pods/web", 'pods "web" is forbidden: User "{user}" cannot get resource '
         '"pods" in API group "" in the namespace "default"'),
        ("GET", "api/v1/namespaces/default/pods/web/log", 'pods "web" is forbidden: User "{user}" cannot get '
         'resource "pods/log" in API group "" in the namespace "default"'),
        ("POST", "apis/apps/v1/namespaces/default/deployments", 'deployments.apps is forbidden: User "{user}" '
         'cannot create resource "deployments" in API group "apps" in the namespace "default"'),
        ("PUT", "apis/apps/v1/namespaces/default/deployments/web", 'deployments.apps "web" is forbidden: User '
         '"{user}" cannot update resource "deployments" in API group "apps" in the namespace "default"'),
        ("PATCH", "apis/apps/v1/namespaces/default/deployments/web/scale", 'deployments.apps "web" is forbidden: '
         'User "{user}" cannot patch resource "deployments/scale" in API group "apps" in the namespace "default"'),
        ("DELETE", "api/v1/namespaces/default/services/web", 'services "web" is forbidden: User "{user}" cannot '
         'delete resource "services" in API group "" in the namespace "default"'),
        ("DELETE", "api/v1/namespaces/default/pods", 'pods is forbidden: User "{user}" cannot deletecollection '
         'resource "pods" in API group "" in the namespace "default"'),
        ("GET", "api/v1/nodes", 'nodes is forbidden: User "{user}" cannot list resource "nodes" in API group "" at '
         "the cluster scope"),
        ("GET", "apis/batch/v1/jobs", 'forbidden: User "{user}" cannot get path "/apis/batch/v1/jobs"'),
    ],
)  # fmt: skip
def test_another_sandboxs_token_is_forbidden_for_every_verb(
    client: Client, sandbox: Sandbox, method: str, path: str, message: str
) -> None:
    other = make_sandbox("other", seed=8)
    response = call(client, sandbox, method, path, {}, token=other.api_token)
    assert response.status_code == 403
    status = body_of(response)
    assert status["reason"] == "Forbidden"
    assert status["message"] == message.format(user=f"kubesandbox:sandbox-{other.pk}")


def test_discovery_is_open_to_every_authenticated_caller(client: Client, sandbox: Sandbox) -> None:
    other = make_sandbox("other", seed=8)
    assert call(client, sandbox, "GET", "apis", token=other.api_token).status_code == 200
    assert call(client, sandbox, "GET", "openapi/v3", token=other.api_token).status_code == 200


def test_the_token_may_come_in_the_url_or_as_basic_credentials(client: Client, sandbox: Sandbox) -> None:
    in_path = client.get(f"/k8s/{sandbox.pk}/token/{sandbox.api_token}/api/v1/namespaces")
    basic = base64.b64encode(f"anyone:{sandbox.api_token}".encode()).decode()
    as_basic = client.get(f"/k8s/{sandbox.pk}/api/v1/namespaces", headers={"Authorization": f"Basic {basic}"})
    assert in_path.status_code == as_basic.status_code == 200
    assert body_of(in_path)["items"] == body_of(as_basic)["items"]
    assert body_of(in_path)["items"][0]["metadata"]["name"] == "default"


def test_a_regenerated_token_locks_out_the_old_one(client: Client, sandbox: Sandbox) -> None:
    old = sandbox.api_token
    new = sandbox_api_token(sandbox, regenerate=True)
    assert new != old
    assert call(client, sandbox, "GET", "api", token=old).status_code == 401
    assert call(client, sandbox, "GET", "api", token=new).status_code == 200


def test_kubeconfig_for_plain_http_carries_the_token_in_the_server_url(sandbox: Sandbox) -> None:
    config = yaml.safe_load(kubeconfig_for(sandbox, "http://127.0.0.1:8000/"))
    token = sandbox.api_token
    assert config["clusters"] == [
        {"name": "api", "cluster": {"server": f"http://127.0.0.1:8000/k8s/{sandbox.pk}/token/{token}"}}
    ]
    assert config["contexts"] == [{"name": "api", "context": {"cluster": "api", "user": "api", "namespace": "default"}}]
    assert config["current-context"] == "api"
    assert config["users"] == [{"name": "api", "user": {"token": token}}]


def test_kubeconfig_for_https_uses_the_bearer_token(sandbox: Sandbox) -> None:
    config = yaml.safe_load(kubeconfig_for(sandbox, "https://sandbox.example.com"))
    assert config["clusters"][0]["cluster"]["server"] == f"https://sandbox.example.com/k8s/{sandbox.pk}"
    assert config["users"][0]["user"]["token"] == sandbox.api_token


def test_kubeconfig_command_mints_and_regenerates_the_token(capsys: pytest.CaptureFixture[str]) -> None:
    created = services.sandbox_create(name="cmd", session_key="cli", seed=1, paused=True)
    assert created.api_token == ""
    call_command("sandbox", "kubeconfig", "cmd", "--server", "http://localhost:9000")
    first = yaml.safe_load(capsys.readouterr().out)
    token = Sandbox.objects.get(pk=created.pk).api_token
    assert len(token) >= 40
    assert first["users"][0]["user"]["token"] == token
    assert first["clusters"][0]["cluster"]["server"] == f"http://localhost:9000/k8s/{created.pk}/token/{token}"
    call_command("sandbox", "kubeconfig", "cmd", "--regenerate-token")
    second = yaml.safe_load(capsys.readouterr().out)
    assert second["users"][0]["user"]["token"] == Sandbox.objects.get(pk=created.pk).api_token != token


# -- discovery -----------------------------------------------------------------------------------------------------
def test_legacy_discovery(client: Client, sandbox: Sandbox) -> None:
    api = body_of(call(client, sandbox, "GET", "api"))
    assert api["kind"] == "APIVersions"
    assert api["versions"] == ["v1"]
    groups = body_of(call(client, sandbox, "GET", "apis"))["groups"]
    assert [g["name"] for g in groups] == [
        "apps",
        "autoscaling",
        "networking.k8s.io",
        "coordination.k8s.io",
        "discovery.k8s.io",
    ]
    autoscaling = next(g for g in groups if g["name"] == "autoscaling")
    assert [v["groupVersion"] for v in autoscaling["versions"]] == ["autoscaling/v2", "autoscaling/v1"]
    assert autoscaling["preferredVersion"] == {"groupVersion": "autoscaling/v2", "version": "v2"}


def test_resource_lists_carry_short_names_categories_and_subresources(client: Client, sandbox: Sandbox) -> None:
    core = {r["name"]: r for r in body_of(call(client, sandbox, "GET", "api/v1"))["resources"]}
    assert core["pods"]["shortNames"] == ["po"]
    assert core["pods"]["categories"] == ["all"]
    assert core["pods"]["singularName"] == "pod"
    assert core["nodes"]["namespaced"] is False
    assert core["pods/log"] == {"name": "pods/log", "singularName": "", "namespaced": True, "kind": "Pod",
                                "verbs": ["get"]}  # fmt: skip
    apps = body_of(call(client, sandbox, "GET", "apis/apps/v1"))
    assert apps["groupVersion"] == "apps/v1"
    scale = next(r for r in apps["resources"] if r["name"] == "deployments/scale")
    assert scale == {"name": "deployments/scale", "singularName": "", "namespaced": True, "group": "autoscaling",
                     "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]}  # fmt: skip


def test_aggregated_discovery_when_asked_for(client: Client, sandbox: Sandbox) -> None:
    response = call(client, sandbox, "GET", "apis", accept=AGGREGATED)
    assert response["Content-Type"] == "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
    document = body_of(response)
    assert document["kind"] == "APIGroupDiscoveryList"
    assert document["apiVersion"] == "apidiscovery.k8s.io/v2"
    apps = document["items"][0]
    assert apps["metadata"]["name"] == "apps"
    deployments = next(r for r in apps["versions"][0]["resources"] if r["resource"] == "deployments")
    assert deployments["scope"] == "Namespaced"
    assert deployments["shortNames"] == ["deploy"]
    assert {"subresource": "scale", "responseKind": {"group": "autoscaling", "version": "v1", "kind": "Scale"},
            "verbs": ["get", "patch", "update"]} in deployments["subresources"]  # fmt: skip
    core = body_of(call(client, sandbox, "GET", "api", accept=AGGREGATED))["items"]
    assert [item["metadata"]["name"] for item in core] == [""]


def test_unknown_paths_answer_the_api_servers_404(client: Client, sandbox: Sandbox) -> None:
    for method, path in [("GET", "apis/batch/v1"), ("GET", "api/v1/namespaces/default/secrets"), ("POST", "nope")]:
        response = call(client, sandbox, method, path)
        assert response.status_code == 404
        assert body_of(response) == NOT_FOUND


# -- OpenAPI ---------------------------------------------------------------------------------------------------------
def test_openapi_v3_index_points_under_the_sandbox_prefix(client: Client, sandbox: Sandbox) -> None:
    paths = body_of(call(client, sandbox, "GET", "openapi/v3"))["paths"]
    assert set(paths) >= {"api/v1", "apis/apps/v1", "apis/autoscaling/v1", "apis/autoscaling/v2"}
    url = paths["apis/apps/v1"]["serverRelativeURL"]
    assert url.startswith(f"/k8s/{sandbox.pk}/openapi/v3/apis/apps/v1?hash=")


def test_openapi_v2_is_an_empty_document_in_json_and_protobuf(client: Client, sandbox: Sandbox) -> None:
    as_json = body_of(call(client, sandbox, "GET", "openapi/v2"))
    assert as_json == {"swagger": "2.0", "info": {"title": "Kubernetes", "version": "v1.32.4"}, "paths": {},
                       "definitions": {}}  # fmt: skip
    accept = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"
    response = call(client, sandbox, "GET", "openapi/v2", accept=accept)
    assert response["Content-Type"] == "application/com.github.proto-openapi.spec.v2.v1.0+protobuf"
    # swagger (field 1) "2.0", info (2) {title (1), version (2)}, paths (8) empty: protobuf wire format.
    info = b"\x0a\x0aKubernetes\x12\x07v1.32.4"
    assert response.content == b"\x0a\x032.0\x12" + bytes([len(info)]) + info + b"\x42\x00"


def test_openapi_documents_let_kubectl_validate_on_the_server_and_explain(client: Client, sandbox: Sandbox) -> None:
    document = body_of(call(client, sandbox, "GET", "openapi/v3/apis/apps/v1"))
    patch = document["paths"]["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]["patch"]
    assert patch["x-kubernetes-group-version-kind"] == {"group": "apps", "version": "v1", "kind": "Deployment"}
    assert {"name": "fieldValidation", "in": "query"}.items() <= next(
        p for p in patch["parameters"] if p["name"] == "fieldValidation"
    ).items()
    assert "requestBody" not in patch  # kubectl then computes apply patches from its compiled-in types
    schemas = document["components"]["schemas"]
    replicas = schemas["io.k8s.api.apps.v1.DeploymentSpec"]["properties"]["replicas"]
    assert replicas["type"] == "integer"
    assert "io.k8s.api.autoscaling.v1.Scale" in schemas
