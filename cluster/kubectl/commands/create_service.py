"""``kubectl create service clusterip|nodeport|loadbalancer|externalname``.

Like kubectl it invents the label and selector ``app: <name>`` and names each
port after its ``--tcp`` spec (``80:8080`` → ``80-8080``), K8S_FACTS Appendix A.
"""

from __future__ import annotations

from typing import Any

from cluster.kubectl.base import CommandError, Env, Output, command, group
from cluster.kubectl.commands.common import enforce_namespace, send_create
from cluster.kubectl.commands.create_generators import GENERATOR_FLAGS, one_name
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples
from cluster.kubectl.printing import check_format

TCP = Flag("tcp", kind="stringSlice", help="Port pairs can be specified as '<port>:<targetPort>'.")
NODE_PORT = Flag("node-port", kind="int", help="Port used to expose the service on each node in a cluster.")

group(
    "service",
    parent="create",
    aliases=("svc",),
    short="Create a service using a specified subcommand",
    long="Create a service using a specified subcommand.",
    usage="kubectl create service [flags] [options]",
)


def _port(spec: str) -> dict[str, Any]:
    port_text, colon, target_text = spec.partition(":")
    try:
        port = int(port_text)
        if port < 0 or port > 65535:
            raise ValueError
    except ValueError:
        raise CommandError(f'strconv.ParseUint: parsing "{port_text}": invalid syntax') from None
    target: int | str = port
    if colon:
        target = int(target_text) if target_text.isdigit() else target_text
    return {"name": spec.replace(":", "-"), "port": port, "protocol": "TCP", "targetPort": target}


def service_object(name: str, svc_type: str, parsed: Parsed) -> dict[str, Any]:
    ports = [_port(str(spec)) for spec in parsed.get("tcp") or []]
    node_port = int(parsed.get("node-port") or 0)
    for entry in ports:
        if node_port:
            entry["nodePort"] = node_port
    spec: dict[str, Any] = {}
    cluster_ip = str(parsed.get("clusterip") or "")
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    if svc_type == "ExternalName":
        spec["externalName"] = str(parsed.get("external-name"))
    if ports:
        spec["ports"] = ports
    spec["selector"] = {"app": name}
    spec["type"] = svc_type
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"creationTimestamp": None, "labels": {"app": name}, "name": name},
        "spec": spec,
        "status": {"loadBalancer": {}},
    }


def _create(env: Env, parsed: Parsed, out: Output, svc_type: str, sub: str) -> None:
    name = one_name(parsed, f"kubectl create service {sub}")
    check_format(parsed)
    needs_ports = svc_type in ("NodePort", "LoadBalancer") or (
        svc_type == "ClusterIP" and str(parsed.get("clusterip") or "") != "None"
    )
    if needs_ports and not parsed.get("tcp"):
        raise CommandError("at least one tcp port specifier must be provided")
    obj = service_object(name, svc_type, parsed)
    send_create(env, enforce_namespace(obj, parsed), parsed, out)


@command(
    "clusterip",
    parent="create service",
    short="Create a ClusterIP service",
    long="Create a ClusterIP service with the specified name.",
    usage="kubectl create service clusterip NAME [--tcp=<port>:<targetPort>] [--dry-run=server|client|none] [options]",
    flags=(
        *GENERATOR_FLAGS,
        TCP,
        Flag(
            "clusterip", help="Assign your own ClusterIP or set to 'None' for a 'headless' service (no loadbalancing)."
        ),
    ),
    examples=examples(
        """
        # Create a new ClusterIP service named my-cs
        kubectl create service clusterip my-cs --tcp=5678:8080

        # Create a new ClusterIP service named my-cs (in headless mode)
        kubectl create service clusterip my-cs --clusterip="None"
        """
    ),
)
def create_clusterip(env: Env, parsed: Parsed, out: Output) -> None:
    _create(env, parsed, out, "ClusterIP", "clusterip")


@command(
    "nodeport",
    parent="create service",
    short="Create a NodePort service",
    long="Create a NodePort service with the specified name.",
    usage="kubectl create service nodeport NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
    flags=(*GENERATOR_FLAGS, TCP, NODE_PORT),
    examples=examples(
        """
        # Create a new NodePort service named my-ns
        kubectl create service nodeport my-ns --tcp=5678:8080
        """
    ),
)
def create_nodeport(env: Env, parsed: Parsed, out: Output) -> None:
    _create(env, parsed, out, "NodePort", "nodeport")


@command(
    "loadbalancer",
    parent="create service",
    short="Create a LoadBalancer service",
    long="Create a LoadBalancer service with the specified name.",
    usage="kubectl create service loadbalancer NAME [--tcp=port:targetPort] [--dry-run=server|client|none] [options]",
    flags=(*GENERATOR_FLAGS, TCP),
    examples=examples(
        """
        # Create a new LoadBalancer service named my-lbs
        kubectl create service loadbalancer my-lbs --tcp=5678:8080
        """
    ),
)
def create_loadbalancer(env: Env, parsed: Parsed, out: Output) -> None:
    _create(env, parsed, out, "LoadBalancer", "loadbalancer")


@command(
    "externalname",
    parent="create service",
    short="Create an ExternalName service",
    long=(
        "Create an ExternalName service with the specified name.\n\n ExternalName service references to an external "
        "DNS address instead of only pods, which will allow application authors to reference services that exist off "
        "platform, on other clusters, or locally."
    ),
    usage="kubectl create service externalname NAME --external-name external.name [--dry-run=server|client|none] "
    "[options]",
    flags=(*GENERATOR_FLAGS, TCP, Flag("external-name", help="External name of service")),
    examples=examples(
        """
        # Create a new ExternalName service named my-ns
        kubectl create service externalname my-ns --external-name bar.com
        """
    ),
)
def create_externalname(env: Env, parsed: Parsed, out: Output) -> None:
    if not parsed.get("external-name"):
        raise CommandError('required flag(s) "external-name" not set')
    _create(env, parsed, out, "ExternalName", "externalname")
