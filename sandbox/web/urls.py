"""URLs of the sandbox pages and the optional account."""

from __future__ import annotations

from django.contrib.auth.views import LogoutView
from django.urls import path
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog

from sandbox.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sandboxes/", views.sandbox_list, name="sandbox-list"),
    path("sandboxes/new/", views.sandbox_new, name="sandbox-new"),
    path("sandboxes/<int:sandbox_id>/", views.sandbox_page, name="sandbox-page"),
    path("sandboxes/<int:sandbox_id>/rename/", views.sandbox_rename_view, name="sandbox-rename"),
    path("sandboxes/<int:sandbox_id>/reset/", views.sandbox_reset_view, name="sandbox-reset"),
    path("sandboxes/<int:sandbox_id>/delete/", views.sandbox_delete_view, name="sandbox-delete"),
    path("sandboxes/<int:sandbox_id>/connect/", views.sandbox_connect, name="sandbox-connect"),
    path("sandboxes/<int:sandbox_id>/kubeconfig/", views.sandbox_kubeconfig, name="sandbox-kubeconfig"),
    path("sandboxes/<int:sandbox_id>/token/", views.sandbox_token_view, name="sandbox-token"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/login/", views.SandboxLoginView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(next_page="home"), name="logout"),
    # The catalog only changes with a deploy; its URL carries the language, so caching it is safe.
    path("jsi18n/", cache_page(3600)(JavaScriptCatalog.as_view()), name="javascript-catalog"),
]
