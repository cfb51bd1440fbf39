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
        self.steps.append(TraceStep(self.seq, at_ms, source, target, verb, text, obj, code, params or {}))

    def drain(self) -> list[TraceStep]:
        steps, self.steps = self.steps, []
        return steps
