"""What a check may look at: live objects, the watch history, private component state, commands, the clock.

``World`` is the read-only face of one learner's cluster. ``SimWorld`` wraps
an in-memory ``SimCluster`` (playback, tests); the web app has a database
backed one. A ``Baseline`` marks where a step began, so history and command
checks only count what the learner did *during* that step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

Obj = dict[str, Any]


@dataclass(frozen=True)
class CommandRun:
    """One terminal line the learner ran and how it ended."""

    line: str
    exit_code: int = 0
    sim_ms: int = 0


@dataclass(frozen=True)
class HistoryEntry:
    """One watch event: ADDED / MODIFIED / DELETED of ``obj`` at ``resource_version``."""

    type: str
    resource_version: int
    obj: Obj

    @property
    def kind(self) -> str:
        return str(self.obj.get("kind", ""))


@dataclass(frozen=True)
class Baseline:
    """Where a step started: the cluster's resourceVersion and how many commands had been run."""

    resource_version: int = 0
    commands: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"resource_version": self.resource_version, "commands": self.commands}

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> Baseline:
        raw = raw or {}
        return cls(int(raw.get("resource_version", 0)), int(raw.get("commands", 0)))


class World(Protocol):
    @property
    def resource_version(self) -> int: ...

    def list(self, kind: str, namespace: str | None = None) -> list[Obj]: ...

    def get(self, kind: str, namespace: str, name: str) -> Obj | None: ...

    def private(self, kind: str, namespace: str, name: str) -> dict[str, Any] | None: ...

    def history(self, since_rv: int) -> Iterable[HistoryEntry]: ...

    def commands(self) -> Sequence[CommandRun]: ...

    def clock_paused(self) -> bool: ...


@dataclass
class SimWorld:
    """A ``World`` over an in-memory cluster (anything with ``store`` like ``SimCluster``)."""

    cluster: Any
    runs: list[CommandRun] = field(default_factory=list)
    paused: bool = False

    @property
    def resource_version(self) -> int:
        return int(self.cluster.store.resource_version)

    def list(self, kind: str, namespace: str | None = None) -> list[Obj]:
        return list(self.cluster.store.list(kind, namespace))

    def get(self, kind: str, namespace: str, name: str) -> Obj | None:
        from cluster.engine.actions import ObjKey

        obj = self.cluster.store.get(ObjKey(kind, namespace, name))
        return obj if obj is None else dict(obj)

    def private(self, kind: str, namespace: str, name: str) -> dict[str, Any] | None:
        from cluster.engine.actions import ObjKey

        data = self.cluster.store.private(ObjKey(kind, namespace, name))
        return data if data is None else dict(data)

    def history(self, since_rv: int) -> Iterable[HistoryEntry]:
        for change in self.cluster.store.history:
            if change.resource_version > since_rv:
                yield HistoryEntry(change.type, change.resource_version, change.obj)

    def commands(self) -> Sequence[CommandRun]:
        return self.runs

    def clock_paused(self) -> bool:
        return self.paused
