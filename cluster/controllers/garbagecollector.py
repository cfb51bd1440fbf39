"""The garbage collector: cascading deletion through ``ownerReferences``.

Deleting an owner never touches its dependents inside the DELETE request:
the API server only removes the owner (``Background``) or marks it with the
``orphan`` / ``foregroundDeletion`` finalizer, and this controller does the
rest asynchronously — which is why ``kubectl delete deployment web`` returns
at once while the ReplicaSet and its pods disappear a moment later.

Every object is its own key, and one reconcile answers two questions about it:

- *as a dependent*: are my owners still there? An owner counts as present
  only if an object with the reference's uid, kind and name exists (the same
  name with another uid is a different object). No owner left → delete me
  (``Background``); some owners left → just drop the dangling references.
  An owner being deleted in the foreground wants me gone first → delete me
  (``Foreground`` when I have dependents myself, so grandchildren go first).
- *as an owner being deleted*: ``orphan`` → strip my reference from every
  dependent, then remove the finalizer; ``foregroundDeletion`` → delete my
  dependents and remove the finalizer once none with ``blockOwnerDeletion``
  is left. The API server drops an object whose finalizers become empty.

Simplifications: owners are looked up in the informer view by uid instead of
the real GC's dependency graph plus live GETs for unknown owners; there is no
cycle detection for foreground deletion (``blockOwnerDeletion`` is never
unblocked); dependents already being deleted are left alone.
"""

from __future__ import annotations

from typing import Any

from cluster.core.kinds import REGISTRY
from cluster.core.objects import Obj, clone, is_terminating, namespace_of, uid_of
from cluster.engine.actions import Action, Delete, ObjKey, Patch, Result, Update
from cluster.engine.reconciler import Watch
from cluster.engine.view import View

ORPHAN = "orphan"
FOREGROUND = "foregroundDeletion"
Ref = dict[str, Any]

# Kinds that commonly own or are owned; every registered kind is added at watch time.
OWNER_AWARE_KINDS = (
    "ConfigMap",
    "ControllerRevision",
    "CronJob",
    "DaemonSet",
    "Deployment",
    "EndpointSlice",
    "HorizontalPodAutoscaler",
    "Ingress",
    "Job",
    "Lease",
    "Node",
    "PersistentVolumeClaim",
    "Pod",
    "ReplicaSet",
    "Secret",
    "Service",
    "ServiceAccount",
    "StatefulSet",
)
# Events are never owners or dependents and are written constantly: not worth watching.
IGNORED_KINDS = frozenset({"Event"})


def _finalizers(obj: Obj) -> list[str]:
    return list(obj.get("metadata", {}).get("finalizers") or [])


def _refs(obj: Obj) -> list[Ref]:
    return list(obj.get("metadata", {}).get("ownerReferences") or [])


def _owner_of(view: View, dependent: Obj, ref: Ref) -> Obj | None:
    """The live owner a reference points to, or None when it is absent."""
    owner = view.by_uid(str(ref.get("uid", "")))
    if owner is None or owner.get("kind") != ref.get("kind"):
        return None
    if owner.get("metadata", {}).get("name") != ref.get("name"):
        return None
    owner_ns = namespace_of(owner)
    if owner_ns and owner_ns != namespace_of(dependent):
        return None
    return owner


def _waits_for_dependents(owner: Obj) -> bool:
    return is_terminating(owner) and FOREGROUND in _finalizers(owner)


def classify_owners(view: View, dependent: Obj) -> tuple[list[Ref], list[Ref], list[Ref]]:
    """Split ``ownerReferences`` into (solid, dangling, waiting-for-dependents-deletion)."""
    solid: list[Ref] = []
    dangling: list[Ref] = []
    waiting: list[Ref] = []
    for ref in _refs(dependent):
        owner = _owner_of(view, dependent, ref)
        if owner is None:
            dangling.append(ref)
        elif _waits_for_dependents(owner):
            waiting.append(ref)
        else:
            solid.append(ref)
    return solid, dangling, waiting


def _deletion_policy(view: View, dependent: Obj, waiting: list[Ref]) -> str:
    if waiting and view.owned_by(uid_of(dependent)):
        return "Foreground"
    finalizers = _finalizers(dependent)
    if ORPHAN in finalizers:
        return "Orphan"
    if FOREGROUND in finalizers:
        return "Foreground"
    return "Background"


def dependent_actions(view: View, dependent: Obj) -> list[Action]:
    """What the GC does about ``dependent`` when some of its owners are gone or deleting it in foreground."""
    if is_terminating(dependent) or not _refs(dependent):
        return []
    solid, dangling, waiting = classify_owners(view, dependent)
    if not dangling and not waiting:
        return []
    key = ObjKey.of(dependent)
    if solid:
        return [Patch(key, {"metadata": {"ownerReferences": solid}})]
    policy = _deletion_policy(view, dependent, waiting)
    return [Delete(key, propagation=policy, uid=uid_of(dependent))]


def _without_owner(dependent: Obj, owner_uid: str) -> Patch:
    remaining = [r for r in _refs(dependent) if r.get("uid") != owner_uid]
    return Patch(ObjKey.of(dependent), {"metadata": {"ownerReferences": remaining or None}})


def _remove_finalizer(owner: Obj, finalizer: str) -> Update:
    new: Obj = clone(owner)
    left = [f for f in _finalizers(owner) if f != finalizer]
    if left:
        new["metadata"]["finalizers"] = left
    else:
        new["metadata"].pop("finalizers", None)
    return Update(new)


def _blocks(dependent: Obj, owner_uid: str) -> bool:
    return any(r.get("uid") == owner_uid and r.get("blockOwnerDeletion") for r in _refs(dependent))


def owner_actions(view: View, owner: Obj) -> list[Action]:
    """Finalizer processing for an owner that is being deleted with ``orphan`` or ``foregroundDeletion``."""
    if not is_terminating(owner):
        return []
    finalizers = _finalizers(owner)
    uid = uid_of(owner)
    dependents = view.owned_by(uid)
    if ORPHAN in finalizers:
        patches: list[Action] = [_without_owner(d, uid) for d in dependents]
        return [*patches, _remove_finalizer(owner, ORPHAN)]
    if FOREGROUND in finalizers:
        actions: list[Action] = []
        for dependent in dependents:
            actions.extend(dependent_actions(view, dependent))
        if not any(_blocks(d, uid) for d in dependents):
            actions.append(_remove_finalizer(owner, FOREGROUND))
        return actions
    return []


def _owner_keys(view: View, obj: Obj) -> list[ObjKey]:
    """Owners of ``obj`` that are waiting for it: only those care about its changes."""
    keys = []
    for ref in _refs(obj):
        owner = _owner_of(view, obj, ref)
        if owner is not None and is_terminating(owner):
            keys.append(ObjKey.of(owner))
    return keys


def gc_mapper(view: View, obj: Obj) -> list[ObjKey]:
    """Requeue the object itself, its waiting owners, and its dependents once it is gone or going."""
    keys: list[ObjKey] = []
    key = ObjKey.of(obj)
    current = view.get_key(key)  # looked up once: this runs twice for every write of every watched kind
    if current is not None and (obj.get("metadata", {}).get("ownerReferences") or is_terminating(obj)):
        keys.append(key)
    keys.extend(_owner_keys(view, obj))
    if current is None or uid_of(current) != uid_of(obj) or is_terminating(current):
        keys.extend(ObjKey.of(d) for d in view.owned_by(uid_of(obj)))
    return keys


def watched_kinds() -> list[str]:
    kinds = set(OWNER_AWARE_KINDS) | {info.kind for info in REGISTRY.all()}
    return sorted(kinds - IGNORED_KINDS)


class GarbageCollector:
    name = "garbage-collector"
    actor = "controller-manager"

    def watches(self) -> list[Watch]:
        return [Watch(kind, gc_mapper, status_blind=True) for kind in watched_kinds()]

    def reconcile(self, view: View, key: ObjKey, now_ms: int) -> Result:
        obj = view.get_key(key)
        if obj is None:
            return Result()
        return Result([*owner_actions(view, obj), *dependent_actions(view, obj)])
