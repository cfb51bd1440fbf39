"""WebSocket URL routes, mounted by ``sandbox.asgi`` behind the origin and auth checks.

Feature consumers (the sandbox stream, the instructor dashboard) are added to
``websocket_urlpatterns``. The one route defined here is a health probe a load
balancer can use to check the whole WebSocket path in either mode.
"""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.urls import URLPattern, path, re_path

from sandbox.k8sapi.execws import ExecConsumer
from sandbox.web.consumers import SandboxConsumer


class HealthConsumer(AsyncJsonWebsocketConsumer):
    """Accept, round-trip one message through the channel layer, report, close.

    Going through the layer (Redis in scale-out mode) means a green probe
    proves that this process can reach the layer, not just that it is up.
    """

    async def connect(self) -> None:
        await self.accept()
        await self.channel_layer.send(self.channel_name, {"type": "health.echo"})

    async def health_echo(self, _event: dict[str, Any]) -> None:
        await self.send_json({"type": "health", "status": "ok", "mode": settings.KUBESANDBOX_MODE})
        await self.close()


websocket_urlpatterns: list[URLPattern] = [
    path("ws/healthz/", HealthConsumer.as_asgi(), name="ws-healthz"),
    path("ws/sandbox/<int:sandbox_id>/", SandboxConsumer.as_asgi(), name="ws-sandbox"),
]

# The Kubernetes API's WebSockets (``kubectl exec``): authenticated by the sandbox's token, not by a session, and
# opened by kubectl, which sends no Origin header - so they are served outside the page's origin check.
k8s_websocket_urlpatterns: list[URLPattern] = [
    re_path(
        r"^k8s/(?P<sandbox_id>\d+)/(?:token/(?P<token>[^/]+)/)?api/v1/namespaces/(?P<namespace>[^/]+)/pods/"
        r"(?P<pod>[^/]+)/exec$",
        ExecConsumer.as_asgi(),
        name="k8s-exec",
    ),
]
