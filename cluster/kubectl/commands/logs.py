"""``kubectl logs``: what the container's process printed, from the sandbox's image catalogue.

The simulated kubelet runs no real processes; each built-in image knows the
lines its process prints at start (and when it exits), so the log of a
container instance is those lines, stamped with the instance's start time.
Errors are the kubelet's (``is waiting to start: …``, ``previous terminated
container … not found``), surfaced by the API server as BadRequest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cluster.core import errors
from cluster.core.labels import selector_string
from cluster.core.timefmt import parse_rfc3339, rfc3339
from cluster.engine.actions import ObjKey
from cluster.kubectl.base import CommandError, Env, Output, command, namespace_of
from cluster.kubectl.commands.common import SELECTOR, split_type_name
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples

if TYPE_CHECKING:
    from cluster.apiserver.store import Change

Obj = dict[str, Any]
REGISTRY_KEY = ObjKey("ImageRegistry", "", "docker.io")
DEFAULT_CONTAINER = "kubectl.kubernetes.io/default-container"
USAGE_ERROR = (
    "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the "
    "logs command"
)


def _status(pod: Obj, container: str) -> Obj:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    statuses += (pod.get("status") or {}).get("initContainerStatuses") or []
    return next((s for s in statuses if s.get("name") == container), {})


def _image_lines(env: Env, image: str, started: str | None, pod_ip: str, exited: bool) -> list[str]:
    from cluster.kubelet import images

    pushed = (env.api.store.private(REGISTRY_KEY) or {}).get("images")
    info = images.lookup(image, pushed if isinstance(pushed, dict) else None)
    if info is None or not started:
        return []
    lines = images.startup_logs(info, parse_rfc3339(started), pod_ip)
    return lines + (list(info.exit_logs) if exited else [])


def _bad_request(message: str) -> errors.ApiError:
    return errors.bad_request(message)


def instance_lines(env: Env, pod: Obj, container: str, previous: bool) -> tuple[list[str], str]:
    """(lines, start time) of the current or previous instance of ``container``; ApiError like the kubelet's."""
    name = pod["metadata"]["name"]
    status = _status(pod, container)
    image = str(status.get("image") or _spec_image(pod, container))
    pod_ip = str((pod.get("status") or {}).get("podIP") or "")
    last = (status.get("lastState") or {}).get("terminated")
    if previous:
        if not last:
            raise _bad_request(f'previous terminated container "{container}" in pod "{name}" not found')
        return _image_lines(env, image, last.get("startedAt"), pod_ip, True), str(last.get("startedAt") or "")
    if not (pod.get("spec") or {}).get("nodeName"):
        return [], ""
    state = status.get("state") or {}
    for key, exited in (("running", False), ("terminated", True)):
        if state.get(key):
            started = state[key].get("startedAt")
            lines = _image_lines(env, image, started, pod_ip, exited) + _access_lines(env, pod, container, started)
            return lines, str(started or "")
    if last:
        return _image_lines(env, image, last.get("startedAt"), pod_ip, True), str(last.get("startedAt") or "")
    reason = (state.get("waiting") or {}).get("reason") or "ContainerCreating"
    detail = {"ErrImagePull": "image can't be pulled", "ImagePullBackOff": "trying and failing to pull image"}
    raise _bad_request(f'container "{container}" in pod "{name}" is waiting to start: {detail.get(reason, reason)}')


def _access_lines(env: Env, pod: Obj, container: str, started: str | None) -> list[str]:
    """Requests the app served since this instance started (nginx-style access log), from the traffic model."""
    from cluster.core.timefmt import parse_rfc3339
    from cluster.engine.actions import ObjKey
    from cluster.networking.accesslog import access_log_lines

    since = parse_rfc3339(started) if started else None
    return access_log_lines(env.api.store.private(ObjKey.of(pod)), container, since)


def _spec_image(pod: Obj, container: str) -> str:
    spec = pod.get("spec") or {}
    for c in (spec.get("containers") or []) + (spec.get("initContainers") or []):
        if c.get("name") == container:
            return str(c.get("image") or "")
    return ""


def choose_container(pod: Obj, wanted: str, out: Output) -> str:
    spec = pod.get("spec") or {}
    names = [c.get("name") for c in (spec.get("containers") or [])]
    init_names = [c.get("name") for c in (spec.get("initContainers") or [])]
    if wanted:
        if wanted not in names + init_names:
            raise _bad_request(f"container {wanted} is not valid for pod {pod['metadata']['name']}")
        return wanted
    default = ((pod["metadata"].get("annotations")) or {}).get(DEFAULT_CONTAINER)
    if default in names:
        return str(default)
    if len(names) > 1:
        out.err(f'Defaulted container "{names[0]}" out of: {", ".join(str(n) for n in names + init_names)}')
    return str(names[0]) if names else ""


def _rank(pod: Obj) -> tuple[int, int, int, int, str]:
    """kubectl's ``ByLogging``: scheduled, running, ready, more restarts, older first."""
    status = pod.get("status") or {}
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in status.get("conditions") or [])
    restarts = sum(int(s.get("restartCount") or 0) for s in status.get("containerStatuses") or [])
    return (0 if (pod.get("spec") or {}).get("nodeName") else 1, 0 if status.get("phase") == "Running" else 1,
            0 if ready else 1, -restarts, pod["metadata"].get("creationTimestamp") or "")  # fmt: skip


def find_pod(env: Env, parsed: Parsed, out: Output, target: str) -> Obj:
    namespace = namespace_of(env, parsed)
    if "/" not in target:
        return env.api.get("Pod", namespace, target, env.ctx())
    info, name = split_type_name(env, [target])[0]
    obj = env.api.get(info.kind, namespace if info.namespaced else "", str(name), env.ctx())
    if info.kind == "Pod":
        return obj
    spec = obj.get("spec") or {}
    selector = selector_string(spec.get("selector")) if info.kind != "Service" else ",".join(
        f"{k}={v}" for k, v in sorted((spec.get("selector") or {}).items()))  # fmt: skip
    if not selector:
        raise CommandError(f"cannot get the logs from {info.kind}.{info.group}" if info.group else
                           f"cannot get the logs from {info.kind}")  # fmt: skip
    pods, _ = env.api.list("Pod", namespace, selector, None, env.ctx())
    if not pods:
        raise CommandError(f"timed out waiting for the condition: no pods found for {info.singular}/{name}")
    pods.sort(key=_rank)
    if len(pods) > 1:
        out.err(f"Found {len(pods)} pods, using pod/{pods[0]['metadata']['name']}")
    return pods[0]


def _decorate(lines: list[str], started: str, parsed: Parsed, pod: Obj, container: str) -> list[str]:
    tail = int(parsed.get("tail"))
    if tail >= 0:
        lines = lines[-tail:] if tail else []
    if parsed.get("timestamps") and started:
        stamp = rfc3339(parse_rfc3339(started)).replace("Z", ".000000000Z")
        lines = [f"{stamp} {line}" for line in lines]
    if parsed.get("prefix"):
        lines = [f"[pod/{pod['metadata']['name']}/{container}] {line}" for line in lines]
    return lines


@command(
    "logs",
    short="Print the logs for a container in a pod",
    long="Print the logs for a container in a pod or specified resource. If the pod has only one container, the "
    "container name is optional.",
    usage="kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [options]",
    flags=(
        SELECTOR,
        Flag("container", short="c", help="Print the logs of this container"),
        Flag("follow", kind="bool", short="f", help="Specify if the logs should be streamed."),
        Flag(
            "previous",
            kind="bool",
            short="p",
            help="If true, print the logs for the previous instance of the container in a pod if it exists.",
        ),
        Flag(
            "tail",
            kind="int",
            default=-1,
            help="Lines of recent log file to display. Defaults to -1 with no "
            "selector, showing all log lines otherwise 10, if a selector is provided.",
        ),
        Flag("timestamps", kind="bool", help="Include timestamps on each line in the log output"),
        Flag("prefix", kind="bool", help="Prefix each log line with the log source (pod name and container name)"),
        Flag("all-containers", kind="bool", help="Get all containers' logs in the pod(s)."),
        Flag(
            "since",
            kind="duration",
            default="0s",
            help="Only return logs newer than a relative duration like 5s, 2m, or 3h. "
            "Defaults to all logs. Only one of since-time / since may be used.",
        ),
    ),
    examples=examples(
        """
        # Return snapshot logs from pod nginx with only one container
        kubectl logs nginx

        # Return snapshot logs from pod nginx, prefixing each line with the source pod and container name
        kubectl logs nginx --prefix

        # Return snapshot of previous terminated ruby container logs from pod web-1
        kubectl logs -p -c ruby web-1

        # Begin streaming the logs of the ruby container in pod web-1
        kubectl logs -f -c ruby web-1

        # Display only the most recent 20 lines of output in pod nginx
        kubectl logs --tail=20 nginx

        # Return snapshot logs from first container of a job named hello
        kubectl logs job/hello
        """
    ),
)
def logs(env: Env, parsed: Parsed, out: Output) -> None:
    if not parsed.args and not parsed.get("selector"):
        raise CommandError(USAGE_ERROR, usage_of="kubectl logs")
    if len(parsed.args) > 2:
        raise CommandError(USAGE_ERROR, usage_of="kubectl logs")
    target = str(parsed.args[0]) if parsed.args else ""
    wanted = str(parsed.get("container") or (parsed.args[1] if len(parsed.args) == 2 else ""))
    if not target:
        pods, _ = env.api.list("Pod", namespace_of(env, parsed), str(parsed.get("selector")), None, env.ctx())
        if not pods:
            out.err(f"No resources found in {namespace_of(env, parsed)} namespace.")
            return
        if parsed.get("follow") and len(pods) > MAX_LOG_REQUESTS:
            raise CommandError(
                f"you are attempting to follow {len(pods)} log streams, but maximum allowed concurrency is "
                f"{MAX_LOG_REQUESTS}, use --max-log-requests to increase the limit"
            )
        if "tail" not in parsed.given:
            parsed.values["tail"] = 10  # with a selector kubectl shows the last 10 lines of each pod
        # Every matching pod, one after the other, in list order. Simplification: with -f, the lines that come
        # later are streamed from the first pod only.
        printed = [_print_pod(env, parsed, out, each, wanted) for each in pods]
        if not parsed.get("follow"):
            return
        pod, chosen = pods[0], printed[0]
    else:
        pod = find_pod(env, parsed, out, target)
        chosen = _print_pod(env, parsed, out, pod, wanted)
    if parsed.get("follow") and not parsed.get("previous"):
        status = _status(pod, chosen[0])
        out.stream = {"type": "logs-follow", "namespace": pod["metadata"]["namespace"], "pod": pod["metadata"]["name"],
                      "container": chosen[0], "restarts": int(status.get("restartCount") or 0),
                      "printed": len(instance_lines(env, pod, chosen[0], False)[0]),
                      "rv": env.api.store.resource_version}  # fmt: skip


MAX_LOG_REQUESTS = 5


def _print_pod(env: Env, parsed: Parsed, out: Output, pod: Obj, wanted: str) -> list[str]:
    """Print one pod's log (its chosen containers); returns the containers printed."""
    containers = [str(c.get("name")) for c in (pod.get("spec") or {}).get("containers") or []]
    chosen = containers if parsed.get("all-containers") else [choose_container(pod, wanted, out)]
    for container in chosen:
        lines, started = instance_lines(env, pod, container, bool(parsed.get("previous")))
        out.out_lines(_decorate(lines, started, parsed, pod, container))
    return chosen


def logs_follow_update(env: Env, stream: dict[str, Any], changes: list[Change]) -> tuple[list[str], bool]:
    """New lines of the followed container; the stream ends when that container instance stops."""
    lines: list[str] = []
    for change in changes:
        key = change.key
        if change.resource_version <= int(stream.get("rv") or 0):
            continue
        stream["rv"] = change.resource_version
        if (key.kind, key.namespace, key.name) != ("Pod", stream["namespace"], stream["pod"]):
            continue
        if change.type == "DELETED":
            return lines, True
        status = _status(change.obj, stream["container"])
        restarted = int(status.get("restartCount") or 0) > int(stream["restarts"])
        try:
            current, _ = instance_lines(env, change.obj, stream["container"], restarted)
        except errors.ApiError:
            current = []
        lines += current[int(stream["printed"]) :]
        stream["printed"] = max(int(stream["printed"]), len(current))
        if restarted or (status.get("state") or {}).get("terminated"):
            return lines, True
    return lines, False
