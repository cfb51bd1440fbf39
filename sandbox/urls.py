"""Root URL configuration.

Feature URLconfs (the sandbox pages and accounts of ``sandbox.web``, lessons,
the Kubernetes REST API under each sandbox's prefix) are included here. ``/healthz`` is the liveness probe for a
load balancer in front of several Daphne processes.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(_request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers and knows which mode it runs in (no database round trip)."""
    return JsonResponse({"status": "ok", "mode": settings.KUBESANDBOX_MODE})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("k8s/", include("sandbox.k8sapi.urls")),
    path("learn/", include("sandbox.lessons.urls")),
    path("", include("sandbox.web.urls")),
]
