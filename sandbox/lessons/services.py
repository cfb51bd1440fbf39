"""Lesson services: start, resume, evaluate, hint, reset and claim a learner's progress.

Views stay thin and call these; these call ``cluster.services`` for every
sandbox write and the pure ``course`` engine for everything about lessons.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from cluster import services as cluster_services
from cluster.models import Sandbox
from sandbox.lessons.course.checks import evaluate
from sandbox.lessons.course.loader import load_course
from sandbox.lessons.course.model import Lesson, Step
from sandbox.lessons.course.placeholders import fill_for_display
from sandbox.lessons.course.script import apply_setup
from sandbox.lessons.course.world import Baseline
from sandbox.lessons.dbworld import DbWorld, last_command_id
from sandbox.lessons.driver import SandboxDriver
from sandbox.lessons.models import LessonProgress

log = logging.getLogger(__name__)
LEARNER_SESSION_KEY = "lessons_learner"
SANDBOX_NAME_MAX = 63


@dataclass(frozen=True)
class Learner:
    """A signed-in user, or an anonymous browser (its learner key, and its session key to own sandboxes by)."""

    user_id: int | None
    learner_key: str
    session_key: str


def learner_of(request: HttpRequest) -> Learner:
    """The learner behind a request; gives an anonymous visitor a session and a learner key if needed."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Learner(user.pk, "", request.session.session_key or "")
    if not request.session.get(LEARNER_SESSION_KEY):
        request.session[LEARNER_SESSION_KEY] = secrets.token_hex(16)
    if not request.session.session_key:
        request.session.save()
    return Learner(None, str(request.session[LEARNER_SESSION_KEY]), request.session.session_key or "")


# -- the course -----------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def course() -> tuple[Lesson, ...]:
    """Every valid lesson (files are read once per process; a broken file is logged and left out)."""
    lessons, problems = load_course()
    for problem in problems:
        log.error("lesson file problem: %s", problem)
    return tuple(lessons)


def lesson_get(lesson_id: str) -> Lesson | None:
    return next((lesson for lesson in course() if lesson.id == lesson_id), None)


# -- progress -------------------------------------------------------------------------------------------------
def _mine(learner: Learner) -> Any:
    if learner.user_id is not None:
        return LessonProgress.objects.filter(user_id=learner.user_id)
    return LessonProgress.objects.filter(user__isnull=True, learner_key=learner.learner_key)


def progress_get(*, learner: Learner, lesson_id: str) -> LessonProgress | None:
    return _mine(learner).filter(lesson_id=lesson_id).select_related("sandbox").first()


def progress_all(*, learner: Learner) -> dict[str, LessonProgress]:
    return {p.lesson_id: p for p in _mine(learner)}


def progress_start(*, learner: Learner, lesson: Lesson) -> LessonProgress:
    """The learner's progress in ``lesson``, resumed, or started with a fresh sandbox in its starting scenario."""
    progress = progress_get(learner=learner, lesson_id=lesson.id)
    if progress is not None and progress.sandbox is not None:
        return progress
    if progress is None:
        progress = LessonProgress(user_id=learner.user_id, learner_key=learner.learner_key, lesson_id=lesson.id)
    progress.sandbox = _sandbox_create(learner, lesson)
    return _begin(progress, lesson)


def _sandbox_create(learner: Learner, lesson: Lesson) -> Sandbox:
    owner = get_user_model().objects.get(pk=learner.user_id) if learner.user_id is not None else None
    name = _free_name(learner.user_id, f"lesson-{lesson.id}")
    return cluster_services.sandbox_create(
        name=name, owner=owner, session_key="" if owner else learner.session_key, nodes=lesson.setup.nodes
    )


def _free_name(owner_id: int | None, base: str) -> str:
    if owner_id is None:
        return base
    taken = set(Sandbox.objects.filter(owner_id=owner_id).values_list("name", flat=True))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base[: SANDBOX_NAME_MAX - len(str(n)) - 1]}-{n}"
    return candidate


def _begin(progress: LessonProgress, lesson: Lesson) -> LessonProgress:
    """Build the starting scenario and put the learner on the first step."""
    assert progress.sandbox is not None
    _seed_files(progress.sandbox.pk)
    apply_setup(SandboxDriver(progress.sandbox.pk), lesson.setup)
    sandbox = Sandbox.objects.get(pk=progress.sandbox.pk)
    progress.sandbox = sandbox
    progress.step_index, progress.steps_done, progress.hints_used = 0, [], {}
    progress.command_base = last_command_id(sandbox)
    progress.baseline = Baseline(int(sandbox.resource_version), 0).as_dict()
    progress.started_at = progress.updated_at = timezone.now()
    progress.completed_at = None
    progress.save()
    _step_files(progress, lesson)
    return progress


def _seed_files(sandbox_id: int) -> None:
    """The course's own files (the hostname app, the broken sample), as every sandbox of the site has them."""
    from cluster.models import SandboxFile
    from sandbox.web.files import files_seed

    if not SandboxFile.objects.filter(sandbox_id=sandbox_id).exists():
        files_seed(sandbox_id)


def _step_files(progress: LessonProgress, lesson: Lesson) -> None:
    if progress.sandbox is None or progress.step_index >= len(lesson.steps):
        return
    driver = SandboxDriver(progress.sandbox.pk)
    for name, content in lesson.steps[progress.step_index].files:
        driver.write_file(name, content)


def progress_reset(*, progress: LessonProgress, lesson: Lesson) -> LessonProgress:
    """Start the lesson over: a fresh cluster (same sandbox) in the starting scenario, no steps done."""
    if progress.sandbox is None:
        progress.sandbox = _sandbox_create(Learner(progress.user_id, progress.learner_key, ""), lesson)
    else:
        sandbox = _sandbox_reset(progress.sandbox)
        if sandbox.clock_paused:
            cluster_services.sandbox_set_clock(sandbox.pk, paused=False)
    return _begin(progress, lesson)


def _sandbox_reset(sandbox: Sandbox) -> Sandbox:
    """A fresh cluster under the same sandbox; through the sandbox pages when installed, so open pages reload."""
    try:
        from sandbox.web.sandboxes import web_sandbox_reset
    except ImportError:  # the sandbox page is not installed: no page to tell
        return cluster_services.sandbox_reset(sandbox)
    return web_sandbox_reset(sandbox_id=sandbox.pk)


def progress_hint(*, progress: LessonProgress, lesson: Lesson) -> int:
    """Reveal the next hint of the current step; returns how many are now shown."""
    step = _current(progress, lesson)
    if step is None:
        return 0
    used = dict(progress.hints_used or {})
    used[step.id] = min(len(step.hints), int(used.get(step.id, 0)) + 1)
    progress.hints_used = used
    progress.updated_at = timezone.now()
    progress.save(update_fields=["hints_used", "updated_at"])
    return int(used[step.id])


def progress_clock(*, progress: LessonProgress, action: str) -> None:
    """The lesson panel's clock buttons: an explicit pause, play or step (pausing a paused clock keeps it paused).

    Through the sandbox page's clock controls when they are installed, so every open page of the sandbox is
    told the new clock (the top bar's clock follows the panel).
    """
    if progress.sandbox is None:
        return
    try:
        from sandbox.web.controls import clock_change
    except ImportError:  # the sandbox page is not installed: no page to tell
        if action == "step":
            cluster_services.sandbox_step(progress.sandbox.pk)
        elif action in ("pause", "play"):
            cluster_services.sandbox_set_clock(progress.sandbox.pk, paused=action == "pause")
        return
    clock_change(sandbox_id=progress.sandbox.pk, action=action)


def progress_claim(*, learner_key: str, user_id: int) -> int:
    """Move an anonymous learner's progress to an account; where both have the lesson, keep the further one."""
    moved = 0
    with transaction.atomic():
        theirs = {p.lesson_id: p for p in LessonProgress.objects.select_for_update().filter(user_id=user_id)}
        for row in LessonProgress.objects.select_for_update().filter(user__isnull=True, learner_key=learner_key):
            existing = theirs.get(row.lesson_id)
            if existing is not None and len(existing.steps_done or []) >= len(row.steps_done or []):
                row.delete()
                continue
            if existing is not None:
                existing.delete()
            row.user_id, row.learner_key = user_id, ""
            row.save(update_fields=["user", "learner_key"])
            moved += 1
    return moved


# -- evaluation -----------------------------------------------------------------------------------------------
def _current(progress: LessonProgress, lesson: Lesson) -> Step | None:
    return lesson.steps[progress.step_index] if progress.step_index < len(lesson.steps) else None


def progress_evaluate(*, progress: LessonProgress, lesson: Lesson, lang: str) -> dict[str, Any]:
    """Re-check the current step against the sandbox, tick off what is met, and describe where the learner is."""
    if progress.sandbox is None:
        raise LookupError("the lesson has no sandbox")
    sandbox = Sandbox.objects.get(pk=progress.sandbox.pk)
    world = DbWorld(sandbox, progress.command_base)
    just_done: list[str] = []
    outcome = None
    while (step := _current(progress, lesson)) is not None:
        outcome = evaluate(step.check, world, Baseline.from_dict(progress.baseline))
        if not outcome.ok:
            break
        _complete_step(progress, step, world)
        just_done.append(step.id)
        outcome = None
    if just_done:
        if progress.step_index >= len(lesson.steps) and progress.completed_at is None:
            progress.completed_at = timezone.now()
        progress.updated_at = timezone.now()
        progress.save()
        _step_files(progress, lesson)
    return _state(progress, lesson, world, outcome, just_done, lang)


def _complete_step(progress: LessonProgress, step: Step, world: DbWorld) -> None:
    commands = len(world.commands())
    entry = {"id": step.id, "at": timezone.now().isoformat(), "commands": commands}
    progress.steps_done = [*(progress.steps_done or []), entry]
    progress.step_index += 1
    progress.baseline = Baseline(world.resource_version, commands).as_dict()


def _state(
    progress: LessonProgress, lesson: Lesson, world: DbWorld, outcome: Any, just_done: list[str], lang: str
) -> dict[str, Any]:
    step = _current(progress, lesson)
    end = progress.completed_at or timezone.now()
    return {
        "lesson": {
            "id": lesson.id,
            "kind": lesson.kind,
            "title": lesson.title.get(lang),
            "summary": lesson.summary.get(lang),
            "level": lesson.level,
            "par": lesson.par,
        },
        "sandboxId": progress.sandbox.pk if progress.sandbox else None,
        "steps": [
            {
                "id": s.id,
                "title": s.title.get(lang) or s.id,
                "done": i < progress.step_index,
                "current": i == progress.step_index,
            }
            for i, s in enumerate(lesson.steps)
        ],
        "stepIndex": progress.step_index,
        "complete": step is None,
        "justDone": just_done,
        "current": _step_state(progress, step, world, outcome, lang) if step is not None else None,
        "stats": {
            "commands": len(world.commands()),
            "par": lesson.par,
            "hints": sum(int(v) for v in (progress.hints_used or {}).values()),
            "elapsedSeconds": max(0, int((end - progress.started_at).total_seconds())),
        },
    }


def _step_state(progress: LessonProgress, step: Step, world: DbWorld, outcome: Any, lang: str) -> dict[str, Any]:
    shown = int((progress.hints_used or {}).get(step.id, 0))
    return {
        "id": step.id,
        "title": step.title.get(lang),
        "text": step.text.get(lang),
        "commands": [fill_for_display(line, world) for line in step.commands],
        "files": [name for name, _ in step.files],
        "actions": list(step.actions),
        "hints": [hint.get(lang) for hint in step.hints[:shown]],
        "hintsLeft": max(0, len(step.hints) - shown),
        "check": outcome.as_json(lang) if outcome is not None else None,
        "missing": outcome.missing(lang) if outcome is not None else [],
    }


# -- the course map -------------------------------------------------------------------------------------------
def course_map(*, learner: Learner, lang: str) -> list[dict[str, Any]]:
    progress = progress_all(learner=learner)
    out = []
    for lesson in course():
        p = progress.get(lesson.id)
        out.append(
            {
                "id": lesson.id,
                "kind": lesson.kind,
                "order": lesson.order,
                "title": lesson.title.get(lang),
                "summary": lesson.summary.get(lang),
                "level": lesson.level,
                "par": lesson.par,
                "steps": len(lesson.steps),
                "done": min(len(lesson.steps), p.step_index) if p else 0,
                "started": p is not None,
                "complete": bool(p and p.completed_at),
            }
        )
    return out
