"""``kubectl exec`` over the API's WebSocket (``v5.channel.k8s.io``), through the project's ASGI application.

The frames are what kubectl reads: stdout on channel 1, stderr on 2, and a ``Status`` on 3 that carries the exit
code. Sandboxes are paused; simulated time moves only with ``sandbox_advance``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from cluster import persistence, services
from cluster.models import Sandbox
from sandbox.asgi import websocket_app
from sandbox.k8sapi.auth import sandbox_api_token

pytestmark = pytest.mark.django_db(transaction=True)


def _sandbox(name: str) -> tuple[Sandbox, str]:
    sb = services.sandbox_create(name=name, session_key="exec", seed=3, paused=True)
    services.sandbox_exec(sb.pk, "kubectl run web --image=nginx:1.27")
    services.sandbox_exec(sb.pk, "kubectl expose pod web --port=80")
    services.sandbox_advance(sb.pk, 20_000)
    return sb, sandbox_api_token(sb)


async def _exec(
    sandbox_id: int, token: str, query: str, *, pod: str = "web", protocols: tuple[str, ...] = ("v5.channel.k8s.io",)
) -> tuple[bool, dict[int, bytes], dict[str, Any] | None]:
    path = f"/k8s/{sandbox_id}/api/v1/namespaces/default/pods/{pod}/exec?{query}"
    ws = WebsocketCommunicator(
        websocket_app(), path, headers=[(b"authorization", f"Bearer {token}".encode())], subprotocols=list(protocols)
    )
    connected, subprotocol = await ws.connect(timeout=10)
    frames: dict[int, bytes] = {}
    status = None
    if connected:
        assert subprotocol == protocols[0]
        while True:
            message = await ws.receive_output(timeout=10)
            if message["type"] == "websocket.close":
                break
            data = message["bytes"]
            if data[0] == 3:
                status = json.loads(data[1:])
            else:
                frames[data[0]] = frames.get(data[0], b"") + data[1:]
    await ws.disconnect()
    persistence._CACHE.clear()
    return connected, frames, status


async def test_a_command_prints_on_stdout_and_succeeds() -> None:
    sb, token = await sync_to_async(_sandbox)("ok")
    connected, frames, status = await _exec(sb.pk, token, "command=hostname&stdout=true&stderr=true")
    assert connected and frames == {1: b"web\n"}
    assert status == {"metadata": {}, "status": "Success"}
    connected, frames, status = await _exec(sb.pk, token, "command=sh&command=-c&command=curl+-s+web")
    assert b"Welcome to nginx!" in frames[1] and status == {"metadata": {}, "status": "Success"}


async def test_exit_codes_travel_in_the_status() -> None:
    sb, token = await sync_to_async(_sandbox)("codes")
    _, frames, status = await _exec(sb.pk, token, "command=nosuch&stdout=true&stderr=true")
    assert frames[1].startswith(b"OCI runtime exec failed: ")
    assert status is not None and status["reason"] == "NonZeroExitCode"
    assert status["details"]["causes"] == [{"reason": "ExitCode", "message": "126"}]
    _, frames, status = await _exec(sb.pk, token, "command=curl&command=-sS&command=http%3A%2F%2Fnosuch")
    assert frames[2] == b"curl: (6) Could not resolve host: nosuch\n"  # kubectl adds "command terminated…" itself
    assert status is not None and status["details"]["causes"][0]["message"] == "6"


async def test_what_cannot_run_is_a_failure_status() -> None:
    sb, token = await sync_to_async(_sandbox)("fail")
    _, _, status = await _exec(sb.pk, token, "command=sh&stdin=true&tty=true")
    assert status is not None and status["status"] == "Failure" and "no interactive session" in status["message"]
    _, _, status = await _exec(sb.pk, token, "command=ls", pod="nope")
    assert status is not None and (status["reason"], status["code"]) == ("NotFound", 404)
    _, _, status = await _exec(sb.pk, token, "command=ls&container=other")
    assert status is not None and status["message"] == "container other is not valid for pod web"


async def test_a_token_of_another_sandbox_or_no_subprotocol_is_refused() -> None:
    sb, token = await sync_to_async(_sandbox)("mine")
    _, other = await sync_to_async(_sandbox)("theirs")
    connected, _, _ = await _exec(sb.pk, other, "command=hostname")
    assert not connected
    connected, _, _ = await _exec(sb.pk, "", "command=hostname")
    assert not connected
    connected, _, _ = await _exec(sb.pk, token, "command=hostname", protocols=("channel.k8s.io",))
    assert not connected
