"""``kubectl describe pod`` (K8S_FACTS §6.4, field order of kubectl's ``describePod``)."""

from __future__ import annotations

from typing import Any

from cluster.core.quantity import QuantityError, parse_quantity
from cluster.core.timefmt import describe_timestamp, since
from cluster.kubectl.printers.describe.containers import describe_containers, describe_topology_spread, describe_volumes
from cluster.kubectl.printers.describe.writer import (
    PrefixWriter,
    controlled_by,
    describe_events,
    print_annotations_multiline,
    print_labels_multiline,
    print_tolerations_multiline,
)

Obj = dict[str, Any]


def _containers(pod: Obj) -> list[Obj]:
    pod_spec = pod.get("spec") or {}
    return [*(pod_spec.get("initContainers") or []), *(pod_spec.get("containers") or [])]


def _same(a: Any, b: Any) -> bool:
    try:
        return parse_quantity(a) == parse_quantity(b)
    except QuantityError:
        return str(a) == str(b)


def qos_class(pod: Obj) -> str:
    """``status.qosClass``, or computed as the API server does when it is missing."""
    stored = (pod.get("status") or {}).get("qosClass")
    if stored:
        return str(stored)
    requests: dict[str, Any] = {}
    limits: dict[str, Any] = {}
    for container in _containers(pod):
        resources = container.get("resources") or {}
        requests.update({k: v for k, v in (resources.get("requests") or {}).items() if k in ("cpu", "memory")})
        limits.update({k: v for k, v in (resources.get("limits") or {}).items() if k in ("cpu", "memory")})
    if not requests and not limits:
        return "BestEffort"
    guaranteed = all(
        set((c.get("resources") or {}).get("limits") or {}) >= {"cpu", "memory"}
        and all(
            _same(value, ((c.get("resources") or {}).get("limits") or {}).get(name))
            for name, value in ((c.get("resources") or {}).get("requests") or {}).items()
            if name in ("cpu", "memory")
        )
        for c in _containers(pod)
    )
    return "Guaranteed" if guaranteed else "Burstable"


def _header(w: PrefixWriter, pod: Obj, now_ms: int) -> None:
    metadata, pod_spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}
    w.write(0, f"Name:\t{metadata.get('name', '')}\n")
    w.write(0, f"Namespace:\t{metadata.get('namespace', '')}\n")
    if pod_spec.get("priority") is not None:
        w.write(0, f"Priority:\t{pod_spec['priority']}\n")
    if pod_spec.get("priorityClassName"):
        w.write(0, f"Priority Class Name:\t{pod_spec['priorityClassName']}\n")
    if pod_spec.get("runtimeClassName"):
        w.write(0, f"Runtime Class Name:\t{pod_spec['runtimeClassName']}\n")
    if pod_spec.get("serviceAccountName"):
        w.write(0, f"Service Account:\t{pod_spec['serviceAccountName']}\n")
    node = pod_spec.get("nodeName")
    w.write(0, f"Node:\t{node}/{status.get('hostIP', '')}\n" if node else "Node:\t<none>\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{describe_timestamp(status['startTime'])}\n")
    print_labels_multiline(w, "Labels", metadata.get("labels"))
    print_annotations_multiline(w, "Annotations", metadata.get("annotations"))
    _status(w, pod, now_ms)


def _status(w: PrefixWriter, pod: Obj, now_ms: int) -> None:
    metadata, pod_spec, status = pod.get("metadata") or {}, pod.get("spec") or {}, pod.get("status") or {}
    if metadata.get("deletionTimestamp") and status.get("phase") not in ("Failed", "Succeeded"):
        w.write(0, f"Status:\tTerminating (lasts {since(metadata['deletionTimestamp'], now_ms)})\n")
        w.write(0, f"Termination Grace Period:\t{metadata.get('deletionGracePeriodSeconds', 0)}s\n")
    else:
        w.write(0, f"Status:\t{status.get('phase', '')}\n")
    if status.get("reason"):
        w.write(0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(0, f"Message:\t{status['message']}\n")
    profile = (pod_spec.get("securityContext") or {}).get("seccompProfile")
    if profile:
        w.write(0, f"SeccompProfile:\t{profile.get('type', '')}\n")
        if profile.get("type") == "Localhost":
            w.write(0, f"LocalhostProfile:\t{profile.get('localhostProfile', '')}\n")
    w.write(0, f"IP:\t{status.get('podIP', '')}\n")
    pod_ips = status.get("podIPs") or []
    if not pod_ips:
        w.write(0, "IPs:\t<none>\n")
    else:
        w.write(0, "IPs:\n")
        for entry in pod_ips:
            w.write(1, f"IP:\t{entry.get('ip', '')}\n")
    owner = controlled_by(pod)
    if owner:
        w.write(0, f"Controlled By:\t{owner}\n")
    if status.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")


def _conditions(w: PrefixWriter, pod: Obj) -> None:
    pod_spec, status = pod.get("spec") or {}, pod.get("status") or {}
    conditions = status.get("conditions") or []
    gates = pod_spec.get("readinessGates") or []
    if gates:
        w.write(0, "Readiness Gates:\n  Type\tStatus\n")
        for gate in gates:
            found = next((c for c in conditions if c.get("type") == gate.get("conditionType")), None)
            w.write(1, f"{gate.get('conditionType', '')} \t{found.get('status') if found else '<none>'} \n")
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for condition in conditions:
            w.write(1, f"{condition.get('type', '')} \t{condition.get('status', '')} \n")


def describe_pod(pod: Obj, events: list[Obj] | None, now_ms: int) -> str:
    w = PrefixWriter()
    _header(w, pod, now_ms)
    pod_spec, status = pod.get("spec") or {}, pod.get("status") or {}
    if pod_spec.get("initContainers"):
        describe_containers(
            w, "Init Containers", pod_spec["initContainers"], status.get("initContainerStatuses") or [], pod, ""
        )
    describe_containers(
        w, "Containers", pod_spec.get("containers") or [], status.get("containerStatuses") or [], pod, ""
    )
    _conditions(w, pod)
    describe_volumes(w, pod_spec.get("volumes"), "")
    w.write(0, f"QoS Class:\t{qos_class(pod)}\n")
    print_labels_multiline(w, "Node-Selectors", pod_spec.get("nodeSelector"))
    print_tolerations_multiline(w, "Tolerations", pod_spec.get("tolerations"))
    describe_topology_spread(w, pod_spec.get("topologySpreadConstraints"), "")
    describe_events(w, events, now_ms)
    return w.tabbed()
