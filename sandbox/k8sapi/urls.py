"""``/k8s/<sandbox-id>/…``: every path of a sandbox's Kubernetes API goes to the one view."""

from __future__ import annotations

from django.urls import URLPattern, path

from sandbox.k8sapi import views

urlpatterns: list[URLPattern] = [
    path("<int:sandbox_id>/token/<str:url_token>", views.api),
    path("<int:sandbox_id>/token/<str:url_token>/<path:path>", views.api),
    path("<int:sandbox_id>", views.api, name="k8sapi-root"),
    path("<int:sandbox_id>/<path:path>", views.api, name="k8sapi"),
]
