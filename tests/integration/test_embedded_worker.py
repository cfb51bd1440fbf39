"""Embedded mode through Channels: the in-memory layer, the worker runner and the sandbox group."""

from __future__ import annotations

import asyncio

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db.models import F

from cluster import persistence, protocol, services
from cluster.models import Sandbox
from cluster.worker import Runner

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def inline_controllers(settings: pytest.FixtureRequest) -> None:
    """These tests are about embedded mode, where the control plane also reacts inside the request."""
    settings.KUBESANDBOX_INLINE_CONTROLLERS = True  # type: ignore[attr-defined]


def _phases(sandbox_id: int) -> list[str]:
    persistence.forget(sandbox_id)
    cluster = persistence.load(Sandbox.objects.get(pk=sandbox_id)).cluster
    return sorted((p.get("status") or {}).get("phase", "") for p in cluster.list("Pod", "default"))


async def test_worker_wakes_the_sandbox_and_publishes_to_its_group() -> None:
    sb = await sync_to_async(services.sandbox_create)(name="emb", session_key="t", seed=11)
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(protocol.group_name(sb.pk), channel)

    out = await sync_to_async(services.sandbox_exec)(sb.pk, "kubectl create deployment web --image=nginx --replicas=2")
    assert out.stdout == ["deployment.apps/web created"]
    message = await asyncio.wait_for(layer.receive(channel), timeout=5)
    assert message["type"] == "cluster.changes"
    kinds = [e["object"]["kind"] for e in message["events"]]
    assert kinds[0] == "Deployment" and "ReplicaSet" in kinds and "Pod" in kinds
    steps = [(s["from"], s["to"]) for s in message["trace"]]
    assert steps[:2] == [("kubectl", "api-server"), ("api-server", "etcd")]
    assert ("controller-manager", "api-server") in steps

    assert await sync_to_async(_phases)(sb.pk) == ["Pending", "Pending"]
    # Ten simulated seconds pass (the clock's anchor moves; no wall-clock waiting), then the worker wakes.
    await sync_to_async(Sandbox.objects.filter(pk=sb.pk).update)(clock_sim_ms=F("clock_sim_ms") + 10_000)
    await Runner().wake(sb.pk)
    assert await sync_to_async(_phases)(sb.pk) == ["Running", "Running"]
    row = await sync_to_async(Sandbox.objects.get)(pk=sb.pk)
    assert row.lease_owner  # the runner took the sandbox's lease


async def test_paused_sandbox_is_not_advanced_by_the_worker() -> None:
    sb = await sync_to_async(services.sandbox_create)(name="paused", session_key="t", seed=12, paused=True)
    await sync_to_async(services.sandbox_exec)(sb.pk, "kubectl create deployment web --image=nginx")
    before = (await sync_to_async(Sandbox.objects.get)(pk=sb.pk)).resource_version
    await Runner().wake(sb.pk)
    after = (await sync_to_async(Sandbox.objects.get)(pk=sb.pk)).resource_version
    assert after == before
    assert await sync_to_async(services.sandbox_step)(sb.pk) is True
    assert (await sync_to_async(Sandbox.objects.get)(pk=sb.pk)).resource_version > before
