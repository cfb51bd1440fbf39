"""Watch and ``log?follow`` streams, and what a request shows the page, through Django's async test client.

Sandboxes are paused: changes come from explicit API calls or ``sandbox_advance``,
never from the wall clock. A stream is read until the expected events arrived
(or until its own ``timeoutSeconds`` ends it), with an overall guard so a
broken stream fails instead of hanging.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.http import StreamingHttpResponse
from django.test import AsyncClient

from cluster import protocol, services
from cluster.models import ObjectChange, Sandbox
from tests.integration.test_k8sapi import TABLE, make_sandbox

pytestmark = pytest.mark.django_db(transaction=True)
Obj = dict[str, Any]
GUARD_SECONDS = 20
DEPLOYMENTS = "apis/apps/v1/namespaces/default/deployments"


async def sandbox_async(name: str = "watch") -> Sandbox:
    return await sync_to_async(make_sandbox)(name)


async def request(client: AsyncClient, sandbox: Sandbox, path: str, *, accept: str = "", method: str = "GET") -> Any:
    headers = {"Authorization": f"Bearer {sandbox.api_token}"}
    if accept:
        headers["Accept"] = accept
    return await client.generic(method, f"/k8s/{sandbox.pk}/{path}", b"", headers=headers)


async def exec_line(sandbox: Sandbox, line: str) -> None:
    output = await sync_to_async(services.sandbox_exec)(sandbox.pk, line)
    assert output.exit_code == 0, output.stderr


async def current_rv(sandbox: Sandbox) -> int:
    return int((await Sandbox.objects.aget(pk=sandbox.pk)).resource_version)


async def chunks(response: StreamingHttpResponse) -> AsyncIterator[bytes]:
    async for chunk in response.streaming_content:  # type: ignore[union-attr]
        yield bytes(chunk)


async def events(response: StreamingHttpResponse, count: int | None = None) -> list[Obj]:
    """Watch events from the stream: ``count`` of them, or all until the server ends it."""
    found: list[Obj] = []

    async def read() -> None:
        async for chunk in chunks(response):
            found.extend(json.loads(line) for line in chunk.decode().splitlines() if line)
            if count is not None and len(found) >= count:
                return

    await asyncio.wait_for(read(), GUARD_SECONDS)
    return found


def summary(found: list[Obj]) -> list[tuple[str, str]]:
    return [(e["type"], e["object"]["metadata"].get("name", "")) for e in found]


async def test_a_watch_from_a_revision_sees_only_later_changes(async_client: AsyncClient) -> None:
    sandbox = await sandbox_async()
    rv = await current_rv(sandbox)
    response = await request(async_client, sandbox, f"{DEPLOYMENTS}?watch=true&resourceVersion={rv}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    await exec_line(sandbox, "kubectl create deployment web --image=nginx")
    await exec_line(sandbox, "kubectl scale deployment web --replicas=3")
    found = await events(response, 2)
    assert summary(found) == [("ADDED", "web"), ("MODIFIED", "web")]
    assert found[1]["object"]["kind"] == "Deployment"
    assert found[1]["object"]["spec"]["replicas"] == 3
    assert int(found[1]["object"]["metadata"]["resourceVersion"]) > rv


async def test_changes_between_the_revision_and_the_watch_are_replayed(async_client: AsyncClient) -> None:
    sandbox = await sandbox_async()
    rv = await current_rv(sandbox)
    await exec_line(sandbox, "kubectl create deployment web --image=nginx")  # after the client's list, before its watch
    response = await request(async_client, sandbox, f"{DEPLOYMENTS}?watch=true&resourceVersion={rv}")
    assert summary(await events(response, 1)) == [("ADDED", "web")]


async def test_a_watch_without_a_revision_starts_with_the_current_objects(async_client: AsyncClient) -> None:
    sandbox = await sandbox_async()
    response = await request(async_client, sandbox, "api/v1/namespaces?watch=1&timeoutSeconds=1")
    found = await events(response)
    assert summary(found) == [
        ("ADDED", "default"),
        ("ADDED", "kube-node-lease"),
        ("ADDED", "kube-public"),
        ("ADDED", "kube-system"),
    ]


async def test_selectors_narrow_a_watch_and_leaving_one_is_a_deletion(async_client: AsyncClient) -> None:
    sandbox = await sandbox_async()
    await exec_line(sandbox, "kubectl create deployment web --image=nginx")
    rv = await current_rv(sandbox)
    path = f"{DEPLOYMENTS}?watch=true&resourceVersion={rv}&labelSelector=tier%3Dfe"
    response = await request(async_client, sandbox, path)
    await exec_line(sandbox, "kubectl create deployment other --image=nginx")
    await exec_line(sandbox, "kubectl label deployment web tier=fe")
    await exec_line(sandbox, "kubectl label deployment web tier=be --overwrite")
    found = await events(response, 2)
    assert summary(found) == [("ADDED", "web"), ("DELETED", "web")]
    assert found[1]["object"]["metadata"]["labels"]["tier"] == "be"


async def test_deleted_carries_the_last_state(async_client: AsyncClient) -> None:
    sandbox = await sandbox_async()
    await exec_line(sandbox, "kubectl create deployment web --image=nginx")
    rv = await current_rv(sandbox)
    path = f"{DEPLOYMENTS}?watch=true&resourceVersion={rv}&fieldSelector=metadata.name%3Dweb"
    response = await request(async_client, sandbox, path)
    await exec_line(sandbox, "kubectl delete deployment web")
    (deleted,) = await events(response, 1)
    assert deleted["type"] == "DELETED"
    assert deleted["object"]["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx"


async def test_a_compacted_revision_is_an_expired_error_event(async_client: AsyncClient) -> None:
    sandbox = await sandbox_async()
    await ObjectChange.objects.filter(sandbox_id=sandbox.pk, resource_version__lte=5).adelete()
    response = await request(async_client, sandbox, "api/v1/pods?watch=true&resourceVersion=2")
    assert response.status_code == 200
    assert await events(response) == [
        {
            "type": "ERROR",
            "object": {
                "kind": "Status",
                "apiVersion": "v1",
                "metadata": {},
                "status": "Failure",
                "message": "too old resource version: 2 (5)",
                "reason": "Expired",
                "details": {},
                "code": 410,
            },
        }
    ]


async def test_a_table_watch_sends_column_definitions_only_first(async_client: AsyncClient) -> None:
    sandbox = await sandbox_async()
    rv = await current_rv(sandbox)
    response = await request(async_client, sandbox, f"{DEPLOYMENTS}?watch=true&resourceVersion={rv}", accept=TABLE)
    await exec_line(sandbox, "kubectl create deployment web --image=nginx")
    await exec_line(sandbox, "kubectl create deployment api --image=nginx")
    first, second = await events(response, 2)
    assert first["object"]["kind"] == second["object"]["kind"] == "Table"
    assert [c["name"] for c in first["object"]["columnDefinitions"]][:5] == [
        "Name",
        "Ready",
        "Up-to-date",
        "Available",
        "Age",
    ]
    assert second["object"]["columnDefinitions"] is None
    assert [row["cells"][:2] for row in second["object"]["rows"]] == [["api", "0/1"]]


async def test_initial_events_end_with_a_bookmark(async_client: AsyncClient) -> None:
    sandbox = await sandbox_async()
    path = "api/v1/namespaces?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&timeoutSeconds=1"
    found = await events(await request(async_client, sandbox, path))
    assert [e["type"] for e in found] == ["ADDED"] * 4 + ["BOOKMARK"]
    bookmark = found[-1]["object"]
    assert bookmark["kind"] == "Namespace"
    assert bookmark["metadata"] == {
        "resourceVersion": str(await current_rv(sandbox)),
        "annotations": {"k8s.io/initial-events-end": "true"},
    }


async def test_a_bad_selector_fails_before_the_stream_starts(async_client: AsyncClient) -> None:
    sandbox = await sandbox_async()
    response = await request(async_client, sandbox, "api/v1/pods?watch=true&labelSelector=a%20b%20c")
    assert response.status_code == 400
    assert json.loads(response.content)["reason"] == "BadRequest"


async def test_follow_streams_the_log_until_the_pod_goes(async_client: AsyncClient) -> None:
    sandbox = await sandbox_async()
    await exec_line(sandbox, "kubectl run web --image=nginx")
    await sync_to_async(services.sandbox_advance)(sandbox.pk, 15_000)
    response = await request(async_client, sandbox, "api/v1/namespaces/default/pods/web/log?follow=true")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain"
    stream = chunks(response)
    first = await asyncio.wait_for(anext(stream), GUARD_SECONDS)
    assert first.decode().startswith("/docker-entrypoint.sh:")
    await exec_line(sandbox, "kubectl delete pod web --grace-period=0 --force")
    rest = [c async for c in stream]
    assert b"".join(rest) == b""  # the stream ended: the followed container is gone


async def test_requests_show_on_the_page_as_kubectl_on_the_laptop(async_client: AsyncClient) -> None:
    sandbox = await sandbox_async()
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(protocol.group_name(sandbox.pk), channel)
    body = json.dumps({"metadata": {"name": "dev"}})
    response = await async_client.post(
        f"/k8s/{sandbox.pk}/api/v1/namespaces",
        body,
        content_type="application/json",
        headers={"Authorization": f"Bearer {sandbox.api_token}", "User-Agent": "kubectl/v1.32.4 (linux/amd64)"},
    )
    assert response.status_code == 201
    message = await asyncio.wait_for(layer.receive(channel), GUARD_SECONDS)
    assert message["type"] == "cluster.changes"
    steps = [(s["from"], s["to"], s["verb"]) for s in message["trace"]]
    assert steps[:2] == [("kubectl-laptop", "api-server", "POST"), ("api-server", "etcd", "write")]
    assert [e["object"]["metadata"]["name"] for e in message["events"]] == ["dev"]


async def test_a_quiet_watch_that_accepts_bookmarks_starts_with_one(async_client: AsyncClient) -> None:
    """The response headers go out with the first chunk: a bookmark at once, so the client is not left waiting."""
    sandbox = await sandbox_async()
    rv = await current_rv(sandbox)
    path = f"api/v1/namespaces/default/pods?watch=true&resourceVersion={rv}&allowWatchBookmarks=true&timeoutSeconds=1"
    found = await events(await request(async_client, sandbox, path))
    assert found == [
        {"type": "BOOKMARK", "object": {"kind": "Pod", "apiVersion": "v1", "metadata": {"resourceVersion": str(rv)}}}
    ]
    without = f"api/v1/namespaces/default/pods?watch=true&resourceVersion={rv}&timeoutSeconds=1"
    assert await events(await request(async_client, sandbox, without)) == []
