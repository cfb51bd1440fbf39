"""Dockerfile parsing: instructions with their line numbers, continuation lines joined.

Simplifications: no heredocs, no parser directives beyond ignoring them, no
variable expansion; multi-stage builds use the last stage.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass

INSTRUCTIONS = {
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER",
    "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
}  # fmt: skip
# Instructions BuildKit shows as build steps ([n/N]); the others only change the image config.
STEPS = ("FROM", "RUN", "COPY", "ADD", "WORKDIR")


class DockerfileError(ValueError):
    pass


@dataclass(frozen=True)
class Instruction:
    line: int
    name: str  # upper case
    args: str

    @property
    def text(self) -> str:
        return f"{self.name} {self.args}".strip()


def parse(text: str) -> list[Instruction]:
    out: list[Instruction] = []
    pending, start = "", 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if pending and line.startswith("#"):
            continue
        if not pending:
            start = number
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        full = (pending + line).strip()
        pending = ""
        word, _, rest = full.partition(" ")
        name = word.upper()
        if name not in INSTRUCTIONS:
            raise DockerfileError(f"dockerfile parse error on line {start}: unknown instruction: {word}")
        out.append(Instruction(start, name, rest.strip()))
    if pending:
        word, _, rest = pending.strip().partition(" ")
        out.append(Instruction(start, word.upper(), rest.strip()))
    if not out:
        raise DockerfileError("file with no instructions")
    if out[0].name not in ("FROM", "ARG"):
        raise DockerfileError("no build stage in current context")
    return out


def last_stage(instructions: list[Instruction]) -> list[Instruction]:
    starts = [i for i, ins in enumerate(instructions) if ins.name == "FROM"]
    return instructions[starts[-1] :] if starts else instructions


def base_image(from_args: str) -> str:
    """``FROM python:3.9-slim AS app`` → ``python:3.9-slim`` (``--platform`` skipped)."""
    words = [w for w in from_args.split() if not w.startswith("--")]
    return words[0] if words else ""


def copy_sources(args: str) -> list[str]:
    """The source paths of ``COPY``/``ADD`` (all words but the last; ``--from``/``--chown`` skipped)."""
    text = args.strip()
    while text.startswith("--"):
        text = text.partition(" ")[2].strip()
    if text.startswith("["):
        try:
            words = [str(w) for w in json.loads(text)]
        except ValueError:
            words = text.strip("[]").split(",")
    else:
        try:
            words = shlex.split(text)
        except ValueError:
            words = text.split()
    words = [w for w in words if not w.startswith("--")]
    return words[:-1]


def exposed_ports(instructions: list[Instruction]) -> list[int]:
    ports: list[int] = []
    for ins in instructions:
        if ins.name == "EXPOSE":
            for word in ins.args.split():
                number = word.split("/")[0]
                if number.isdigit():
                    ports.append(int(number))
    return ports
