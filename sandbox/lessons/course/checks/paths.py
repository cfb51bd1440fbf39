"""Field paths into API objects, the way lesson authors write them.

``spec.replicas``, ``spec.template.spec.containers[0].image``,
``metadata.labels["app.kubernetes.io/name"]`` and, for lists of records keyed
by a field (conditions, ports, containers), ``status.conditions[type=Ready].status``
(the first item whose field equals the value). This is a small cousin of
kubectl's JSONPath, limited to what a check needs so errors stay readable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(
    r"""
    (?P<name>[A-Za-z_$][\w$-]*)            # a plain key
    | \[(?P<index>-?\d+)\]                 # [0]
    | \["(?P<quoted>[^"]+)"\]              # ["app.kubernetes.io/name"]
    | \[(?P<field>[A-Za-z_]\w*)=(?P<value>[^\]]*)\]  # [type=Ready]
    | (?P<dot>\.)
    """,
    re.VERBOSE,
)

Step = str | int | tuple[str, str]


class PathError(ValueError):
    pass


@dataclass(frozen=True)
class FieldPath:
    text: str
    steps: tuple[Step, ...]

    def get(self, obj: Any) -> Any:
        """The value at this path, or None when any step is missing."""
        current = obj
        for step in self.steps:
            current = _walk(current, step)
            if current is None:
                return None
        return current

    def __str__(self) -> str:
        return self.text


def parse_path(text: str) -> FieldPath:
    if not isinstance(text, str) or not text.strip():
        raise PathError("a field path must be a non-empty string such as status.readyReplicas")
    steps: list[Step] = []
    pos, need_key = 0, True
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or (match["dot"] and need_key) or (match["name"] and not need_key):
            raise PathError(f'bad field path "{text}" at position {pos + 1}')
        pos = match.end()
        if match["dot"]:
            need_key = True
            continue
        steps.append(_step(match))
        need_key = False
    if need_key:
        raise PathError(f'bad field path "{text}": it ends with "."')
    return FieldPath(text, tuple(steps))


def _step(match: re.Match[str]) -> Step:
    if match["name"] is not None:
        return match["name"]
    if match["index"] is not None:
        return int(match["index"])
    if match["quoted"] is not None:
        return match["quoted"]
    return (match["field"], match["value"])


def _walk(current: Any, step: Step) -> Any:
    if isinstance(step, str):
        return current.get(step) if isinstance(current, dict) else None
    if isinstance(step, int):
        if isinstance(current, list) and -len(current) <= step < len(current):
            return current[step]
        return None
    if not isinstance(current, list):
        return None
    key, value = step
    return next((item for item in current if isinstance(item, dict) and str(item.get(key)) == value), None)
