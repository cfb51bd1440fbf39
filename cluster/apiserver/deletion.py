"""DELETE semantics: graceful pod termination, finalizers and propagation policies.

- A bound, running pod gets ``deletionTimestamp = now + grace`` and stays
  (STATUS Terminating) until its kubelet confirms with a grace-0 delete.
- Foreground/Orphan propagation add the ``foregroundDeletion``/``orphan``
  finalizer; the garbage collector does the work and removes it.
- An object whose deletionTimestamp is set disappears as soon as it has no
  finalizers left (``maybe_finalize``).
- Background (the default for apps/v1) removes the owner at once; the
  garbage collector then deletes the dependents whose owner is gone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cluster.core.kinds import KindInfo
from cluster.core.objects import Obj, clone
from cluster.core.timefmt import rfc3339
from cluster.engine.actions import ObjKey

if TYPE_CHECKING:
    from cluster.apiserver.server import ApiServer

_PROPAGATION_FINALIZER = {"Foreground": "foregroundDeletion", "Orphan": "orphan"}


def _remove(api: ApiServer, obj: Obj) -> Obj:
    key = ObjKey.of(obj)
    final = api.store.remove(key)
    api._trace_write(api.store.resource_version, key, "delete")
    return final if final is not None else obj


def _pod_grace(pod: Obj, requested: int | None) -> int:
    if requested is not None:
        return max(0, int(requested))
    value = (pod.get("spec") or {}).get("terminationGracePeriodSeconds")
    return 30 if value is None else max(0, int(value))


def _pod_runs(pod: Obj) -> bool:
    return bool((pod.get("spec") or {}).get("nodeName")) and (pod.get("status") or {}).get("phase") not in (
        "Succeeded",
        "Failed",
    )


def delete(api: ApiServer, info: KindInfo, current: Obj, grace: int | None, propagation: str | None) -> Obj:
    now = api.clock()
    meta = current["metadata"]
    if meta.get("deletionTimestamp"):
        return _delete_again(api, info, current, grace, now)
    new = clone(current)
    new_meta = new["metadata"]
    finalizers = list(new_meta.get("finalizers") or [])
    extra = _PROPAGATION_FINALIZER.get(propagation or "")
    if extra and extra not in finalizers:
        finalizers.append(extra)
    if info.kind == "Namespace":
        new_meta["deletionTimestamp"] = rfc3339(now)
        new_meta["deletionGracePeriodSeconds"] = 0
        new.setdefault("status", {})["phase"] = "Terminating"
        return api._write(new, "mark deleted")
    if info.kind == "Pod":
        seconds = _pod_grace(current, grace)
        if _pod_runs(current) and seconds > 0:
            new_meta["deletionTimestamp"] = rfc3339(now + seconds * 1000)
            new_meta["deletionGracePeriodSeconds"] = seconds
            if finalizers:
                new_meta["finalizers"] = finalizers
            return api._write(new, "mark terminating")
    if finalizers:
        new_meta["finalizers"] = finalizers
        new_meta["deletionTimestamp"] = rfc3339(now)
        new_meta["deletionGracePeriodSeconds"] = 0
        return api._write(new, "mark deleted")
    return _remove(api, current)


def _delete_again(api: ApiServer, info: KindInfo, current: Obj, grace: int | None, now: int) -> Obj:
    """A second DELETE on a terminating object may only shorten a pod's grace period."""
    meta = current["metadata"]
    if info.kind != "Pod" or grace is None:
        return current
    seconds = max(0, int(grace))
    if seconds >= int(meta.get("deletionGracePeriodSeconds") or 0) and seconds != 0:
        return current
    if seconds == 0 and not meta.get("finalizers"):
        return _remove(api, current)
    new = clone(current)
    new["metadata"]["deletionTimestamp"] = rfc3339(now + seconds * 1000)
    new["metadata"]["deletionGracePeriodSeconds"] = seconds
    return api._write(new, "shorten grace")


def maybe_finalize(api: ApiServer, obj: Obj) -> Obj:
    """Remove an object being deleted once nothing holds it any more."""
    meta = obj["metadata"]
    if not meta.get("deletionTimestamp") or meta.get("finalizers"):
        return obj
    if obj["kind"] == "Pod" and int(meta.get("deletionGracePeriodSeconds") or 0) > 0:
        return obj
    if obj["kind"] == "Namespace" and (obj.get("spec") or {}).get("finalizers"):
        return obj
    return _remove(api, obj)
