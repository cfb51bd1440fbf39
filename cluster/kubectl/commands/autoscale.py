"""``kubectl autoscale``: an HPA for a deployment or replica set (K8S_FACTS §3.6).

kubectl 1.32 builds an ``autoscaling/v1`` object (``--dry-run=client -o yaml``
prints that); the sandbox stores HPAs as ``autoscaling/v2``, so the same
intent is sent in v2 form: ``--cpu-percent`` becomes a CPU Utilization
metric, and without it the server's default (80 %) applies.
"""

from __future__ import annotations

from typing import Any

from cluster.kubectl.base import MISSING_RESOURCES, CommandError, Env, Output, command, namespace_of
from cluster.kubectl.commands.common import (
    ALLOW_MISSING,
    DRY_RUN,
    FILENAME,
    OUTPUT,
    SHOW_MANAGED,
    dry_run_mode,
    enforce_namespace,
    field_manager,
    get_object,
    send_create,
    split_type_name,
)
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples
from cluster.kubectl.printing import check_format

SCALABLE = ("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController")
Obj = dict[str, Any]


def hpa_v1(name: str, target: Obj, minimum: int, maximum: int, cpu: int) -> Obj:
    spec: Obj = {"maxReplicas": maximum}
    if minimum > 0:
        spec["minReplicas"] = minimum
    spec["scaleTargetRef"] = {"apiVersion": target["apiVersion"], "kind": target["kind"],
                              "name": target["metadata"]["name"]}  # fmt: skip
    if cpu >= 0:
        spec["targetCPUUtilizationPercentage"] = cpu
    return {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler",
            "metadata": {"creationTimestamp": None, "name": name}, "spec": spec,
            "status": {"currentReplicas": 0, "desiredReplicas": 0}}  # fmt: skip


def to_v2(hpa: Obj) -> Obj:
    spec = dict(hpa["spec"])
    cpu = spec.pop("targetCPUUtilizationPercentage", None)
    if cpu is not None:
        spec["metrics"] = [
            {
                "type": "Resource",
                "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": cpu}},
            }
        ]
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": dict(hpa["metadata"]),
            "spec": spec}  # fmt: skip


def _target(env: Env, parsed: Parsed) -> Obj:
    if parsed.get("filename"):
        from cluster.kubectl.commands.get import targets

        pairs = targets(env, parsed)
    else:
        pairs = split_type_name(env, parsed.args)
    if not pairs:
        raise CommandError(MISSING_RESOURCES)
    info, name = pairs[0]
    if name is None:
        raise CommandError("resource(s) were provided, but no name was specified")
    if info.kind not in SCALABLE:
        raise CommandError(f"cannot autoscale a {info.kind}: {info.resource_ref} \"{name}\" does not implement the "
                           "scale subresource")  # fmt: skip
    return get_object(env, info, namespace_of(env, parsed), name)


@command(
    "autoscale",
    short="Auto-scale a deployment, replica set, stateful set, or replication controller",
    long=(
        "Creates an autoscaler that automatically chooses and sets the number of pods that run in a Kubernetes "
        "cluster.\n\n Looks up a deployment, replica set, stateful set, or replication controller by name and creates "
        "an autoscaler that uses the given resource as a reference. An autoscaler can automatically increase or "
        "decrease number of pods deployed within the system as needed."
    ),
    usage="kubectl autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS "
    "[--cpu-percent=CPU] [options]",
    flags=(
        FILENAME,
        OUTPUT,
        DRY_RUN,
        ALLOW_MISSING,
        SHOW_MANAGED,
        field_manager("kubectl-autoscale"),
        Flag(
            "min",
            kind="int",
            default=-1,
            help="The lower limit for the number of pods that can be set by the "
            "autoscaler. If it's not specified or negative, the server will apply a default value.",
        ),
        Flag(
            "max",
            kind="int",
            default=-1,
            help="The upper limit for the number of pods that can be set by the autoscaler. Required.",
        ),
        Flag(
            "cpu-percent",
            kind="int",
            default=-1,
            help="The target average CPU utilization (represented as a "
            "percent of requested CPU) over all the pods. If it's not specified or negative, a default autoscaling "
            "policy will be used.",
        ),
        Flag(
            "name",
            help="The name for the newly created object. If not specified, the name of the input resource "
            "will be used.",
        ),
        Flag(
            "save-config",
            kind="bool",
            help="If true, the configuration of current object will be saved in its "
            "annotation. Otherwise, the annotation will be unchanged. This flag is useful when you want to perform "
            "kubectl apply on this object in the future.",
        ),
    ),
    examples=examples(
        """
        # Auto scale a deployment "foo", with the number of pods between 2 and 10, no target CPU utilization \\
          specified so a default autoscaling policy will be used
        kubectl autoscale deployment foo --min=2 --max=10

        # Auto scale a replication controller "foo", with the number of pods between 1 and 5, target CPU \\
          utilization at 80%
        kubectl autoscale rc foo --max=5 --cpu-percent=80
        """
    ),
)
def autoscale(env: Env, parsed: Parsed, out: Output) -> None:
    if not parsed.has("max"):
        raise CommandError('required flag(s) "max" not set')
    minimum, maximum = int(parsed.get("min")), int(parsed.get("max"))
    if maximum < 1:
        raise CommandError(f"--max=MAXPODS is required and must be at least 1, max: {maximum}")
    if maximum < minimum:
        raise CommandError(f"--max=MAXPODS must be larger or equal to --min=MINPODS, max: {maximum}, min: {minimum}")
    check_format(parsed)
    target = _target(env, parsed)
    hpa = enforce_namespace(hpa_v1(str(parsed.get("name") or target["metadata"]["name"]), target, minimum, maximum,
                                   int(parsed.get("cpu-percent"))), parsed)  # fmt: skip
    if not env.api.registry.has("HorizontalPodAutoscaler"):
        raise CommandError("HorizontalPodAutoscalers are not available in this sandbox")
    served = env.api.registry.get("HorizontalPodAutoscaler").api_version
    if dry_run_mode(parsed) != "client" and served != "autoscaling/v1":
        hpa = to_v2(hpa)
    send_create(env, hpa, parsed, out, manager=str(parsed.get("field-manager") or ""), verb="autoscaled")
