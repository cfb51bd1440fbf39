"""Containers, volumes and pod templates as ``kubectl describe`` prints them.

Shared by ``describe pod`` (with container statuses: IDs, State, Ready,
Restart Count) and by every controller's ``Pod Template:`` block (without).
"""

from __future__ import annotations

from typing import Any

from cluster.core.quantity import QuantityError, canonical_quantity
from cluster.core.timefmt import describe_timestamp
from cluster.kubectl.printers.describe.writer import (
    PrefixWriter,
    bool_text,
    go_bool,
    print_annotations_multiline,
    print_labels_multiline,
    print_tolerations_multiline,
)
from cluster.kubectl.printers.gofmt import format_label_selector, go_sprint, join_host_port

Obj = dict[str, Any]


def quantity_text(value: Any) -> str:
    """``Quantity.String()`` of a stored quantity."""
    try:
        return canonical_quantity(value)
    except QuantityError:
        return str(value)


def _ports(container: Obj, field: str) -> str:
    return ", ".join(f"{p.get(field, 0) or 0}/{p.get('protocol', 'TCP')}" for p in container.get("ports") or [])


def _basic_info(w: PrefixWriter, container: Obj, status: Obj | None, space: str) -> None:
    w.write(1, f"{' ' if space else ''}{container.get('name', '')}:\n")
    if status is not None:
        w.write(2, f"Container ID:\t{status.get('containerID', '')}\n")
    w.write(2, f"Image:\t{container.get('image', '')}\n")
    if status is not None:
        w.write(2, f"Image ID:\t{status.get('imageID', '')}\n")
    ports = _ports(container, "containerPort")
    w.write(2, f"Ports:\t{ports}\n" if "," in ports else f"Port:\t{ports or '<none>'}\n")
    host_ports = _ports(container, "hostPort")
    w.write(2, f"Host Ports:\t{host_ports}\n" if "," in host_ports else f"Host Port:\t{host_ports or '<none>'}\n")
    profile = (container.get("securityContext") or {}).get("seccompProfile")
    if profile:
        w.write(2, f"SeccompProfile:\t{profile.get('type', '')}\n")
        if profile.get("type") == "Localhost":
            w.write(3, f"LocalhostProfile:\t{profile.get('localhostProfile', '')}\n")


def _command(w: PrefixWriter, container: Obj) -> None:
    for title, key in (("Command", "command"), ("Args", "args")):
        if container.get(key):
            w.write(2, f"{title}:\n")
            for part in container[key]:
                for line in str(part).split("\n"):
                    w.write(3, f"{line}\n")


def _state(w: PrefixWriter, title: str, state: Obj) -> None:
    if state.get("running") is not None:
        w.write(2, f"{title}:\tRunning\n")
        w.write(3, f"Started:\t{describe_timestamp(state['running'].get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(2, f"{title}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        terminated = state["terminated"]
        w.write(2, f"{title}:\tTerminated\n")
        if terminated.get("reason"):
            w.write(3, f"Reason:\t{terminated['reason']}\n")
        if terminated.get("message"):
            w.write(3, f"Message:\t{terminated['message']}\n")
        w.write(3, f"Exit Code:\t{terminated.get('exitCode', 0)}\n")
        if (terminated.get("signal") or 0) > 0:
            w.write(3, f"Signal:\t{terminated['signal']}\n")
        w.write(3, f"Started:\t{describe_timestamp(terminated.get('startedAt'))}\n")
        w.write(3, f"Finished:\t{describe_timestamp(terminated.get('finishedAt'))}\n")
    else:
        w.write(2, f"{title}:\tWaiting\n")


def _container_state(w: PrefixWriter, status: Obj) -> None:
    _state(w, "State", status.get("state") or {})
    last = status.get("lastState") or {}
    if last.get("terminated") is not None:
        _state(w, "Last State", last)
    w.write(2, f"Ready:\t{bool_text(status.get('ready'))}\n")
    w.write(2, f"Restart Count:\t{status.get('restartCount', 0)}\n")


def describe_resources(w: PrefixWriter, resources: Obj | None, level: int) -> None:
    for title, key in (("Limits", "limits"), ("Requests", "requests")):
        values = (resources or {}).get(key) or {}
        if values:
            w.write(level, f"{title}:\n")
        for name in sorted(values):
            w.write(level + 1, f"{name}:\t{quantity_text(values[name])}\n")


def describe_probe(probe: Obj) -> str:
    """``DescribeProbe``: ``http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3``."""
    attrs = (
        f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 1)}s "
        f"period={probe.get('periodSeconds', 10)}s #success={probe.get('successThreshold', 1)} "
        f"#failure={probe.get('failureThreshold', 3)}"
    )
    if probe.get("exec") is not None:
        return f"exec {go_sprint(list(probe['exec'].get('command') or []))} {attrs}"
    if probe.get("httpGet") is not None:
        get = probe["httpGet"]
        port = str(get.get("port", ""))
        host = join_host_port(str(get.get("host", "")), port) if port else str(get.get("host", ""))
        return f"http-get {str(get.get('scheme', 'HTTP')).lower()}://{host}{get.get('path', '')} {attrs}"
    if probe.get("tcpSocket") is not None:
        socket = probe["tcpSocket"]
        return f"tcp-socket {socket.get('host', '')}:{socket.get('port', '')} {attrs}"
    if probe.get("grpc") is not None:
        return f"grpc <pod>:{probe['grpc'].get('port', 0)} {probe['grpc'].get('service', '')} {attrs}"
    return f"unknown {attrs}"


def _probes(w: PrefixWriter, container: Obj) -> None:
    for title, key in (("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"), ("Startup", "startupProbe")):
        if container.get(key) is not None:
            w.write(2, f"{title}:\t{describe_probe(container[key])}\n")


def _field_value(pod: Obj | None, path: str) -> str:
    """A downward-API ``fieldRef`` resolved against the pod (``metadata.labels['app']`` included)."""
    if pod is None:
        return ""
    for prefix in ("metadata.labels", "metadata.annotations"):
        if path.startswith(prefix + "['") and path.endswith("']"):
            values = (pod.get("metadata") or {}).get(prefix.split(".")[1]) or {}
            return str(values.get(path[len(prefix) + 2 : -2], ""))
    current: Any = pod
    for part in path.split("."):
        current = current.get(part) if isinstance(current, dict) else None
    return "" if current is None else str(current)


def _env(w: PrefixWriter, container: Obj, pod: Obj | None) -> None:
    env = container.get("env") or []
    w.write(2, "Environment:" + ("\t<none>" if not env else "") + "\n")
    for var in env:
        name, source = var.get("name", ""), var.get("valueFrom")
        if source is None:
            for index, line in enumerate(str(var.get("value", "")).split("\n")):
                w.write(3, f"{name}:\t{line}\n" if index == 0 else f"\t{line}\n")
        elif source.get("fieldRef") is not None:
            ref = source["fieldRef"]
            value = _field_value(pod, ref.get("fieldPath", ""))
            w.write(3, f"{name}:\t{value} ({ref.get('apiVersion', 'v1')}:{ref.get('fieldPath', '')})\n")
        elif source.get("resourceFieldRef") is not None:
            resource = source["resourceFieldRef"].get("resource", "")
            w.write(3, f"{name}:\t{_resource_field(container, resource)} ({resource})\n")
        elif source.get("secretKeyRef") is not None or source.get("configMapKeyRef") is not None:
            _key_ref(w, name, source)


def _resource_field(container: Obj, resource: str) -> str:
    kind, _, name = resource.partition(".")
    value = ((container.get("resources") or {}).get(kind) or {}).get(name)
    if value is None:
        return "node allocatable" if kind == "limits" else "0"
    return quantity_text(value)


def _key_ref(w: PrefixWriter, name: str, source: Obj) -> None:
    if source.get("secretKeyRef") is not None:
        ref, where = source["secretKeyRef"], "in secret"
    else:
        ref, where = source["configMapKeyRef"], "of config map"
    optional = go_bool(ref.get("optional"))
    w.write(
        3, f"{name}:\t<set to the key '{ref.get('key', '')}' {where} '{ref.get('name', '')}'>\tOptional: {optional}\n"
    )


def _env_from(w: PrefixWriter, container: Obj) -> None:
    w.write(2, "Environment Variables from:\n")
    for source in container.get("envFrom") or []:
        ref = source.get("configMapRef") or source.get("secretRef") or {}
        kind = "ConfigMap" if source.get("configMapRef") is not None else "Secret"
        optional = go_bool(ref.get("optional"))
        prefix = source.get("prefix")
        what = f"{kind} with prefix '{prefix}'" if prefix else kind
        w.write(3, f"{ref.get('name', '')}\t{what}\tOptional: {optional}\n")


def _mounts(w: PrefixWriter, container: Obj) -> None:
    mounts = container.get("volumeMounts") or []
    w.write(2, "Mounts:" + ("\t<none>" if not mounts else "") + "\n")
    for mount in sorted(mounts, key=lambda m: str(m.get("mountPath", ""))):
        flags = ["ro" if mount.get("readOnly") else "rw"]
        if mount.get("subPath"):
            flags.append(f'path="{mount["subPath"]}"')
        w.write(3, f"{mount.get('mountPath', '')} from {mount.get('name', '')} ({','.join(flags)})\n")


def describe_containers(
    w: PrefixWriter, label: str, containers: list[Obj], statuses: list[Obj] | None, pod: Obj | None, space: str
) -> None:
    """``describeContainers``: one block per container, status details only when a status exists."""
    by_name = {str(s.get("name")): s for s in statuses or []}
    w.write(0, f"{space}{label}:{' <none>' if not containers else ''}\n")
    for container in containers:
        status = by_name.get(str(container.get("name"))) if statuses is not None else None
        _basic_info(w, container, status, space)
        _command(w, container)
        if status is not None:
            _container_state(w, status)
        describe_resources(w, container.get("resources"), 2)
        _probes(w, container)
        if container.get("envFrom"):
            _env_from(w, container)
        _env(w, container, pod)
        _mounts(w, container)


def _volume_source(w: PrefixWriter, volume: Obj) -> None:
    if volume.get("hostPath") is not None:
        source = volume["hostPath"]
        w.write(2, "Type:\tHostPath (bare host directory volume)\n")
        w.write(0, f"    Path:\t{source.get('path', '')}\n    HostPathType:\t{source.get('type') or '<none>'}\n")
    elif volume.get("emptyDir") is not None:
        source = volume["emptyDir"]
        w.write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n")
        limit = quantity_text(source["sizeLimit"]) if source.get("sizeLimit") else "<unset>"
        w.write(0, f"    Medium:\t{source.get('medium', '')}\n    SizeLimit:\t{limit}\n")
    elif volume.get("secret") is not None:
        source = volume["secret"]
        w.write(2, "Type:\tSecret (a volume populated by a Secret)\n")
        w.write(
            0, f"    SecretName:\t{source.get('secretName', '')}\n    Optional:\t{go_bool(source.get('optional'))}\n"
        )
    elif volume.get("configMap") is not None:
        source = volume["configMap"]
        w.write(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n")
        w.write(0, f"    Name:\t{source.get('name', '')}\n    Optional:\t{go_bool(source.get('optional'))}\n")
    elif volume.get("persistentVolumeClaim") is not None:
        source = volume["persistentVolumeClaim"]
        w.write(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n")
        w.write(0, f"    ClaimName:\t{source.get('claimName', '')}\n    ReadOnly:\t{go_bool(source.get('readOnly'))}\n")
    elif volume.get("projected") is not None:
        _projected(w, volume["projected"])
    elif volume.get("downwardAPI") is not None:
        w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
        for item in volume["downwardAPI"].get("items") or []:
            ref = item.get("fieldRef") or item.get("resourceFieldRef") or {}
            w.write(3, f"{ref.get('fieldPath') or ref.get('resource', '')} -> {item.get('path', '')}\n")
    else:
        w.write(1, "<unknown>\n")


def _optional_pointer(value: Any) -> str:
    return "<nil>" if value is None else go_bool(value)


def _projected(w: PrefixWriter, projected: Obj) -> None:
    w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
    for source in projected.get("sources") or []:
        if source.get("secret") is not None:
            secret = source["secret"]
            w.write(2, f"SecretName:\t{secret.get('name', '')}\n")
            w.write(0, f"    SecretOptionalName:\t{_optional_pointer(secret.get('optional'))}\n")
        elif source.get("downwardAPI") is not None:
            w.write(2, "DownwardAPI:\ttrue\n")
        elif source.get("configMap") is not None:
            config_map = source["configMap"]
            w.write(2, f"ConfigMapName:\t{config_map.get('name', '')}\n")
            w.write(0, f"    ConfigMapOptional:\t{_optional_pointer(config_map.get('optional'))}\n")
        elif source.get("serviceAccountToken") is not None:
            w.write(2, f"TokenExpirationSeconds:\t{source['serviceAccountToken'].get('expirationSeconds', 3600)}\n")


def describe_volumes(w: PrefixWriter, volumes: list[Obj] | None, space: str) -> None:
    if not volumes:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    for volume in volumes:
        w.write(1, f"{' ' if space else ''}{volume.get('name', '')}:\n")
        _volume_source(w, volume)


def describe_topology_spread(w: PrefixWriter, constraints: list[Obj] | None, space: str) -> None:
    if not constraints:
        return
    w.write(0, f"{space}Topology Spread Constraints:\t")
    for index, tsc in enumerate(sorted(constraints, key=lambda c: str(c.get("topologyKey", "")))):
        if index:
            w.write(0, f"{space}\t")
        text = f"{tsc.get('topologyKey', '')}:{tsc.get('whenUnsatisfiable', '')}"
        text += f" when max skew {tsc.get('maxSkew', 0)} is exceeded"
        if tsc.get("labelSelector") is not None:
            text += f" for selector {format_label_selector(tsc['labelSelector'])}"
        w.write(0, text + "\n")


def describe_pod_template(w: PrefixWriter, template: Obj | None) -> None:
    """``DescribePodTemplate``: the ``Pod Template:`` block of controllers and ``rollout history``."""
    w.write(0, "Pod Template:\n")
    if template is None:
        w.write(1, "<unset>")
        return
    metadata = template.get("metadata") or {}
    pod_spec = template.get("spec") or {}
    print_labels_multiline(w, "  Labels", metadata.get("labels"))
    if metadata.get("annotations"):
        print_annotations_multiline(w, "  Annotations", metadata.get("annotations"))
    if pod_spec.get("serviceAccountName"):
        w.write(1, f"Service Account:\t{pod_spec['serviceAccountName']}\n")
    if pod_spec.get("initContainers"):
        describe_containers(w, "Init Containers", pod_spec["initContainers"], None, None, "  ")
    describe_containers(w, "Containers", pod_spec.get("containers") or [], None, None, "  ")
    describe_volumes(w, pod_spec.get("volumes"), "  ")
    describe_topology_spread(w, pod_spec.get("topologySpreadConstraints"), "  ")
    if pod_spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{pod_spec['priorityClassName']}\n")
    print_labels_multiline(w, "  Node-Selectors", pod_spec.get("nodeSelector"))
    print_tolerations_multiline(w, "  Tolerations", pod_spec.get("tolerations"))
