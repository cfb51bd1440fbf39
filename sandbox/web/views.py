"""The sandbox pages and the optional account pages: thin views over ``sandbox.web`` services.

``/`` is the product: it opens the visitor's sandbox at once, creating it on
the first visit (no sign-up needed). Every view resolves a sandbox through
``ownership.sandbox_of``, so somebody else's sandbox is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cluster.models import Sandbox
from sandbox.web.forms import SandboxNameForm, SignUpForm
from sandbox.web.importmap import editor_available, import_map_json
from sandbox.web.ownership import Caller, sandbox_of, sandboxes_of
from sandbox.web.sandboxes import (
    SandboxNameError,
    sandbox_rename,
    sandboxes_claim,
    visitor_sandbox,
    web_sandbox_create,
    web_sandbox_delete,
    web_sandbox_reset,
)


def _caller(request: HttpRequest) -> Caller:
    """The caller, giving an anonymous visitor a session (and so a key to own a sandbox by) if needed."""
    if not request.user.is_authenticated and not request.session.session_key:
        request.session.save()
    return Caller.of_request(request)


def _owned(request: HttpRequest, sandbox_id: int) -> Sandbox:
    try:
        return sandbox_of(_caller(request), sandbox_id)
    except Sandbox.DoesNotExist:
        raise Http404(_("No such sandbox.")) from None


def page_context(request: HttpRequest, sandbox: Sandbox) -> dict[str, Any]:
    """What ``sandbox/page.html`` needs; pages that extend it (lessons) render with this context too."""
    config = {
        "sandboxId": sandbox.pk,
        "sandboxName": sandbox.name,
        "wsPath": f"/ws/sandbox/{sandbox.pk}/",
        "editor": editor_available(),
    }
    return {
        "sandbox": sandbox,
        "sandboxes": list(sandboxes_of(Caller.of_request(request))[:20]) if request.user.is_authenticated else [],
        "config": config,
        "import_map_json": import_map_json(),
    }


def _page(request: HttpRequest, sandbox: Sandbox) -> HttpResponse:
    return render(request, "sandbox/page.html", page_context(request, sandbox))


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The visitor's most recent sandbox (a new one on the first visit)."""
    return _page(request, visitor_sandbox(caller=_caller(request)))


@require_GET
def sandbox_page(request: HttpRequest, sandbox_id: int) -> HttpResponse:
    return _page(request, _owned(request, sandbox_id))


@require_GET
def sandbox_list(request: HttpRequest) -> HttpResponse:
    caller = _caller(request)
    return render(request, "sandbox/list.html", {"sandboxes": list(sandboxes_of(caller)), "form": SandboxNameForm()})


@login_required
@require_POST
def sandbox_new(request: HttpRequest) -> HttpResponseBase:
    form = SandboxNameForm(request.POST)
    if not form.is_valid():
        return _list_with_errors(request, form)
    try:
        sandbox = web_sandbox_create(caller=_caller(request), name=form.cleaned_data["name"])
    except SandboxNameError as exc:
        form.add_error("name", str(exc))
        return _list_with_errors(request, form)
    return redirect("sandbox-page", sandbox_id=sandbox.pk)


def _list_with_errors(request: HttpRequest, form: Form) -> HttpResponse:
    context = {"sandboxes": list(sandboxes_of(_caller(request))), "form": form}
    return render(request, "sandbox/list.html", context, status=400)


@require_POST
def sandbox_rename_view(request: HttpRequest, sandbox_id: int) -> HttpResponseBase:
    sandbox = _owned(request, sandbox_id)
    form = SandboxNameForm(request.POST)
    if form.is_valid():
        try:
            sandbox_rename(sandbox=sandbox, name=form.cleaned_data["name"])
            messages.success(request, _("Sandbox renamed."))
        except SandboxNameError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Enter a name of at most 63 characters."))
    return redirect(_next(request, reverse("sandbox-list")))


@require_POST
def sandbox_reset_view(request: HttpRequest, sandbox_id: int) -> HttpResponseBase:
    sandbox = _owned(request, sandbox_id)
    web_sandbox_reset(sandbox_id=sandbox.pk)
    messages.success(request, _("The cluster was reset: a fresh cluster, your files and history kept."))
    return redirect(_next(request, reverse("sandbox-page", kwargs={"sandbox_id": sandbox.pk})))


@require_POST
def sandbox_delete_view(request: HttpRequest, sandbox_id: int) -> HttpResponseBase:
    sandbox = _owned(request, sandbox_id)
    web_sandbox_delete(sandbox=sandbox)
    messages.success(request, _("Sandbox deleted."))
    return redirect("sandbox-list")


# -- the sandbox as a Kubernetes API (the learner's own kubectl) ------------------------------------------------
def _site_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@require_GET
def sandbox_connect(request: HttpRequest, sandbox_id: int) -> HttpResponse:
    """How to point a real kubectl at this sandbox: the kubeconfig to copy or download, and the token's reset."""
    from sandbox.k8sapi.kubeconfig import kubeconfig_for

    sandbox = _owned(request, sandbox_id)
    context = {
        "sandbox": sandbox,
        "kubeconfig": kubeconfig_for(sandbox, _site_url(request)),
        "filename": _kubeconfig_filename(sandbox),
    }
    return render(request, "sandbox/connect.html", context)


def _kubeconfig_filename(sandbox: Sandbox) -> str:
    return f"kubeconfig-{slugify(sandbox.name) or sandbox.pk}.yaml"


@require_GET
def sandbox_kubeconfig(request: HttpRequest, sandbox_id: int) -> HttpResponse:
    from sandbox.k8sapi.kubeconfig import kubeconfig_for

    sandbox = _owned(request, sandbox_id)
    response = HttpResponse(kubeconfig_for(sandbox, _site_url(request)), content_type="application/yaml")
    response["Content-Disposition"] = f'attachment; filename="{_kubeconfig_filename(sandbox)}"'
    response["Cache-Control"] = "no-store"  # it carries the sandbox's token
    return response


@require_POST
def sandbox_token_view(request: HttpRequest, sandbox_id: int) -> HttpResponseBase:
    """A new token: every kubeconfig handed out before stops working at once."""
    from sandbox.k8sapi.auth import sandbox_api_token

    sandbox = _owned(request, sandbox_id)
    sandbox_api_token(sandbox, regenerate=True)
    messages.success(request, _("A new token was made: kubeconfig files downloaded before no longer work."))
    return redirect("sandbox-connect", sandbox_id=sandbox.pk)


def _next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


# -- accounts ----------------------------------------------------------------------------------------------------
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponseBase:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        anonymous_key = request.session.session_key or ""
        user = form.save()
        login(request, user)
        sandboxes_claim(session_key=anonymous_key, user_id=user.pk)
        messages.success(request, _("Welcome! Your sandbox is now saved in your account."))
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


class SandboxLoginView(LoginView):
    """Django's login, and then the anonymous session's sandbox moves into the account."""

    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        anonymous_key = self.request.session.session_key or ""
        response = super().form_valid(form)
        sandboxes_claim(session_key=anonymous_key, user_id=self.request.user.pk)
        return response
