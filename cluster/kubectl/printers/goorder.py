"""Go struct field order for objects kubectl builds itself.

``kubectl … --dry-run=client -o json`` prints a typed Go object, whose JSON
encoder writes fields in struct declaration order (``kind`` before
``apiVersion``, ``name`` first in ``metadata``), while objects read from the
server are unstructured maps and print with sorted keys. ``go_order`` puts a
JSON object's keys in the order of the k8s.io/api struct behind it, for the
kinds kubectl's generators build (Deployment, Pod, Service, Namespace,
ConfigMap, HorizontalPodAutoscaler v1, Job). Maps (labels, selectors, data)
keep sorted keys, as Go prints map keys; unknown fields follow in sorted order.
"""

from __future__ import annotations

from typing import Any

# struct -> [(field, struct of its value, or "" for a scalar or a map)]; a list's element struct is named for the list.
_STRUCTS: dict[str, list[tuple[str, str]]] = {
    "ObjectMeta": [
        ("name", ""), ("generateName", ""), ("namespace", ""), ("selfLink", ""), ("uid", ""),
        ("resourceVersion", ""), ("generation", ""), ("creationTimestamp", ""), ("deletionTimestamp", ""),
        ("deletionGracePeriodSeconds", ""), ("labels", ""), ("annotations", ""), ("ownerReferences", ""),
        ("finalizers", ""), ("managedFields", ""),
    ],
    "Deployment": [("kind", ""), ("apiVersion", ""), ("metadata", "ObjectMeta"), ("spec", "DeploymentSpec"),
                   ("status", "")],
    "DeploymentSpec": [
        ("replicas", ""), ("selector", "LabelSelector"), ("template", "PodTemplateSpec"),
        ("strategy", "DeploymentStrategy"), ("minReadySeconds", ""), ("revisionHistoryLimit", ""), ("paused", ""),
        ("progressDeadlineSeconds", ""),
    ],
    "DeploymentStrategy": [("type", ""), ("rollingUpdate", "")],
    "LabelSelector": [("matchLabels", ""), ("matchExpressions", "")],
    "PodTemplateSpec": [("metadata", "ObjectMeta"), ("spec", "PodSpec")],
    "Pod": [("kind", ""), ("apiVersion", ""), ("metadata", "ObjectMeta"), ("spec", "PodSpec"), ("status", "")],
    "PodSpec": [
        ("volumes", ""), ("initContainers", "Container"), ("containers", "Container"),
        ("ephemeralContainers", ""), ("restartPolicy", ""), ("terminationGracePeriodSeconds", ""),
        ("activeDeadlineSeconds", ""), ("dnsPolicy", ""), ("nodeSelector", ""), ("serviceAccountName", ""),
        ("serviceAccount", ""), ("automountServiceAccountToken", ""), ("nodeName", ""), ("hostNetwork", ""),
        ("hostPID", ""), ("hostIPC", ""), ("shareProcessNamespace", ""), ("securityContext", ""),
        ("imagePullSecrets", ""), ("hostname", ""), ("subdomain", ""), ("affinity", ""), ("schedulerName", ""),
        ("tolerations", ""), ("hostAliases", ""), ("priorityClassName", ""), ("priority", ""),
        ("dnsConfig", ""), ("readinessGates", ""), ("runtimeClassName", ""), ("enableServiceLinks", ""),
        ("preemptionPolicy", ""), ("overhead", ""), ("topologySpreadConstraints", ""),
    ],
    "Container": [
        ("name", ""), ("image", ""), ("command", ""), ("args", ""), ("workingDir", ""), ("ports", "ContainerPort"),
        ("envFrom", ""), ("env", "EnvVar"), ("resources", "ResourceRequirements"), ("resizePolicy", ""),
        ("restartPolicy", ""), ("volumeMounts", ""), ("volumeDevices", ""), ("livenessProbe", ""),
        ("readinessProbe", ""), ("startupProbe", ""), ("lifecycle", ""), ("terminationMessagePath", ""),
        ("terminationMessagePolicy", ""), ("imagePullPolicy", ""), ("securityContext", ""), ("stdin", ""),
        ("stdinOnce", ""), ("tty", ""),
    ],
    "ContainerPort": [("name", ""), ("hostPort", ""), ("containerPort", ""), ("protocol", ""), ("hostIP", "")],
    "EnvVar": [("name", ""), ("value", ""), ("valueFrom", "")],
    "ResourceRequirements": [("limits", ""), ("requests", ""), ("claims", "")],
    "Service": [("kind", ""), ("apiVersion", ""), ("metadata", "ObjectMeta"), ("spec", "ServiceSpec"),
                ("status", "ServiceStatus")],
    "ServiceSpec": [
        ("ports", "ServicePort"), ("selector", ""), ("clusterIP", ""), ("clusterIPs", ""), ("type", ""),
        ("externalIPs", ""), ("sessionAffinity", ""), ("loadBalancerIP", ""), ("loadBalancerSourceRanges", ""),
        ("externalName", ""), ("externalTrafficPolicy", ""), ("healthCheckNodePort", ""),
        ("publishNotReadyAddresses", ""), ("sessionAffinityConfig", ""), ("ipFamilies", ""),
        ("ipFamilyPolicy", ""), ("allocateLoadBalancerNodePorts", ""), ("loadBalancerClass", ""),
        ("internalTrafficPolicy", ""), ("trafficDistribution", ""),
    ],
    "ServicePort": [("name", ""), ("protocol", ""), ("appProtocol", ""), ("port", ""), ("targetPort", ""),
                    ("nodePort", "")],
    "ServiceStatus": [("loadBalancer", ""), ("conditions", "")],
    "Namespace": [("kind", ""), ("apiVersion", ""), ("metadata", "ObjectMeta"), ("spec", ""), ("status", "")],
    "ConfigMap": [("kind", ""), ("apiVersion", ""), ("metadata", "ObjectMeta"), ("immutable", ""), ("data", ""),
                  ("binaryData", "")],
    "HorizontalPodAutoscaler": [("kind", ""), ("apiVersion", ""), ("metadata", "ObjectMeta"),
                                ("spec", "HorizontalPodAutoscalerSpec"), ("status", "")],
    "HorizontalPodAutoscalerSpec": [("scaleTargetRef", "CrossVersionObjectReference"), ("minReplicas", ""),
                                    ("maxReplicas", ""), ("targetCPUUtilizationPercentage", ""), ("metrics", ""),
                                    ("behavior", "")],
    "CrossVersionObjectReference": [("kind", ""), ("name", ""), ("apiVersion", "")],
    "Job": [("kind", ""), ("apiVersion", ""), ("metadata", "ObjectMeta"), ("spec", "JobSpec"), ("status", "")],
    "JobSpec": [("parallelism", ""), ("completions", ""), ("activeDeadlineSeconds", ""), ("backoffLimit", ""),
                ("selector", "LabelSelector"), ("manualSelector", ""), ("template", "PodTemplateSpec")],
}  # fmt: skip


def go_order(obj: Any, struct: str | None = None) -> Any:
    """``obj`` with the keys of every struct in Go declaration order (kind taken from ``obj["kind"]``)."""
    if isinstance(obj, list):
        return [go_order(item, struct) for item in obj]
    if not isinstance(obj, dict):
        return obj
    fields = _STRUCTS.get(struct or str(obj.get("kind", "")))
    if fields is None:
        return {key: go_order(obj[key]) if struct is None and key == "items" else obj[key] for key in sorted(obj)}
    known = {name for name, _ in fields}
    ordered = {
        name: go_order(obj[name], child or None) if child else obj[name] for name, child in fields if name in obj
    }
    ordered.update((key, obj[key]) for key in sorted(obj) if key not in known)
    return ordered
