"""The reconciler contract and how the engine learns which keys to requeue."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from cluster.engine.actions import Obj, ObjKey, Result
from cluster.engine.view import View

# mapper(view, obj) -> keys of this reconciler to requeue when obj changes
Mapper = Callable[[View, Obj], list[ObjKey]]


@dataclass(frozen=True)
class Watch:
    """Requeue keys when an object of ``kind`` is added, modified or deleted.

    ``mapper`` receives the object (the old state for deletions, the new
    state otherwise; on a modification it is called for both old and new).
    ``status_blind`` promises that the mapper never reads ``status`` and has
    no side effects: when a write changed nothing but ``status`` (everything
    else is the very same data), the old state would map to the same keys,
    so the engine maps only the new one. ``self_key`` watches are blind.
    """

    kind: str
    mapper: Mapper
    status_blind: bool = False


def self_key(_view: View, obj: Obj) -> list[ObjKey]:
    """The changed object is itself the key (the common ``For(&Kind{})`` case)."""
    return [ObjKey.of(obj)]


def controller_owner(kind: str) -> Mapper:
    """Map an object to its controlling owner of ``kind`` (``Owns(&Kind{})``)."""

    def mapper(_view: View, obj: Obj) -> list[ObjKey]:
        meta = obj.get("metadata", {})
        for ref in meta.get("ownerReferences", []) or []:
            if ref.get("controller") and ref.get("kind") == kind:
                return [ObjKey(kind, meta.get("namespace", ""), ref["name"])]
        return []

    return mapper


class Reconciler(Protocol):
    """A level-triggered controller: reads current state for a key, returns actions.

    ``name`` is the component as Kubernetes names it in events
    (``replicaset-controller``); ``actor`` is the box on the cluster map that
    performs the requests (``controller-manager``, ``scheduler``,
    ``kubelet``). ``reconcile`` must be idempotent: called again after its
    actions were applied, it returns no actions (a fixed point).
    """

    name: str
    actor: str

    def watches(self) -> list[Watch]: ...

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result: ...
