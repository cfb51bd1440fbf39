"""The result of evaluating a check: a tree of "what is wanted" beside "what is there now".

The panel renders it as the goal-vs-current diff, and a failed check is
explained by its unmet leaves, in the learner's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.lessons.course.text import Text


@dataclass(frozen=True)
class Outcome:
    ok: bool
    want: Text
    have: Text | None = None
    children: tuple[Outcome, ...] = ()
    # The children are conditions on the thing ``want`` names: explanations prefix them with it.
    scoped: bool = False

    def missing(self, lang: str) -> list[str]:
        """One line per unmet requirement, deepest first: what the learner still has to do."""
        if self.ok:
            return []
        unmet = [line for child in self.children for line in child.missing(lang)]
        if unmet and self.scoped:
            return [f"{self.want.get(lang)}: {line}" for line in unmet]
        if unmet:
            return unmet
        have = f" — {_now(lang)}: {self.have.get(lang)}" if self.have is not None else ""
        return [self.want.get(lang) + have]

    def as_json(self, lang: str) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "want": self.want.get(lang),
            "have": self.have.get(lang) if self.have is not None else None,
            "children": [child.as_json(lang) for child in self.children],
        }


def _now(lang: str) -> str:
    return "지금" if lang == "ko" else "now"
