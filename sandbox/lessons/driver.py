"""Building a lesson's starting scenario in a persisted sandbox, through ``cluster.services``.

Each write goes through the sandbox's API server (so the learner's page
animates it like any other request) and time passes with ``sandbox_advance``.
"""

from __future__ import annotations

from typing import Any

from cluster import services
from cluster.apiserver.context import RequestContext
from cluster.core.objects import clone
from cluster.sim import SimCluster
from sandbox.lessons.course.script import Ran
from sandbox.lessons.course.world import CommandRun

SETUP = RequestContext(actor="lesson", component="lesson-setup")


class SandboxDriver:
    """The scenario half of ``course.script.Driver`` for a sandbox row (solutions are typed by the learner)."""

    def __init__(self, sandbox_id: int) -> None:
        self.sandbox_id = sandbox_id

    def run_line(self, line: str) -> Ran:
        """A terminal line run for the scenario: not part of the learner's history."""
        from sandbox.web.files import files_of

        out = services.sandbox_exec(self.sandbox_id, line, files=files_of(self.sandbox_id), actor="lesson")
        return Ran(CommandRun(line, int(out.exit_code)), out.text)

    def create(self, obj: dict[str, Any]) -> None:
        services.sandbox_run(self.sandbox_id, lambda c: c.api.create(clone(obj), SETUP))

    def json_patch(self, kind: str, namespace: str, name: str, patch: list[dict[str, Any]]) -> None:
        def operation(cluster: SimCluster) -> None:
            cluster.api.patch(kind, namespace, name, patch, "json", SETUP)

        services.sandbox_run(self.sandbox_id, operation)

    def advance(self, ms: int) -> None:
        services.sandbox_advance(self.sandbox_id, ms)

    def set_paused(self, paused: bool) -> None:
        services.sandbox_set_clock(self.sandbox_id, paused=paused)

    def write_file(self, name: str, content: str) -> None:
        from sandbox.web.files import file_save

        file_save(sandbox_id=self.sandbox_id, path=name, content=content)
