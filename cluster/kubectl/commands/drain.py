"""``kubectl drain``: cordon a node, then evict every pod that may be evicted (kubectl's pkg/drain filters).

DaemonSet pods are skipped only with ``--ignore-daemonsets``; pods no
controller would recreate need ``--force``; pods with ``emptyDir`` data need
``--delete-emptydir-data``. Any blocking pod stops the drain with kubectl's
``unable to drain node`` message.

Simplification: the Eviction API is modelled as a graceful DELETE and kubectl
does not wait for the pods to be gone — ``pod/x evicted`` is printed at once
while the pod is still Terminating.
"""

from __future__ import annotations

from typing import Any

from cluster.kubectl.base import CommandError, Env, Output, command
from cluster.kubectl.commands.common import DRY_RUN, SELECTOR, dry_run_mode, suffix
from cluster.kubectl.commands.nodes import nodes_named, set_unschedulable
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples

Obj = dict[str, Any]
DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods"
LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
LOCAL_STORAGE_WARNING = "deleting Pods with local storage"
UNMANAGED_FATAL = "Pods that declare no controller (use --force to override)"
UNMANAGED_WARNING = "deleting Pods that declare no controller"


def _controller(pod: Obj) -> Obj | None:
    return next((r for r in pod["metadata"].get("ownerReferences") or [] if r.get("controller")), None)


def _classify(pod: Obj, parsed: Parsed) -> tuple[str, str]:
    """("delete"|"skip"|"error", message) for one pod, in pkg/drain's filter order."""
    meta = pod["metadata"]
    if (meta.get("annotations") or {}).get("kubernetes.io/config.mirror"):
        return "skip", ""
    if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return "delete", ""
    if meta.get("deletionTimestamp"):
        return "skip", ""
    controller = _controller(pod)
    if controller and controller.get("kind") == "DaemonSet":
        return ("skip", DAEMONSET_WARNING) if parsed.get("ignore-daemonsets") else ("error", DAEMONSET_FATAL)
    if controller is None:
        if not parsed.get("force"):
            return "error", UNMANAGED_FATAL
        return "delete", UNMANAGED_WARNING
    if any("emptyDir" in v for v in (pod.get("spec") or {}).get("volumes") or []):
        if not parsed.get("delete-emptydir-data"):
            return "error", LOCAL_STORAGE_FATAL
        return "delete", LOCAL_STORAGE_WARNING
    return "delete", ""


def _grouped(entries: list[tuple[str, Obj]]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for message, pod in entries:
        groups.setdefault(message, []).append(f"{pod['metadata']['namespace']}/{pod['metadata']['name']}")
    return groups


def drain_node(env: Env, parsed: Parsed, out: Output, node: Obj, remaining: list[str]) -> bool:
    name = node["metadata"]["name"]
    pods, _ = env.api.list("Pod", None, parsed.get("pod-selector") or None, f"spec.nodeName={name}", env.ctx())
    verdicts = [(_classify(pod, parsed), pod) for pod in pods]
    failures = _grouped([(msg, pod) for (action, msg), pod in verdicts if action == "error"])
    if failures:
        texts = sorted(f"cannot delete {msg}: {', '.join(names)}" for msg, names in failures.items())
        error = texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"
        out.err(f'error: unable to drain node "{name}" due to error: {error}, continuing command...')
        out.err("There are pending nodes to be drained:\n" + "\n".join(f" {n}" for n in remaining))
        out.fail(f"error: {error}")
        return False
    warnings = _grouped([(msg, pod) for (action, msg), pod in verdicts if msg and action != "error"])
    if warnings:
        out.err("Warning: " + "; ".join(f"{msg}: {', '.join(names)}" for msg, names in warnings.items()))
    _evict(env, parsed, out, [pod for (action, _), pod in verdicts if action == "delete"])
    out.out(f"node/{name} drained{suffix(dry_run_mode(parsed))}")
    return True


def _evict(env: Env, parsed: Parsed, out: Output, pods: list[Obj]) -> None:
    mode = dry_run_mode(parsed)
    grace = int(parsed.get("grace-period"))
    for pod in pods:
        meta = pod["metadata"]
        out.out(f"evicting pod {meta['namespace']}/{meta['name']}" + (" (server dry run)" if mode == "server" else ""))
    for pod in pods:
        meta = pod["metadata"]
        if mode != "client":
            env.api.delete("Pod", meta["namespace"], meta["name"], env.ctx(dry_run=mode == "server"),
                           grace if grace >= 0 else None)  # fmt: skip
        out.out(f"pod/{meta['name']} evicted")


@command(
    "drain",
    short="Drain node in preparation for maintenance",
    long=(
        "Drain node in preparation for maintenance.\n\n The given node will be marked unschedulable to prevent new "
        "pods from arriving. 'drain' evicts the pods if the API server supports https://kubernetes.io/docs/concepts/"
        "workloads/pods/disruptions/ eviction https://kubernetes.io/docs/concepts/workloads/pods/disruptions/ . "
        "Otherwise, it will use normal DELETE to delete the pods. The 'drain' evicts or deletes all pods except "
        "mirror pods (which cannot be deleted through the API server).  If there are daemon set-managed pods, drain "
        "will not proceed without --ignore-daemonsets, and regardless it will not delete any daemon set-managed pods, "
        "because those pods would be immediately replaced by the daemon set controller, which ignores unschedulable "
        "markings.  If there are any pods that are neither mirror pods nor managed by a replication controller, "
        "replica set, daemon set, stateful set, or job, then drain will not delete any pods unless you use --force.  "
        "--force will also allow deletion to proceed if the managing resource of one or more pods is missing.\n\n "
        "'drain' waits for graceful termination. You should not operate on the machine until the command completes."
        "\n\n When you are ready to put the node back into service, use kubectl uncordon, which will make the node "
        "schedulable again."
    ),
    usage="kubectl drain NODE [options]",
    flags=(
        DRY_RUN,
        SELECTOR,
        Flag("force", kind="bool", help="Continue even if there are pods that do not declare a controller."),
        Flag("ignore-daemonsets", kind="bool", help="Ignore DaemonSet-managed pods."),
        Flag(
            "delete-emptydir-data",
            kind="bool",
            help="Continue even if there are pods using emptyDir (local data "
            "that will be deleted when the node is drained).",
        ),
        Flag(
            "grace-period",
            kind="int",
            default=-1,
            help="Period of time in seconds given to each pod to terminate "
            "gracefully. If negative, the default value specified in the pod will be used.",
        ),
        Flag("pod-selector", help="Label selector to filter pods on the node"),
        Flag(
            "timeout",
            kind="duration",
            default="0s",
            help="The length of time to wait before giving up, zero means infinite",
        ),
        Flag(
            "disable-eviction",
            kind="bool",
            help="Force drain to use delete, even if eviction is supported. This "
            "will bypass checking PodDisruptionBudgets, use with caution.",
        ),
    ),
    examples=examples(
        """
        # Drain node "foo", even if there are pods not managed by a replication controller, replica set, job, \\
          daemon set, or stateful set on it
        kubectl drain foo --force

        # As above, but abort if there are pods not managed by a replication controller, replica set, job, \\
          daemon set, or stateful set, and use a grace period of 15 minutes
        kubectl drain foo --grace-period=900
        """
    ),
)
def drain(env: Env, parsed: Parsed, out: Output) -> None:
    if not parsed.args and not parsed.get("selector"):
        raise CommandError("USAGE: drain NODE [flags]", usage_of="kubectl drain")
    nodes = nodes_named(env, parsed, list(parsed.args))
    for node in nodes:
        set_unschedulable(env, parsed, out, node, True)
    names = [n["metadata"]["name"] for n in nodes]
    for index, node in enumerate(nodes):
        if not drain_node(env, parsed, out, node, names[index:]):
            return
