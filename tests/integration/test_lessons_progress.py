"""Lesson progress through the web: start, check after commands, resume after a reload, keep it on sign-up."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from cluster import services
from cluster.models import Sandbox, SandboxFile
from sandbox.lessons.models import LessonProgress
from sandbox.web.terminal import terminal_run

pytestmark = pytest.mark.django_db(transaction=True)


def type_line(sandbox_id: int, line: str) -> int:
    """What the page's terminal does for one line (runs it and records it in the history)."""
    return terminal_run(sandbox_id=sandbox_id, command_id="t", line=line, lang="en", namespace="default").exit_code


def state(client: Client, lesson: str, lang: str = "en") -> dict[str, Any]:
    response = client.get(f"/learn/api/{lesson}/state?lang={lang}")
    assert response.status_code == 200
    return response.json()


def start(client: Client, lesson: str) -> LessonProgress:
    assert client.get(f"/learn/{lesson}/").status_code == 200
    progress = LessonProgress.objects.filter(lesson_id=lesson).order_by("-id").first()
    assert progress is not None
    return progress


def test_course_map_lists_lessons_and_exercises() -> None:
    response = Client().get("/learn/")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="course-entry') == 18
    assert 'href="/learn/scaling/"' in body and 'href="/learn/drain-node/"' in body


def test_unknown_or_unstarted_lessons_are_404() -> None:
    client = Client()
    assert client.get("/learn/no-such-lesson/").status_code == 404
    assert client.get("/learn/api/scaling/state").status_code == 404


def test_scaling_lesson_steps_are_checked_against_the_learners_cluster() -> None:
    client = Client()
    progress = start(client, "scaling")
    sandbox = progress.sandbox
    assert sandbox is not None and sandbox.name == "lesson-scaling" and sandbox.session_key
    first = state(client, "scaling")
    assert (first["stepIndex"], first["complete"], first["current"]["id"]) == (0, False, "scale-to-3")
    assert first["current"]["missing"] == ["Deployment dpy-nginx: spec.replicas: 3 — now: 1",
                                           "Deployment dpy-nginx: status.readyReplicas: 3 — now: 1"]  # fmt: skip
    assert type_line(sandbox.pk, "kubectl scale deployment dpy-nginx --replicas=3") == 0
    services.sandbox_advance(sandbox.pk, 20_000)
    after = state(client, "scaling", "ko")
    assert after["justDone"] == ["scale-to-3"]
    assert after["current"]["id"] == "distinct-ips" and after["steps"][0]["done"] is True
    assert after["current"]["title"] == "Pod 마다 다른 IP"
    assert after["stats"]["commands"] == 1


def test_progress_survives_a_reload_and_moves_to_the_account_on_sign_up() -> None:
    client = Client()
    sandbox = start(client, "pods").sandbox
    assert sandbox is not None
    type_line(sandbox.pk, "kubectl run nginx-pod --image=nginx")
    services.sandbox_advance(sandbox.pk, 20_000)
    assert state(client, "pods")["stepIndex"] == 1
    client.post("/learn/api/pods/hint")
    # A reload resumes: same sandbox, same step, the hint still shown.
    assert client.get("/learn/pods/").status_code == 200
    resumed = state(client, "pods")
    assert resumed["stepIndex"] == 1 and resumed["sandboxId"] == sandbox.pk
    assert resumed["current"]["hints"] == ["Run `kubectl describe pod nginx-pod`."]
    response = client.post(
        "/accounts/signup/", {"username": "learner", "password1": "k8s-sandbox-pw", "password2": "k8s-sandbox-pw"}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="learner")
    progress = LessonProgress.objects.get(lesson_id="pods")
    assert (progress.user_id, progress.learner_key, progress.step_index) == (user.pk, "", 1)
    assert Sandbox.objects.get(pk=sandbox.pk).owner_id == user.pk
    assert state(client, "pods")["stepIndex"] == 1


def test_login_keeps_the_further_progress_when_both_have_the_lesson() -> None:
    user = get_user_model().objects.create_user("ana", password="k8s-sandbox-pw")
    LessonProgress.objects.create(user=user, lesson_id="pods", step_index=0)
    client = Client()
    sandbox = start(client, "pods").sandbox
    assert sandbox is not None
    type_line(sandbox.pk, "kubectl run nginx-pod --image=nginx")
    services.sandbox_advance(sandbox.pk, 20_000)
    assert state(client, "pods")["stepIndex"] == 1
    assert client.post("/accounts/login/", {"username": "ana", "password": "k8s-sandbox-pw"}).status_code == 302
    rows = list(LessonProgress.objects.filter(lesson_id="pods"))
    assert [(r.user_id, r.step_index) for r in rows] == [(user.pk, 1)]


def test_another_learner_cannot_see_my_progress() -> None:
    mine = Client()
    start(mine, "scaling")
    assert Client().get("/learn/api/scaling/state").status_code == 404


def test_exercise_scenario_starts_broken_and_the_goal_shows_what_differs() -> None:
    client = Client()
    sandbox = start(client, "service-selector").sandbox
    assert sandbox is not None
    first = state(client, "service-selector")
    assert first["lesson"]["par"] == 3 and first["current"]["check"]["ok"] is False
    type_line(sandbox.pk, 'kubectl patch service web-svc -p \'{"spec":{"selector":{"app":"web"}}}\'')
    services.sandbox_advance(sandbox.pk, 3_000)
    done = state(client, "service-selector")
    assert done["complete"] is True and done["stats"]["commands"] == 1
    assert LessonProgress.objects.get(lesson_id="service-selector").completed_at is not None


def test_reset_gives_a_fresh_cluster_in_the_starting_scenario() -> None:
    client = Client()
    sandbox = start(client, "scaling").sandbox
    assert sandbox is not None
    type_line(sandbox.pk, "kubectl scale deployment dpy-nginx --replicas=3")
    services.sandbox_advance(sandbox.pk, 20_000)
    assert state(client, "scaling")["stepIndex"] == 1
    assert client.post("/learn/api/scaling/reset", HTTP_ACCEPT="application/json").json() == {"reset": True}
    fresh = state(client, "scaling")
    assert (fresh["stepIndex"], fresh["stats"]["commands"]) == (0, 0)
    assert fresh["sandboxId"] == sandbox.pk
    assert fresh["current"]["missing"][0] == "Deployment dpy-nginx: spec.replicas: 3 — now: 1"


def test_step_files_and_course_files_are_in_the_sandbox() -> None:
    client = Client()
    sandbox = start(client, "manifests").sandbox
    paths = set(SandboxFile.objects.filter(sandbox=sandbox).values_list("path", flat=True))
    assert {"broken-deployment.yaml", "nginx-service.yaml", "deployment.yaml"} <= paths


def test_clock_actions_pause_and_step_the_lesson_sandbox() -> None:
    client = Client()
    sandbox = start(client, "pod-lifecycle").sandbox
    assert sandbox is not None
    assert client.post("/learn/api/pod-lifecycle/clock", {"action": "pause"}).json() == {"ok": True}
    assert state(client, "pod-lifecycle")["current"]["id"] == "request"
    type_line(sandbox.pk, "kubectl create deployment life --image=nginx")
    assert state(client, "pod-lifecycle")["current"]["id"] == "replicaset"
    client.post("/learn/api/pod-lifecycle/clock", {"action": "step"})
    assert state(client, "pod-lifecycle")["current"]["id"] == "pod-created"
    assert client.post("/learn/api/pod-lifecycle/clock", {"action": "fly"}).status_code == 400


def test_clock_actions_are_explicit_pausing_a_paused_clock_keeps_it_paused() -> None:
    client = Client()
    sandbox = start(client, "pod-lifecycle").sandbox
    assert sandbox is not None
    for action, paused in [("pause", True), ("pause", True), ("play", False), ("play", False), ("pause", True)]:
        assert client.post("/learn/api/pod-lifecycle/clock", {"action": action}).json() == {"ok": True}
        assert Sandbox.objects.get(pk=sandbox.pk).clock_paused is paused, action


def test_the_lesson_page_top_bar_resets_to_the_lesson_scenario_not_an_empty_cluster() -> None:
    client = Client()
    sandbox = start(client, "scaling").sandbox
    assert sandbox is not None
    page = client.get("/learn/scaling/").content.decode()
    assert 'class="inline reset-form lesson-reset-form"' in page
    assert 'action="/learn/api/scaling/reset"' in page
    type_line(sandbox.pk, "kubectl delete deployment dpy-nginx")
    assert type_line(sandbox.pk, "kubectl get deployment dpy-nginx") != 0

    response = client.post("/learn/api/scaling/reset")  # what the top bar's form posts
    assert response.status_code == 302 and response["Location"] == "/learn/scaling/"
    assert type_line(sandbox.pk, "kubectl get deployment dpy-nginx") == 0
    assert state(client, "scaling")["current"]["id"] == "scale-to-3"
