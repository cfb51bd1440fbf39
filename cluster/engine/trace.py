"""The causal trace: one step per hop of a request or control-loop action.

The browser animates these in order (kubectl -> api-server -> etcd,
controller-manager -> api-server, scheduler -> api-server "bind",
kubelet:worker-1 -> runtime "start container"), and the trace log lists them
as text. ``code`` + ``params`` let the page caption a step in the learner's
language; ``text`` is the English fallback.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cluster.core.objects import clone


@dataclass(frozen=True)
class TraceStep:
    seq: int
    at_ms: int
    source: str
    target: str
    verb: str
    text: str
    object: str = ""
    code: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The ``trace.step`` payload: the fields in declaration order, ``source``/``target`` last as ``from``/``to``.

        Built by hand (``dataclasses.asdict`` deep-copies through ``copy``; a commit can publish thousands).
        """
        return {
            "seq": self.seq,
            "at_ms": self.at_ms,
            "verb": self.verb,
            "text": self.text,
            "object": self.object,
            "code": self.code,
            "params": clone(self.params),
            "from": self.source,
            "to": self.target,
        }


_new_step = object.__new__


class Tracer:
    """Collects steps; the shell drains them after each commit and publishes them."""

    def __init__(self, seq: int = 0, limit: int = 50_000) -> None:
        self.seq = seq
        self.steps: list[TraceStep] = []
        self.limit = limit
        self.enabled = True

    def emit(
        self,
        at_ms: int,
        source: str,
        target: str,
        verb: str,
        text: str,
        *,
        obj: str = "",
        code: str = "",
        params: dict[str, Any] | None = None,
    ) -> None:
        if not self.enabled:
            return
        self.seq += 1
        if len(self.steps) >= self.limit:
            del self.steps[: self.limit // 2]
        # Every API request and write emits steps: fill the frozen dataclass's fields directly rather than through
        # its __init__ (which sets each one with object.__setattr__); the result is the same TraceStep.
        step = _new_step(TraceStep)
        step.__dict__.update(
            seq=self.seq,
            at_ms=at_ms,
            source=source,
            target=target,
            verb=verb,
            text=text,
            object=obj,
            code=code,
            params=params or {},
        )
        self.steps.append(step)

    def drain(self) -> list[TraceStep]:
        steps, self.steps = self.steps, []
        return steps
