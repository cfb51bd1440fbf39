"""Subresources: ``scale``, ``status``, ``log``, ``eviction``, ``binding``, and a clear refusal for the streams
not served over HTTP (``exec`` is served over WebSocket by ``execws``; ``attach``, ``port-forward``, ``proxy``
not at all).

``scale`` is what ``kubectl scale`` and HPAs talk to: an ``autoscaling/v1``
``Scale`` whose ``spec.replicas`` is the workload's and whose status carries
the observed replicas and the selector as a string. ``log`` returns the
container's output as text (K8S_FACTS §7.3), reconstructed by the simulated
kubelet; ``follow`` is streamed by the view.

Simplification: ``sinceSeconds``/``sinceTime`` are accepted and ignored (the
simulated log lines carry no individual times).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cluster.apiserver.context import RequestContext
from cluster.core import errors
from cluster.core.labels import selector_string
from cluster.core.objects import clone
from cluster.core.patch import PatchError, json_patch, merge_patch
from cluster.core.timefmt import parse_rfc3339, rfc3339
from cluster.engine.actions import ObjKey
from cluster.sim import SimCluster
from sandbox.k8sapi import negotiate, ops, writes
from sandbox.k8sapi.exchange import TEXT, ApiRequest, Reply, ok
from sandbox.k8sapi.routes import Target

Obj = dict[str, Any]
UNSUPPORTED_STREAMS = ("exec", "attach", "portforward", "proxy")
EXEC_MESSAGE = "{sub} is not supported by this sandbox: its containers are simulated; {hint}"
EXEC_HINTS = {
    "portforward": 'reach the pods with "curl" in the sandbox\'s terminal instead',
    "proxy": 'reach the pods with "curl" in the sandbox\'s terminal instead',
}
EXEC_HINT = 'run "kubectl {sub}" in the sandbox\'s terminal instead'


# -- scale -------------------------------------------------------------------------------------------------------
def scale_of(obj: Obj) -> Obj:
    """The ``autoscaling/v1`` Scale of a Deployment or ReplicaSet."""
    meta = obj.get("metadata") or {}
    spec: Obj = obj.get("spec") or {}
    scale_meta = {k: meta[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp") if k in meta}
    scale_spec = {"replicas": spec["replicas"]} if spec.get("replicas") else {}
    status = {
        "replicas": int((obj.get("status") or {}).get("replicas") or 0),
        "selector": selector_string(spec.get("selector")),
    }
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": scale_meta,
        "spec": scale_spec,
        "status": status,
    }


def _set_replicas(cluster: SimCluster, target: Target, scale: Obj, ctx: RequestContext) -> Obj:
    namespace = target.namespace or ""
    current = cluster.api.get(target.served.kind, namespace, target.name)
    spec: Obj = scale["spec"] if isinstance(scale.get("spec"), dict) else {}
    replicas = spec.get("replicas", 0)
    if not isinstance(replicas, int) or isinstance(replicas, bool):
        raise errors.bad_request("Scale.spec.replicas must be an integer")
    new = clone(current)
    new["spec"]["replicas"] = replicas
    sent_rv = (scale.get("metadata") or {}).get("resourceVersion")
    if sent_rv:
        new["metadata"]["resourceVersion"] = str(sent_rv)
    if replicas < 0:
        why = errors.invalid("spec.replicas", replicas, "must be greater than or equal to 0")
        raise errors.invalid_object("Scale", "autoscaling", target.name, [why])
    return cluster.api.update(new, ctx, subresource="scale")


def patch_scale(current: Obj, patch: Any, patch_kind: str) -> Obj:
    """A Scale with a patch applied (a Scale has no lists: strategic and apply patches merge like merge patches)."""
    try:
        if patch_kind == "json":
            if not isinstance(patch, list):
                raise errors.bad_request("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
            patched: Obj = json_patch(current, patch)
            return patched
        if not isinstance(patch, dict):
            raise errors.bad_request("json: cannot unmarshal array into Go value of type map[string]interface {}")
        merged: Obj = merge_patch(current, patch)
        return merged
    except PatchError as exc:
        raise errors.ApiError(422, "Invalid", str(exc)) from exc


def scale(req: ApiRequest, target: Target) -> Reply:
    namespace = target.namespace or ""
    kind = target.served.kind
    if req.method == "GET":
        ctx = ops.read_context(req)
        obj = ops.run(req.sandbox_id, lambda c: c.api.get(kind, namespace, target.name, ctx))
        return ok(scale_of(obj))
    ctx = ops.write_context(req)
    if req.method == "PUT":
        body = negotiate.decode_body(req.body, req.content_type)
        if not isinstance(body, dict):
            raise errors.bad_request("the request body must be a Scale object")
        updated = ops.run(req.sandbox_id, lambda c: _set_replicas(c, target, body, ctx))
        return ok(scale_of(updated), 200, ctx.warnings)
    patch_kind = writes.patch_type(req)
    patch = negotiate.decode_body(req.body, req.content_type)

    def write(cluster: SimCluster) -> Obj:
        current = scale_of(cluster.api.get(kind, namespace, target.name, ctx))
        return _set_replicas(cluster, target, patch_scale(current, patch, patch_kind), ctx)

    return ok(scale_of(ops.run(req.sandbox_id, write)), 200, ctx.warnings)


# -- eviction and binding -----------------------------------------------------------------------------------------
def eviction(req: ApiRequest, target: Target) -> Reply:
    """POST pods/<name>/eviction (``kubectl drain``): delete the pod gracefully (there are no disruption budgets)."""
    body = negotiate.decode_body(req.body, req.content_type) if req.body.strip() else {}
    opts = dict((body or {}).get("deleteOptions") or {})
    ctx = ops.write_context(req, body_dry_run=list(opts.get("dryRun") or []))
    pod = Target(target.served, target.namespace, target.name)
    ops.run(req.sandbox_id, lambda c: writes.delete_one(c, pod, opts, ctx))
    return ok({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}, 201)


def binding(req: ApiRequest, target: Target) -> Reply:
    """POST pods/<name>/binding: what a scheduler does; here any client may bind a pending pod by hand."""
    body = negotiate.decode_body(req.body, req.content_type)
    node = str(((body or {}).get("target") or {}).get("name") or "") if isinstance(body, dict) else ""
    if not node:
        raise errors.invalid_object("Binding", "", target.name, [errors.required("target.name")])
    ctx = ops.write_context(req)
    ops.run(req.sandbox_id, lambda c: c.api.bind(target.namespace or "default", target.name, node, ctx))
    return ok({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "code": 201}, 201)


def unsupported_stream(target: Target) -> errors.ApiError:
    sub = target.subresource
    hint = EXEC_HINTS.get(sub, EXEC_HINT.format(sub=sub))
    return errors.bad_request(EXEC_MESSAGE.format(sub=sub, hint=hint))


# -- log ----------------------------------------------------------------------------------------------------------
def choose_container(pod: Obj, wanted: str) -> str:
    spec = pod.get("spec") or {}
    names = [str(c.get("name")) for c in spec.get("containers") or []]
    init_names = [str(c.get("name")) for c in spec.get("initContainers") or []]
    name = pod["metadata"]["name"]
    if wanted:
        if wanted not in names + init_names:
            raise errors.bad_request(f"container {wanted} is not valid for pod {name}")
        return wanted
    if len(names) == 1:
        return names[0]
    choices = " ".join(names)
    raise errors.bad_request(f"a container name must be specified for pod {name}, choose one of: [{choices}]")


def _started_at(pod: Obj, container: str, previous: bool) -> str:
    statuses = [
        *((pod.get("status") or {}).get("containerStatuses") or []),
        *((pod.get("status") or {}).get("initContainerStatuses") or []),
    ]
    found: Obj = next((s for s in statuses if s.get("name") == container), {})
    if previous:
        return str(((found.get("lastState") or {}).get("terminated") or {}).get("startedAt") or "")
    state = found.get("state") or {}
    return str((state.get("running") or state.get("terminated") or {}).get("startedAt") or "")


def container_lines(cluster: SimCluster, pod: Obj, container: str, previous: bool) -> list[str]:
    """What the container instance printed: the simulated kubelet's record, else the image's own lines."""
    from cluster.kubectl.base import Env
    from cluster.kubectl.commands.logs import instance_lines
    from cluster.kubelet import container_logs

    key = ObjKey.of(pod)
    lines = container_logs(pod, cluster.store.private(key), container, cluster.now_ms, previous)
    if lines is not None:
        return lines
    env = Env(api=cluster.api, now_ms=lambda: cluster.now_ms)
    return instance_lines(env, pod, container, previous)[0]


def decorate_new(req: ApiRequest, lines: list[str], started: str) -> list[str]:
    """``timestamps``: each line prefixed with the instance's start time in RFC 3339 with nanoseconds."""
    if negotiate.flag(req.query, "timestamps") and started:
        stamp = rfc3339(parse_rfc3339(started)).replace("Z", ".000000000Z")
        return [f"{stamp} {line}" for line in lines]
    return lines


def decorate(req: ApiRequest, lines: list[str], started: str) -> list[str]:
    """``tailLines`` and ``timestamps``, as the kubelet applies them."""
    tail = negotiate.integer(req.query, "tailLines")
    if tail is not None and tail >= 0:
        lines = lines[-tail:] if tail else []
    return decorate_new(req, lines, started)


def log_text(lines: list[str], req: ApiRequest) -> str:
    text = "".join(f"{line}\n" for line in lines)
    limit = negotiate.integer(req.query, "limitBytes")
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore") if limit is not None and limit > 0 else text


@dataclass(frozen=True)
class LogRead:
    """What a log request read: the lines to send, how many the instance has printed, and which instance."""

    lines: list[str]
    printed: int
    container: str
    restarts: int
    started: str


def restart_count(pod: Obj, container: str) -> int:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    return next((int(s.get("restartCount") or 0) for s in statuses if s.get("name") == container), 0)


def read_log(req: ApiRequest, target: Target) -> LogRead:
    ctx = ops.read_context(req)
    previous = negotiate.flag(req.query, "previous")

    def read(cluster: SimCluster) -> LogRead:
        pod = cluster.api.get("Pod", target.namespace or "default", target.name, ctx)
        container = choose_container(pod, negotiate.text(req.query, "container"))
        lines = container_lines(cluster, pod, container, previous)
        started = _started_at(pod, container, previous)
        return LogRead(decorate(req, lines, started), len(lines), container, restart_count(pod, container), started)

    return ops.run(req.sandbox_id, read)


def log(req: ApiRequest, target: Target) -> Reply:
    return ok(log_text(read_log(req, target).lines, req), content_type=TEXT)
