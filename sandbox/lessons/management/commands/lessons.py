"""``manage.py lessons check``: validate every lesson file and play every solution in a fresh cluster.

For each step the check must be unmet before its solution and met after it.
Steps that need something the simulator does not have yet are reported as
skipped (``--strict`` makes that a failure). Exit status 1 on any failure.
``manage.py lessons list`` prints the course.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sandbox.lessons.course.loader import CONTENT_DIR, load_course
from sandbox.lessons.course.playback import FAILED, PASSED, SKIPPED, play

MARKS = {PASSED: "ok", FAILED: "FAIL", SKIPPED: "skip"}


class Command(BaseCommand):
    help = "Validate the lesson files and play every lesson's solution (check), or list the course (list)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check", "list"])
        parser.add_argument("lessons", nargs="*", help="lesson ids (default: all)")
        parser.add_argument("--dir", default=str(CONTENT_DIR), help="the folder of lesson files")
        parser.add_argument("--strict", action="store_true", help="treat skipped steps as failures")
        parser.add_argument("--seed", type=int, default=1, help="seed of the simulated clusters")
        parser.add_argument("--validate-only", action="store_true", help="check the files, do not play solutions")

    def handle(self, *args: Any, **options: Any) -> None:
        lessons, problems = load_course(Path(options["dir"]))
        for problem in problems:
            self.stderr.write(problem)
        wanted = set(options["lessons"])
        unknown = wanted - {lesson.id for lesson in lessons}
        if unknown:
            raise CommandError(f"unknown lesson(s): {', '.join(sorted(unknown))}")
        chosen = [lesson for lesson in lessons if not wanted or lesson.id in wanted]
        if options["action"] == "list":
            for lesson in chosen:
                par = f" par {lesson.par}" if lesson.par else ""
                self.stdout.write(f"{lesson.kind:9} {lesson.id:20} {len(lesson.steps)} steps{par}  {lesson.title.en}")
            return
        counts = {PASSED: 0, FAILED: 0, SKIPPED: 0}
        if not options["validate_only"]:
            for lesson in chosen:
                counts[self._play(lesson, options)] += 1
        self._summary(len(lessons), problems, counts, options)

    def _play(self, lesson: Any, options: dict[str, Any]) -> str:
        started = time.monotonic()
        report = play(lesson, seed=options["seed"])
        status = report.status
        if status == SKIPPED and options["strict"]:
            status = FAILED
        elapsed = time.monotonic() - started
        self.stdout.write(f"{MARKS[status]:4} {lesson.id} ({len(report.steps)} steps, {elapsed:.2f}s)")
        for step in report.steps:
            if step.status != PASSED:
                detail = step.detail.replace("\n", "\n       ")
                self.stdout.write(f"     {MARKS[step.status]:4} {step.step_id}: {detail}")
        return status

    def _summary(self, total: int, problems: list[str], counts: dict[str, int], options: dict[str, Any]) -> None:
        self.stdout.write(
            f"{total} lesson files, {len(problems)} format problems; solutions: "
            f"{counts[PASSED]} passed, {counts[FAILED]} failed, {counts[SKIPPED]} skipped"
        )
        if problems or counts[FAILED]:
            raise CommandError("lesson check failed", returncode=1)
