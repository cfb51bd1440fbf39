"""Rows for workload controllers: Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob.

Replica counts that the server prints as numbers are integer cells (kubectl
prints them with ``%v``); ``READY`` is the ``ready/desired`` string.
A missing ``spec.replicas`` counts as 1, the value defaulting would have set.
"""

from __future__ import annotations

from typing import Any

from cluster.core.timefmt import human_duration, parse_rfc3339, since
from cluster.kubectl.printers.columns import (
    AGE_DOC,
    CONTAINERS_DOC,
    IMAGES_DOC,
    Column,
    Obj,
    container_cells,
    meta,
    name_column,
    register,
    spec,
    status,
    template_spec,
)
from cluster.kubectl.printers.gofmt import format_label_selector, format_labels, selector_string

Row = tuple[list[Any], list[Obj] | None]
_SELECTOR_DOC = (
    "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected."
)


def _wide_columns(selector: bool = True) -> list[Column]:
    columns = [Column("Containers", CONTAINERS_DOC, priority=1), Column("Images", IMAGES_DOC, priority=1)]
    if selector:
        columns.append(Column("Selector", _SELECTOR_DOC, priority=1))
    return columns


def _replicas(obj: Obj) -> int:
    value = spec(obj).get("replicas")
    return 1 if value is None else int(value)


def _int(obj: Obj, field: str) -> int:
    return int(status(obj).get(field) or 0)


def _age(obj: Obj, now_ms: int) -> str:
    return since(meta(obj).get("creationTimestamp"), now_ms)


@register(
    "Deployment",
    name_column(),
    Column("Ready", "Number of the pod with ready state"),
    Column(
        "Up-to-date",
        "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
    ),
    Column(
        "Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."
    ),
    Column("Age", AGE_DOC),
    *_wide_columns(),
)
def deployment_row(obj: Obj, now_ms: int, wide: bool) -> Row:
    names, images = container_cells(template_spec(obj))
    ready = f"{_int(obj, 'readyReplicas')}/{_replicas(obj)}"
    cells = [meta(obj).get("name", ""), ready, _int(obj, "updatedReplicas"), _int(obj, "availableReplicas")]
    return [*cells, _age(obj, now_ms), names, images, selector_string(spec(obj).get("selector"))], None


@register(
    "ReplicaSet",
    name_column(),
    Column("Desired", "Replicas is the number of desired replicas.", type="integer"),
    Column("Current", "Replicas is the most recently oberved number of replicas.", type="integer"),
    Column("Ready", "The number of ready replicas for this replica set.", type="integer"),
    Column("Age", AGE_DOC),
    *_wide_columns(),
)
def replicaset_row(obj: Obj, now_ms: int, wide: bool) -> Row:
    names, images = container_cells(template_spec(obj))
    cells = [meta(obj).get("name", ""), _replicas(obj), _int(obj, "replicas"), _int(obj, "readyReplicas")]
    return [*cells, _age(obj, now_ms), names, images, format_label_selector(spec(obj).get("selector"))], None


@register(
    "StatefulSet",
    name_column(),
    Column("Ready", "Number of the pod with ready state"),
    Column("Age", AGE_DOC),
    *_wide_columns(selector=False),
)
def statefulset_row(obj: Obj, now_ms: int, wide: bool) -> Row:
    names, images = container_cells(template_spec(obj))
    ready = f"{_int(obj, 'readyReplicas')}/{_replicas(obj)}"
    return [meta(obj).get("name", ""), ready, _age(obj, now_ms), names, images], None


@register(
    "DaemonSet",
    name_column(),
    Column("Desired", "The total number of nodes that should be running the daemon pod.", type="integer"),
    Column("Current", "The number of nodes that are running at least 1 daemon pod.", type="integer"),
    Column("Ready", "The number of nodes that should be running the daemon pod and have it ready.", type="integer"),
    Column("Up-to-date", "The total number of nodes that are running updated daemon pod", type="integer"),
    Column(
        "Available", "The number of nodes that should be running the daemon pod and have it available.", type="integer"
    ),
    Column("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
    Column("Age", AGE_DOC),
    *_wide_columns(),
)
def daemonset_row(obj: Obj, now_ms: int, wide: bool) -> Row:
    names, images = container_cells(template_spec(obj))
    counts = [
        _int(obj, field)
        for field in (
            "desiredNumberScheduled",
            "currentNumberScheduled",
            "numberReady",
            "updatedNumberScheduled",
            "numberAvailable",
        )
    ]
    node_selector = format_labels(template_spec(obj).get("nodeSelector"))
    selector = format_label_selector(spec(obj).get("selector"))
    return [meta(obj).get("name", ""), *counts, node_selector, _age(obj, now_ms), names, images, selector], None


def _condition_true(obj: Obj, kind: str) -> bool:
    for condition in status(obj).get("conditions") or []:
        if condition.get("type") == kind:
            return bool(condition.get("status") == "True")
    return False


def _job_status(obj: Obj) -> str:
    if _condition_true(obj, "Complete"):
        return "Complete"
    if _condition_true(obj, "Failed"):
        return "Failed"
    if meta(obj).get("deletionTimestamp"):
        return "Terminating"
    if _condition_true(obj, "Suspended"):
        return "Suspended"
    if _condition_true(obj, "FailureTarget"):
        return "FailureTarget"
    return "Running"


def _job_completions(obj: Obj) -> str:
    succeeded = _int(obj, "succeeded")
    completions = spec(obj).get("completions")
    if completions is not None:
        return f"{succeeded}/{completions}"
    parallelism = int(spec(obj).get("parallelism") or 0)
    return f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"


def _job_duration(obj: Obj, now_ms: int) -> str:
    started = status(obj).get("startTime")
    if not started:
        return ""
    completed = status(obj).get("completionTime")
    end_ms = parse_rfc3339(completed) if completed else now_ms
    return human_duration(end_ms - parse_rfc3339(started))


@register(
    "Job",
    name_column(),
    Column("Status", "Status of the job."),
    Column("Completions", "The number of pods which reached phase Succeeded."),
    Column("Duration", "Time required to complete the job."),
    Column("Age", AGE_DOC),
    *_wide_columns(),
)
def job_row(obj: Obj, now_ms: int, wide: bool) -> Row:
    names, images = container_cells(template_spec(obj))
    cells = [meta(obj).get("name", ""), _job_status(obj), _job_completions(obj), _job_duration(obj, now_ms)]
    return [*cells, _age(obj, now_ms), names, images, format_label_selector(spec(obj).get("selector"))], None


def _bool_ptr(value: Any) -> str:
    if value is None:
        return "<unset>"
    return "True" if value else "False"


@register(
    "CronJob",
    name_column(),
    Column("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
    Column("Timezone", "The time zone name for the given schedule."),
    Column("Suspend", "This flag tells the controller to suspend subsequent executions.", type="boolean"),
    Column("Active", "A list of pointers to currently running jobs.", type="integer"),
    Column("Last Schedule", "Information when was the last time the job was successfully scheduled."),
    Column("Age", AGE_DOC),
    *_wide_columns(),
)
def cronjob_row(obj: Obj, now_ms: int, wide: bool) -> Row:
    job_spec = (spec(obj).get("jobTemplate") or {}).get("spec") or {}
    pod_spec = (job_spec.get("template") or {}).get("spec") or {}
    names, images = container_cells(pod_spec)
    last = status(obj).get("lastScheduleTime")
    cells = [
        meta(obj).get("name", ""),
        spec(obj).get("schedule", ""),
        spec(obj).get("timeZone") or "<none>",
        _bool_ptr(spec(obj).get("suspend")),
        len(status(obj).get("active") or []),
        since(last, now_ms) if last else "<none>",
        _age(obj, now_ms),
    ]
    return [*cells, names, images, format_label_selector(job_spec.get("selector"))], None
