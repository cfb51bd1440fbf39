"""``kubectl rollout history`` and ``rollout status`` text for Deployments (K8S_FACTS §3.3).

History is read from the deployment's ReplicaSets: each carries its revision
in ``deployment.kubernetes.io/revision`` and its change cause in
``kubernetes.io/change-cause``. The output keeps kubectl's quirks: the name
line ends with a space, the table is followed by a blank line, and
``--revision`` prints the pod template *without* tab alignment (kubectl writes
it to a plain buffer, so the tabs reach the terminal).
"""

from __future__ import annotations

from typing import Any

from cluster.core.objects import clone
from cluster.kubectl.printers.describe.containers import describe_pod_template
from cluster.kubectl.printers.describe.workloads import split_replicasets
from cluster.kubectl.printers.describe.writer import PrefixWriter
from cluster.kubectl.printers.tabwriter import tabbed

Obj = dict[str, Any]
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause"
TIMED_OUT_REASON = "ProgressDeadlineExceeded"


class RolloutError(Exception):
    """A rollout command failure; kubectl prints ``error: <message>``."""


def _name_line(deployment: Obj, operation: str) -> str:
    name = (deployment.get("metadata") or {}).get("name", "")
    return f"deployment.apps/{name} {operation}\n"


def _history(deployment: Obj, replicasets: list[Obj]) -> dict[int, Obj]:
    """Revision -> pod template (annotated with the change cause), like ``DeploymentHistoryViewer``."""
    old, new = split_replicasets(deployment, replicasets)
    history: dict[int, Obj] = {}
    for rs in [*old, *([new] if new is not None else [])]:
        annotations = (rs.get("metadata") or {}).get("annotations") or {}
        try:
            revision = int(annotations.get(REVISION_ANNOTATION, ""))
        except ValueError:
            continue
        template: Obj = clone((rs.get("spec") or {}).get("template") or {})
        cause = annotations.get(CHANGE_CAUSE_ANNOTATION)
        if cause:
            template.setdefault("metadata", {}).setdefault("annotations", {})[CHANGE_CAUSE_ANNOTATION] = cause
        history[revision] = template
    return history


def rollout_history(deployment: Obj, replicasets: list[Obj]) -> str:
    """``kubectl rollout history deployment/<name>``."""
    history = _history(deployment, replicasets)
    if not history:
        return _name_line(deployment, "\nNo rollout history found.")
    lines = ["REVISION\tCHANGE-CAUSE\n"]
    for revision in sorted(history):
        annotations = (history[revision].get("metadata") or {}).get("annotations") or {}
        lines.append(f"{revision}\t{annotations.get(CHANGE_CAUSE_ANNOTATION) or '<none>'}\n")
    return _name_line(deployment, "\n" + tabbed("".join(lines)))


def rollout_history_revision(deployment: Obj, replicasets: list[Obj], revision: int) -> str:
    """``kubectl rollout history deployment/<name> --revision=N``; ``RolloutError`` for an unknown revision."""
    history = _history(deployment, replicasets)
    if not history:
        return _name_line(deployment, f"with revision #{revision}\nNo rollout history found.")
    if revision not in history:
        raise RolloutError("unable to find the specified revision")
    w = PrefixWriter()
    describe_pod_template(w, history[revision])
    return _name_line(deployment, f"with revision #{revision}\n{w.raw()}")


def rollout_status_message(deployment: Obj) -> tuple[str, bool]:
    """One ``rollout status`` evaluation: (message line without newline, done).

    Raises ``RolloutError`` when the Progressing condition says the deadline was exceeded.
    """
    metadata, spec, status = (
        deployment.get("metadata") or {},
        deployment.get("spec") or {},
        deployment.get("status") or {},
    )
    name = metadata.get("name", "")
    if int(metadata.get("generation") or 0) > int(status.get("observedGeneration") or 0):
        return "Waiting for deployment spec update to be observed...", False
    for condition in status.get("conditions") or []:
        if condition.get("type") == "Progressing" and condition.get("reason") == TIMED_OUT_REASON:
            raise RolloutError(f'deployment "{name}" exceeded its progress deadline')
    desired = int(spec.get("replicas", 1))
    updated = int(status.get("updatedReplicas") or 0)
    total = int(status.get("replicas") or 0)
    available = int(status.get("availableReplicas") or 0)
    prefix = f'Waiting for deployment "{name}" rollout to finish: '
    if updated < desired:
        return f"{prefix}{updated} out of {desired} new replicas have been updated...", False
    if total > updated:
        return f"{prefix}{total - updated} old replicas are pending termination...", False
    if available < updated:
        return f"{prefix}{available} of {updated} updated replicas are available...", False
    return f'deployment "{name}" successfully rolled out', True
