"""The sandbox pages and accounts through Django's test client: ownership, lifecycle, sign-up, languages."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cluster import persistence
from cluster.models import Sandbox, SandboxFile
from sandbox.web.sandboxes import sandbox_epoch

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "kube-sandbox-Pa55"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    yield
    persistence._CACHE.clear()


def _config(response: object) -> dict[str, object]:
    html = response.content.decode()  # type: ignore[attr-defined]
    start = html.index('<script id="ks-config" type="application/json">') + len(
        '<script id="ks-config" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def _user(name: str) -> object:
    return get_user_model().objects.create_user(username=name, password=PASSWORD)


def test_first_visit_creates_a_sandbox_and_the_next_resumes_it() -> None:
    browser = Client()
    started = time.perf_counter()
    first = browser.get("/")
    elapsed = time.perf_counter() - started
    assert first.status_code == 200
    assert elapsed < 1.0, f"the first page took {elapsed:.3f}s"
    sandbox_id = _config(first)["sandboxId"]
    sb = Sandbox.objects.get(pk=sandbox_id)
    assert sb.owner is None and sb.session_key == browser.session.session_key
    assert set(SandboxFile.objects.filter(sandbox=sb).values_list("path", flat=True)) == {
        "deployment.yaml",
        "service.yaml",
        "app.py",
        "Dockerfile",
        "site.conf",
        "requirements.txt",
        "start.sh",
        "broken-deployment.yaml",
    }
    again = browser.get("/")
    assert _config(again)["sandboxId"] == sandbox_id
    assert Sandbox.objects.count() == 1
    assert b'<script type="importmap">' in first.content


def test_another_visitors_sandbox_is_a_404() -> None:
    owner, stranger = Client(), Client()
    sandbox_id = _config(owner.get("/"))["sandboxId"]
    stranger.get("/")
    assert owner.get(f"/sandboxes/{sandbox_id}/").status_code == 200
    for response in (
        stranger.get(f"/sandboxes/{sandbox_id}/"),
        stranger.post(f"/sandboxes/{sandbox_id}/reset/"),
        stranger.post(f"/sandboxes/{sandbox_id}/rename/", {"name": "mine"}),
        stranger.post(f"/sandboxes/{sandbox_id}/delete/"),
    ):
        assert response.status_code == 404
    assert Sandbox.objects.filter(pk=sandbox_id, name="sandbox").exists()


def test_a_user_creates_renames_resets_and_deletes_sandboxes() -> None:
    _user("alice")
    browser = Client()
    assert browser.login(username="alice", password=PASSWORD)
    response = browser.post("/sandboxes/new/", {"name": "lesson 1"})
    assert response.status_code == 302
    first = Sandbox.objects.get(owner__username="alice", name="lesson 1")
    browser.post("/sandboxes/new/", {"name": "lesson 1"})
    assert sorted(Sandbox.objects.filter(owner__username="alice").values_list("name", flat=True)) == [
        "lesson 1",
        "lesson 1-2",
    ]

    assert browser.post(f"/sandboxes/{first.pk}/rename/", {"name": "scaling"}).status_code == 302
    first.refresh_from_db()
    assert (first.name, first.slug) == ("scaling", "scaling")
    browser.post(f"/sandboxes/{first.pk}/rename/", {"name": "lesson 1-2"})
    first.refresh_from_db()
    assert first.name == "scaling"  # the name is taken: refused, nothing changed

    started = time.perf_counter()
    assert browser.post(f"/sandboxes/{first.pk}/reset/").status_code == 302
    assert time.perf_counter() - started < 1.0
    first.refresh_from_db()
    assert sandbox_epoch(first) == 1

    listing = browser.get("/sandboxes/")
    assert listing.status_code == 200 and "scaling" in listing.content.decode()
    assert browser.post(f"/sandboxes/{first.pk}/delete/").status_code == 302
    assert not Sandbox.objects.filter(pk=first.pk).exists()


def test_users_cannot_touch_each_others_sandboxes() -> None:
    _user("alice")
    _user("bob")
    alice, bob = Client(), Client()
    alice.login(username="alice", password=PASSWORD)
    bob.login(username="bob", password=PASSWORD)
    sandbox_id = _config(alice.get("/"))["sandboxId"]
    assert bob.get(f"/sandboxes/{sandbox_id}/").status_code == 404
    assert bob.post(f"/sandboxes/{sandbox_id}/delete/").status_code == 404
    assert _config(bob.get("/"))["sandboxId"] != sandbox_id


def test_sign_up_keeps_the_anonymous_sandbox() -> None:
    browser = Client()
    sandbox_id = _config(browser.get("/"))["sandboxId"]
    response = browser.post("/accounts/signup/", {"username": "carol", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    sb = Sandbox.objects.get(pk=sandbox_id)
    assert sb.owner is not None and sb.owner.get_username() == "carol"
    assert sb.session_key == ""
    assert _config(browser.get("/"))["sandboxId"] == sandbox_id
    assert Sandbox.objects.count() == 1


def test_login_moves_the_anonymous_sandbox_into_the_account() -> None:
    _user("dave")
    owned = Client()
    owned.login(username="dave", password=PASSWORD)
    owned.get("/")  # dave already has a sandbox named "sandbox"
    browser = Client()
    sandbox_id = _config(browser.get("/"))["sandboxId"]
    response = browser.post("/accounts/login/", {"username": "dave", "password": PASSWORD})
    assert response.status_code == 302
    moved = Sandbox.objects.get(pk=sandbox_id)
    assert moved.owner is not None and moved.owner.get_username() == "dave"
    assert moved.name == "sandbox-2"


def test_creating_sandboxes_needs_an_account() -> None:
    response = Client().post("/sandboxes/new/", {"name": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("accept", "cookie", "expected"),
    [
        ("ko-KR,ko;q=0.9,en;q=0.8", None, "터미널"),
        ("en-US,en;q=0.9", None, "Terminal"),
        ("en-US,en;q=0.9", "ko", "터미널"),
    ],
)
def test_the_language_follows_the_browser_and_the_switch(accept: str, cookie: str | None, expected: str) -> None:
    browser = Client(HTTP_ACCEPT_LANGUAGE=accept)
    if cookie:
        browser.post("/i18n/setlang/", {"language": cookie, "next": "/"})
    page = browser.get("/").content.decode()
    assert f">{expected}</h2>" in page


def test_the_javascript_catalog_is_translated() -> None:
    catalog = Client(HTTP_ACCEPT_LANGUAGE="ko").get("/jsi18n/").content.decode()
    assert "\\ud30c\\ub4dc" in catalog or "파드" in catalog  # "Pods"


def test_the_page_hands_out_a_kubeconfig_whose_token_can_be_regenerated() -> None:
    import yaml

    owner, stranger = Client(), Client()
    page = owner.get("/")
    sandbox_id = _config(page)["sandboxId"]
    assert f'href="/sandboxes/{sandbox_id}/connect/"'.encode() in page.content
    connect = owner.get(f"/sandboxes/{sandbox_id}/connect/")
    assert connect.status_code == 200
    download = owner.get(f"/sandboxes/{sandbox_id}/kubeconfig/")
    assert download["Content-Disposition"] == 'attachment; filename="kubeconfig-sandbox.yaml"'
    config = yaml.safe_load(download.content)
    token = config["users"][0]["user"]["token"]
    assert token.encode() in connect.content  # the page shows the same kubeconfig
    server = config["clusters"][0]["cluster"]["server"]
    assert server == f"http://testserver/k8s/{sandbox_id}/token/{token}"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert owner.get(f"/k8s/{sandbox_id}/api/v1/namespaces/default/pods", **auth).status_code == 200

    stranger.get("/")
    for response in (
        stranger.get(f"/sandboxes/{sandbox_id}/connect/"),
        stranger.get(f"/sandboxes/{sandbox_id}/kubeconfig/"),
        stranger.post(f"/sandboxes/{sandbox_id}/token/"),
    ):
        assert response.status_code == 404
    assert owner.post(f"/sandboxes/{sandbox_id}/token/").status_code == 302
    fresh = yaml.safe_load(owner.get(f"/sandboxes/{sandbox_id}/kubeconfig/").content)["users"][0]["user"]["token"]
    assert fresh != token
    assert owner.get(f"/k8s/{sandbox_id}/api/v1/namespaces/default/pods", **auth).status_code == 401
    fresh_auth = {"HTTP_AUTHORIZATION": f"Bearer {fresh}"}
    assert owner.get(f"/k8s/{sandbox_id}/api/v1/namespaces/default/pods", **fresh_auth).status_code == 200


def test_every_page_links_to_the_lessons() -> None:
    browser = Client()
    page = browser.get("/")
    assert b'<a href="/learn/" id="nav-lessons">' in page.content
    assert browser.get("/learn/").status_code == 200
