"""The /learn/ pages and the lesson panel's JSON API: thin views over ``sandbox.lessons.services``.

A learner only ever reaches their own progress (and through it their own
lesson sandbox); lessons are looked up by id in the course, so an unknown id
is a 404 like any other missing page.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_POST

from sandbox.lessons import services
from sandbox.lessons.course.model import Lesson
from sandbox.lessons.models import LessonProgress

SANDBOX_PAGE = "sandbox/page.html"


def _lang(request: HttpRequest) -> str:
    wanted = request.GET.get("lang") or get_language() or "en"
    return "ko" if wanted.startswith("ko") else "en"


def _lesson(lesson_id: str) -> Lesson:
    lesson = services.lesson_get(lesson_id)
    if lesson is None:
        raise Http404("No such lesson.")
    return lesson


def _progress(request: HttpRequest, lesson: Lesson) -> LessonProgress:
    progress = services.progress_get(learner=services.learner_of(request), lesson_id=lesson.id)
    if progress is None or progress.sandbox is None:
        raise Http404("This lesson has not been started.")
    return progress


@require_GET
def course_index(request: HttpRequest) -> HttpResponse:
    entries = services.course_map(learner=services.learner_of(request), lang=_lang(request))
    context = {
        "lessons": [e for e in entries if e["kind"] == "lesson"],
        "exercises": [e for e in entries if e["kind"] == "exercise"],
    }
    return render(request, "lessons/index.html", context)


@require_GET
def lesson_page(request: HttpRequest, lesson_id: str) -> HttpResponse:
    lesson = _lesson(lesson_id)
    progress = services.progress_start(learner=services.learner_of(request), lesson=lesson)
    sandbox = progress.sandbox
    assert sandbox is not None
    lang = _lang(request)
    panel = {
        "lessonId": lesson.id,
        "sandboxId": sandbox.pk,
        "lang": lang,
        "stateUrl": reverse("lessons:api-state", args=[lesson.id]),
        "hintUrl": reverse("lessons:api-hint", args=[lesson.id]),
        "resetUrl": reverse("lessons:api-reset", args=[lesson.id]),
        "clockUrl": reverse("lessons:api-clock", args=[lesson.id]),
        "courseUrl": reverse("lessons:index"),
        "csrfToken": get_token(request),
    }
    context: dict[str, Any] = {"lesson": lesson, "title": lesson.title.get(lang), "sandbox": sandbox, "panel": panel}
    context.update(_sandbox_page_context(sandbox))
    template = select_template(["lessons/lesson.html" if context["embedded"] else "lessons/standalone.html"])
    return HttpResponse(template.render(context, request))


def _sandbox_page_context(sandbox: Any) -> dict[str, Any]:
    """What the sandbox page's template needs, so the lesson page can extend it (terminal, editor, clock)."""
    try:
        select_template([SANDBOX_PAGE])
        from sandbox.web.importmap import editor_available, import_map_json
    except Exception:  # the sandbox page is not installed: the lesson page stands alone
        return {"embedded": False}
    config = {
        "sandboxId": sandbox.pk,
        "sandboxName": sandbox.name,
        "wsPath": f"/ws/sandbox/{sandbox.pk}/",
        "editor": editor_available(),
    }
    return {"embedded": True, "config": config, "import_map_json": import_map_json(), "sandboxes": []}


@require_GET
def api_state(request: HttpRequest, lesson_id: str) -> JsonResponse:
    lesson = _lesson(lesson_id)
    state = services.progress_evaluate(progress=_progress(request, lesson), lesson=lesson, lang=_lang(request))
    return JsonResponse(state)


@require_POST
def api_hint(request: HttpRequest, lesson_id: str) -> JsonResponse:
    lesson = _lesson(lesson_id)
    shown = services.progress_hint(progress=_progress(request, lesson), lesson=lesson)
    return JsonResponse({"shown": shown})


@require_POST
def api_reset(request: HttpRequest, lesson_id: str) -> HttpResponseBase:
    lesson = _lesson(lesson_id)
    progress = services.progress_get(learner=services.learner_of(request), lesson_id=lesson.id)
    if progress is None:
        progress = services.progress_start(learner=services.learner_of(request), lesson=lesson)
    else:
        services.progress_reset(progress=progress, lesson=lesson)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"reset": True})
    return redirect("lessons:lesson", lesson_id=lesson.id)


@require_POST
def api_clock(request: HttpRequest, lesson_id: str) -> JsonResponse:
    lesson = _lesson(lesson_id)
    action = request.POST.get("action", "")
    if action not in ("pause", "play", "step"):
        return JsonResponse({"error": "action must be pause, play or step"}, status=400)
    services.progress_clock(progress=_progress(request, lesson), action=action)
    return JsonResponse({"ok": True})
