"""What the HPA controller remembers between syncs, persisted in the HPA's private state.

Kubernetes keeps three things per HPA in the controller's memory: the
recent replica *recommendations* (the stabilization windows pick the max or
min of them), the recent *scale events* (the behavior policies limit how
much may change per period) and, implicitly, when the HPA is next due (its
work-queue item, re-added with a fixed 15 s delay). A restarted
kube-controller-manager forgets them; the sandbox persists them under
``private(hpa)["hpa"]`` so a restarted worker carries on exactly, and a
recreated HPA of the same name (another uid) starts afresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PRIVATE_KEY = "hpa"


@dataclass
class ScaleEvent:
    """``timestampedScaleEvent``: a change of replicas at a time; ``outdated`` slots are reused."""

    at_ms: int
    change: int
    outdated: bool = False


@dataclass
class Memory:
    uid: str = ""
    last_sync_ms: int | None = None
    recommendations: list[tuple[int, int]] = field(default_factory=list)  # (at_ms, replicas)
    scale_up_events: list[ScaleEvent] = field(default_factory=list)
    scale_down_events: list[ScaleEvent] = field(default_factory=list)

    @classmethod
    def load(cls, private: dict[str, Any] | None, uid: str) -> Memory:
        """The memory kept for the HPA with ``uid`` (empty if none, or if it belonged to an earlier HPA)."""
        data = (private or {}).get(PRIVATE_KEY)
        if not isinstance(data, dict) or data.get("uid") != uid:
            return cls(uid=uid)
        return cls(
            uid=uid,
            last_sync_ms=data.get("lastSyncMs"),
            recommendations=[(int(t), int(r)) for t, r in data.get("recommendations") or []],
            scale_up_events=[ScaleEvent(int(t), int(c), bool(o)) for t, c, o in data.get("scaleUpEvents") or []],
            scale_down_events=[ScaleEvent(int(t), int(c), bool(o)) for t, c, o in data.get("scaleDownEvents") or []],
        )

    def dump(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "lastSyncMs": self.last_sync_ms,
            "recommendations": [[t, r] for t, r in self.recommendations],
            "scaleUpEvents": [[e.at_ms, e.change, e.outdated] for e in self.scale_up_events],
            "scaleDownEvents": [[e.at_ms, e.change, e.outdated] for e in self.scale_down_events],
        }

    def merged_into(self, private: dict[str, Any] | None) -> dict[str, Any]:
        """The HPA's private state with this memory in it (other components' keys kept)."""
        return {**(private or {}), PRIVATE_KEY: self.dump()}
