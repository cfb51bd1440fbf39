"""``pods/<name>/exec`` over WebSocket: the real ``kubectl exec POD -- COMMAND`` against a sandbox.

kubectl (1.30 and newer) opens a WebSocket on the exec URL with the
``v5.channel.k8s.io`` (or ``v4``) subprotocol. Every binary message starts
with a channel byte: the server writes the command's stdout on 1 and stderr
on 2, then a ``Status`` on 3 - ``Success``, or ``Failure`` with reason
``NonZeroExitCode`` and the exit code, which kubectl turns into
``command terminated with exit code N`` and its own exit code - and closes.

The command runs through the same simulated containers as ``kubectl exec`` in
the sandbox's terminal (``hostname``, ``env``, ``cat``, ``curl``, ``wget`` …),
committed with ``services.sandbox_run``, so a ``curl`` from a pod reaches the
traffic model and the map. Simplification: the containers are simulated, so
there is no interactive session: ``-i``/``-t`` get a ``Failure`` that says so.

The token comes as on every API request (the URL's ``/token/<token>`` part
on plain-HTTP sites, else a bearer token); these sockets carry no browser
session, so they are routed outside the page's origin check.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from cluster import services
from cluster.apiserver.context import RequestContext
from cluster.core import errors
from cluster.kubectl.base import CommandError, Env, Output
from cluster.kubectl.commands.exec import check_running, run_in_container
from cluster.models import Sandbox
from cluster.sim import SimCluster
from sandbox.k8sapi.auth import authenticate, presented_token
from sandbox.k8sapi.ops import ACTOR, component
from sandbox.k8sapi.subresources import choose_container

PROTOCOLS = ("v5.channel.k8s.io", "v4.channel.k8s.io")
STDOUT, STDERR, STATUS = 1, 2, 3
Status = dict[str, Any]
SUCCESS: Status = {"metadata": {}, "status": "Success"}
INTERACTIVE = (
    "the sandbox's containers are simulated: there is no interactive session (-i/-t); run one command at a time, "
    "e.g. kubectl exec POD -- hostname"
)


def exit_status(code: int, argv: list[str]) -> Status:
    """The kubelet's ``Status`` for a command that exited with ``code``."""
    return {
        "metadata": {},
        "status": "Failure",
        "message": f"command terminated with non-zero exit code: error executing command {argv}, exit code {code}",
        "reason": "NonZeroExitCode",
        "details": {"causes": [{"reason": "ExitCode", "message": str(code)}]},
    }


def failure(message: str, code: int = 400, reason: str = "BadRequest") -> Status:
    return {"metadata": {}, "status": "Failure", "message": message, "reason": reason, "code": code}


def run_exec(
    sandbox_id: int, namespace: str, pod_name: str, query: dict[str, list[str]], user_agent: str
) -> tuple[list[str], list[str], Status]:
    """Run the exec request against the sandbox: (stdout lines, stderr lines, the final Status)."""
    argv = query.get("command") or []
    wanted = (query.get("container") or [""])[-1]
    interactive = any(v in ("true", "1") for name in ("stdin", "tty") for v in query.get(name, []))
    ctx = RequestContext(actor=ACTOR, component=component(user_agent), user_agent=user_agent)

    def operation(cluster: SimCluster) -> tuple[list[str], list[str], Status]:
        pod = cluster.api.get("Pod", namespace, pod_name, ctx)
        container = choose_container(pod, wanted)
        if not argv:
            return [], [], failure("you must specify at least one command for the container")
        if interactive:
            return [], [], failure(INTERACTIVE)
        check_running(pod, container)
        out = Output()
        env = Env(api=cluster.api, now_ms=lambda: cluster.now_ms, namespace=namespace, actor=ACTOR)
        try:
            run_in_container(env, pod, container, list(argv), out)
        except CommandError as exc:  # the runtime could not start the command (not found: 126)
            return exc.text().splitlines()[:1], [], exit_status(exc.exit_code, argv)
        ending = f"command terminated with exit code {out.exit_code}"
        stderr = [line for line in out.stderr if line != ending]  # kubectl prints that itself, from the Status
        return out.stdout, stderr, exit_status(out.exit_code, argv) if out.exit_code else SUCCESS

    try:
        return services.sandbox_run(sandbox_id, lambda c: _guarded(operation, c))
    except Sandbox.DoesNotExist:
        return [], [], failure("the server could not find the requested resource", 404, "NotFound")


def _guarded(operation: Any, cluster: SimCluster) -> tuple[list[str], list[str], Status]:
    try:
        result: tuple[list[str], list[str], Status] = operation(cluster)
    except errors.ApiError as exc:
        return [], [], exc.status()
    except CommandError as exc:
        return [], [], failure(exc.text().removeprefix("error: "))
    return result


def allowed(sandbox_id: int, token: str) -> bool:
    try:
        return authenticate(sandbox_id, token).sandbox_id == sandbox_id
    except errors.ApiError:
        return False


class ExecConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        route = self.scope["url_route"]["kwargs"]
        sandbox_id = int(route["sandbox_id"])
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in self.scope.get("headers", [])}
        token = route.get("token") or presented_token(headers.get("authorization", ""))
        protocol = next((p for p in PROTOCOLS if p in (self.scope.get("subprotocols") or [])), None)
        if protocol is None or not await database_sync_to_async(allowed)(sandbox_id, token):
            await self.close()  # before the handshake completes: the client sees 403
            return
        await self.accept(subprotocol=protocol)
        query = parse_qs(self.scope.get("query_string", b"").decode("utf-8", "replace"))
        stdout, stderr, status = await database_sync_to_async(run_exec)(
            sandbox_id, route["namespace"], route["pod"], query, headers.get("user-agent", "")
        )
        for channel, lines in ((STDOUT, stdout), (STDERR, stderr)):
            if lines:
                await self.send(bytes_data=bytes([channel]) + ("\n".join(lines) + "\n").encode())
        await self.send(bytes_data=bytes([STATUS]) + json.dumps(status).encode())
        await self.close()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        """stdin and the v5 close signal: there is nothing to feed a simulated command."""
