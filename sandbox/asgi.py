"""The ASGI application: HTTP, WebSockets and the controller-worker channel.

One application object serves every process type. Daphne routes ``http`` and
``websocket`` scopes; ``manage.py runworker cluster-controllers`` routes
``channel`` scopes to the controller worker. In embedded mode there is no
separate worker process (the in-memory channel layer cannot cross processes),
so the application is wrapped to run the worker as a task on the server's own
event loop.

The worker and the embedded runtime are optional at import time so that the
project checks and serves while they are being built; once their modules
exist, they are imported normally and any error in them surfaces.
"""

from __future__ import annotations

import os
from importlib.util import find_spec
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sandbox.settings")
# Set up Django (apps, models) before importing anything that touches models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ChannelNameRouter, ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from sandbox.routing import k8s_websocket_urlpatterns, websocket_urlpatterns  # noqa: E402

WORKER_CHANNEL = "cluster-controllers"

Scope = dict[str, Any]


async def _worker_missing(scope: Scope, receive: Any, send: Any) -> None:
    raise RuntimeError(
        f"a message arrived on channel {WORKER_CHANNEL!r}, but cluster.worker does not exist yet: "
        "the controller worker cannot run"
    )


def controller_worker_app() -> Any:
    """The ASGI app for the worker channel: ``cluster.worker.ControllerWorkerConsumer``."""
    if find_spec("cluster.worker") is None:
        return _worker_missing
    from cluster.worker import ControllerWorkerConsumer

    return ControllerWorkerConsumer.as_asgi()


def websocket_app() -> Any:
    """The page's sockets behind the origin and session checks; the Kubernetes API's (``/k8s/…``) by token."""
    browser = AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns)))
    api = URLRouter(k8s_websocket_urlpatterns)

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await (api if scope.get("path", "").startswith("/k8s/") else browser)(scope, receive, send)

    return app


def build_application() -> Any:
    app: Any = ProtocolTypeRouter(
        {
            "http": django_asgi_app,
            "websocket": websocket_app(),
            "channel": ChannelNameRouter({WORKER_CHANNEL: controller_worker_app()}),
        }
    )
    if settings.KUBESANDBOX_MODE == "embedded" and find_spec("cluster.runtime") is not None:
        from cluster.runtime import with_embedded_worker

        app = with_embedded_worker(app)
    return app


application = build_application()
