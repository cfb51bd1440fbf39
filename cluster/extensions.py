"""Where later features plug extra reconcilers into the engine without touching it.

A feature module (HPA, Ingress controller, traffic) appends a factory with
``register_reconciler``; ``default_reconcilers`` picks them up.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_FACTORIES: list[Callable[[], Any]] = []


def register_reconciler(factory: Callable[[], Any]) -> None:
    if factory not in _FACTORIES:
        _FACTORIES.append(factory)


def extra_reconcilers() -> list[Any]:
    return [factory() for factory in _FACTORIES]
