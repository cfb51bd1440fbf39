"""``kubectl describe`` for Namespace, HorizontalPodAutoscaler, ConfigMap, Secret, and the generic fallback.

The generic describer is what kubectl uses for kinds without a dedicated one
(a Lease, for example): every field, sorted, with camel-case keys turned into
``Title Case`` labels.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from cluster.core.timefmt import describe_timestamp
from cluster.kubectl.printers.describe.containers import quantity_text
from cluster.kubectl.printers.describe.writer import (
    PrefixWriter,
    describe_events,
    print_annotations_multiline,
    print_labels_multiline,
)
from cluster.kubectl.printers.gofmt import go_sprint
from cluster.kubectl.printers.rows_cluster import hpa_metrics

Obj = dict[str, Any]
_ACRONYMS = {"API", "URL", "UID", "OSB", "GUID"}
_GENERIC_SKIP = {
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
}


def _head(w: PrefixWriter, obj: Obj, *, namespace: bool = True) -> None:
    metadata = obj.get("metadata") or {}
    w.write(0, f"Name:\t{metadata.get('name', '')}\n")
    if namespace:
        w.write(0, f"Namespace:\t{metadata.get('namespace', '')}\n")
    print_labels_multiline(w, "Labels", metadata.get("labels"))
    print_annotations_multiline(w, "Annotations", metadata.get("annotations"))


def _resource_quotas(w: PrefixWriter, quotas: list[Obj]) -> None:
    if not quotas:
        w.write(0, "No resource quota.\n")
        return
    w.write(0, "Resource Quotas\n")
    for quota in sorted(quotas, key=lambda q: str((q.get("metadata") or {}).get("name", ""))):
        w.write(1, f"Name:\t{(quota.get('metadata') or {}).get('name', '')}\n")
        w.write(1, "Resource\tUsed\tHard\n")
        w.write(1, "--------\t---\t---\n")
        status = quota.get("status") or {}
        hard, used = status.get("hard") or {}, status.get("used") or {}
        for name in sorted(hard):
            w.write(1, f"{name}\t{quantity_text(used.get(name, 0))}\t{quantity_text(hard[name])}\n")


def _limit_ranges(w: PrefixWriter, ranges: list[Obj]) -> None:
    if not ranges:
        w.write(0, "No LimitRange resource.\n")
        return
    w.write(0, "Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n")
    w.write(0, " ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n")
    keys = ("min", "max", "defaultRequest", "default", "maxLimitRequestRatio")
    for limit_range in ranges:
        for item in (limit_range.get("spec") or {}).get("limits") or []:
            names = sorted({name for key in keys for name in item.get(key) or {}})
            for name in names:
                values = [quantity_text(item[key][name]) if name in (item.get(key) or {}) else "-" for key in keys]
                w.write(0, f" {item.get('type', '')}\t{name}\t" + "\t".join(values) + "\n")


def describe_namespace(namespace: Obj, related: dict[str, list[Obj]]) -> str:
    w = PrefixWriter()
    _head(w, namespace, namespace=False)
    status = namespace.get("status") or {}
    w.write(0, f"Status:\t{status.get('phase', '')}\n")
    if status.get("conditions"):
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t------------------\t------\t-------\n")
        for c in status["conditions"]:
            transition = describe_timestamp(c.get("lastTransitionTime"))
            cells = [c.get("type", ""), c.get("status", ""), transition, c.get("reason", ""), c.get("message", "")]
            w.write(1, "\t".join(str(cell) for cell in cells) + "\n")
    w.write(0, "\n")
    _resource_quotas(w, related.get("ResourceQuota") or [])
    w.write(0, "\n")
    _limit_ranges(w, related.get("LimitRange") or [])
    return w.tabbed()


def _current(statuses: list[Obj], index: int, key: str) -> Obj:
    if index < len(statuses):
        value: Obj = (statuses[index].get(key) or {}).get("current") or {}
        return value
    return {}


def _has(statuses: list[Obj], index: int, key: str) -> bool:
    return index < len(statuses) and statuses[index].get(key) is not None


def _resource_metric(w: PrefixWriter, metric: Obj, statuses: list[Obj], index: int, key: str) -> None:
    source = metric.get(key) or {}
    target = source.get("target") or {}
    if key == "resource":
        w.write(1, f"resource {source.get('name', '')} on pods")
    else:
        w.write(1, f'resource {source.get("name", "")} of container "{source.get("container", "")}" on pods')
    current = _current(statuses, index, key)
    if target.get("averageValue") is not None:
        now = (
            quantity_text(current["averageValue"])
            if _has(statuses, index, key) and "averageValue" in current
            else "<unknown>"
        )
        w.write(0, f":\t{now} / {quantity_text(target['averageValue'])}\n")
        return
    now = "<unknown>"
    if _has(statuses, index, key) and current.get("averageUtilization") is not None:
        value = current.get("averageValue")
        now = f"{current['averageUtilization']}% ({quantity_text(value) if value is not None else '<nil>'})"
    goal = f"{target['averageUtilization']}%" if target.get("averageUtilization") is not None else "<auto>"
    w.write(1, f"(as a percentage of request):\t{now} / {goal}\n")


def _other_metric(w: PrefixWriter, metric: Obj, statuses: list[Obj], index: int) -> None:
    kind = metric.get("type")
    key = {"Pods": "pods", "Object": "object", "External": "external"}.get(str(kind), "")
    source = metric.get(key) or {}
    target = source.get("target") or {}
    name = (source.get("metric") or {}).get("name", "")
    current = _current(statuses, index, key)
    field = "averageValue" if kind == "Pods" or target.get("averageValue") is not None else "value"
    now = quantity_text(current[field]) if _has(statuses, index, key) and field in current else "<unknown>"
    goal = quantity_text(target.get(field, 0))
    if kind == "Pods":
        w.write(1, f'"{name}" on pods:\t{now} / {goal}\n')
    elif kind == "Object":
        described = source.get("describedObject") or {}
        w.write(1, f'"{name}" on {described.get("kind", "")}/{described.get("name", "")} ')
        label = "(target average value)" if field == "averageValue" else "(target value)"
        w.write(0, f"{label}:\t{now} / {goal}\n")
    elif kind == "External":
        label = "(target average value)" if field == "averageValue" else "(target value)"
        w.write(1, f'"{name}" {label}:\t{now} / {goal}\n')
    else:
        w.write(1, f'<unknown metric type "{kind}">\n')


def _behavior(w: PrefixWriter, behavior: Obj | None) -> None:
    if behavior is None:
        return
    w.write(0, "Behavior:\n")
    for title, key in (("Scale Up", "scaleUp"), ("Scale Down", "scaleDown")):
        rules = behavior.get(key)
        if rules is None:
            continue
        w.write(1, f"{title}:\n")
        if rules.get("stabilizationWindowSeconds") is not None:
            w.write(2, f"Stabilization Window: {rules['stabilizationWindowSeconds']} seconds\n")
        if rules.get("policies"):
            w.write(2, f"Select Policy: {rules.get('selectPolicy') or 'Max'}\n")
            w.write(2, "Policies:\n")
            for policy in rules["policies"]:
                kind, value, period = policy.get("type", ""), policy.get("value", 0), policy.get("periodSeconds", 0)
                w.write(3, f"- Type: {kind}\tValue: {value}\tPeriod: {period} seconds\n")


def describe_hpa(hpa: Obj, events: list[Obj] | None, now_ms: int) -> str:
    """``describeHorizontalPodAutoscalerV2`` (kubectl asks for autoscaling/v2 first)."""
    metadata, spec, status = hpa.get("metadata") or {}, hpa.get("spec") or {}, hpa.get("status") or {}
    w = PrefixWriter()
    _head(w, hpa)
    w.write(0, f"CreationTimestamp:\t{describe_timestamp(metadata.get('creationTimestamp'))}\n")
    ref = spec.get("scaleTargetRef") or {}
    w.write(0, f"Reference:\t{ref.get('kind', '')}/{ref.get('name', '')}\n")
    w.write(0, "Metrics:\t( current / target )\n")
    metrics, statuses = hpa_metrics(hpa)
    for index, metric in enumerate(metrics):
        if metric.get("type") in ("Resource", "ContainerResource"):
            key = "resource" if metric.get("type") == "Resource" else "containerResource"
            _resource_metric(w, metric, statuses, index, key)
        else:
            _other_metric(w, metric, statuses, index)
    min_replicas = spec.get("minReplicas")
    w.write(0, f"Min replicas:\t{'<unset>' if min_replicas is None else min_replicas}\n")
    w.write(0, f"Max replicas:\t{spec.get('maxReplicas', 0)}\n")
    _behavior(w, spec.get("behavior"))
    w.write(0, f"{ref.get('kind', '')} pods:\t")
    w.write(0, f"{status.get('currentReplicas', 0)} current / {status.get('desiredReplicas', 0)} desired\n")
    if status.get("conditions"):
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tReason\tMessage\n")
        w.write(1, "----\t------\t------\t-------\n")
        for c in status["conditions"]:
            w.write(1, f"{c.get('type', '')}\t{c.get('status', '')}\t{c.get('reason', '')}\t{c.get('message', '')}\n")
    describe_events(w, events, now_ms)
    return w.tabbed()


def describe_configmap(config_map: Obj, events: list[Obj] | None, now_ms: int) -> str:
    w = PrefixWriter()
    _head(w, config_map)
    w.write(0, "\nData\n====\n")
    data = config_map.get("data") or {}
    for key in sorted(data):
        w.write(0, f"{key}:\n----\n")
        w.write(0, f"{data[key]}\n")
        w.write(0, "\n")
    w.write(0, "\nBinaryData\n====\n")
    binary = config_map.get("binaryData") or {}
    for key in sorted(binary):
        w.write(0, f"{key}: {_decoded_length(binary[key])} bytes\n")
    w.write(0, "\n")
    describe_events(w, events, now_ms)
    return w.tabbed()


def _decoded_length(value: Any) -> int:
    try:
        return len(base64.b64decode(str(value), validate=True))
    except (binascii.Error, ValueError):
        return len(str(value))


def describe_secret(secret: Obj) -> str:
    w = PrefixWriter()
    _head(w, secret)
    w.write(0, f"\nType:\t{secret.get('type', '')}\n")
    w.write(0, "\nData\n====\n")
    data = secret.get("data") or {}
    for key in sorted(data):
        if key == "token" and secret.get("type") == "kubernetes.io/service-account-token":
            w.write(0, f"{key}:\t{base64.b64decode(str(data[key])).decode(errors='replace')}\n")
        else:
            w.write(0, f"{key}:\t{_decoded_length(data[key])} bytes\n")
    return w.tabbed()


def _camel_parts(field: str) -> list[str]:
    runs: list[str] = []
    last = None
    for ch in field:
        cls = 1 if ch.islower() else 2 if ch.isupper() else 3 if ch.isdigit() else 4
        if cls == last:
            runs[-1] += ch
        else:
            runs.append(ch)
        last = cls
    for i in range(len(runs) - 1):
        if runs[i] and runs[i][0].isupper() and runs[i + 1] and runs[i + 1][0].islower():
            runs[i + 1] = runs[i][-1] + runs[i + 1]
            runs[i] = runs[i][:-1]
    return [run for run in runs if run]


def smart_label(field: str) -> str:
    """``smartLabelFor``: ``apiVersion`` -> ``API Version``, ``holderIdentity`` -> ``Holder Identity``."""
    if re.search(r"[^\w-]|[\d_]", field):
        return field
    parts = []
    for part in _camel_parts(field):
        if part == "_":
            continue
        parts.append(part.upper() if part.upper() in _ACRONYMS else part[:1].upper() + part[1:])
    return " ".join(parts)


def _print_content(w: PrefixWriter, level: int, content: Obj, prefix: str) -> None:
    for key in sorted(content):
        value = content[key]
        path = f"{prefix}.{key}"
        if path in _GENERIC_SKIP:
            continue
        if isinstance(value, dict):
            w.write(level, f"{smart_label(key)}:\n")
            _print_content(w, level + 1, value, path)
        elif isinstance(value, list):
            w.write(level, f"{smart_label(key)}:\n")
            for child in value:
                if isinstance(child, dict):
                    _print_content(w, level + 1, child, path)
                else:
                    w.write(level + 1, f"{go_sprint(child)}\n")
        else:
            w.write(level, f"{smart_label(key)}:\t{go_sprint(value)}\n")


def describe_generic(obj: Obj, events: list[Obj] | None, now_ms: int) -> str:
    w = PrefixWriter()
    _head(w, obj)
    _print_content(w, 0, obj, "")
    describe_events(w, events, now_ms)
    return w.tabbed()
