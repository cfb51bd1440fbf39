"""A lesson as the engine sees it, once its file has been validated.

Lessons and exercises share one shape: an exercise is a lesson with a
starting scenario (often with faults), a single step whose check is the
declared ``goal``, and a ``par`` (the command count of a tidy solution:
"kubectl golf").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sandbox.lessons.course.checks.spec import Check
from sandbox.lessons.course.text import Text

LEVELS = ("beginner", "intermediate", "advanced")
KINDS = ("lesson", "exercise")
CLOCK_ACTIONS = ("pause", "play", "step")


@dataclass(frozen=True)
class Run:
    """Type one terminal line (placeholders like ``{pod:app=web}`` are filled from the live cluster)."""

    line: str


@dataclass(frozen=True)
class Advance:
    """Let simulated time pass (the learner waiting and watching)."""

    ms: int


@dataclass(frozen=True)
class StepClock:
    """Press the clock's step button ``count`` times: one control-loop action each."""

    count: int


@dataclass(frozen=True)
class SetClock:
    paused: bool


@dataclass(frozen=True)
class EditFile:
    """What a learner does in the editor: replace text in a file and save it."""

    file: str
    replace: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class WriteFile:
    file: str
    content: str


Entry = Run | Advance | StepClock | SetClock | EditFile | WriteFile


@dataclass(frozen=True)
class Fault:
    """A deliberate mistake planted in the starting scenario, applied as a JSON patch after the objects exist."""

    type: str
    kind: str
    name: str
    namespace: str
    patch: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Setup:
    nodes: int = 2
    files: tuple[tuple[str, str], ...] = ()
    objects: tuple[dict[str, Any], ...] = ()
    faults: tuple[Fault, ...] = ()
    settle_ms: int = 30_000
    paused: bool = False
    # Terminal lines run last, unseen by the learner (e.g. start a load generator).
    run: tuple[str, ...] = ()


@dataclass(frozen=True)
class Step:
    id: str
    title: Text
    text: Text
    check: Check
    commands: tuple[str, ...] = ()
    files: tuple[tuple[str, str], ...] = ()
    hints: tuple[Text, ...] = ()
    solution: tuple[Entry, ...] = ()
    actions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lesson:
    id: str
    kind: str
    order: int
    title: Text
    summary: Text
    level: str
    steps: tuple[Step, ...]
    setup: Setup = field(default_factory=Setup)
    goal: Check | None = None
    par: int = 0
    requires: tuple[str, ...] = ()
    source: str = ""

    @property
    def is_exercise(self) -> bool:
        return self.kind == "exercise"

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def index_of(self, step_id: str) -> int:
        return next((i for i, s in enumerate(self.steps) if s.id == step_id), -1)
