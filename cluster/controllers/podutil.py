"""Pod and ownership helpers shared by the workload controllers.

The ReplicaSet and Deployment controllers agree on what "active", "ready" and
"available" mean and on how a controller takes or gives up ownership; in
Kubernetes that lives in ``pkg/api/v1/pod``, ``pkg/controller/controller_utils.go``
and ``controller_ref_manager.go``. Keeping one copy here is what makes a
ReplicaSet's ``availableReplicas`` and the Deployment's rollout arithmetic agree.

Ownership changes are sent as JSON patches (a ``test`` of the object's uid,
then the new ``ownerReferences`` list) rather than the strategic-merge patches
the real ``ControllerRefManager`` sends: the effect on the object is the same,
and the uid test gives the same protection against acting on a recreated
object of the same name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cluster.core.labels import SelectorError, from_label_selector
from cluster.core.labels.selector import DOUBLE_EQUALS, EQUALS, IN
from cluster.core.timefmt import parse_rfc3339, rfc3339
from cluster.engine.actions import ObjKey, Patch

Obj = dict[str, Any]

TERMINAL_PHASES = ("Succeeded", "Failed")
_EQUALITY = (IN, EQUALS, DOUBLE_EQUALS)  # operators whose Requirement.matches is "has key and value in values"


# ---------------------------------------------------------------- time (metav1.Time on the wire)


def parse_time_ms(text: str | None) -> int | None:
    """Milliseconds since the epoch of an RFC 3339 timestamp; None when absent or malformed (Go's zero time)."""
    if not text:
        return None
    try:
        return parse_rfc3339(text)
    except ValueError:
        return None


def format_time(now_ms: int) -> str:
    """``metav1.Time`` as serialized: RFC 3339 in UTC, truncated to whole seconds."""
    return rfc3339(now_ms)


# ---------------------------------------------------------------- pod state (pkg/api/v1/pod)


def is_terminating(obj: Obj) -> bool:
    return bool(obj.get("metadata", {}).get("deletionTimestamp"))


def is_active(pod: Obj) -> bool:
    """``controller.IsPodActive``: not Succeeded/Failed and not being deleted."""
    phase = (pod.get("status") or {}).get("phase")
    return phase not in TERMINAL_PHASES and not is_terminating(pod)


def _ready(pod: Obj) -> Obj | None:
    """The pod's own Ready condition (not a copy: for reading only)."""
    for cond in (pod.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            return cond  # type: ignore[no-any-return]
    return None


def ready_condition(pod: Obj) -> Obj | None:
    cond = _ready(pod)
    return None if cond is None else dict(cond)


def is_ready(pod: Obj) -> bool:
    cond = _ready(pod)
    return cond is not None and cond.get("status") == "True"


def ready_since(pod: Obj) -> int | None:
    """When a Ready pod became Ready (its condition's lastTransitionTime), in ms; None if not ready."""
    cond = _ready(pod)
    if cond is None or cond.get("status") != "True":
        return None
    return parse_time_ms(cond.get("lastTransitionTime"))


def available_at(pod: Obj, min_ready_seconds: int) -> int | None:
    """The moment a Ready pod counts as available (ready for ``minReadySeconds``); None if not ready.

    With ``minReadySeconds`` 0 a Ready pod is available at once, whatever its timestamps.
    """
    if not is_ready(pod):
        return None
    if min_ready_seconds <= 0:
        return 0
    since = ready_since(pod)
    return None if since is None else since + min_ready_seconds * 1000


def available_if_ready(pod: Obj, min_ready_seconds: int, now_ms: int) -> bool:
    """``is_available`` of a pod already known to be Ready (its Ready condition is not looked up again)."""
    if min_ready_seconds <= 0:
        return now_ms >= 0
    since = ready_since(pod)
    return since is not None and since + min_ready_seconds * 1000 <= now_ms


def is_available(pod: Obj, min_ready_seconds: int, now_ms: int) -> bool:
    """``podutil.IsPodAvailable``: Ready, and Ready for at least ``minReadySeconds``.

    Simplification: Kubernetes requires the deadline to lie strictly before
    "now" at nanosecond resolution; at the simulator's millisecond clock the
    deadline itself already counts, so a timer set for it sees the pod available.
    """
    at = available_at(pod, min_ready_seconds)
    return at is not None and at <= now_ms


def restart_counts(pod: Obj) -> tuple[int, int]:
    """Highest restartCount of the regular containers, and of restartable init ("sidecar") containers."""
    status = pod.get("status") or {}
    regular = max((int(c.get("restartCount", 0)) for c in status.get("containerStatuses") or []), default=0)
    sidecars = {
        c.get("name") for c in (pod.get("spec") or {}).get("initContainers") or [] if c.get("restartPolicy") == "Always"
    }
    init_statuses = status.get("initContainerStatuses") or []
    sidecar = max((int(c.get("restartCount", 0)) for c in init_statuses if c.get("name") in sidecars), default=0)
    return regular, sidecar


# ---------------------------------------------------------------- owner references


def _controller(obj: Obj) -> Obj | None:
    """The object's own controller reference (not a copy: for reading only)."""
    for ref in obj.get("metadata", {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref  # type: ignore[no-any-return]
    return None


def controller_ref(obj: Obj) -> Obj | None:
    """``metav1.GetControllerOf``: the ownerReference with ``controller: true``, if any."""
    ref = _controller(obj)
    return None if ref is None else dict(ref)


def is_controlled_by(obj: Obj, owner: Obj) -> bool:
    ref = controller_ref(obj)
    return ref is not None and ref.get("uid") == owner.get("metadata", {}).get("uid")


def new_controller_ref(owner: Obj) -> Obj:
    """``metav1.NewControllerRef``: what a controller stamps on what it creates or adopts."""
    meta = owner["metadata"]
    return {
        "apiVersion": owner["apiVersion"],
        "kind": owner["kind"],
        "name": meta["name"],
        "uid": meta.get("uid", ""),
        "controller": True,
        "blockOwnerDeletion": True,
    }


def compiled_selector(selector: Obj | None) -> Callable[[dict[str, str] | None], bool]:
    """Parse a LabelSelector once and return its matcher (an unparsable selector matches nothing).

    A selector of equality terms only (every ``matchLabels``) gets a plain loop over (key, allowed values):
    a ReplicaSet sync matches it against every pod in the namespace.
    """
    try:
        parsed = from_label_selector(selector)
    except SelectorError:
        return lambda _labels: False
    if parsed.matches_nothing or any(r.operator not in _EQUALITY for r in parsed.requirements):
        return lambda labels: parsed.matches(labels or {})
    terms = tuple((r.key, r.values) for r in parsed.requirements)

    def matches_terms(labels: dict[str, str] | None) -> bool:
        present = labels or {}
        for key, allowed in terms:  # noqa: SIM110 - a plain loop: no generator per pod
            if key not in present or present[key] not in allowed:
                return False
        return True

    return matches_terms


def selector_matches(selector: Obj | None, labels: dict[str, str] | None) -> bool:
    """``LabelSelectorAsSelector(sel).Matches(labels)``; an unparsable selector matches nothing."""
    try:
        return from_label_selector(selector).matches(labels or {})
    except SelectorError:
        return False


def labels_of(obj: Obj) -> dict[str, str]:
    return obj.get("metadata", {}).get("labels") or {}


# ---------------------------------------------------------------- ControllerRefManager


@dataclass
class Claim:
    """Outcome of claiming candidates: what the controller now owns, and the patches that got it there."""

    owned: list[Obj] = field(default_factory=list)
    patches: list[Patch] = field(default_factory=list)


def _owner_refs_patch(obj: Obj, refs: list[Obj]) -> Patch:
    ops: list[Obj] = [{"op": "test", "path": "/metadata/uid", "value": obj["metadata"].get("uid", "")}]
    if refs:
        ops.append({"op": "add", "path": "/metadata/ownerReferences", "value": refs})
    else:
        ops.append({"op": "remove", "path": "/metadata/ownerReferences"})
    return Patch(ObjKey.of(obj), ops, patch_type="json")


def adopt_patch(obj: Obj, owner: Obj) -> Patch:
    refs = list(obj.get("metadata", {}).get("ownerReferences") or [])
    return _owner_refs_patch(obj, [*refs, new_controller_ref(owner)])


def release_patch(obj: Obj, owner: Obj) -> Patch:
    owner_uid = owner["metadata"].get("uid")
    refs = [r for r in obj.get("metadata", {}).get("ownerReferences") or [] if r.get("uid") != owner_uid]
    return _owner_refs_patch(obj, refs)


def with_controller_ref(obj: Obj, owner: Obj) -> Obj:
    """A shallow copy of ``obj`` as it reads after adoption (for counting it in the same sync)."""
    meta = dict(obj["metadata"])
    meta["ownerReferences"] = [*(meta.get("ownerReferences") or []), new_controller_ref(owner)]
    return {**obj, "metadata": meta}


def claim(owner: Obj, candidates: list[Obj], match: Callable[[Obj], bool]) -> Claim:
    """``BaseControllerRefManager.ClaimObject`` over every candidate.

    Owned and still matching: kept. Owned but no longer matching: released
    (unless the owner is being deleted). Orphans that match, are in the
    owner's namespace and are not being deleted: adopted (unless the owner is
    being deleted). Objects controlled by someone else are ignored.
    """
    result = Claim()
    owner_uid = owner["metadata"].get("uid")
    owner_deleting = is_terminating(owner)
    for obj in candidates:
        ref = _controller(obj)
        if ref is not None:
            if ref.get("uid") != owner_uid:
                continue
            if match(obj):
                result.owned.append(obj)
            elif not owner_deleting:
                result.patches.append(release_patch(obj, owner))
            continue
        if owner_deleting or not match(obj) or is_terminating(obj):
            continue
        if obj["metadata"].get("namespace") != owner["metadata"].get("namespace"):
            continue
        result.patches.append(adopt_patch(obj, owner))
        result.owned.append(with_controller_ref(obj, owner))
    return result
