"""Solution playback: prove that every lesson can be completed, step by step, in a fresh cluster.

For each step: its check must be unmet when the step begins (otherwise the
step would tick itself off before the learner did anything), then the
step's solution is played, then the check must be met. This is what
``manage.py lessons check`` runs in CI.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sandbox.lessons.course import capabilities, model
from sandbox.lessons.course.checks import evaluate
from sandbox.lessons.course.script import Ran, SimDriver, apply_setup, run_entry

PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"


@dataclass(frozen=True)
class StepReport:
    step_id: str
    status: str
    detail: str = ""


@dataclass
class LessonReport:
    lesson_id: str
    steps: list[StepReport] = field(default_factory=list)
    commands: int = 0

    @property
    def status(self) -> str:
        states = {s.status for s in self.steps}
        if FAILED in states:
            return FAILED
        return SKIPPED if SKIPPED in states else PASSED


def play(lesson: model.Lesson, seed: int = 1) -> LessonReport:
    from cluster.sim import SimCluster

    cluster = SimCluster.new(seed=seed, nodes=lesson.setup.nodes)
    driver = SimDriver(cluster)
    report = LessonReport(lesson.id)
    needs = capabilities.missing(capabilities.setup_requirements(lesson), cluster)
    if needs:
        reason = f"needs {', '.join(needs)} (not in this simulator yet)"
        report.steps.extend(StepReport(s.id, SKIPPED, reason) for s in lesson.steps)
        return report
    try:
        apply_setup(driver, lesson.setup)
    except Exception as exc:  # a broken scenario fails the lesson, it must not stop the whole check
        report.steps.append(StepReport("setup", FAILED, f"setting up the scenario failed: {exc}"))
        return report
    skipped_at = ""
    for index, step in enumerate(lesson.steps):
        needs = capabilities.missing(capabilities.requirements(lesson, step), cluster)
        if needs:
            _play_available(driver, step, cluster)
            report.steps.append(StepReport(step.id, SKIPPED, f"needs {', '.join(needs)} (not in this simulator yet)"))
            skipped_at = skipped_at or step.id
            continue
        result = _play_step(driver, step)
        if result.status == FAILED and skipped_at:
            # Its state may depend on what the skipped step could not do: not evidence of a broken lesson.
            result = StepReport(step.id, SKIPPED, f'after skipped step "{skipped_at}": {result.detail}')
        report.steps.append(result)
        if result.status == FAILED:
            report.steps.extend(StepReport(s.id, SKIPPED, "after a failed step") for s in lesson.steps[index + 1 :])
            break
    report.commands = len(driver.runs)
    return report


def _play_available(driver: SimDriver, step: model.Step, cluster: object) -> None:
    """Play what a skipped step's solution can do here, so later steps start from a plausible state."""
    for name, content in step.files:
        driver.write_file(name, content)
    for entry in step.solution:
        need = capabilities.kubectl_requirement(entry.line) if isinstance(entry, model.Run) else ""
        if need and not capabilities.available(need, cluster):
            continue
        try:
            run_entry(driver, entry)
        except ValueError:
            return


def _play_step(driver: SimDriver, step: model.Step) -> StepReport:
    for name, content in step.files:
        driver.write_file(name, content)
    baseline = driver.baseline()
    before = evaluate(step.check, driver.world(), baseline)
    if before.ok:
        return StepReport(step.id, FAILED, "the check is already met before the step's solution ran")
    ran: list[Ran] = []
    try:
        for entry in step.solution:
            result = run_entry(driver, entry)
            if result is not None:
                ran.append(result)
    except ValueError as exc:
        return StepReport(step.id, FAILED, f"the solution could not be played: {exc}")
    after = evaluate(step.check, driver.world(), baseline)
    if after.ok:
        return StepReport(step.id, PASSED)
    lines = ["the check is still unmet after the solution:", *(f"  - {m}" for m in after.missing("en"))]
    lines += [f"  $ {r.run.line}  (exit {r.run.exit_code})\n    {_indent(r.output)}" for r in ran if r.run.exit_code]
    return StepReport(step.id, FAILED, "\n".join(lines))


def _indent(text: str) -> str:
    return text.strip().replace("\n", "\n    ")
