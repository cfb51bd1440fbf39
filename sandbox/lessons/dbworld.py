"""The ``World`` of a persisted sandbox: its rows, read without loading or running the cluster.

Checks see exactly what the learner's page shows: the stored objects, the
watch history (``ObjectChange``) and the terminal history (``CommandRecord``).
Reading never takes the sandbox's lock and never writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from cluster.models import CommandRecord, ObjectChange, Sandbox, StoredObject
from sandbox.lessons.course.world import CommandRun, HistoryEntry, Obj


class DbWorld:
    def __init__(self, sandbox: Sandbox, command_base: int = 0) -> None:
        self.sandbox = sandbox
        self.command_base = command_base
        self._kinds: dict[str, list[tuple[str, Obj, Any]]] = {}
        self._runs: list[CommandRun] | None = None

    @property
    def resource_version(self) -> int:
        return int(self.sandbox.resource_version)

    def _rows(self, kind: str) -> list[tuple[str, Obj, Any]]:
        if kind not in self._kinds:
            rows = StoredObject.objects.filter(sandbox=self.sandbox, kind=kind).order_by("namespace", "name")
            self._kinds[kind] = list(rows.values_list("namespace", "manifest", "private"))
        return self._kinds[kind]

    def list(self, kind: str, namespace: str | None = None) -> list[Obj]:
        return [obj for ns, obj, _ in self._rows(kind) if namespace is None or ns == namespace]

    def get(self, kind: str, namespace: str, name: str) -> Obj | None:
        for ns, obj, _ in self._rows(kind):
            if ns == namespace and obj["metadata"]["name"] == name:
                return obj
        return None

    def private(self, kind: str, namespace: str, name: str) -> dict[str, Any] | None:
        for ns, obj, private in self._rows(kind):
            if ns == namespace and obj["metadata"]["name"] == name:
                return private if isinstance(private, dict) else None
        return None

    def history(self, since_rv: int) -> Iterable[HistoryEntry]:
        rows = ObjectChange.objects.filter(sandbox=self.sandbox, resource_version__gt=since_rv).order_by(
            "resource_version", "id"
        )
        for change_type, rv, obj in rows.values_list("type", "resource_version", "object").iterator():
            yield HistoryEntry(change_type, int(rv), obj)

    def commands(self) -> Sequence[CommandRun]:
        if self._runs is None:
            rows = CommandRecord.objects.filter(sandbox=self.sandbox, id__gt=self.command_base).order_by("id")
            values = rows.values_list("line", "exit_code", "sim_ms")
            self._runs = [CommandRun(line, code, sim) for line, code, sim in values]
        return self._runs

    def clock_paused(self) -> bool:
        return bool(self.sandbox.clock_paused)


def last_command_id(sandbox: Sandbox) -> int:
    return int(CommandRecord.objects.filter(sandbox=sandbox).order_by("-id").values_list("id", flat=True).first() or 0)
