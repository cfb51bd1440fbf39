"""A sandbox's token opens that sandbox only: every verb on another sandbox is 403, a wrong token 401."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from tests.e2e.conftest import Sandbox

MakeSandbox = Callable[[str], Sandbox]
# What kubectl prints when discovery is refused with 401.
LOGGED_OUT = "error: You must be logged in to the server (the server has asked for the client to provide credentials)\n"
VERBS = [
    ("GET", "api/v1/namespaces/default/pods", "list"),
    ("GET", "api/v1/namespaces/default/pods?watch=true", "watch"),
    ("GET", "apis/apps/v1/namespaces/default/deployments/web", "get"),
    ("POST", "api/v1/namespaces/default/configmaps", "create"),
    ("PUT", "apis/apps/v1/namespaces/default/deployments/web", "update"),
    ("PATCH", "apis/apps/v1/namespaces/default/deployments/web", "patch"),
    ("DELETE", "apis/apps/v1/namespaces/default/deployments/web", "delete"),
    ("DELETE", "api/v1/namespaces/default/pods", "deletecollection"),
]


def token_of(sandbox: Sandbox) -> str:
    token: str = yaml.safe_load(sandbox.kubeconfig.read_text())["users"][0]["user"]["token"]
    return token


def sandbox_id(sandbox: Sandbox) -> str:
    server: str = yaml.safe_load(sandbox.kubeconfig.read_text())["clusters"][0]["cluster"]["server"]
    return server.split("/k8s/")[1].split("/")[0]


def http(method: str, url: str, token: str) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url, data=b"{}" if method != "GET" else None, method=method)
    request.add_header("Authorization", f"Bearer {token}")
    request.add_header("Content-Type", "application/merge-patch+json" if method == "PATCH" else "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.fixture
def pair(make_sandbox: MakeSandbox) -> tuple[Sandbox, Sandbox]:
    a, b = make_sandbox("team-a"), make_sandbox("team-b")
    b.ok("create", "deployment", "web", "--image=nginx")
    return a, b


def test_every_verb_with_another_sandboxs_token_is_forbidden(pair: tuple[Sandbox, Sandbox]) -> None:
    a, b = pair
    base = f"{b.server.base}/k8s/{sandbox_id(b)}"
    for method, path, verb in VERBS:
        code, status = http(method, f"{base}/{path}", token_of(a))
        assert (code, status["reason"]) == (403, "Forbidden"), (method, path)
        assert f'User "kubesandbox:sandbox-{sandbox_id(a)}" cannot {verb} resource' in status["message"]
    assert b.ok("get", "deployments", "-o", "name") == "deployment.apps/web\n"  # untouched


def test_kubectl_with_a_foreign_token_is_forbidden_and_without_one_unauthorized(pair: tuple[Sandbox, Sandbox]) -> None:
    a, b = pair
    crossed = b.workdir / "crossed"
    config = yaml.safe_load(a.kubeconfig.read_text())
    config["clusters"][0]["cluster"]["server"] = f"{b.server.base}/k8s/{sandbox_id(b)}/token/{token_of(a)}"
    crossed.write_text(yaml.safe_dump(config))
    result = b.kubectl("--kubeconfig", str(crossed), "get", "pods")
    assert result.returncode == 1
    assert result.stderr.endswith(
        f'Error from server (Forbidden): pods is forbidden: User "kubesandbox:sandbox-{sandbox_id(a)}" cannot list '
        'resource "pods" in API group "" in the namespace "default"\n'
    )
    anonymous = b.kubectl("--server", f"{b.server.base}/k8s/{sandbox_id(b)}", "get", "pods")
    assert anonymous.returncode == 1
    assert anonymous.stderr.endswith(LOGGED_OUT)


def test_a_regenerated_token_retires_the_old_kubeconfig(make_sandbox: MakeSandbox) -> None:
    sandbox = make_sandbox("rotate")
    old = sandbox.kubeconfig.read_text()
    fresh = sandbox.server.manage("sandbox", "kubeconfig", sandbox.name, "--server", sandbox.server.base,
                                  "--regenerate-token").stdout  # fmt: skip
    assert fresh != old
    result = sandbox.kubectl("get", "pods")
    assert result.stderr.endswith(LOGGED_OUT)
    sandbox.kubeconfig.write_text(fresh)
    assert sandbox.kubectl("get", "namespaces", "-o", "name").stdout.splitlines()[0] == "namespace/default"
