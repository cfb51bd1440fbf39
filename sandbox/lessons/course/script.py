"""Running scenario set-ups and solution scripts against a cluster, through a small ``Driver`` interface.

The same entries (type a line, let time pass, press step, pause the clock,
edit a file) drive an in-memory ``SimCluster`` for ``manage.py lessons check``
and a persisted sandbox for the web app; only the driver differs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from sandbox.lessons.course import model
from sandbox.lessons.course.placeholders import fill
from sandbox.lessons.course.world import Baseline, CommandRun, SimWorld, World


@dataclass(frozen=True)
class Ran:
    """A line as typed (after placeholders were filled) and what the terminal printed."""

    run: CommandRun
    output: str


class ScenarioDriver(Protocol):
    """What building a starting scenario needs."""

    def run_line(self, line: str) -> Ran: ...

    def advance(self, ms: int) -> None: ...

    def set_paused(self, paused: bool) -> None: ...

    def create(self, obj: dict[str, Any]) -> None: ...

    def json_patch(self, kind: str, namespace: str, name: str, patch: list[dict[str, Any]]) -> None: ...

    def write_file(self, name: str, content: str) -> None: ...


class Driver(ScenarioDriver, Protocol):
    """What playing a solution needs besides."""

    def step(self, count: int) -> None: ...

    def read_file(self, name: str) -> str | None: ...

    def world(self) -> World: ...


def run_entry(driver: Driver, entry: model.Entry) -> Ran | None:
    """Perform one solution entry; terminal lines return what they printed."""
    if isinstance(entry, model.Run):
        return driver.run_line(fill(entry.line, driver.world()))
    if isinstance(entry, model.Advance):
        driver.advance(entry.ms)
    elif isinstance(entry, model.StepClock):
        driver.step(entry.count)
    elif isinstance(entry, model.SetClock):
        driver.set_paused(entry.paused)
    elif isinstance(entry, model.EditFile):
        _edit(driver, entry)
    else:
        driver.write_file(entry.file, entry.content)
    return None


def _edit(driver: Driver, entry: model.EditFile) -> None:
    content = driver.read_file(entry.file)
    if content is None:
        raise ValueError(f"edit: there is no file {entry.file}")
    for old, new in entry.replace:
        if old not in content:
            raise ValueError(f"edit: {entry.file} does not contain {old!r}")
        content = content.replace(old, new)
    driver.write_file(entry.file, content)


def apply_setup(driver: ScenarioDriver, setup: model.Setup) -> None:
    """Build an exercise's starting scenario: files, objects, time to come up, the faults, then any lines to run."""
    for name, content in setup.files:
        driver.write_file(name, content)
    for obj in setup.objects:
        driver.create(obj)
    if setup.objects:
        driver.advance(setup.settle_ms)
    for fault in setup.faults:
        driver.json_patch(fault.kind, fault.namespace, fault.name, list(fault.patch))
    if setup.faults:
        driver.advance(setup.settle_ms)
    for line in setup.run:
        driver.run_line(line)
    if setup.paused:
        driver.set_paused(True)


def _course_files() -> dict[str, str]:
    """The files every sandbox starts with (the course's manifests and app sources)."""
    from cluster.course_files import course_files

    return course_files()


@dataclass
class SimDriver:
    """Drives an in-memory ``SimCluster`` the way the web app drives a sandbox (embedded mode)."""

    cluster: Any
    lang: str = "en"
    files: dict[str, str] = field(default_factory=lambda: _course_files())
    runs: list[CommandRun] = field(default_factory=list)
    paused: bool = False

    def run_line(self, line: str) -> Ran:
        from cluster.kubectl.base import Env
        from cluster.kubectl.shell import run_line

        env = Env(
            api=self.cluster.api,
            now_ms=lambda: int(self.cluster.now_ms),
            files=self.files,
            lang=self.lang,
            history=[r.line for r in self.runs],
        )
        out = run_line(env, line)
        self.files = env.files
        self._react()
        run = CommandRun(line, out.exit_code, int(self.cluster.now_ms))
        self.runs.append(run)
        return Ran(run, out.text)

    def _react(self) -> None:
        if not self.paused:
            self.cluster.engine.run_until(self.cluster.now_ms)

    def advance(self, ms: int) -> None:
        self.cluster.advance(ms)

    def step(self, count: int) -> None:
        for _ in range(count):
            self.cluster.step()

    def set_paused(self, paused: bool) -> None:
        self.paused = paused
        self._react()

    def create(self, obj: dict[str, Any]) -> None:
        from cluster.core.objects import clone

        self.cluster.api.create(clone(obj), self._ctx())
        self._react()

    def json_patch(self, kind: str, namespace: str, name: str, patch: list[dict[str, Any]]) -> None:
        self.cluster.api.patch(kind, namespace, name, patch, "json", self._ctx())
        self._react()

    def _ctx(self) -> Any:
        from cluster.apiserver.context import RequestContext

        return RequestContext(actor="lesson", component="lesson-setup")

    def write_file(self, name: str, content: str) -> None:
        self.files[name] = content

    def read_file(self, name: str) -> str | None:
        return self.files.get(name)

    def world(self) -> SimWorld:
        return SimWorld(self.cluster, self.runs, self.paused)

    def baseline(self) -> Baseline:
        return Baseline(int(self.cluster.store.resource_version), len(self.runs))
