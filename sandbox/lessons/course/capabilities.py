"""What a lesson needs from the simulator, so playback can tell "not built yet" from "broken".

The course is ahead of the simulator in places (``kubectl drain``, the HPA,
the traffic model behind ``curl``). A solution that needs something the
simulator does not have yet is *skipped* with the reason, never reported as
passing; ``manage.py lessons check --strict`` turns skips into failures.

A requirement is a string: ``kubectl <verb> [<sub>]``, ``curl`` and
``program <name>`` (another terminal program, e.g. ``load``) are read from
solution lines; ``reconciler <name>`` and ``kind <Kind>`` are declared
in a lesson's ``requires``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sandbox.lessons.course import model

# kubectl verbs whose next word names a subcommand (``create deployment``, ``rollout undo``).
PARENT_VERBS = {"create", "rollout", "set", "config", "top", "create service"}


def kubectl_requirement(line: str) -> str:
    """``kubectl rollout undo deployment/web`` → ``kubectl rollout undo``; ``curl``; ``program load``."""
    words = [w for w in line.split("|")[0].split() if not w.startswith("-")]
    if not words:
        return ""
    if words[0] not in ("kubectl", "k"):
        return "curl" if words[0] == "curl" else f"program {words[0]}"
    path = words[1:2]
    while path and " ".join(path) in PARENT_VERBS and len(words) > len(path) + 1:
        path.append(words[len(path) + 1])
    return " ".join(["kubectl", *path]) if path else ""


def requirements(lesson: model.Lesson, step: model.Step) -> list[str]:
    found = [kubectl_requirement(e.line) for e in step.solution if isinstance(e, model.Run)]
    return sorted({*lesson.requires, *filter(None, found)})


def setup_requirements(lesson: model.Lesson) -> list[str]:
    return sorted({*lesson.requires, *filter(None, map(kubectl_requirement, lesson.setup.run))})


def missing(needs: Iterable[str], cluster: Any) -> list[str]:
    return [need for need in needs if not available(need, cluster)]


def available(need: str, cluster: Any) -> bool:
    word, _, rest = need.partition(" ")
    if word == "curl":
        from cluster.kubectl.shell import PROGRAMS

        return "_curl" in PROGRAMS
    if word == "program":
        from cluster.kubectl import programs  # noqa: F401  (registers the terminal's programs)
        from cluster.kubectl.shell import PROGRAMS

        return rest in PROGRAMS
    if word == "kubectl":
        return _kubectl_has(rest.split())
    if word == "reconciler":
        return any(getattr(r, "name", "") == rest for r in cluster.engine.reconcilers)
    if word == "kind":
        return cluster.registry.resolve(rest) is not None or rest in {i.kind for i in cluster.registry.all()}
    return False


def _kubectl_has(path: list[str]) -> bool:
    from cluster.kubectl import commands  # noqa: F401  (registers every verb)
    from cluster.kubectl.base import COMMANDS

    if not path:
        return True
    cmd = COMMANDS.get(path[0]) or next((c for c in COMMANDS.values() if path[0] in c.aliases), None)
    for word in path[1:]:
        if cmd is None:
            return False
        cmd = cmd.child(word)
    return cmd is not None
