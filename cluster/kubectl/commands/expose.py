"""``kubectl expose``: a Service for a pod, deployment, replica set or service (K8S_FACTS §1.3).

The selector, ports and protocols are read from the exposed object the way
kubectl's polymorphic helpers do; labels are copied from the object unless
``--labels`` is given.
"""

from __future__ import annotations

from typing import Any

from cluster.core.kinds import KindInfo
from cluster.kubectl.base import MISSING_RESOURCES, CommandError, Env, Output, command, namespace_of
from cluster.kubectl.commands.common import (
    ALLOW_MISSING,
    DRY_RUN,
    FILENAME,
    OUTPUT,
    SHOW_MANAGED,
    get_object,
    send_create,
    split_type_name,
)
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples
from cluster.kubectl.printing import check_format

EXPOSABLE = ("Pod", "Service", "ReplicationController", "Deployment", "ReplicaSet")
Obj = dict[str, Any]


def _containers(obj: Obj) -> list[Obj]:
    spec = obj.get("spec") or {}
    if obj["kind"] != "Pod":
        spec = ((spec.get("template") or {}).get("spec")) or {}
    return list(spec.get("containers") or [])


def ports_for(obj: Obj) -> list[tuple[int, str]]:
    """(port, protocol) pairs the object declares: container ports, or a service's ports."""
    if obj["kind"] == "Service":
        return [
            (int(p.get("port", 0)), str(p.get("protocol") or "TCP")) for p in (obj.get("spec") or {}).get("ports") or []
        ]
    return [
        (int(p.get("containerPort", 0)), str(p.get("protocol") or "TCP"))
        for c in _containers(obj)
        for p in c.get("ports") or []
    ]


def selector_for(obj: Obj) -> dict[str, str]:
    kind = obj["kind"]
    if kind == "Pod":
        labels = (obj.get("metadata") or {}).get("labels") or {}
        if not labels:
            raise CommandError("couldn't retrieve selectors via --selector flag or introspection: the pod has no "
                               "labels and cannot be exposed", usage_of="kubectl expose")  # fmt: skip
        return dict(labels)
    if kind == "Service":
        selector = (obj.get("spec") or {}).get("selector") or {}
        if not selector:
            raise CommandError("couldn't retrieve selectors via --selector flag or introspection: the service has "
                               "no pod selector set", usage_of="kubectl expose")  # fmt: skip
        return dict(selector)
    selector = (obj.get("spec") or {}).get("selector") or {}
    if selector.get("matchExpressions"):
        raise CommandError("couldn't retrieve selectors via --selector flag or introspection: couldn't convert "
                           "expressions to map-based selector format", usage_of="kubectl expose")  # fmt: skip
    return dict(selector.get("matchLabels") or {})


def _parse_map(text: str, what: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for part in text.split(","):
        key, eq, value = part.partition("=")
        if not eq or not key or value.startswith("="):
            raise CommandError(f"invalid {what}: {part}" if what else f"unexpected label spec: {part}")
        result[key.strip()] = value.strip()
    return result


def _service_ports(parsed: Parsed, obj: Obj) -> list[Obj]:
    declared = ports_for(obj)
    protocols = {port: proto for port, proto in declared}
    if parsed.get("port"):
        try:
            chosen = [int(p) for p in str(parsed.get("port")).split(",")]
        except ValueError:
            raise CommandError(f'strconv.Atoi: parsing "{parsed.get("port")}": invalid syntax') from None
    else:
        chosen = [port for port, _ in declared]
    if not chosen and str(parsed.get("cluster-ip") or "") != "None":
        raise CommandError("couldn't find port via --port flag or introspection", usage_of="kubectl expose")
    target = str(parsed.get("target-port") or "")
    ports: list[Obj] = []
    for index, port in enumerate(chosen):
        entry: Obj = {}
        if len(chosen) > 1:
            entry["name"] = f"port-{index + 1}"
        entry["port"] = port
        entry["protocol"] = str(parsed.get("protocol") or protocols.get(port) or "TCP")
        entry["targetPort"] = (int(target) if target.isdigit() else target) if target else port
        ports.append(entry)
    return ports


def service_object(parsed: Parsed, obj: Obj) -> Obj:
    meta = obj.get("metadata") or {}
    selector = _parse_map(str(parsed.get("selector")), "") if parsed.get("selector") else selector_for(obj)
    labels = _parse_map(str(parsed.get("labels")), "") if parsed.get("labels") else dict(meta.get("labels") or {})
    service_meta: Obj = {"creationTimestamp": None, "name": str(parsed.get("name") or meta.get("name", ""))}
    if labels:
        service_meta["labels"] = labels
    spec: Obj = {"ports": _service_ports(parsed, obj), "selector": selector}
    if not spec["ports"]:
        del spec["ports"]
    for flag, key in (("type", "type"), ("cluster-ip", "clusterIP"), ("session-affinity", "sessionAffinity")):
        if parsed.get(flag):
            spec[key] = str(parsed.get(flag))
    if parsed.get("external-ip"):
        spec["externalIPs"] = [str(parsed.get("external-ip"))]
    if parsed.get("load-balancer-ip") and spec.get("type") == "LoadBalancer":
        spec["loadBalancerIP"] = str(parsed.get("load-balancer-ip"))
    return {"apiVersion": "v1", "kind": "Service", "metadata": service_meta, "spec": spec,
            "status": {"loadBalancer": {}}}  # fmt: skip


def _target(env: Env, parsed: Parsed) -> tuple[KindInfo, Obj]:
    if parsed.get("filename"):
        from cluster.kubectl.commands.sources import read_sources

        doc = read_sources(env, parsed, "expose")[0].documents[0]
        info = env.api.registry.by_api_version(str(doc.get("apiVersion")), str(doc.get("kind")))
        if info is None:
            raise CommandError(f'no matches for kind "{doc.get("kind")}" in version "{doc.get("apiVersion")}"')
        name = str((doc.get("metadata") or {}).get("name", ""))
    else:
        pairs = split_type_name(env, parsed.args)
        if not pairs:
            raise CommandError(MISSING_RESOURCES)
        info, found = pairs[0]
        if found is None:
            raise CommandError("resource(s) were provided, but no name was specified")
        name = found
    if info.kind not in EXPOSABLE:
        raise CommandError(f"cannot expose a {info.kind}" + (f".{info.group}" if info.group else ""))
    return info, get_object(env, info, namespace_of(env, parsed), name)


@command(
    "expose",
    short="Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service",
    long=(
        "Expose a resource as a new Kubernetes service.\n\n Looks up a deployment, service, replica set, replication "
        "controller or pod by name and uses the selector for that resource as the selector for a new service on the "
        "specified port. A deployment or replica set will be exposed as a service only if its selector is convertible "
        "to a selector that service supports, i.e. when the selector contains only the matchLabels component. Note "
        "that if no port is specified via --port and the exposed resource has multiple ports, all will be re-used by "
        "the new service. Also if no labels are specified, the new service will re-use the labels from the resource "
        "it exposes.\n\n Possible resources include (case insensitive):\n\n pod (po), service (svc), "
        "replicationcontroller (rc), deployment (deploy), replicaset (rs)"
    ),
    usage="kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] "
    "[--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]",
    flags=(
        FILENAME,
        OUTPUT,
        DRY_RUN,
        ALLOW_MISSING,
        SHOW_MANAGED,
        Flag(
            "cluster-ip",
            help="ClusterIP to be assigned to the service. Leave empty to auto-allocate, or set to "
            "'None' to create a headless service.",
        ),
        Flag(
            "external-ip",
            help="Additional external IP address (not managed by Kubernetes) to accept for the "
            "service. If this IP is routed to a node, the service can be accessed by this IP in addition to its "
            "generated service IP.",
        ),
        Flag("field-manager", default="kubectl-expose", help="Name of the manager used to track field ownership."),
        Flag("labels", short="l", help="Labels to apply to the service created by this call."),
        Flag(
            "load-balancer-ip",
            help="IP to assign to the LoadBalancer. If empty, an ephemeral IP will be created "
            "and used (cloud-provider specific).",
        ),
        Flag("name", help="The name for the newly created object."),
        Flag(
            "port",
            help="The port that the service should serve on. Copied from the resource being exposed, if unspecified",
        ),
        Flag("protocol", help="The network protocol for the service to be created. Default is 'TCP'."),
        Flag(
            "selector",
            help="A label selector to use for this service. Only equality-based selector requirements "
            "are supported. If empty (the default) infer the selector from the replication controller or replica "
            "set.)",
        ),
        Flag(
            "session-affinity",
            help="If non-empty, set the session affinity for the service to this; legal values: 'None', 'ClientIP'",
        ),
        Flag(
            "target-port",
            help="Name or number for the port on the container that the service should direct traffic to. Optional.",
        ),
        Flag(
            "type",
            help="Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'.",
        ),
    ),
    examples=examples(
        """
        # Create a service for a pod valid-pod, which serves on port 444 with the name "frontend"
        kubectl expose pod valid-pod --port=444 --name=frontend

        # Create a second service based on the above service, exposing the container port 8443 as port 443 with \\
          the name "nginx-https"
        kubectl expose service nginx --port=443 --target-port=8443 --name=nginx-https

        # Create a service for a replicated nginx using replica set, which serves on port 80 and connects to \\
          the containers on port 8000
        kubectl expose rs nginx --port=80 --target-port=8000

        # Create a service for an nginx deployment, which serves on port 80 and connects to the containers on port 8000
        kubectl expose deployment nginx --port=80 --target-port=8000
        """
    ),
)
def expose(env: Env, parsed: Parsed, out: Output) -> None:
    check_format(parsed)
    svc_type = str(parsed.get("type") or "")
    if svc_type and svc_type not in ("ClusterIP", "NodePort", "LoadBalancer", "ExternalName"):
        raise CommandError(f"invalid service type: {svc_type}")
    _, obj = _target(env, parsed)
    service = service_object(parsed, obj)
    if parsed.has("namespace") and parsed.get("namespace"):
        service["metadata"]["namespace"] = parsed.get("namespace")
    manager = str(parsed.get("field-manager") or "kubectl-expose")
    send_create(env, service, parsed, out, manager=manager, verb="exposed")
