"""What a traffic program needs from the terminal around it, so the programs stay independent of it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cluster.engine.actions import ObjKey
from cluster.engine.view import View
from cluster.networking.network import Network
from cluster.networking.records import TrafficRecord


@dataclass
class Terminal:
    """Reads (``view``), simulated time, and where the results go: private-state writes, records, files."""

    view: View
    now_ms: int
    apply: Callable[[list[tuple[ObjKey, dict[str, Any]]]], None]
    publish: Callable[[list[TrafficRecord]], None]
    files: dict[str, str] = field(default_factory=dict)
    changed_files: set[str] = field(default_factory=set)
    lang: str = "en"
    wake: Callable[[str, ObjKey], bool] | None = None

    def network(self) -> Network:
        return Network(self.view, self.now_ms)

    def commit(self, net: Network) -> None:
        """Apply the batch's private-state writes and hand its records to the page."""
        self.apply(net.state.writes())
        if net.state.records:
            self.publish(list(net.state.records))
