"""Declarative container stages: given a record and the time, what happens next.

kwok describes a pod's life as stages that match a state, wait a delay and
set the next status; this is the same idea over the record kept in private
state (see ``state``). Each handler runs when its stage is due, appends the
events and runtime calls a real kubelet would produce, and sets the next
stage and its due time. Times come from ``now_ms``; anything "random" (pull
durations) from ``stable_random(pod uid, container, …)`` so a repeated
reconcile decides the same.

Kubelet behaviour reproduced (K8S_FACTS §3.8):
- containers start in order; a container's first start (pull included)
  finishes before the next one is tried; a failed pull does not block;
- imagePullPolicy ``Always`` pulls on every start, ``IfNotPresent`` uses the
  node's copy, ``Never`` fails with ``ErrImageNeverPull`` when absent;
- a failed pull shows ``ErrImagePull``, then ``ImagePullBackOff`` until the
  back-off (10 s doubling to 5 min) since the failure has passed;
- the first restart after an exit is immediate; later ones wait in
  ``CrashLoopBackOff`` for the back-off counted from ``finishedAt``;
- editing a pod's image restarts a running container ("definition
  changed") and retries a failed pull at once;
- probes decide ``started``/``ready`` and liveness kills (``probes``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cluster.core.ids import stable_random
from cluster.core.objects import Obj
from cluster.engine.actions import Action, ObjKey, RecordEvent
from cluster.kubelet import backoff
from cluster.kubelet.images import ImageInfo, lookup, pull_error
from cluster.kubelet.probes import listening_ports, plan_probes
from cluster.kubelet.process import plan_process
from cluster.kubelet.reference import InvalidReference, invalid_image_message, parse
from cluster.kubelet.runtime import container_id, cri, from_runtime, go_duration
from cluster.kubelet.state import STARTING, PodState, Record, init_satisfied, record_due
from cluster.kubelet.stop import plan_stop

SYNC_MS = 1000  # PLEG relist period: how soon the kubelet notices a container change and syncs again
MAX_TRANSITIONS = 200


@dataclass
class Step:
    """What one reconcile of one pod collects: events, runtime calls, images newly on the node."""

    pod: Obj
    key: ObjKey
    node: str
    pushed: dict[str, Any] | None
    node_images: set[str]
    origin_ms: int  # when the pod was admitted: probe workers tick from here
    init_names: frozenset[str] = frozenset()
    pod_ip: str = ""
    pull_delay_ms: int = 0  # a slow registry (fault injection): added to every pull this node starts
    actions: list[Action] = field(default_factory=list)
    pulled: list[ImageInfo] = field(default_factory=list)

    @property
    def uid(self) -> str:
        return str(self.pod["metadata"].get("uid", ""))

    @property
    def pod_ref(self) -> str:
        """``format.Pod``: ``name_namespace(uid)``."""
        meta = self.pod["metadata"]
        return f"{meta['name']}_{meta.get('namespace', 'default')}({self.uid})"

    def event(self, container: str, type_: str, reason: str, message: str, field_path: str = "") -> None:
        group = "initContainers" if container in self.init_names else "containers"
        path = field_path or f"spec.{group}{{{container}}}"
        self.actions.append(RecordEvent(self.pod, type_, reason, message, "kubelet", self.node, path))

    def cri(self, verb: str, text: str, **params: Any) -> None:
        self.actions.append(cri(self.node, verb, text, self.key, **params))

    def reported(self, verb: str, text: str, **params: Any) -> None:
        self.actions.append(from_runtime(self.node, verb, text, self.key, **params))


def pull_policy(container: dict[str, Any]) -> str:
    """The container's policy, defaulted as the API server does when absent (K8S_FACTS §1.4)."""
    policy = container.get("imagePullPolicy")
    if policy:
        return str(policy)
    try:
        ref = parse(str(container.get("image", "")))
    except InvalidReference:
        return "IfNotPresent"
    return "Always" if ref.tag == "latest" and not ref.digest else "IfNotPresent"


def should_restart(pod: Obj, exit_code: int, rec: Record | None = None) -> bool:
    """``ShouldContainerBeRestarted``; a regular init container is only ever retried after a failure."""
    if rec is not None and rec.get("sidecar"):
        return True
    if rec is not None and rec.get("killedByProbe"):
        return (pod.get("spec") or {}).get("restartPolicy") != "Never"
    policy = (pod.get("spec") or {}).get("restartPolicy") or "Always"
    if rec is not None and rec.get("init"):
        return exit_code != 0 and policy != "Never"
    return policy == "Always" or (policy == "OnFailure" and exit_code != 0)


def _on_node(info: ImageInfo | None, node_images: set[str]) -> bool:
    return info is not None and any(name in node_images for name in info.names)


def _pull_ms(step: Step, rec: Record, info: ImageInfo | None, present: bool) -> int:
    rng = stable_random(step.uid, rec["name"], "pull", rec["pullAttempt"])
    if info is None:
        return step.pull_delay_ms + rng.randint(400, 1200)  # resolving the reference fails quickly
    if present:
        return step.pull_delay_ms + rng.randint(300, 800)  # manifest check only: the layers are already there
    return step.pull_delay_ms + max(1000, min(3000, int(info.pull_ms * rng.uniform(0.75, 1.25))))


def _fail(rec: Record, stage: str, reason: str, message: str, due_ms: int | None) -> None:
    rec.update(stage=stage, reason=reason, message=message, dueMs=due_ms)


def begin(step: Step, c: dict[str, Any], rec: Record, now: int) -> None:
    """``waiting`` is due: check the image against the pull policy, then pull or start."""
    image = str(c.get("image", ""))
    name = rec["name"]
    rec["specImage"] = image
    invalid = invalid_image_message(image)
    if invalid is not None:
        _fail(rec, "invalidName", "InvalidImageName", invalid, None)
        step.event(name, "Warning", "InspectFailed", invalid)
        step.event(name, "Warning", "Failed", "Error: InvalidImageName")
        return
    info = lookup(image, step.pushed)
    policy = pull_policy(c)
    present = _on_node(info, step.node_images)
    if info is not None and present and policy != "Always":
        step.event(name, "Normal", "Pulled", f'Container image "{image}" already present on machine')
        start(step, c, rec, info, now)
        return
    if policy == "Never":
        message = f'Container image "{image}" is not present with pull policy of Never'
        _fail(rec, "neverPull", "ErrImageNeverPull", message, None)
        step.event(name, "Warning", "ErrImageNeverPull", message)
        step.event(name, "Warning", "Failed", "Error: ErrImageNeverPull")
        return
    rec["pullAttempt"] += 1
    rec.update(stage="pulling", pullStartedAtMs=now, dueMs=now + _pull_ms(step, rec, info, present))
    step.event(name, "Normal", "Pulling", f'Pulling image "{image}"')
    step.cri("PullImage", f"pull image {image}", image=image, container=name)


def finish_pull(step: Step, c: dict[str, Any], rec: Record, now: int) -> None:
    """``pulling`` is due: the pull succeeded (start the container) or failed (ErrImagePull)."""
    image = str(c.get("image", ""))
    name = rec["name"]
    info = lookup(image, step.pushed)
    if info is None:
        error = pull_error(image, step.pushed)
        rec["pullBackoff"] = backoff.next_entry(rec.get("pullBackoff"), now, now)
        _fail(rec, "pullFailed", "ErrImagePull", error, now + SYNC_MS)
        step.event(name, "Warning", "Failed", f'Failed to pull image "{image}": {error}')
        step.event(name, "Warning", "Failed", "Error: ErrImagePull")
        return
    took = go_duration(now - int(rec["pullStartedAtMs"]))
    step.event(
        name,
        "Normal",
        "Pulled",
        f'Successfully pulled image "{image}" in {took} ({took} including waiting). '
        f"Image size: {info.size_bytes} bytes.",
    )
    step.pulled.append(info)
    step.node_images.update(info.names)
    start(step, c, rec, info, now)


def start(step: Step, c: dict[str, Any], rec: Record, info: ImageInfo, now: int) -> None:
    """Create and start a new instance of the container."""
    name = rec["name"]
    process = plan_process(c, info)
    rec["attempt"] += 1
    rec["previous"] = rec.get("current")
    rec["current"] = {"containerID": container_id(step.uid, name, rec["attempt"]), "startedAtMs": now}
    rec["image"] = {"ref": info.ref, "id": info.digest_ref}
    ports = listening_ports(info, process, bool(c.get("command") or c.get("args")))
    plan = plan_probes(c, info, ports, step.pod_ip, step.origin_ms, now)
    exit_at = None if process.exit_after_ms is None else now + process.exit_after_ms
    rec.update(stage="running", dueMs=None, reason="", message="", exitAtMs=exit_at, exitCode=process.exit_code)
    rec.update(startupAtMs=plan.started_at, readyAtMs=plan.ready_at, started=plan.started_at <= now)
    rec.update(ready=plan.ready_at is not None and plan.ready_at <= now, killAtMs=None, killedByProbe=False)
    if plan.kill_at is not None and (exit_at is None or plan.kill_at < exit_at):
        grace = int((step.pod.get("spec") or {}).get("terminationGracePeriodSeconds", 30)) * 1000
        stop = plan_stop(c, rec, plan.kill_at, grace, step.pushed)
        rec.update(killAtMs=plan.kill_at, exitAtMs=stop["atMs"], exitCode=stop["exitCode"])
    end = rec["exitAtMs"]
    rec["unhealthy"] = [[at, text] for at, text in plan.unhealthy if end is None or at < end]
    step.event(name, "Normal", "Created", f"Created container {name}")
    step.event(name, "Normal", "Started", f"Started container {name}")
    step.cri("StartContainer", f"start container {name}", container=name, image=info.ref)


def exit_container(step: Step, rec: Record, now: int, code: int) -> None:
    """The running instance has exited with ``code``."""
    current = rec["current"]
    current.update(finishedAtMs=now, exitCode=code, reason="Completed" if code == 0 else "Error")
    rec.update(exitAtMs=None, startupAtMs=None, readyAtMs=None, started=False, ready=False, unhealthy=[])
    step.reported(
        "ContainerExited", f"container {rec['name']} exited with code {code}", container=rec["name"], code=code
    )
    if should_restart(step.pod, code, rec):
        rec.update(stage="exited", dueMs=now + SYNC_MS)
    else:
        rec.update(stage="done", dueMs=None)


def _probe_events(step: Step, rec: Record, now: int) -> None:
    """Failed probes due by ``now`` report ``Unhealthy``; the last allowed liveness failure kills."""
    name = rec["name"]
    pending = rec.get("unhealthy") or []
    while pending and pending[0][0] <= now:
        step.event(name, "Warning", "Unhealthy", pending.pop(0)[1])
    if rec.get("killAtMs") is not None and rec["killAtMs"] <= now:
        step.event(name, "Normal", "Killing", f"Container {name} failed liveness probe, will be restarted")
        step.cri("StopContainer", f"stop container {name} (SIGTERM)", container=name)
        rec.update(killAtMs=None, killedByProbe=True)


def tick_running(step: Step, c: dict[str, Any], rec: Record, now: int) -> None:
    _probe_events(step, rec, now)
    if not rec["started"] and rec.get("startupAtMs") is not None and rec["startupAtMs"] <= now:
        rec["started"] = True
    if not rec["ready"] and rec.get("readyAtMs") is not None and rec["readyAtMs"] <= now:
        rec["ready"] = True
    if rec.get("exitAtMs") is not None and rec["exitAtMs"] <= now:
        exit_container(step, rec, now, int(rec.get("exitCode") or 0))


def decide_restart(step: Step, c: dict[str, Any], rec: Record, now: int) -> None:
    """``exited`` is due: restart at once, or wait in CrashLoopBackOff (``doBackOff``)."""
    finished = int(rec["current"]["finishedAtMs"])
    entry = rec.get("crashBackoff")
    if entry is not None and backoff.in_backoff_since(entry, finished, now):
        delay = go_duration(int(entry["backoffMs"]))
        name = rec["name"]
        message = f"back-off {delay} restarting failed container={name} pod={step.pod_ref}"
        _fail(rec, "crashBackOff", "CrashLoopBackOff", message, finished + int(entry["backoffMs"]))
        step.event(name, "Warning", "BackOff", f"Back-off restarting failed container {name} in pod {step.pod_ref}")
        return
    rec["crashBackoff"] = backoff.next_entry(entry, finished, now)
    rec.update(stage="waiting", dueMs=now)


def end_crash_backoff(step: Step, c: dict[str, Any], rec: Record, now: int) -> None:
    finished = int(rec["current"]["finishedAtMs"])
    rec["crashBackoff"] = backoff.next_entry(rec.get("crashBackoff"), finished, now)
    rec.update(stage="waiting", dueMs=now)


def pull_backoff(step: Step, c: dict[str, Any], rec: Record, now: int) -> None:
    """``pullFailed`` is due: the next sync finds the image in back-off (ImagePullBackOff)."""
    entry = rec.get("pullBackoff")
    if not backoff.in_backoff_since_update(entry, now):
        rec.update(stage="waiting", dueMs=now)
        return
    assert entry is not None
    image = str(c.get("image", ""))
    text = f'Back-off pulling image "{image}"'
    message = f"{text}: ErrImagePull: {rec['message']}"
    _fail(rec, "pullBackOff", "ImagePullBackOff", message, int(entry["lastUpdateMs"]) + int(entry["backoffMs"]))
    step.event(rec["name"], "Normal", "BackOff", text)
    step.event(rec["name"], "Warning", "Failed", "Error: ImagePullBackOff")


def retry_pull(step: Step, c: dict[str, Any], rec: Record, now: int) -> None:
    rec.update(stage="waiting", dueMs=now)


def finish_replace(step: Step, c: dict[str, Any], rec: Record, now: int) -> None:
    """``replacing`` is due: the old instance has stopped; start one from the new spec at once."""
    code = int(rec.get("stopExitCode") or 0)
    rec["current"].update(finishedAtMs=now, exitCode=code, reason="Completed" if code == 0 else "Error")
    rec.update(stage="waiting", dueMs=now, exitAtMs=None, started=False, ready=False)


def _spec_changed(step: Step, c: dict[str, Any], rec: Record, now: int) -> None:
    """The pod's image was edited: restart a running container, retry a failed pull now (``containerChanged``)."""
    image = str(c.get("image", ""))
    if rec.get("specImage") in (None, image):
        return
    rec["specImage"] = image
    name = rec["name"]
    if rec["stage"] == "running":
        grace = int((step.pod.get("spec") or {}).get("terminationGracePeriodSeconds", 30)) * 1000
        stop = plan_stop(c, rec, now, grace, step.pushed)
        rec.update(stage="replacing", dueMs=stop["atMs"], stopExitCode=stop["exitCode"])
        step.event(name, "Normal", "Killing", f"Container {name} definition changed, will be restarted")
        step.cri("StopContainer", f"stop container {name} (SIGTERM)", container=name)
    elif rec["stage"] in ("pullFailed", "pullBackOff", "neverPull", "invalidName"):
        rec.update(stage="waiting", dueMs=now, pullBackoff=None)


Handler = Callable[[Step, dict[str, Any], Record, int], None]
HANDLERS: dict[str, Handler] = {
    "waiting": begin,
    "pulling": finish_pull,
    "running": tick_running,
    "exited": decide_restart,
    "crashBackOff": end_crash_backoff,
    "pullFailed": pull_backoff,
    "pullBackOff": retry_pull,
    "replacing": finish_replace,
}


def _unblock(state: PodState, now: int) -> None:
    """Let the next container start: init containers one by one, then the app containers in order."""
    inits: list[Record] = state.get("initContainers") or []
    for prev, rec in itertools.pairwise(inits):
        if rec["stage"] == "blocked" and init_satisfied(prev):
            rec.update(stage="waiting", dueMs=now)
    apps: list[Record] = state["containers"]
    if apps and apps[0]["stage"] == "blocked" and all(init_satisfied(r) for r in inits):
        apps[0].update(stage="waiting", dueMs=now)
    for prev, rec in itertools.pairwise(apps):
        if rec["stage"] == "blocked" and prev["stage"] not in STARTING:
            rec.update(stage="waiting", dueMs=now)


def _ready_to_move(step: Step, c: dict[str, Any], rec: Record, now: int) -> bool:
    if rec["stage"] == "neverPull":
        return _on_node(lookup(str(c.get("image", "")), step.pushed), step.node_images)
    due = record_due(rec)
    return due is not None and due <= now and rec["stage"] in HANDLERS


def pairs(pod: Obj, state: PodState) -> list[tuple[dict[str, Any], Record]]:
    """(spec, record) of every container the kubelet tracks, init containers first."""
    spec = pod.get("spec") or {}
    by_name = {r["name"]: r for r in [*(state.get("initContainers") or []), *state["containers"]]}
    specs = [*(spec.get("initContainers") or []), *(spec.get("containers") or [])]
    return [(c, by_name[c["name"]]) for c in specs if c.get("name") in by_name]


def advance(step: Step, state: PodState, now: int) -> None:
    """Run every transition due at ``now`` (a transition may make the next one due at once)."""
    tracked = pairs(step.pod, state)
    for _ in range(MAX_TRANSITIONS):
        moved = False
        for c, rec in tracked:
            _spec_changed(step, c, rec, now)
            if _ready_to_move(step, c, rec, now):
                HANDLERS.get(rec["stage"], begin)(step, c, rec, now)
                moved = True
        _unblock(state, now)
        if not moved:
            return
