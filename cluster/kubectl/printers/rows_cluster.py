"""Rows for Node, Namespace, Event, ConfigMap, Secret, ServiceAccount, HPA and Lease."""

from __future__ import annotations

from typing import Any

from cluster.core.timefmt import parse_rfc3339, rfc3339, since
from cluster.kubectl.printers.columns import AGE_DOC, NAME_DOC, Column, Obj, meta, name_column, register, spec, status

Row = tuple[list[Any], list[Obj] | None]
NODE_ROLE_PREFIX = "node-role.kubernetes.io/"
NODE_ROLE_LABEL = "kubernetes.io/role"


def _age(obj: Obj, now_ms: int) -> str:
    return since(meta(obj).get("creationTimestamp"), now_ms)


def node_roles(node: Obj) -> list[str]:
    """``findNodeRoles``: ``node-role.kubernetes.io/<role>`` suffixes plus ``kubernetes.io/role``, sorted."""
    roles = set()
    for key, value in (meta(node).get("labels") or {}).items():
        if key.startswith(NODE_ROLE_PREFIX) and key[len(NODE_ROLE_PREFIX) :]:
            roles.add(key[len(NODE_ROLE_PREFIX) :])
        elif key == NODE_ROLE_LABEL and value:
            roles.add(str(value))
    return sorted(roles)


def node_status(node: Obj) -> str:
    """``Ready``/``NotReady``/``Unknown``, plus ``,SchedulingDisabled`` when cordoned."""
    parts = []
    ready = [c for c in status(node).get("conditions") or [] if c.get("type") == "Ready"]
    if ready:
        parts.append("Ready" if ready[-1].get("status") == "True" else "NotReady")
    else:
        parts.append("Unknown")
    if spec(node).get("unschedulable"):
        parts.append("SchedulingDisabled")
    return ",".join(parts)


def _node_address(node: Obj, kind: str) -> str:
    for address in status(node).get("addresses") or []:
        if address.get("type") == kind:
            return str(address.get("address", ""))
    return "<none>"


@register(
    "Node",
    name_column(),
    Column("Status", "The status of the node"),
    Column("Roles", "The roles of the node"),
    Column("Age", AGE_DOC),
    Column("Version", "Kubelet Version reported by the node."),
    Column("Internal-IP", "List of addresses reachable to the node.", priority=1),
    Column("External-IP", "List of addresses reachable to the node.", priority=1),
    Column(
        "OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", priority=1
    ),
    Column(
        "Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", priority=1
    ),
    Column(
        "Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API.", priority=1
    ),
)
def node_row(node: Obj, now_ms: int, wide: bool) -> Row:
    info = status(node).get("nodeInfo") or {}
    cells = [
        meta(node).get("name", ""),
        node_status(node),
        ",".join(node_roles(node)) or "<none>",
        _age(node, now_ms),
        info.get("kubeletVersion", ""),
        _node_address(node, "InternalIP"),
        _node_address(node, "ExternalIP"),
        info.get("osImage") or "<unknown>",
        info.get("kernelVersion") or "<unknown>",
        info.get("containerRuntimeVersion") or "<unknown>",
    ]
    return cells, None


@register("Namespace", name_column(), Column("Status", "The status of the namespace"), Column("Age", AGE_DOC))
def namespace_row(obj: Obj, now_ms: int, wide: bool) -> Row:
    return [meta(obj).get("name", ""), status(obj).get("phase", ""), _age(obj, now_ms)], None


def _event_since(timestamp: str | None, now_ms: int) -> str:
    return since(timestamp, now_ms) if timestamp else "<unknown>"


def event_source(event: Obj) -> str:
    """``formatEventSource``: component (or reportingController), then ``, host`` when known."""
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingController") or ""
    host = source.get("host") or event.get("reportingInstance") or ""
    return f"{component}, {host}" if host else str(component)


def event_times(event: Obj, now_ms: int) -> tuple[str, str, int]:
    """(LAST SEEN, FIRST SEEN, COUNT) as ``printEvent`` derives them."""
    first = _event_since(event.get("firstTimestamp") or event.get("eventTime"), now_ms)
    last = _event_since(event["lastTimestamp"], now_ms) if event.get("lastTimestamp") else first
    count = int(event.get("count") or 0)
    series = event.get("series")
    if series:
        last = _event_since(series.get("lastObservedTime"), now_ms)
        count = int(series.get("count") or 0)
    elif count == 0:
        count = 1
    return last, first, count


def event_object(event: Obj) -> str:
    involved = event.get("involvedObject") or {}
    kind = str(involved.get("kind", "")).lower()
    return f"{kind}/{involved['name']}" if involved.get("name") else kind


@register(
    "Event",
    Column("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
    Column("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
    Column(
        "Reason",
        "This should be a short, machine understandable string that gives the reason for the transition into the "
        "object's current status.",
    ),
    Column("Object", "The object that this event is about."),
    Column(
        "Subobject",
        "If referring to a piece of an object instead of an entire object, this string should contain a valid "
        "JSON/Go field access statement.",
        priority=1,
    ),
    Column(
        "Source", "The component reporting this event. Should be a short machine understandable string.", priority=1
    ),
    Column("Message", "A human-readable description of the status of this operation."),
    Column(
        "First Seen",
        "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)",
        priority=1,
    ),
    Column("Count", "The number of times this event has occurred.", priority=1),
    Column("Name", NAME_DOC, format="name", priority=1),
)
def event_row(event: Obj, now_ms: int, wide: bool) -> Row:
    last, first, count = event_times(event, now_ms)
    head = [last, event.get("type", ""), event.get("reason", ""), event_object(event)]
    message = str(event.get("message", "")).strip()
    subobject = (event.get("involvedObject") or {}).get("fieldPath", "")
    return [*head, subobject, event_source(event), message, first, count, meta(event).get("name", "")], None


@register(
    "ConfigMap",
    name_column(),
    Column("Data", "Data contains the configuration data.", type="string"),
    Column("Age", AGE_DOC),
)
def configmap_row(obj: Obj, now_ms: int, wide: bool) -> Row:
    count = len(obj.get("data") or {}) + len(obj.get("binaryData") or {})
    return [meta(obj).get("name", ""), count, _age(obj, now_ms)], None


@register(
    "Secret",
    name_column(),
    Column("Type", "Used to facilitate programmatic handling of secret data."),
    Column("Data", "Data contains the secret data."),
    Column("Age", AGE_DOC),
)
def secret_row(obj: Obj, now_ms: int, wide: bool) -> Row:
    data_count = len(obj.get("data") or {})
    return [meta(obj).get("name", ""), obj.get("type", ""), data_count, _age(obj, now_ms)], None


@register(
    "ServiceAccount",
    name_column(),
    Column("Secrets", "Secrets is a list of the secrets in the same namespace."),
    Column("Age", AGE_DOC),
)
def serviceaccount_row(obj: Obj, now_ms: int, wide: bool) -> Row:
    return [meta(obj).get("name", ""), len(obj.get("secrets") or []), _age(obj, now_ms)], None


def hpa_metrics(hpa: Obj) -> tuple[list[Obj], list[Obj]]:
    """``(spec.metrics, status.currentMetrics)`` in autoscaling/v2 shape, converting a v1 CPU target.

    An HPA with no metrics gets the 80 % CPU default, as the v2 defaulting of the stored object does.
    """
    hpa_spec = spec(hpa)
    hpa_status = status(hpa)
    if "metrics" in hpa_spec or "currentMetrics" in hpa_status:
        return list(hpa_spec.get("metrics") or []), list(hpa_status.get("currentMetrics") or [])
    target = hpa_spec.get("targetCPUUtilizationPercentage", 80)
    metrics = [
        {
            "type": "Resource",
            "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": target}},
        }
    ]
    current = hpa_status.get("currentCPUUtilizationPercentage")
    currents = []
    if current is not None:
        currents = [{"type": "Resource", "resource": {"name": "cpu", "current": {"averageUtilization": current}}}]
    return metrics, currents


def _current(statuses: list[Obj], index: int, key: str) -> Obj | None:
    if index < len(statuses) and statuses[index].get(key) is not None:
        value: Obj = statuses[index][key]
        return value
    return None


def _metric_text(metric: Obj, index: int, statuses: list[Obj]) -> str:
    kind = metric.get("type")
    key = {
        "Resource": "resource",
        "ContainerResource": "containerResource",
        "Pods": "pods",
        "Object": "object",
        "External": "external",
    }.get(str(kind))
    if key is None:
        return "<unknown type>"
    source = metric.get(key) or {}
    target = source.get("target") or {}
    current = (_current(statuses, index, key) or {}).get("current")
    if kind in ("Resource", "ContainerResource"):
        name = source.get("name", "")
        if target.get("averageValue") is not None:
            value = (current or {}).get("averageValue") if current else None
            return f"{name}: {value if value is not None else '<unknown>'}/{target['averageValue']}"
        utilization = (current or {}).get("averageUtilization")
        now = f"{utilization}%" if utilization is not None else "<unknown>"
        goal = f"{target['averageUtilization']}%" if target.get("averageUtilization") is not None else "<auto>"
        return f"{name}: {now}/{goal}"
    if kind == "Pods" or target.get("averageValue") is not None:
        value = (current or {}).get("averageValue") if current else None
        suffix = " (avg)" if kind != "Pods" else ""
        return f"{value if value is not None else '<unknown>'}/{target.get('averageValue')}{suffix}"
    value = (current or {}).get("value") if current else None
    return f"{value if value is not None else '<unknown>'}/{target.get('value')}"


def hpa_targets(hpa: Obj) -> str:
    """``formatHPAMetrics``: ``cpu: 45%/80%``; two metrics shown, then `` + N more...``."""
    metrics, statuses = hpa_metrics(hpa)
    if not metrics:
        return "<none>"
    texts = [_metric_text(metric, index, statuses) for index, metric in enumerate(metrics)]
    if len(texts) > 2:
        return ", ".join(texts[:2]) + f" + {len(texts) - 2} more..."
    return ", ".join(texts)


@register(
    "HorizontalPodAutoscaler",
    name_column(),
    Column(
        "Reference",
        "reference to scaled resource; horizontal pod autoscaler will learn the current resource consumption and "
        "will set the desired number of pods by using its Scale subresource.",
    ),
    Column("Targets", "metrics contains the specifications for which to use to calculate the desired replica count."),
    Column(
        "MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."
    ),
    Column(
        "MaxPods", "maxReplicas is the upper limit for the number of replicas to which the autoscaler can scale up."
    ),
    Column("Replicas", "currentReplicas is current number of replicas of pods managed by this autoscaler."),
    Column("Age", AGE_DOC),
)
def hpa_row(hpa: Obj, now_ms: int, wide: bool) -> Row:
    ref = spec(hpa).get("scaleTargetRef") or {}
    min_replicas = spec(hpa).get("minReplicas")
    cells = [
        meta(hpa).get("name", ""),
        f"{ref.get('kind', '')}/{ref.get('name', '')}",
        hpa_targets(hpa),
        "<unset>" if min_replicas is None else str(min_replicas),
        int(spec(hpa).get("maxReplicas") or 0),
        int(status(hpa).get("currentReplicas") or 0),
        _age(hpa, now_ms),
    ]
    return cells, None


@register(
    "Lease",
    name_column(),
    Column("Holder", "holderIdentity contains the identity of the holder of a current lease."),
    Column("Age", AGE_DOC),
)
def lease_row(obj: Obj, now_ms: int, wide: bool) -> Row:
    return [meta(obj).get("name", ""), spec(obj).get("holderIdentity") or "", _age(obj, now_ms)], None


def created_at(obj: Obj) -> str:
    """The default table's ``Created At`` cell (UTC RFC 3339)."""
    created = meta(obj).get("creationTimestamp")
    if not created:
        return "0001-01-01T00:00:00Z"
    return rfc3339(parse_rfc3339(created))
