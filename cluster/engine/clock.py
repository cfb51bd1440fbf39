"""A sandbox's simulated clock: anchored to the wall clock, scaled by a speed, pausable.

``sim = sim_anchor + (wall - wall_anchor) * speed`` while playing; frozen while
paused. Changing speed or pausing re-anchors, so simulated time never jumps.
Wall time is always passed in (the shell reads it; the core never does).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

MIN_SPEED = 0.25
MAX_SPEED = 50.0


@dataclass(frozen=True)
class SimClock:
    sim_ms: int
    wall_ms: int
    speed: float = 1.0
    paused: bool = False

    def now(self, wall_ms: int) -> int:
        if self.paused:
            return self.sim_ms
        return self.sim_ms + int((wall_ms - self.wall_ms) * self.speed)

    def _anchor(self, wall_ms: int) -> SimClock:
        return replace(self, sim_ms=self.now(wall_ms), wall_ms=wall_ms)

    def with_speed(self, wall_ms: int, speed: float) -> SimClock:
        if not MIN_SPEED <= speed <= MAX_SPEED:
            raise ValueError(f"speed must be between {MIN_SPEED:g}x and {MAX_SPEED:g}x")
        return replace(self._anchor(wall_ms), speed=speed)

    def pause(self, wall_ms: int) -> SimClock:
        return replace(self._anchor(wall_ms), paused=True)

    def play(self, wall_ms: int) -> SimClock:
        return replace(self._anchor(wall_ms), paused=False)

    def advance(self, wall_ms: int, ms: int) -> SimClock:
        anchored = self._anchor(wall_ms)
        return replace(anchored, sim_ms=anchored.sim_ms + max(0, ms))

    def wall_at(self, sim_ms: int) -> int | None:
        """When (wall ms) simulated time reaches ``sim_ms``; None while paused."""
        if self.paused:
            return None
        return self.wall_ms + max(0, int((sim_ms - self.sim_ms) / self.speed))


def parse_duration_ms(text: str) -> int:
    """``90s``, ``5m``, ``1h30m``, ``250ms``, ``2`` (seconds) → milliseconds; ValueError otherwise."""
    import re

    text = text.strip()
    if re.fullmatch(r"\d+", text):
        return int(text) * 1000
    parts = re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f'invalid duration "{text}" (use e.g. 30s, 5m, 1h30m)')
    factor = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}
    return int(sum(float(n) * factor[u] for n, u in parts))
