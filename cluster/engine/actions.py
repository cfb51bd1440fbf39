"""What a reconciler may ask for: API requests, events and trace steps, as data.

Reconcilers are pure: ``reconcile(view, key, now_ms) -> Result``. They never
write; the engine applies the returned actions through the API server (the
only writer) in order, under the reconciler's identity, so every action shows
up in the causal trace exactly like a request from kubectl would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

Obj = dict[str, Any]


class ObjKey(NamedTuple):
    """Identity of an object: ``(kind, namespace, name)``; namespace "" for cluster-scoped kinds.

    A named tuple rather than a dataclass: keys are hashed, compared and sorted
    on every store write and every queued reconcile, and a tuple does that in C.
    """

    kind: str
    namespace: str
    name: str

    def __str__(self) -> str:
        return f"{self.kind}/{self.namespace}/{self.name}" if self.namespace else f"{self.kind}/{self.name}"

    @staticmethod
    def of(obj: Obj) -> ObjKey:
        meta = obj.get("metadata", {})
        return ObjKey(obj["kind"], meta.get("namespace", ""), meta["name"])


@dataclass
class Create:
    """POST the object (may use ``metadata.generateName``)."""

    obj: Obj


@dataclass
class Update:
    """PUT the whole object; ``metadata.resourceVersion`` is checked (409 on a stale one)."""

    obj: Obj


@dataclass
class UpdateStatus:
    """PUT the status subresource: only ``status`` of ``obj`` is taken."""

    obj: Obj


@dataclass
class Patch:
    """PATCH; ``patch_type`` is ``merge`` (RFC 7386), ``strategic`` or ``json`` (RFC 6902)."""

    key: ObjKey
    patch: Any
    patch_type: str = "merge"
    subresource: str = ""


@dataclass
class Delete:
    """DELETE with optional grace period, propagation policy and a uid precondition."""

    key: ObjKey
    grace_period_seconds: int | None = None
    propagation: str | None = None  # "Background" | "Foreground" | "Orphan"
    uid: str | None = None


@dataclass
class Bind:
    """POST ``pods/<name>/binding``: the scheduler assigning a pod to a node."""

    key: ObjKey
    node: str


@dataclass
class RecordEvent:
    """A ``v1 Event`` about ``involved`` (deduplicated into ``count`` like client-go's recorder)."""

    involved: Obj
    type: str  # "Normal" | "Warning"
    reason: str
    message: str
    component: str  # e.g. "replicaset-controller", "default-scheduler", "kubelet"
    host: str = ""
    field_path: str = ""


@dataclass
class Trace:
    """A causal step that is not an API request (e.g. kubelet -> container runtime)."""

    source: str
    target: str
    verb: str
    text: str
    obj: ObjKey | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class SetPrivate:
    """Store component-local state for ``key`` (what a real kubelet keeps in memory).

    Persisted beside the object so a restarted worker resumes; never part of
    the API object, never shown to clients. ``data=None`` clears it.
    """

    key: ObjKey
    data: dict[str, Any] | None


Action = Create | Update | UpdateStatus | Patch | Delete | Bind | RecordEvent | Trace | SetPrivate


@dataclass
class Result:
    """Actions to apply, and when to look at this key again regardless of changes.

    ``actor`` overrides the reconciler's actor for the trace (a kubelet says
    ``kubelet:worker-1``).
    """

    actions: list[Action] = field(default_factory=list)
    requeue_after_ms: int | None = None
    actor: str | None = None
