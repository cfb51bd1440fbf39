"""The simulation core stays pure: no framework, no wall clock, no unseeded randomness.

Same seed + same commands must give the same events, and the core must run
in unit tests without Django. This reads every core module's syntax tree and
reports any import of a forbidden module and any use of a module-level
``random`` function or of ``datetime``'s clock. (ruff's banned-api enforces
the same at lint time; this test also catches what a linter config could
quietly stop covering.)
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO_DIR = Path(__file__).resolve().parents[2]
PURE_PACKAGES = (
    "core",
    "apiserver",
    "engine",
    "controllers",
    "scheduler",
    "kubelet",
    "kubectl",
    "networking",
    "docker",
    "metrics",
)
FORBIDDEN_MODULES = frozenset(
    {"django", "channels", "channels_redis", "asgiref", "daphne", "asyncio", "uuid", "time", "secrets"}
)
# random.Random is the seeded generator the core is meant to use; everything else reads global state.
ALLOWED_RANDOM = frozenset({"random.Random"})
CLOCK_CALLS = frozenset(
    {"datetime.datetime.now", "datetime.datetime.utcnow", "datetime.datetime.today", "datetime.date.today"}
)


def pure_modules() -> list[Path]:
    root = REPO_DIR / "cluster"
    return sorted(path for package in PURE_PACKAGES for path in (root / package).rglob("*.py"))


def imported_names(tree: ast.AST) -> dict[str, str]:
    """Local name -> fully qualified name it is bound to, for every import in ``tree``."""
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                aliases[local] = alias.name if alias.asname else local
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return aliases


def dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a chain of attribute accesses on a name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def is_forbidden(qualified: str) -> bool:
    root = qualified.split(".")[0]
    if root in FORBIDDEN_MODULES:
        return True
    if root == "random" and qualified != "random":
        return ".".join(qualified.split(".")[:2]) not in ALLOWED_RANDOM
    return any(qualified == call or qualified.startswith(call + ".") for call in CLOCK_CALLS)


def violations(source: str) -> list[str]:
    """Every forbidden import or use in ``source``, as ``line: name``."""
    tree = ast.parse(source)
    aliases = imported_names(tree)
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names if is_forbidden(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [
                f"{node.lineno}: from {node.module} import {a.name}"
                for a in node.names
                if is_forbidden(node.module) or is_forbidden(f"{node.module}.{a.name}")
            ]
        elif isinstance(node, ast.Attribute):
            name = dotted(node)
            if name is None:
                continue
            head, _, rest = name.partition(".")
            qualified = f"{aliases[head]}.{rest}" if head in aliases else None
            if qualified and is_forbidden(qualified):
                found.append(f"{node.lineno}: {qualified}")
    return sorted(set(found))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import time\n", ["1: import time"]),
        ("import uuid as u\n", ["1: import uuid"]),
        ("import asyncio.tasks\n", ["1: import asyncio.tasks"]),
        ("from django.db import models\n", ["1: from django.db import models"]),
        ("from channels.layers import get_channel_layer\n", ["1: from channels.layers import get_channel_layer"]),
        ("import asgiref.sync\n", ["1: import asgiref.sync"]),
        ("import random\nx = random.choice([1])\n", ["2: random.choice"]),
        ("import random as r\nr.shuffle([])\n", ["2: random.shuffle"]),
        ("from random import randint\n", ["1: from random import randint"]),
        ("import random\nrng = random.Random(7)\nrng.choice([1])\n", []),
        ("from random import Random\nRandom(1).random()\n", []),
        ("import random\nrandom.Random.__init__\n", []),
        ("import datetime\ndatetime.datetime.now()\n", ["2: datetime.datetime.now"]),
        ("from datetime import datetime\ndatetime.now()\n", ["2: datetime.datetime.now"]),
        ("from datetime import datetime as dt\ndt.utcnow()\n", ["2: datetime.datetime.utcnow"]),
        ("from datetime import date\ndate.today()\n", ["2: datetime.date.today"]),
        ("from datetime import datetime, timezone\ndatetime.fromtimestamp(0, tz=timezone.utc)\n", []),
        ("from . import quantity\nfrom cluster.core import errors\n", []),
        ("import json\njson.dumps({})\n", []),
    ],
)
def test_checker_flags_exactly_the_forbidden_uses(source: str, expected: list[str]) -> None:
    assert violations(source) == expected


def test_pure_packages_exist_and_are_checked() -> None:
    modules = pure_modules()
    assert any(path.parent.name == "core" for path in modules)
    assert len(modules) >= 5


@pytest.mark.parametrize("path", pure_modules(), ids=lambda p: str(p.relative_to(REPO_DIR)))
def test_core_module_is_pure(path: Path) -> None:
    assert violations(path.read_text(encoding="utf-8")) == []
