"""``kubectl describe deployment`` and ``describe replicaset``.

A deployment's ReplicaSets are split as kubectl's ``deploymentutil`` does:
the new one has the deployment's pod template (ignoring ``pod-template-hash``),
every other ReplicaSet it controls is old, oldest first.
"""

from __future__ import annotations

from typing import Any

from cluster.core.objects import clone
from cluster.core.timefmt import describe_timestamp, parse_rfc3339
from cluster.kubectl.printers.describe.containers import describe_pod_template
from cluster.kubectl.printers.describe.writer import (
    PrefixWriter,
    controlled_by,
    describe_events,
    print_annotations_multiline,
    print_labels_multiline,
)
from cluster.kubectl.printers.gofmt import format_label_selector, selector_string

Obj = dict[str, Any]
HASH_LABEL = "pod-template-hash"


def _is_controlled_by(obj: Obj, owner: Obj) -> bool:
    owner_meta = owner.get("metadata") or {}
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if not ref.get("controller"):
            continue
        if owner_meta.get("uid") and ref.get("uid"):
            return bool(ref["uid"] == owner_meta["uid"])
        return bool(ref.get("kind") == owner.get("kind") and ref.get("name") == owner_meta.get("name"))
    return False


def _created_key(obj: Obj) -> tuple[int, str]:
    metadata = obj.get("metadata") or {}
    stamp = metadata.get("creationTimestamp")
    return (parse_rfc3339(stamp) if stamp else 0, str(metadata.get("name", "")))


def _without_hash(template: Obj | None) -> Obj:
    copy: Obj = clone(template or {})
    labels = (copy.get("metadata") or {}).get("labels")
    if isinstance(labels, dict):
        labels.pop(HASH_LABEL, None)
    return copy


def split_replicasets(deployment: Obj, replicasets: list[Obj]) -> tuple[list[Obj], Obj | None]:
    """(all old ReplicaSets, the new ReplicaSet or None), as ``GetAllReplicaSets`` returns them."""
    owned = sorted((rs for rs in replicasets if _is_controlled_by(rs, deployment)), key=_created_key)
    wanted = _without_hash((deployment.get("spec") or {}).get("template"))
    new = next((rs for rs in owned if _without_hash((rs.get("spec") or {}).get("template")) == wanted), None)
    return [rs for rs in owned if rs is not new], new


def _replicasets_text(replicasets: list[Obj]) -> str:
    texts = [
        f"{(rs.get('metadata') or {}).get('name', '')} ({(rs.get('status') or {}).get('replicas', 0)}/"
        f"{(rs.get('spec') or {}).get('replicas', 1)} replicas created)"
        for rs in replicasets
    ]
    return ", ".join(texts) or "<none>"


def _conditions(w: PrefixWriter, obj: Obj) -> None:
    conditions = (obj.get("status") or {}).get("conditions") or []
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for condition in conditions:
            w.write(1, f"{condition.get('type', '')} \t{condition.get('status', '')}\t{condition.get('reason', '')}\n")


def describe_deployment(deployment: Obj, replicasets: list[Obj], events: list[Obj] | None, now_ms: int) -> str:
    metadata, spec, status = (
        deployment.get("metadata") or {},
        deployment.get("spec") or {},
        deployment.get("status") or {},
    )
    w = PrefixWriter()
    w.write(0, f"Name:\t{metadata.get('name', '')}\n")
    w.write(0, f"Namespace:\t{metadata.get('namespace', '')}\n")
    w.write(0, f"CreationTimestamp:\t{describe_timestamp(metadata.get('creationTimestamp'))}\n")
    print_labels_multiline(w, "Labels", metadata.get("labels"))
    print_annotations_multiline(w, "Annotations", metadata.get("annotations"))
    w.write(0, f"Selector:\t{selector_string(spec.get('selector'))}\n")
    counts = [status.get(key, 0) for key in ("updatedReplicas", "replicas", "availableReplicas", "unavailableReplicas")]
    w.write(
        0,
        f"Replicas:\t{spec.get('replicas', 1)} desired | {counts[0]} updated | {counts[1]} total | "
        f"{counts[2]} available | {counts[3]} unavailable\n",
    )
    strategy = spec.get("strategy") or {}
    w.write(0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        unavailable, surge = rolling.get("maxUnavailable", 0), rolling.get("maxSurge", 0)
        w.write(0, f"RollingUpdateStrategy:\t{unavailable} max unavailable, {surge} max surge\n")
    describe_pod_template(w, spec.get("template"))
    _conditions(w, deployment)
    old, new = split_replicasets(deployment, replicasets)
    if old or new is not None:
        w.write(0, f"OldReplicaSets:\t{_replicasets_text(old)}\n")
        w.write(0, f"NewReplicaSet:\t{_replicasets_text([new] if new is not None else [])}\n")
    describe_events(w, events, now_ms)
    return w.tabbed()


def _pod_phases(replicaset: Obj, pods: list[Obj]) -> tuple[int, int, int, int]:
    counts = {"Running": 0, "Pending": 0, "Succeeded": 0, "Failed": 0}
    for pod in pods:
        phase = (pod.get("status") or {}).get("phase")
        if _is_controlled_by(pod, replicaset) and phase in counts:
            counts[phase] += 1
    return counts["Running"], counts["Pending"], counts["Succeeded"], counts["Failed"]


def describe_replicaset(replicaset: Obj, pods: list[Obj], events: list[Obj] | None, now_ms: int) -> str:
    metadata, spec, status = (
        replicaset.get("metadata") or {},
        replicaset.get("spec") or {},
        replicaset.get("status") or {},
    )
    w = PrefixWriter()
    w.write(0, f"Name:\t{metadata.get('name', '')}\n")
    w.write(0, f"Namespace:\t{metadata.get('namespace', '')}\n")
    w.write(0, f"Selector:\t{format_label_selector(spec.get('selector'))}\n")
    print_labels_multiline(w, "Labels", metadata.get("labels"))
    print_annotations_multiline(w, "Annotations", metadata.get("annotations"))
    owner = controlled_by(replicaset)
    if owner:
        w.write(0, f"Controlled By:\t{owner}\n")
    w.write(0, f"Replicas:\t{status.get('replicas', 0)} current / {spec.get('replicas', 1)} desired\n")
    running, waiting, succeeded, failed = _pod_phases(replicaset, pods)
    w.write(0, "Pods Status:\t")
    w.write(0, f"{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n")
    describe_pod_template(w, spec.get("template"))
    _conditions(w, replicaset)
    describe_events(w, events, now_ms)
    return w.tabbed()
