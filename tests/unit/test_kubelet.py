"""The kubelet's pod lifecycle: admission, image pulls, running, probes, IPs (driven in simulated time)."""

from __future__ import annotations

import re

from cluster.core.objects import clone
from cluster.engine.actions import ObjKey, SetPrivate, Trace
from cluster.kubelet import Kubelet
from tests.unit.test_kubelet_rig import START_MS, Rig, make_rig

NGINX_125_DIGEST_REF = re.compile(r"^docker\.io/library/nginx@sha256:[0-9a-f]{64}$")


def _running_at(rig: Rig, key: ObjKey, limit_ms: int = 10_000) -> int:
    """Advance in 100 ms steps until the pod is Running; the elapsed ms since START_MS."""
    while rig.get(key)["status"].get("phase") != "Running":
        assert rig.now - START_MS < limit_ms, "pod never started"
        rig.advance(100)
    return rig.now - START_MS


def test_admission_writes_the_sandbox_status_at_once() -> None:
    rig = make_rig()
    key = rig.pod("web", image="nginx:1.25")
    rig.drain()
    status = rig.get(key)["status"]
    assert status["phase"] == "Pending"
    assert (status["hostIP"], status["hostIPs"]) == ("192.168.49.3", [{"ip": "192.168.49.3"}])
    assert (status["podIP"], status["podIPs"]) == ("10.244.1.2", [{"ip": "10.244.1.2"}])
    assert status["startTime"] == "2025-11-25T04:18:53Z"
    assert status["qosClass"] == "BestEffort"
    assert [(c["type"], c["status"], c.get("reason"), c.get("message")) for c in status["conditions"]] == [
        ("PodReadyToStartContainers", "True", None, None),
        ("Initialized", "True", None, None),
        ("Ready", "False", "ContainersNotReady", "containers with unready status: [web]"),
        ("ContainersReady", "False", "ContainersNotReady", "containers with unready status: [web]"),
        ("PodScheduled", "True", None, None),
    ]
    assert all(c["lastProbeTime"] is None for c in status["conditions"])
    assert status["containerStatuses"] == [
        {
            "image": "nginx:1.25",
            "imageID": "",
            "lastState": {},
            "name": "web",
            "ready": False,
            "restartCount": 0,
            "started": False,
            "state": {"waiting": {"reason": "ContainerCreating"}},
        }
    ]
    sandbox = [t for _, t in rig.traces]
    assert [(t.source, t.target, t.verb, t.text) for t in sandbox] == [
        ("kubelet:worker-1", "runtime", "RunPodSandbox", "create pod sandbox")
    ]
    assert rig.results[-1].actor == "kubelet:worker-1"


def test_happy_path_pulls_creates_and_starts_within_three_seconds() -> None:
    rig = make_rig()
    key = rig.pod("web", image="nginx:1.25")
    running_ms = _running_at(rig, key)
    assert 1000 <= running_ms <= 3600
    assert rig.reasons() == ["Pulling", "Pulled", "Created", "Started"]
    pulled = rig.texts("Pulled")[0][1]
    assert re.fullmatch(
        r'Successfully pulled image "nginx:1\.25" in (\d\.\d+s) \(\1 including waiting\)\. '
        r"Image size: 70544014 bytes\.",
        pulled,
    )
    assert [m for _, m in rig.texts("Created") + rig.texts("Started")] == [
        "Created container web",
        "Started container web",
    ]
    for seen in rig.events:
        assert (seen.event.component, seen.event.host, seen.event.field_path) == (
            "kubelet",
            "worker-1",
            "spec.containers{web}",
        )
    verbs = [t.verb for _, t in rig.traces]
    assert verbs == ["RunPodSandbox", "PullImage", "StartContainer"]
    assert rig.traces[-1][1].text == "start container web"


def test_running_container_status_has_runtime_ids_and_ready_conditions() -> None:
    rig = make_rig()
    key = rig.pod("web", image="nginx:1.25")
    rig.advance(5000)
    status = rig.get(key)["status"]
    container = status["containerStatuses"][0]
    assert re.fullmatch(r"containerd://[0-9a-f]{64}", container["containerID"])
    assert container["image"] == "docker.io/library/nginx:1.25"
    assert NGINX_125_DIGEST_REF.match(container["imageID"])
    assert (container["ready"], container["started"], container["restartCount"]) == (True, True, 0)
    started_at = container["state"]["running"]["startedAt"]
    ready = rig.condition(key, "Ready")
    assert (ready["status"], ready["lastTransitionTime"]) == ("True", started_at)
    assert "reason" not in ready and "message" not in ready
    assert rig.condition(key, "ContainersReady")["status"] == "True"
    assert status["phase"] == "Running"


def test_pulled_images_are_listed_in_node_status() -> None:
    rig = make_rig()
    rig.pod("web", image="nginx:1.25")
    rig.pod("cache", image="redis:7")
    rig.advance(10_000)
    images = rig.get(ObjKey("Node", "", "worker-1"))["status"]["images"]
    assert [i["sizeBytes"] for i in images] == [70_544_014, 45_135_310]  # largest first
    assert images[0]["names"][1] == "docker.io/library/nginx:1.25"
    assert NGINX_125_DIGEST_REF.match(images[0]["names"][0])
    assert rig.get(ObjKey("Node", "", "worker-2"))["status"]["images"] == []


def test_if_not_present_reuses_the_nodes_image() -> None:
    rig = make_rig()
    rig.pod("first", image="nginx:1.25")
    rig.advance(5000)
    since = rig.now
    key = rig.pod("second", image="nginx:1.25")
    assert _running_at(rig, key) - (since - START_MS) <= 500
    assert rig.reasons(since) == ["Pulled", "Created", "Started"]
    assert rig.texts("Pulled")[-1][1] == 'Container image "nginx:1.25" already present on machine'


def test_another_node_still_has_to_pull() -> None:
    rig = make_rig()
    rig.pod("first", image="nginx:1.25")
    rig.advance(5000)
    since = rig.now
    rig.pod("second", node="worker-2", image="nginx:1.25")
    rig.advance(5000)
    assert rig.reasons(since) == ["Pulling", "Pulled", "Created", "Started"]


def test_always_pulls_again_but_fast_when_the_layers_are_there() -> None:
    rig = make_rig()
    rig.pod("first", image="nginx")
    rig.advance(5000)
    since = rig.now
    key = rig.pod("second", image="nginx")
    rig.advance(5000)
    assert rig.reasons(since) == ["Pulling", "Pulled", "Created", "Started"]
    pulls = [(at, text) for at, text in rig.texts("Pulled") if at >= since - START_MS]
    took_ms = int(re.search(r"in (\d+)ms", pulls[0][1]).group(1))  # type: ignore[union-attr]
    assert 300 <= took_ms <= 800
    assert rig.get(key)["status"]["phase"] == "Running"


def test_never_fails_until_the_image_is_on_the_node() -> None:
    rig = make_rig()
    key = rig.pod("local", containers=[{"name": "local", "image": "nginx:1.25", "imagePullPolicy": "Never"}])
    rig.advance(3000)
    waiting = rig.container(key)["state"]["waiting"]
    message = 'Container image "nginx:1.25" is not present with pull policy of Never'
    assert waiting == {"reason": "ErrImageNeverPull", "message": message}
    assert [s.text for s in rig.events] == [
        f"Warning ErrImageNeverPull {message}",
        "Warning Failed Error: ErrImageNeverPull",
    ]
    rig.pod("puller", image="nginx:1.25")  # pulls the image onto worker-1; the node update wakes "local"
    rig.advance(5000)
    assert rig.get(key)["status"]["phase"] == "Running"


def test_invalid_image_name_never_pulls() -> None:
    rig = make_rig()
    key = rig.pod("bad", image="NGINX")
    rig.advance(60_000)
    assert rig.waiting_reason(key) == "InvalidImageName"
    assert rig.reasons() == ["InspectFailed", "Failed"]
    assert rig.texts("Failed") == [(rig.events[0].at_ms - START_MS, "Error: InvalidImageName")]
    assert rig.results[-1].requeue_after_ms is None


def test_image_pull_backoff_doubles_to_five_minutes() -> None:
    rig = make_rig()
    key = rig.pod("bad", image="nginx:9.9")
    rig.advance(2_000)
    assert rig.waiting_reason(key) == "ErrImagePull"
    error = rig.container(key)["state"]["waiting"]["message"]
    assert error.startswith(
        'rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:9.9"'
    )
    rig.advance(1_000)
    waiting = rig.container(key)["state"]["waiting"]
    assert waiting == {
        "reason": "ImagePullBackOff",
        "message": f'Back-off pulling image "nginx:9.9": ErrImagePull: {error}',
    }
    rig.advance(1_200_000)
    failures = [at for at, text in rig.texts("Failed") if text.startswith("Failed to pull image")]
    pulls = [at for at, _ in rig.texts("Pulling")]
    gaps = [(pull - failed) // 1000 for failed, pull in zip(failures, pulls[1:], strict=False)]
    assert gaps[:7] == [10, 20, 40, 80, 160, 300, 300]
    assert rig.texts("BackOff")[0][1] == 'Back-off pulling image "nginx:9.9"'
    assert rig.get(key)["status"]["phase"] == "Pending"
    assert rig.container(key)["restartCount"] == 0


def test_unknown_repository_reports_access_denied() -> None:
    rig = make_rig()
    key = rig.pod("mine", image="alice/hostname")
    rig.advance(2_000)
    assert "pull access denied, repository does not exist" in rig.container(key)["state"]["waiting"]["message"]


def test_pushed_user_image_runs() -> None:
    rig = make_rig()
    rig.set_private(
        ObjKey("ImageRegistry", "", "docker.io"), {"images": {"alice/hostname:latest": {"app": "hostname"}}}
    )
    key = rig.pod("mine", image="alice/hostname")
    rig.advance(5_000)
    assert rig.container(key)["image"] == "docker.io/alice/hostname:latest"
    assert rig.get(key)["status"]["phase"] == "Running"


def test_readiness_probe_delays_ready_to_the_first_tick_after_the_initial_delay() -> None:
    rig = make_rig()
    probe = {"httpGet": {"path": "/", "port": 80}, "initialDelaySeconds": 5, "periodSeconds": 10}
    key = rig.pod("web", containers=[{"name": "web", "image": "nginx:1.25", "readinessProbe": probe}])
    rig.run_until(START_MS + 9_999)
    container = rig.container(key)
    assert (container["started"], container["ready"], rig.get(key)["status"]["phase"]) == (True, False, "Running")
    assert rig.condition(key, "Ready")["status"] == "False"
    rig.run_until(START_MS + 10_000)  # ticks every 10 s from admission; the first one past start + 5 s
    assert rig.container(key)["ready"] is True
    assert rig.condition(key, "Ready")["lastTransitionTime"] == "2025-11-25T04:19:03Z"


def test_containers_start_in_order_and_a_failed_pull_does_not_block() -> None:
    rig = make_rig()
    containers = [{"name": "bad", "image": "nginx:9.9"}, {"name": "cache", "image": "redis:7"}]
    key = rig.pod("pair", containers=containers)
    rig.advance(6_000)
    order = [(s.event.field_path, s.event.reason) for s in rig.events][:6]
    assert order == [
        ("spec.containers{bad}", "Pulling"),
        ("spec.containers{bad}", "Failed"),
        ("spec.containers{bad}", "Failed"),
        ("spec.containers{cache}", "Pulling"),
        ("spec.containers{bad}", "BackOff"),
        ("spec.containers{bad}", "Failed"),
    ]
    statuses = rig.get(key)["status"]["containerStatuses"]
    assert [s["name"] for s in statuses] == ["bad", "cache"]
    assert (statuses[0]["state"]["waiting"]["reason"], statuses[1]["ready"]) == ("ImagePullBackOff", True)
    assert rig.condition(key, "Ready")["message"] == "containers with unready status: [bad]"
    assert rig.get(key)["status"]["phase"] == "Pending"


def test_second_container_pull_waits_for_the_first_to_start() -> None:
    rig = make_rig()
    key = rig.pod("pair", containers=[{"name": "web", "image": "nginx:1.25"}, {"name": "cache", "image": "redis:7"}])
    rig.advance(10_000)
    started_web = rig.texts("Started")[0][0]
    pulling_cache = next(s.at_ms - START_MS for s in rig.events if s.event.field_path == "spec.containers{cache}")
    assert pulling_cache == started_web
    assert [s["ready"] for s in rig.get(key)["status"]["containerStatuses"]] == [True, True]


def test_pod_ips_are_per_node_and_not_reused_at_once() -> None:
    rig = make_rig()
    keys = [rig.pod(f"p{i}", image="nginx:1.25") for i in range(3)]
    other = rig.pod("far", node="worker-2", image="nginx:1.25")
    rig.advance(5_000)
    assert [rig.get(k)["status"]["podIP"] for k in keys] == ["10.244.1.2", "10.244.1.3", "10.244.1.4"]
    assert rig.get(other)["status"]["podIP"] == "10.244.2.2"
    rig.delete(keys[1])
    rig.advance(5_000)
    assert rig.view.get_key(keys[1]) is None
    fresh = rig.pod("p3", image="nginx:1.25")
    rig.drain()
    assert rig.get(fresh)["status"]["podIP"] == "10.244.1.5"


def test_host_network_pods_use_the_node_ip() -> None:
    rig = make_rig()
    key = rig.pod("agent", image="nginx:1.25", hostNetwork=True)
    rig.drain()
    assert rig.get(key)["status"]["podIP"] == "192.168.49.3"
    assert ObjKey("Node", "", "worker-1") not in rig.view.privates


def test_a_stopped_kubelet_freezes_its_pods() -> None:
    rig = make_rig()
    node = ObjKey("Node", "", "worker-1")
    key = rig.pod("web", image="nginx:1.25")
    rig.drain()
    rig.set_private(node, {**(rig.view.privates.get(node) or {}), "kubeletStoppedAtMs": rig.now})
    frozen = rig.get(key)["status"]
    rig.advance(60_000)
    assert rig.get(key)["status"] == frozen
    assert Kubelet().reconcile(rig.view, key, rig.now).actions == []
    rig.set_private(node, {k: v for k, v in rig.view.privates[node].items() if k != "kubeletStoppedAtMs"})
    rig.reconcile(key)
    rig.advance(5_000)
    assert rig.get(key)["status"]["phase"] == "Running"


def test_pods_without_a_node_are_not_the_kubelets() -> None:
    rig = make_rig()
    key = rig.pod("pending", node="")
    assert Kubelet().reconcile(rig.view, key, rig.now).actions == []
    assert [w.kind for w in Kubelet().watches()] == ["Pod", "Node"]


def test_every_stage_is_a_fixed_point() -> None:
    """A second reconcile at the same instant returns nothing (checked by the rig after every step)."""
    rig = make_rig()
    keys = [rig.pod("web", image="nginx:1.25"), rig.pod("bad", image="nginx:9.9"), rig.pod("bb", image="busybox")]
    rig.advance(120_000)
    acting = [r for r in rig.results if r.actions]
    assert len(acting) > 20
    kubelet = Kubelet()
    for key in keys:
        assert kubelet.reconcile(rig.view, key, rig.now).actions == []


def test_state_lives_in_private_state_so_a_fresh_kubelet_continues() -> None:
    rig = make_rig()
    key = rig.pod("bb", image="busybox")
    rig.advance(30_000)
    assert isinstance(rig.view.privates[key]["kubelet"], dict)
    rig.kubelet = Kubelet()  # a restarted worker: nothing but the view carries over
    rig.advance(60_000)
    assert rig.container(key)["restartCount"] >= 3
    assert any(isinstance(a, SetPrivate) for r in rig.results for a in r.actions)
    assert all(t.source.startswith(("kubelet:", "runtime")) for _, t in rig.traces if isinstance(t, Trace))


def _set_image(rig: Rig, key: ObjKey, image: str) -> None:
    """``kubectl set image pod/…``: the only container field a pod allows to change."""
    pod = clone(rig.get(key))
    pod["spec"]["containers"][0]["image"] = image
    rig.put(pod)


def test_fixing_the_image_of_a_pod_in_image_pull_back_off_pulls_at_once() -> None:
    rig = make_rig()
    key = rig.pod("fixme", image="nginx:9.9")
    rig.advance(5_000)
    assert rig.waiting_reason(key) == "ImagePullBackOff"
    since = rig.now
    _set_image(rig, key, "nginx:1.25")
    rig.advance(4_000)
    assert rig.reasons(since) == ["Pulling", "Pulled", "Created", "Started"]
    assert rig.container(key)["image"] == "docker.io/library/nginx:1.25"
    assert rig.get(key)["status"]["phase"] == "Running"


def test_changing_the_image_of_a_running_container_restarts_it() -> None:
    rig = make_rig()
    key = rig.pod("web", image="nginx:1.25")
    rig.advance(5_000)
    old_id = rig.container(key)["containerID"]
    since = rig.now
    _set_image(rig, key, "nginx:1.27")
    rig.advance(5_000)
    assert rig.texts("Killing") == [(since - START_MS, "Container web definition changed, will be restarted")]
    assert rig.reasons(since)[1:] == ["Pulling", "Pulled", "Created", "Started"]
    container = rig.container(key)
    assert (container["image"], container["restartCount"], container["ready"]) == (
        "docker.io/library/nginx:1.27",
        1,
        True,
    )
    assert container["lastState"]["terminated"]["containerID"] == old_id
