"""Deployment arithmetic and bookkeeping (``pkg/controller/deployment/util``).

Everything here is a pure function of objects: rollout fenceposts, the
pod-template-hash, which ReplicaSet is "new", revision and replica
annotations, replica sums and the condition helpers. The controller, the
printers (``kubectl describe deployment``) and ``kubectl rollout`` all read
Deployments through these, so "25% of 3 is a surge of 1 and nothing
unavailable" is decided in exactly one place.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any, NamedTuple

from cluster.controllers.podutil import Obj, parse_time_ms
from cluster.core.ids import NAME_ALPHABET
from cluster.core.objects import clone

REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"
CHANGE_CAUSE = "kubernetes.io/change-cause"
HASH_LABEL = "pod-template-hash"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
ROLLBACK_TO = "deprecated.deployment.rollback.to"
# Deployment annotations that are never copied onto its ReplicaSets.
ANNOTATIONS_TO_SKIP = frozenset({LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO})
MAX_REVISION_HISTORY_CHARS = 2000
MAX_INT32 = 2**31 - 1

# Condition types and reasons, exactly as kubectl describe shows them.
AVAILABLE, PROGRESSING, REPLICA_FAILURE = "Available", "Progressing", "ReplicaFailure"
NEW_RS_CREATED = "NewReplicaSetCreated"
FOUND_NEW_RS = "FoundNewReplicaSet"
RS_UPDATED = "ReplicaSetUpdated"
NEW_RS_AVAILABLE = "NewReplicaSetAvailable"
TIMED_OUT = "ProgressDeadlineExceeded"
PAUSED = "DeploymentPaused"
RESUMED = "DeploymentResumed"
MIN_AVAILABLE = "MinimumReplicasAvailable"
MIN_UNAVAILABLE = "MinimumReplicasUnavailable"


# ---------------------------------------------------------------- spec accessors and fenceposts


def replicas(obj: Obj | None) -> int:
    """``*spec.replicas`` (defaulted to 1 by the API server; 0 for a missing object)."""
    if obj is None:
        return 0
    value = obj.get("spec", {}).get("replicas")
    return 1 if value is None else int(value)


def is_rolling_update(deploy: Obj) -> bool:
    strategy = deploy.get("spec", {}).get("strategy") or {}
    return bool(strategy.get("type", "RollingUpdate") == "RollingUpdate")


def is_recreate(deploy: Obj) -> bool:
    return (deploy.get("spec", {}).get("strategy") or {}).get("type") == "Recreate"


def scaled_value(value: Any, total: int, round_up: bool) -> int:
    """``intstr.GetScaledValueFromIntOrPercent``: an int as is, ``"25%"`` of ``total`` rounded up or down."""
    if isinstance(value, bool):
        raise ValueError(f"invalid value for IntOrString: {value!r}")
    if isinstance(value, int):
        return value
    text = str(value)
    if not text.endswith("%"):
        if text.lstrip("-").isdigit():
            return int(text)
        raise ValueError(f"invalid value for IntOrString: invalid type: string is not a percentage: {text}")
    percent = int(text[:-1])
    return math.ceil(percent * total / 100) if round_up else math.floor(percent * total / 100)


def resolve_fenceposts(surge: Any, unavailable: Any, desired: int) -> tuple[int, int]:
    """``ResolveFenceposts``: surge rounds up, unavailable rounds down, and 0/0 becomes 0/1."""
    max_surge_ = scaled_value(0 if surge is None else surge, desired, True)
    max_unavailable_ = scaled_value(0 if unavailable is None else unavailable, desired, False)
    if max_surge_ == 0 and max_unavailable_ == 0:
        max_unavailable_ = 1  # surge might not work (quota), so let one pod go
    return max_surge_, max_unavailable_


def _rolling_params(deploy: Obj) -> tuple[Any, Any]:
    rolling = (deploy.get("spec", {}).get("strategy") or {}).get("rollingUpdate") or {}
    return rolling.get("maxSurge", "25%"), rolling.get("maxUnavailable", "25%")


def max_surge(deploy: Obj) -> int:
    """How many pods above ``replicas`` a rolling update may run (0 for Recreate)."""
    if not is_rolling_update(deploy):
        return 0
    return resolve_fenceposts(*_rolling_params(deploy), replicas(deploy))[0]


def max_unavailable(deploy: Obj) -> int:
    """How many of ``replicas`` may be unavailable during a rolling update, capped at ``replicas``."""
    desired = replicas(deploy)
    if not is_rolling_update(deploy) or desired == 0:
        return 0
    return min(resolve_fenceposts(*_rolling_params(deploy), desired)[1], desired)


def has_progress_deadline(deploy: Obj) -> bool:
    seconds = deploy.get("spec", {}).get("progressDeadlineSeconds")
    return seconds is not None and int(seconds) != MAX_INT32


def has_revision_history_limit(deploy: Obj) -> bool:
    limit = deploy.get("spec", {}).get("revisionHistoryLimit")
    return limit is not None and int(limit) != MAX_INT32


# ---------------------------------------------------------------- templates and the pod-template-hash


def normalized(value: Any) -> Any:
    """Drop nulls, empty strings, maps and lists (recursively): Go's semantic equality treats them as unset."""
    if isinstance(value, dict):
        out = {k: normalized(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in (None, "", {}, [])}
    if isinstance(value, list):
        return [normalized(v) for v in value]
    return value


def _without_hash(template: Obj | None) -> Any:
    copy = clone(template or {})
    labels = (copy.get("metadata") or {}).get("labels")
    if isinstance(labels, dict):
        labels.pop(HASH_LABEL, None)
    return normalized(copy)


def equal_ignore_hash(template_a: Obj | None, template_b: Obj | None) -> bool:
    """``EqualIgnoreHash``: pod templates equal once the ``pod-template-hash`` label is ignored."""
    return bool(_without_hash(template_a) == _without_hash(template_b))


def fnv32a(data: bytes) -> int:
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def safe_encode(text: str) -> str:
    """``rand.SafeEncodeString``: each character mapped to ``alphabet[ord % 27]``; digits land on ``4-9bcdf``."""
    return "".join(NAME_ALPHABET[ord(ch) % len(NAME_ALPHABET)] for ch in text)


def pod_template_hash(template: Obj, collision_count: int | None = None) -> str:
    """``controller.ComputeHash``: FNV-32a of the template (+ collisionCount), in decimal, safe-encoded.

    Simplification: Go hashes its in-memory struct dump; we hash canonical
    JSON (sorted keys, unset fields dropped). The value differs from a real
    cluster's but has the same shape and is stable for the same template.
    """
    canonical = json.dumps(normalized(template), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    data = canonical.encode()
    if collision_count is not None:
        data += int(collision_count & 0xFFFFFFFF).to_bytes(4, "little") + bytes(4)
    return safe_encode(str(fnv32a(data)))


# ---------------------------------------------------------------- revisions and finding the new ReplicaSet


def revision(obj: Obj) -> int:
    """The ``deployment.kubernetes.io/revision`` annotation; 0 when absent or not a number."""
    raw = (obj.get("metadata", {}).get("annotations") or {}).get(REVISION)
    try:
        return int(str(raw)) if raw is not None else 0
    except ValueError:
        return 0


def max_revision(rss: Iterable[Obj | None]) -> int:
    return max((revision(rs) for rs in rss if rs is not None), default=0)


def creation_key(obj: Obj) -> tuple[int, str]:
    """``ReplicaSetsByCreationTimestamp``: oldest first, then by name (a missing time is the zero time)."""
    meta = obj.get("metadata", {})
    return parse_time_ms(meta.get("creationTimestamp")) or 0, str(meta.get("name", ""))


def revision_key(obj: Obj) -> tuple[int, int, str]:
    """``ReplicaSetsByRevision``: lowest revision first, ties by creation."""
    return (revision(obj), *creation_key(obj))


class NewAndOld(NamedTuple):
    """The deployment's new ReplicaSet (None if none matches its template), old ones with replicas, all old ones."""

    new: Obj | None
    old: list[Obj]
    all_old: list[Obj]


def find_new_rs(deploy: Obj, rss: list[Obj]) -> Obj | None:
    """``FindNewReplicaSet``: the oldest ReplicaSet whose template equals the deployment's (ignoring the hash)."""
    template = deploy.get("spec", {}).get("template")
    for rs in sorted(rss, key=creation_key):
        if equal_ignore_hash(rs.get("spec", {}).get("template"), template):
            return rs
    return None


def find_new_and_old(deploy: Obj, rss: list[Obj]) -> NewAndOld:
    """``FindNewReplicaSet`` + ``FindOldReplicaSets`` over the ReplicaSets the deployment controls."""
    new = find_new_rs(deploy, rss)
    all_old = [rs for rs in rss if rs is not new]
    return NewAndOld(new, [rs for rs in all_old if replicas(rs) != 0], all_old)


# ---------------------------------------------------------------- annotations


def _annotations(obj: Obj) -> dict[str, str]:
    meta = obj.setdefault("metadata", {})
    if meta.get("annotations") is None:
        meta["annotations"] = {}
    annotations: dict[str, str] = meta["annotations"]
    return annotations


def set_deployment_revision(deploy: Obj, value: str) -> bool:
    annotations = _annotations(deploy)
    if annotations.get(REVISION) == value:
        return False
    annotations[REVISION] = value
    return True


def replicas_annotations_need_update(rs: Obj, desired: int, max_replicas: int) -> bool:
    annotations = rs.get("metadata", {}).get("annotations") or {}
    return annotations.get(DESIRED_REPLICAS) != str(desired) or annotations.get(MAX_REPLICAS) != str(max_replicas)


def set_replicas_annotations(rs: Obj, desired: int, max_replicas: int) -> bool:
    annotations = _annotations(rs)
    changed = replicas_annotations_need_update(rs, desired, max_replicas)
    annotations[DESIRED_REPLICAS] = str(desired)
    annotations[MAX_REPLICAS] = str(max_replicas)
    return changed


def _copy_deployment_annotations(deploy: Obj, rs: Obj) -> bool:
    changed = False
    annotations = _annotations(rs)
    for key, value in (deploy.get("metadata", {}).get("annotations") or {}).items():
        if key in ANNOTATIONS_TO_SKIP or annotations.get(key) == value:
            continue
        annotations[key] = value
        changed = True
    return changed


def _append_revision_history(annotations: dict[str, str], old_revision: str) -> None:
    """Remember the revisions a rolled-back ReplicaSet used to have (``revision-history``), within 2000 chars."""
    history = annotations.get(REVISION_HISTORY, "")
    if not history:
        annotations[REVISION_HISTORY] = old_revision
        return
    entries = history.split(",")
    total = len(history) + len(old_revision) + 1
    start = 0
    while total > MAX_REVISION_HISTORY_CHARS and start < len(entries):
        total -= len(entries[start]) + 1
        start += 1
    if total <= MAX_REVISION_HISTORY_CHARS:
        annotations[REVISION_HISTORY] = ",".join([*entries[start:], old_revision])


def set_new_rs_annotations(deploy: Obj, rs: Obj, new_revision: int, exists: bool) -> bool:
    """``SetNewReplicaSetAnnotations``: copy the deployment's annotations and raise the revision if lower.

    A ReplicaSet that already had a smaller revision is being rolled back to:
    its old number goes into ``revision-history``. A ReplicaSet about to be
    created also gets ``desired-replicas`` / ``max-replicas``.
    """
    changed = _copy_deployment_annotations(deploy, rs)
    annotations = _annotations(rs)
    old_raw = annotations.get(REVISION)
    try:
        old_revision = int(old_raw) if old_raw else 0
    except ValueError:
        return False
    if old_revision < new_revision:
        annotations[REVISION] = str(new_revision)
        changed = True
        if old_raw:
            _append_revision_history(annotations, old_raw)
    desired = replicas(deploy)
    if not exists and set_replicas_annotations(rs, desired, desired + max_surge(deploy)):
        changed = True
    return changed


def desired_replicas_annotation(rs: Obj) -> int | None:
    raw = (rs.get("metadata", {}).get("annotations") or {}).get(DESIRED_REPLICAS)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def max_replicas_annotation(rs: Obj) -> int | None:
    raw = (rs.get("metadata", {}).get("annotations") or {}).get(MAX_REPLICAS)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


# ---------------------------------------------------------------- replica sums over ReplicaSets


def active_rss(rss: Iterable[Obj | None]) -> list[Obj]:
    """``FilterActiveReplicaSets``: those with ``spec.replicas`` > 0."""
    return [rs for rs in rss if rs is not None and replicas(rs) > 0]


def spec_replicas_sum(rss: Iterable[Obj | None]) -> int:
    return sum(replicas(rs) for rs in rss if rs is not None)


def _status_sum(rss: Iterable[Obj | None], field: str) -> int:
    return sum(int((rs.get("status") or {}).get(field) or 0) for rs in rss if rs is not None)


def actual_replicas_sum(rss: Iterable[Obj | None]) -> int:
    return _status_sum(rss, "replicas")


def ready_replicas_sum(rss: Iterable[Obj | None]) -> int:
    return _status_sum(rss, "readyReplicas")


def available_replicas_sum(rss: Iterable[Obj | None]) -> int:
    return _status_sum(rss, "availableReplicas")


def is_saturated(deploy: Obj, rs: Obj | None) -> bool:
    """The ReplicaSet runs (and is meant to run) all of the deployment's replicas, all available."""
    if rs is None:
        return False
    desired = replicas(deploy)
    available = int((rs.get("status") or {}).get("availableReplicas") or 0)
    return replicas(rs) == desired and desired_replicas_annotation(rs) == desired and available == desired


# ---------------------------------------------------------------- conditions


def new_condition(kind: str, status: str, reason: str, message: str, now: str) -> Obj:
    return {
        "type": kind,
        "status": status,
        "lastUpdateTime": now,
        "lastTransitionTime": now,
        "reason": reason,
        "message": message,
    }


def get_condition(status: Obj, kind: str) -> Obj | None:
    for cond in status.get("conditions") or []:
        if cond.get("type") == kind:
            return dict(cond)
    return None


def remove_condition(status: Obj, kind: str) -> None:
    remaining = [c for c in status.get("conditions") or [] if c.get("type") != kind]
    if remaining:
        status["conditions"] = remaining
    else:
        status.pop("conditions", None)


def set_condition(status: Obj, condition: Obj) -> None:
    """``SetDeploymentCondition``: no-op for the same status+reason; keeps lastTransitionTime if status is unchanged."""
    current = get_condition(status, condition["type"])
    if current is not None and current.get("status") == condition["status"]:
        if current.get("reason") == condition["reason"]:
            return
        condition = {**condition, "lastTransitionTime": current.get("lastTransitionTime")}
    remove_condition(status, condition["type"])
    status["conditions"] = [*(status.get("conditions") or []), condition]
