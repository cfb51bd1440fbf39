"""Lesson files: every problem is reported as file:line: what is wrong, and the real course is valid."""

from __future__ import annotations

import textwrap

import pytest

from sandbox.lessons.course.loader import CONTENT_DIR, LessonError, load_course, parse_lesson
from sandbox.lessons.course.model import Advance, EditFile, Run, SetClock, StepClock
from sandbox.lessons.course.yamlsrc import SourceError, load

KINDS = frozenset({"Deployment", "Pod", "Service", "Node", "ReplicaSet", "Endpoints"})

GOOD = """\
id: scaling
order: 4
title: {ko: 스케일링, en: Scaling}
summary: {ko: 요약, en: Summary}
steps:
  - id: scale-to-3
    text: {ko: 늘리세요, en: Scale it}
    hints:
      - {ko: 힌트, en: A hint}
    solution:
      - kubectl scale deployment dpy-nginx --replicas=3
      - advance: 30s
      - step: 2
      - clock: pause
      - edit: {file: d.yaml, replace: {"a": "b"}}
    check:
      object: {kind: Deployment, name: dpy-nginx, where: {status.readyReplicas: 3}}
"""


def parse(text: str, filename: str = "content/04-scaling.yaml") -> object:
    return parse_lesson(textwrap.dedent(text), filename, KINDS)


def problems(text: str, filename: str = "content/04-scaling.yaml") -> list[str]:
    with pytest.raises(LessonError) as info:
        parse(text, filename)
    return info.value.problems


def test_a_valid_lesson_parses_into_steps_and_solution_entries() -> None:
    lesson = parse(GOOD)
    step = lesson.steps[0]  # type: ignore[attr-defined]
    assert (lesson.id, lesson.order, step.id) == ("scaling", 4, "scale-to-3")  # type: ignore[attr-defined]
    assert step.solution == (
        Run("kubectl scale deployment dpy-nginx --replicas=3"),
        Advance(30_000),
        StepClock(2),
        SetClock(True),
        EditFile("d.yaml", (("a", "b"),)),
    )
    assert step.hints[0].get("ko") == "힌트"


@pytest.mark.parametrize(
    ("broken", "replacement", "expected"),
    [
        (
            "      object: {kind: Deployment",
            "      deploymnt: {kind: Deployment",
            'content/04-scaling.yaml:17: step "scale-to-3": unknown check "deploymnt"; known checks: object, absent,',
        ),
        (
            "kind: Deployment, name",
            "kind: Deploymnt, name",
            'content/04-scaling.yaml:17: step "scale-to-3": unknown kind "Deploymnt"; known kinds: Deployment,',
        ),
        (
            "{status.readyReplicas: 3}",
            "{status.readyReplicas: {'=>': 3}}",
            'content/04-scaling.yaml:17: step "scale-to-3": unknown operator "=>"; known operators: ==, !=',
        ),
        (
            "      - advance: 30s",
            "      - advance: soon",
            'content/04-scaling.yaml:12: step "scale-to-3": not a duration: "soon"',
        ),
        (
            "    text: {ko: 늘리세요, en: Scale it}",
            "    text: {ko: 늘리세요}",
            'content/04-scaling.yaml:7: step "scale-to-3": the step text needs exactly two texts: {ko: ..., en: ...}',
        ),
        ("id: scaling", "id: scale", 'content/04-scaling.yaml:1: id "scale" does not match the file name'),
        ("order: 4", "order: four", "content/04-scaling.yaml:2: order must be a whole number from 1 to 999"),
        (
            "    hints:",
            "    hint:",
            'content/04-scaling.yaml:8: step "scale-to-3": unknown field "hint" in a step; allowed: id, title,',
        ),
        (
            "  - id: scale-to-3",
            "  - id: Scale To 3",
            'content/04-scaling.yaml:6: step "Scale To 3": a step id must be lower-case letters, digits and dashes',
        ),
    ],
)
def test_format_errors_name_file_line_and_problem(broken: str, replacement: str, expected: str) -> None:
    assert broken in GOOD
    found = problems(GOOD.replace(broken, replacement))
    assert any(p.startswith(expected) for p in found), found


def test_a_missing_check_is_reported_and_every_broken_step_is_reported() -> None:
    text = GOOD.replace(
        "    check:\n      object: {kind: Deployment, name: dpy-nginx, where: {status.readyReplicas: 3}}\n", ""
    )
    text += "  - id: second\n    text: {ko: a, en: b}\n    check: {ran: {}}\n"
    found = problems(text)
    assert found[0].startswith('content/04-scaling.yaml:6: step "scale-to-3": missing "check"')
    assert found[1].startswith('content/04-scaling.yaml:18: step "second": "ran" needs either a pattern')


def test_duplicate_step_ids_are_reported() -> None:
    step = GOOD[GOOD.index("  - id: scale-to-3") :]
    assert any('duplicate step id "scale-to-3"' in p for p in problems(GOOD + step))


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: 1\nb:\n\t- c\n", 3, "found character '\\t' that cannot start any token"),
        ("a: &x 1\nb: *x\n", 1, "aliases (*name) are not allowed"),
        ("a: 1\na: 2\n", 2, 'duplicate key "a"'),
        ("a: {<<: {b: 1}}\n", 1, "merge keys"),
    ],
)
def test_yaml_source_errors_carry_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(SourceError) as info:
        load(text)
    assert info.value.line == line
    assert message in info.value.message


def test_yaml_errors_surface_as_lesson_problems_with_the_line() -> None:
    assert problems("id: x\ntitle:\n\t\tko: a\n")[0].startswith("content/04-scaling.yaml:3: invalid YAML")


def test_exercise_needs_goal_and_par() -> None:
    text = """\
    id: broken
    kind: exercise
    order: 1
    title: {ko: a, en: b}
    summary: {ko: a, en: b}
    task: {ko: a, en: b}
    goal: {absent: {kind: Pod, name: x}}
    """
    found = problems(text, "content/x1-broken.yaml")
    assert found == [
        "content/x1-broken.yaml:1: par (the command count of a tidy solution) must be a whole number from 1 to 100"
    ]


def test_setup_objects_are_validated() -> None:
    setup = "setup:\n  objects:\n    - {apiVersion: v1, kind: Pdo, metadata: {name: x}}\n"
    text = GOOD.replace("steps:", setup + "steps:")
    found = problems(text)
    assert any(p.startswith('content/04-scaling.yaml:7: unknown kind "Pdo"') for p in found), found


def test_unknown_fault_names_the_known_ones() -> None:
    text = GOOD.replace("steps:", "setup:\n  faults:\n    - bad-imag: {deployment: web}\nsteps:")
    assert any('unknown fault "bad-imag"; known faults: bad-image, bad-release' in p for p in problems(text))


def test_the_shipped_course_is_valid_and_complete() -> None:
    lessons, found = load_course(CONTENT_DIR)
    assert found == []
    assert [lesson.order for lesson in lessons if lesson.kind == "lesson"] == list(range(1, 13))
    assert [lesson.order for lesson in lessons if lesson.kind == "exercise"] == list(range(1, 7))
    for lesson in lessons:
        assert all(step.solution for step in lesson.steps), lesson.id
        assert all(step.text.ko and step.text.en for step in lesson.steps), lesson.id
