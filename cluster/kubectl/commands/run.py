"""``kubectl run``: a bare pod labelled ``run=<name>`` (K8S_FACTS §1.1, Appendix A).

Simplification: there is no terminal to attach to, so ``-i``/``-t``/``--rm``
create the pod and explain that the session cannot be interactive.
"""

from __future__ import annotations

from typing import Any

from cluster.kubectl.base import CommandError, Env, Output, command
from cluster.kubectl.commands.common import (
    ALLOW_MISSING,
    DRY_RUN,
    OUTPUT,
    SHOW_MANAGED,
    dry_run_mode,
    enforce_namespace,
    field_manager,
    send_create,
)
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples
from cluster.kubectl.printing import check_format, name_of, render_objects

FLAGS = (
    Flag("image", help="The image for the container to run."),
    Flag("port", default="", help="The port that this container exposes."),
    Flag("labels", short="l", help="Comma separated labels to apply to the pod. Will override previous values."),
    Flag("env", kind="stringArray", help="Environment variables to set in the container."),
    Flag("restart", default="Always", help="The restart policy for this Pod.  Legal values [Always, OnFailure, "
         "Never]."),
    Flag("command", kind="bool", help="If true and extra arguments are present, use them as the 'command' field in "
         "the container, rather than the 'args' field which is the default."),
    Flag("expose", kind="bool", help="If true, create a ClusterIP service associated with the pod.  Requires "
         "`--port`."),
    Flag("image-pull-policy", help="The image pull policy for the container.  If left empty, this value will not be "
         "specified by the client and defaulted by the server."),
    Flag("annotations", kind="stringArray", help="Annotations to apply to the pod."),
    Flag("rm", kind="bool", help="If true, delete the pod after it exits.  Only valid when attaching to the "
         "container, e.g. with '--attach' or with '-i/--stdin'."),
    Flag("stdin", kind="bool", short="i", help="Keep stdin open on the container in the pod, even if nothing is "
         "attached."),
    Flag("tty", kind="bool", short="t", help="Allocate a TTY for the container in the pod."),
    Flag("attach", kind="bool", help="If true, wait for the Pod to start running, and then attach to the Pod as if "
         "'kubectl attach ...' were called."),
    Flag("privileged", kind="bool", help="If true, run the container in privileged mode."),
    OUTPUT, DRY_RUN, ALLOW_MISSING, SHOW_MANAGED, field_manager("kubectl-run"),
)  # fmt: skip


def _labels(text: str, name: str) -> dict[str, str]:
    if not text:
        return {"run": name}
    labels: dict[str, str] = {}
    for part in text.split(","):
        key, eq, value = part.partition("=")
        if not eq or not key:
            raise CommandError(f"unexpected label spec: {part}")
        labels[key] = value
    return labels


def _env(items: list[str]) -> list[dict[str, str]]:
    env_vars = []
    for item in items:
        key, eq, value = item.partition("=")
        if not eq or not key:
            raise CommandError(f"invalid env: {item}")
        env_vars.append({"name": key, "value": value})
    return env_vars


def _port(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise CommandError(f'strconv.Atoi: parsing "{text}": invalid syntax') from None


def pod_object(name: str, parsed: Parsed, args: list[str]) -> dict[str, Any]:
    container: dict[str, Any] = {"image": parsed.get("image"), "name": name, "resources": {}}
    if args:
        container["command" if parsed.get("command") else "args"] = list(args)
    env_vars = _env(list(parsed.get("env") or []))
    if env_vars:
        container["env"] = env_vars
    if parsed.get("image-pull-policy"):
        container["imagePullPolicy"] = parsed.get("image-pull-policy")
    if parsed.get("port"):
        container["ports"] = [{"containerPort": _port(str(parsed.get("port")))}]
    if parsed.get("privileged"):
        container["securityContext"] = {"privileged": True}
    if parsed.get("stdin"):
        container["stdin"] = True
    if parsed.get("tty"):
        container["tty"] = True
    meta: dict[str, Any] = {"creationTimestamp": None, "labels": _labels(str(parsed.get("labels") or ""), name),
                            "name": name}  # fmt: skip
    annotations = {k: v for k, _, v in (str(a).partition("=") for a in parsed.get("annotations") or [])}
    if annotations:
        meta["annotations"] = annotations
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {"containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": parsed.get("restart")},
        "status": {},
    }


def service_for(pod: dict[str, Any], port: int) -> dict[str, Any]:
    """``--expose``: a ClusterIP Service selecting the pod's labels, port = targetPort = ``--port``."""
    meta: dict[str, Any] = {"creationTimestamp": None, "name": pod["metadata"]["name"]}
    if "namespace" in pod["metadata"]:
        meta["namespace"] = pod["metadata"]["namespace"]
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": meta,
        "spec": {
            "ports": [{"port": port, "protocol": "TCP", "targetPort": port}],
            "selector": dict(pod["metadata"]["labels"]),
        },
        "status": {"loadBalancer": {}},
    }


def _validate(parsed: Parsed) -> str:
    if not parsed.args:
        raise CommandError("NAME is required for run", usage_of="kubectl run")
    if not parsed.get("image"):
        raise CommandError('required flag(s) "image" not set')
    if parsed.get("restart") not in ("Always", "OnFailure", "Never"):
        raise CommandError(f"invalid restart policy: {parsed.get('restart')}", usage_of="kubectl run")
    if parsed.get("expose") and not parsed.get("port"):
        raise CommandError("--port must be set when exposing a service", usage_of="kubectl run")
    return check_format(parsed)


@command(
    "run",
    short="Run a particular image on the cluster",
    long="Create and run a particular image in a pod.",
    usage='kubectl run NAME --image=image [--env="key=value"] [--port=port] [--dry-run=server|client] '
    "[--overrides=inline-json] [--command] -- [COMMAND] [args...] [options]",
    flags=FLAGS,
    examples=examples(
        """
        # Start a nginx pod
        kubectl run nginx --image=nginx

        # Start a hazelcast pod and let the container expose port 5701
        kubectl run hazelcast --image=hazelcast/hazelcast --port=5701

        # Start a hazelcast pod and set environment variables "DNS_DOMAIN=cluster" and "POD_NAMESPACE=default" \\
          in the container
        kubectl run hazelcast --image=hazelcast/hazelcast --env="DNS_DOMAIN=cluster" --env="POD_NAMESPACE=default"

        # Start a hazelcast pod and set labels "app=hazelcast" and "env=prod" in the container
        kubectl run hazelcast --image=hazelcast/hazelcast --labels="app=hazelcast,env=prod"

        # Dry run; print the corresponding API objects without creating them
        kubectl run nginx --image=nginx --dry-run=client

        # Start a busybox pod and keep it in the foreground, don't restart it if it exits
        kubectl run -i -t busybox --image=busybox --restart=Never

        # Start the nginx pod using the default command, but use custom arguments (arg1 .. argN) for that command
        kubectl run nginx --image=nginx -- <arg1> <arg2> ... <argN>

        # Start the nginx pod using a different command and custom arguments
        kubectl run nginx --image=nginx --command -- <cmd> <arg1> ... <argN>
        """
    ),
)
def run(env: Env, parsed: Parsed, out: Output) -> None:
    fmt = _validate(parsed)
    name = str(parsed.args[0])
    extra = parsed.after_dash if parsed.dash_index >= 0 else parsed.args[1:]
    pod = enforce_namespace(pod_object(name, parsed, list(extra)), parsed)
    created: list[tuple[Any, dict[str, Any]]] = []
    if parsed.get("expose"):
        svc = service_for(pod, _port(str(parsed.get("port"))))
        created.append(
            (env.api.registry.get("Service"), send_create(env, svc, parsed, _Sink(out), manager="kubectl-run"))
        )
    created.append((env.api.registry.get("Pod"), send_create(env, pod, parsed, _Sink(out), manager="kubectl-run")))
    _print(fmt, created, out, dry_run_mode(parsed))
    if parsed.get("stdin") or parsed.get("tty") or parsed.get("attach") or parsed.get("rm"):
        out.err(
            "Interactive sessions are not available in this sandbox: the pod runs without a terminal attached. "
            "Use `kubectl logs " + name + "` or `kubectl exec " + name + " -- <command>` instead."
        )


class _Sink(Output):
    """Collects confirmation lines so ``run`` can print them after every object was sent (like kubectl)."""

    def __init__(self, target: Output) -> None:
        super().__init__()
        self.target = target

    def err(self, text: str) -> None:
        self.target.err(text)


def _print(fmt: str, created: list[tuple[Any, dict[str, Any]]], out: Output, mode: str) -> None:
    suffix = {"client": " (dry run)", "server": " (server dry run)"}.get(mode, "")
    for index, (info, obj) in enumerate(created):
        if not fmt:
            out.out(f"{name_of(info, obj)} created{suffix}")
        elif fmt == "name":
            out.out(name_of(info, obj))
        else:
            if fmt == "yaml" and index:
                out.out_lines(["---", "---"])
            out.out(render_objects(fmt, [obj], typed=mode == "client"))
