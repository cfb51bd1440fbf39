"""Defaults for PodSpec (also inside templates), containers, probes and volumes (core/v1 ``defaults.go``).

Only what the versioned defaulters set is applied here: the values a learner
sees in ``kubectl get -o yaml`` right after creating an object
(``imagePullPolicy``, ``terminationMessagePath``, ``dnsPolicy``,
``schedulerName`` …). Pod-only effects — requests copied from limits,
``enableServiceLinks`` and the admission plugins — live in ``admission.py``
so that Deployment and ReplicaSet templates stay free of them, as in
Kubernetes.
"""

from __future__ import annotations

import re
from typing import Any

Obj = dict[str, Any]

DEFAULT_SCHEDULER = "default-scheduler"
TERMINATION_MESSAGE_PATH = "/dev/termination-log"
DEFAULT_MODE = 420  # 0644, as Kubernetes serialises it
_REFERENCE_NAME = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*")
_TAG = re.compile(r"[\w][\w.-]{0,127}")


def image_tag(image: str) -> str:
    """The tag ``parsers.ParseImageName`` finds: ``latest`` when there is neither tag nor digest.

    A digest-only reference has no tag (``""``), and so does an unparsable
    reference (the defaulter ignores the parse error).
    """
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    tag = ""
    if ":" in last:
        name, _, tag = name.rpartition(":")
        if not _TAG.fullmatch(tag):
            return ""
    path = name.split("/", 1)[1] if "/" in name and _is_registry(name.split("/", 1)[0]) else name
    if not path or not _REFERENCE_NAME.fullmatch(path):
        return ""
    if not tag and not digest:
        return "latest"
    return tag


def _is_registry(component: str) -> bool:
    return "." in component or ":" in component or component == "localhost"


def default_pull_policy(image: str) -> str:
    """``Always`` for ``:latest`` or untagged images, otherwise ``IfNotPresent`` (digests included)."""
    return "Always" if image_tag(image) == "latest" else "IfNotPresent"


def default_probe(probe: Obj | None) -> None:
    if not isinstance(probe, dict):
        return
    probe.setdefault("timeoutSeconds", 1)
    probe.setdefault("periodSeconds", 10)
    probe.setdefault("successThreshold", 1)
    probe.setdefault("failureThreshold", 3)
    _default_handler(probe)


def _default_handler(handler: Obj) -> None:
    http = handler.get("httpGet")
    if isinstance(http, dict):
        if not http.get("path"):
            http["path"] = "/"
        if not http.get("scheme"):
            http["scheme"] = "HTTP"
    grpc = handler.get("grpc")
    if isinstance(grpc, dict):
        grpc.setdefault("service", "")


def _default_env(container: Obj) -> None:
    for env in container.get("env") or []:
        field_ref = ((env or {}).get("valueFrom") or {}).get("fieldRef")
        if isinstance(field_ref, dict) and not field_ref.get("apiVersion"):
            field_ref["apiVersion"] = "v1"


def default_container(container: Obj) -> None:
    """``SetDefaults_Container`` plus its ports, probes, lifecycle hooks and env field references."""
    if not isinstance(container, dict):
        return
    if not container.get("imagePullPolicy"):
        container["imagePullPolicy"] = default_pull_policy(str(container.get("image") or ""))
    if not container.get("terminationMessagePath"):
        container["terminationMessagePath"] = TERMINATION_MESSAGE_PATH
    if not container.get("terminationMessagePolicy"):
        container["terminationMessagePolicy"] = "File"
    if not isinstance(container.get("resources"), dict):
        container["resources"] = {}  # a struct, never omitted: every container reads back with ``resources: {}``
    for port in container.get("ports") or []:
        if isinstance(port, dict) and not port.get("protocol"):
            port["protocol"] = "TCP"
    for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
        default_probe(container.get(probe))
    for hook in ((container.get("lifecycle") or {}).get(k) for k in ("postStart", "preStop")):
        if isinstance(hook, dict):
            _default_handler(hook)
    _default_env(container)


def _default_items(items: list[Any] | None) -> None:
    for item in items or []:
        field_ref = (item or {}).get("fieldRef") if isinstance(item, dict) else None
        if isinstance(field_ref, dict) and not field_ref.get("apiVersion"):
            field_ref["apiVersion"] = "v1"


def _default_projection(source: Obj) -> None:
    token = source.get("serviceAccountToken")
    if isinstance(token, dict):
        token.setdefault("expirationSeconds", 3600)
    downward = source.get("downwardAPI")
    if isinstance(downward, dict):
        _default_items(downward.get("items"))


def default_volume(volume: Obj) -> None:
    """``SetDefaults_Volume`` and the per-source defaults (file modes, hostPath type …)."""
    if not isinstance(volume, dict):
        return
    if len(volume) == 1 and "name" in volume:
        volume["emptyDir"] = {}
    for key in ("configMap", "secret", "downwardAPI", "projected"):
        source = volume.get(key)
        if isinstance(source, dict):
            source.setdefault("defaultMode", DEFAULT_MODE)
    host_path = volume.get("hostPath")
    if isinstance(host_path, dict):
        host_path.setdefault("type", "")
    downward = volume.get("downwardAPI")
    if isinstance(downward, dict):
        _default_items(downward.get("items"))
    for source in (volume.get("projected") or {}).get("sources") or []:
        if isinstance(source, dict):
            _default_projection(source)


def _host_network_ports(containers: list[Any]) -> None:
    for container in containers:
        for port in (container or {}).get("ports") or []:
            if isinstance(port, dict) and not port.get("hostPort") and port.get("containerPort"):
                port["hostPort"] = port["containerPort"]


def default_pod_spec(spec: Obj) -> None:
    """``SetDefaults_PodSpec`` and everything nested in it: what templates get too."""
    if not isinstance(spec, dict):
        return
    if not spec.get("dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if not spec.get("restartPolicy"):
        spec["restartPolicy"] = "Always"
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = 30
    if not spec.get("schedulerName"):
        spec["schedulerName"] = DEFAULT_SCHEDULER
    for key in ("containers", "initContainers", "ephemeralContainers"):
        for container in spec.get(key) or []:
            default_container(container)
    if spec.get("hostNetwork"):
        _host_network_ports((spec.get("containers") or []) + (spec.get("initContainers") or []))
    for volume in spec.get("volumes") or []:
        default_volume(volume)


def default_pod_template(template: Obj | None) -> None:
    if isinstance(template, dict):
        default_pod_spec(template.setdefault("spec", {}))
