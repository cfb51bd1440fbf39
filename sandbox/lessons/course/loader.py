"""Reading and validating lesson files: every mistake is reported as ``file:line: what is wrong``.

A lesson author should never need to read this code to fix a lesson, so the
validator keeps going after the first problem where it safely can (one report
per broken step) and names the allowed alternatives. Files live in
``sandbox/lessons/content/`` and are named ``<NN>-<id>.yaml``; the part after
the first dash must be the lesson's ``id``. See ``sandbox/lessons/README.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sandbox.lessons.course import model
from sandbox.lessons.course.checks.spec import Check, SpecError, parse_check
from sandbox.lessons.course.durations import parse_duration
from sandbox.lessons.course.faults import FaultError, parse_fault
from sandbox.lessons.course.text import Text
from sandbox.lessons.course.yamlsrc import Path as YPath
from sandbox.lessons.course.yamlsrc import Source, SourceError, load

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
SLUG = re.compile(r"^[a-z0-9]([a-z0-9-]{0,48}[a-z0-9])?$")
COMMON_KEYS = ("id", "kind", "order", "title", "summary", "level", "requires", "setup")
LESSON_KEYS = (*COMMON_KEYS, "steps")
EXERCISE_KEYS = (*COMMON_KEYS, "task", "goal", "hints", "solution", "par", "commands")
STEP_KEYS = ("id", "title", "text", "commands", "files", "hints", "solution", "check", "actions")
SETUP_KEYS = ("nodes", "files", "objects", "faults", "settle", "paused", "run")
MAX_NODES = 5
RESERVED_IDS = ("api",)


class LessonError(ValueError):
    """One or more problems in lesson files, each already formatted as ``file:line: message``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _Invalid(Exception):
    """Abandon the current part of the file; the problem has been recorded."""


class _Reader:
    """Validates one file, collecting problems with their line numbers."""

    def __init__(self, source: Source, filename: str, kinds: frozenset[str]) -> None:
        self.source = source
        self.filename = filename
        self.kinds = kinds
        self.problems: list[str] = []
        self.context = ""

    def fail(self, path: YPath, message: str) -> _Invalid:
        prefix = f"{self.context}: " if self.context else ""
        self.problems.append(f"{self.filename}:{self.source.line_of(path)}: {prefix}{message}")
        return _Invalid()

    def attempt(self, fn: Callable[[], Any], default: Any = None) -> Any:
        try:
            return fn()
        except _Invalid:
            return default

    # -- field readers ---------------------------------------------------------------------------------------
    def mapping(self, raw: Any, path: YPath, allowed: tuple[str, ...], what: str) -> dict[str, Any]:
        if not isinstance(raw, dict):
            raise self.fail(path, f"{what} must be a mapping")
        for key in raw:
            if key not in allowed:
                raise self.fail((*path, str(key)), f'unknown field "{key}" in {what}; allowed: {", ".join(allowed)}')
        return raw

    def text(self, raw: Any, path: YPath, what: str) -> Text:
        if raw is None:
            raise self.fail(path, f'missing "{path[-1]}" ({what} in Korean and English: {{ko: ..., en: ...}})')
        if not isinstance(raw, dict) or set(raw) != {"ko", "en"}:
            raise self.fail(path, f"{what} needs exactly two texts: {{ko: ..., en: ...}}")
        for lang in ("ko", "en"):
            if not isinstance(raw[lang], str) or not raw[lang].strip():
                raise self.fail((*path, lang), f'{what} in "{lang}" must be a non-empty string')
        return Text(raw["ko"].strip(), raw["en"].strip())

    def texts(self, raw: Any, path: YPath, what: str) -> tuple[Text, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            raise self.fail(path, f"{what} must be a list")
        return tuple(self.text(item, (*path, i), what) for i, item in enumerate(raw))

    def strings(self, raw: Any, path: YPath, what: str) -> tuple[str, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list) or not all(isinstance(s, str) and s.strip() for s in raw):
            raise self.fail(path, f"{what} must be a list of non-empty strings")
        return tuple(s.strip() for s in raw)

    def slug(self, raw: Any, path: YPath, what: str) -> str:
        if not isinstance(raw, str) or not SLUG.match(raw):
            raise self.fail(path, f'{what} must be lower-case letters, digits and dashes, e.g. "scale-to-3"')
        return raw

    def files(self, raw: Any, path: YPath) -> tuple[tuple[str, str], ...]:
        if raw is None:
            return ()
        if not isinstance(raw, dict):
            raise self.fail(path, "files must be a mapping of file name to content")
        out = []
        for name, content in raw.items():
            if not isinstance(name, str) or not re.fullmatch(r"[\w.-]+(/[\w.-]+)*", name) or ".." in name:
                raise self.fail((*path, str(name)), f'bad file name "{name}" (plain names like deployment.yaml)')
            if not isinstance(content, str):
                raise self.fail((*path, name), f'the content of "{name}" must be text (use a | block)')
            out.append((name, content))
        return tuple(out)

    def check(self, raw: Any, path: YPath) -> Check:
        if raw is None:
            raise self.fail(path, 'missing "check" (how the engine knows the learner is done)')
        try:
            return parse_check(raw, self.kinds)
        except SpecError as exc:
            raise self.fail((*path, *exc.path), exc.message) from None

    def duration(self, raw: Any, path: YPath) -> int:
        try:
            return parse_duration(raw)
        except ValueError as exc:
            raise self.fail(path, str(exc)) from None

    def count(self, raw: Any, path: YPath, what: str, low: int = 1, high: int = 10_000) -> int:
        if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
            raise self.fail(path, f"{what} must be a whole number from {low} to {high}")
        return raw

    # -- solution scripts -------------------------------------------------------------------------------------
    def solution(self, raw: Any, path: YPath) -> tuple[model.Entry, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            raise self.fail(path, "solution must be a list of terminal lines and {advance: 30s} entries")
        return tuple(self.entry(item, (*path, i)) for i, item in enumerate(raw))

    def entry(self, raw: Any, path: YPath) -> model.Entry:
        if isinstance(raw, str) and raw.strip():
            return model.Run(raw.strip())
        known = "a terminal line, run, advance, step, clock, edit, write"
        if not isinstance(raw, dict) or len(raw) != 1:
            raise self.fail(path, f"a solution entry is one of: {known}")
        key, value = next(iter(raw.items()))
        inner = (*path, str(key))
        if key == "run" and isinstance(value, str) and value.strip():
            return model.Run(value.strip())
        if key == "advance":
            return model.Advance(self.duration(value, inner))
        if key == "step":
            return model.StepClock(self.count(value, inner, "step", 1, 500))
        if key == "clock" and value in ("pause", "play"):
            return model.SetClock(value == "pause")
        if key == "edit":
            return self.edit(value, inner)
        if key == "write":
            body = self.mapping(value, inner, ("file", "content"), "write")
            if not isinstance(body.get("file"), str) or not isinstance(body.get("content"), str):
                raise self.fail(inner, "write needs file and content")
            return model.WriteFile(body["file"], body["content"])
        raise self.fail(inner, f'bad solution entry "{key}"; use one of: {known} (clock: pause|play)')

    def edit(self, raw: Any, path: YPath) -> model.EditFile:
        body = self.mapping(raw, path, ("file", "replace"), "edit")
        pairs = body.get("replace")
        if not isinstance(body.get("file"), str) or not isinstance(pairs, dict) or not pairs:
            raise self.fail(path, "edit needs file and replace: {old text: new text}")
        return model.EditFile(body["file"], tuple((str(k), str(v)) for k, v in pairs.items()))


def _setup(r: _Reader, raw: Any) -> model.Setup:
    if raw is None:
        return model.Setup()
    path: YPath = ("setup",)
    body = r.mapping(raw, path, SETUP_KEYS, "setup")
    nodes = r.count(body.get("nodes", 2), (*path, "nodes"), "nodes", 1, MAX_NODES)
    objects = _objects(r, body.get("objects"), (*path, "objects"))
    faults = []
    for i, item in enumerate(body.get("faults") or []):
        try:
            faults.append(parse_fault(item))
        except FaultError as exc:
            r.fail((*path, "faults", i), str(exc))
    settle = r.duration(body.get("settle", "30s"), (*path, "settle"))
    paused = body.get("paused", False)
    if not isinstance(paused, bool):
        raise r.fail((*path, "paused"), "paused is true or false")
    files = r.files(body.get("files"), (*path, "files"))
    run = r.strings(body.get("run"), (*path, "run"), "setup run (terminal lines)")
    return model.Setup(nodes, files, objects, tuple(faults), settle, paused, run)


def _objects(r: _Reader, raw: Any, path: YPath) -> tuple[dict[str, Any], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise r.fail(path, "objects must be a list of Kubernetes manifests")
    for i, obj in enumerate(raw):
        where = (*path, i)
        if not isinstance(obj, dict) or not isinstance(obj.get("apiVersion"), str):
            raise r.fail(where, "each object is a manifest with apiVersion, kind and metadata.name")
        if obj.get("kind") not in r.kinds:
            raise r.fail(
                (*where, "kind"), f'unknown kind "{obj.get("kind")}"; known kinds: {", ".join(sorted(r.kinds))}'
            )
        if not isinstance((obj.get("metadata") or {}).get("name"), str):
            raise r.fail(where, "each object needs metadata.name")
    return tuple(raw)


def _step(r: _Reader, raw: Any, index: int) -> model.Step:
    path: YPath = ("steps", index)
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        r.context = f'step "{raw["id"]}"'
    else:
        r.context = f"step {index + 1}"
    body = r.mapping(raw, path, STEP_KEYS, "a step")
    step_id = r.slug(body.get("id"), (*path, "id"), "a step id")
    actions = r.strings(body.get("actions"), (*path, "actions"), "actions")
    for action in actions:
        if action not in model.CLOCK_ACTIONS:
            raise r.fail((*path, "actions"), f'unknown action "{action}"; known: {", ".join(model.CLOCK_ACTIONS)}')
    return model.Step(
        id=step_id,
        title=r.text(body["title"], (*path, "title"), "the step title") if "title" in body else Text("", ""),
        text=r.text(body.get("text"), (*path, "text"), "the step text"),
        check=r.check(body.get("check"), (*path, "check")),
        commands=r.strings(body.get("commands"), (*path, "commands"), "commands"),
        files=r.files(body.get("files"), (*path, "files")),
        hints=r.texts(body.get("hints"), (*path, "hints"), "a hint"),
        solution=r.solution(body.get("solution"), (*path, "solution")),
        actions=actions,
    )


def _steps(r: _Reader, raw: Any) -> tuple[model.Step, ...]:
    if not isinstance(raw, list) or not raw:
        raise r.fail(("steps",), 'a lesson needs "steps": a non-empty list')
    steps: list[model.Step] = []
    for i, item in enumerate(raw):
        try:
            steps.append(_step(r, item, i))
        except _Invalid:
            continue
    r.context = ""
    seen: set[str] = set()
    for i, step in enumerate(steps):
        if step.id in seen:
            r.fail(("steps", i, "id"), f'duplicate step id "{step.id}"')
        seen.add(step.id)
    return tuple(steps)


def _exercise_step(r: _Reader, body: dict[str, Any], goal: Check) -> model.Step:
    return model.Step(
        id="goal",
        title=Text("목표", "Goal"),
        text=r.text(body.get("task"), ("task",), "the task"),
        check=goal,
        commands=r.strings(body.get("commands"), ("commands",), "commands"),
        hints=r.texts(body.get("hints"), ("hints",), "a hint"),
        solution=r.solution(body.get("solution"), ("solution",)),
    )


def _lesson(r: _Reader, raw: Any, expected_id: str) -> model.Lesson:
    if not isinstance(raw, dict):
        raise r.fail((), "a lesson file is a YAML mapping (id, title, steps, ...)")
    kind = raw.get("kind", "lesson")
    if kind not in model.KINDS:
        raise r.fail(("kind",), f"kind must be one of: {', '.join(model.KINDS)}")
    body = r.mapping(
        raw, (), LESSON_KEYS if kind == "lesson" else EXERCISE_KEYS, f"a{'n' * (kind == 'exercise')} {kind}"
    )
    lesson_id = r.slug(body.get("id"), ("id",), "the lesson id")
    if lesson_id in RESERVED_IDS:
        r.fail(("id",), f'"{lesson_id}" is reserved (it names a /learn/ URL)')
    if expected_id and lesson_id != expected_id:
        r.fail(("id",), f'id "{lesson_id}" does not match the file name (expected "{expected_id}")')
    level = body.get("level", "beginner")
    if level not in model.LEVELS:
        r.fail(("level",), f"level must be one of: {', '.join(model.LEVELS)}")
    title = r.attempt(lambda: r.text(body.get("title"), ("title",), "the title"), Text("", ""))
    summary = r.attempt(lambda: r.text(body.get("summary"), ("summary",), "the summary"), Text("", ""))
    order = r.attempt(lambda: r.count(body.get("order"), ("order",), "order", 1, 999), 0)
    requires = r.attempt(lambda: r.strings(body.get("requires"), ("requires",), "requires"), ())
    setup = r.attempt(lambda: _setup(r, body.get("setup")), model.Setup())
    goal, par = None, 0
    steps: tuple[model.Step, ...]
    if kind == "exercise":
        goal = r.check(body.get("goal"), ("goal",))
        par = r.count(body.get("par"), ("par",), "par (the command count of a tidy solution)", 1, 100)
        steps = (_exercise_step(r, body, goal),)
    else:
        steps = _steps(r, body.get("steps"))
    return model.Lesson(lesson_id, kind, order, title, summary, level, steps, setup, goal, par, requires)


def known_kinds() -> frozenset[str]:
    from cluster.sim import build_registry

    return frozenset(info.kind for info in build_registry().all())


def parse_lesson(text: str, filename: str, kinds: frozenset[str] | None = None) -> model.Lesson:
    """Validate one lesson file's text; raises ``LessonError`` listing every problem found."""
    try:
        source = load(text)
    except SourceError as exc:
        raise LessonError([f"{filename}:{exc.line or 1}: {exc.message}"]) from None
    reader = _Reader(source, filename, kinds if kinds is not None else known_kinds())
    stem = Path(filename).stem
    expected = stem.split("-", 1)[1] if "-" in stem else ""
    lesson = reader.attempt(lambda: _lesson(reader, source.data, expected))
    if reader.problems or lesson is None:
        raise LessonError(reader.problems or [f"{filename}:1: not a lesson"])
    return model.Lesson(**{**lesson.__dict__, "source": filename})


def display_name(path: Path) -> str:
    """``sandbox/lessons/content/04-scaling.yaml`` when under the repo, else the path as given."""
    try:
        return str(path.resolve().relative_to(CONTENT_DIR.parents[2]))
    except ValueError:
        return str(path)


def load_lesson(path: Path, kinds: frozenset[str] | None = None) -> model.Lesson:
    return parse_lesson(path.read_text(encoding="utf-8"), display_name(path), kinds)


def load_course(directory: Path = CONTENT_DIR) -> tuple[list[model.Lesson], list[str]]:
    """Every lesson file in ``directory`` (sorted by order), plus the problems of the files that failed."""
    kinds = known_kinds()
    lessons: list[model.Lesson] = []
    problems: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            lessons.append(load_lesson(path, kinds))
        except LessonError as exc:
            problems.extend(exc.problems)
    problems.extend(_duplicates(lessons))
    lessons.sort(key=lambda lesson: (lesson.kind != "lesson", lesson.order, lesson.id))
    return lessons, problems


def _duplicates(lessons: list[model.Lesson]) -> list[str]:
    seen: dict[str, str] = {}
    out = []
    for lesson in lessons:
        if lesson.id in seen:
            out.append(f'{lesson.source}:1: duplicate lesson id "{lesson.id}" (also in {seen[lesson.id]})')
        seen[lesson.id] = lesson.source
    return out
