"""Node objects as the kubelet registers them, and the kubelet reporting Ready again after a fault."""

from __future__ import annotations

import re

from cluster.core.objects import clone
from cluster.engine.actions import ObjKey, RecordEvent, UpdateStatus
from cluster.kubelet import Kubelet, new_node, node_ready_conditions
from tests.unit.fakes import FakeView

START_MS = 1_764_044_333_000
STAMP = "2025-11-25T04:18:53Z"


def test_new_worker_node_looks_like_a_kubeadm_join() -> None:
    node = new_node("worker-1", 1, START_MS, "worker")
    assert node["metadata"]["labels"] == {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": "worker-1",
        "kubernetes.io/os": "linux",
    }
    assert node["spec"] == {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"]}
    status = node["status"]
    assert status["addresses"] == [
        {"type": "InternalIP", "address": "192.168.49.3"},
        {"type": "Hostname", "address": "worker-1"},
    ]
    expected = {"cpu": "2", "ephemeral-storage": "61202244Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0",
                "memory": "4015948Ki", "pods": "110"}  # fmt: skip
    assert status["capacity"] == expected and status["allocatable"] == expected
    assert status["daemonEndpoints"] == {"kubeletEndpoint": {"Port": 10250}}
    info = status["nodeInfo"]
    assert (info["kubeletVersion"], info["kubeProxyVersion"]) == ("v1.32.4", "v1.32.4")
    assert (info["containerRuntimeVersion"], info["osImage"], info["kernelVersion"]) == (
        "containerd://1.7.24",
        "Ubuntu 22.04.5 LTS",
        "6.8.0-45-generic",
    )
    assert (info["operatingSystem"], info["architecture"]) == ("linux", "amd64")
    assert re.fullmatch(r"[0-9a-f]{32}", info["machineID"])
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", info["systemUUID"])
    assert info["bootID"] != info["systemUUID"]
    assert new_node("worker-1", 1, START_MS)["status"]["nodeInfo"] == info  # stable
    assert new_node("worker-2", 2, START_MS)["status"]["nodeInfo"]["machineID"] != info["machineID"]


def test_control_plane_node_is_labelled_and_tainted() -> None:
    node = new_node("control-plane", 0, START_MS, "control-plane")
    assert node["metadata"]["labels"]["node-role.kubernetes.io/control-plane"] == ""
    assert node["spec"]["taints"] == [{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}]
    assert node["spec"]["podCIDR"] == "10.244.0.0/24"
    assert node["status"]["addresses"][0]["address"] == "192.168.49.2"


def test_ready_conditions_use_the_kubelets_reasons() -> None:
    conditions = node_ready_conditions(START_MS)
    assert [(c["type"], c["status"], c["reason"], c["message"]) for c in conditions] == [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ]
    assert {(c["lastHeartbeatTime"], c["lastTransitionTime"]) for c in conditions} == {(STAMP, STAMP)}


def _unknown(node: dict[str, object]) -> dict[str, object]:
    """What the node lifecycle controller leaves after the kubelet stopped posting status."""
    broken = clone(node)
    for cond in broken["status"]["conditions"]:  # type: ignore[index]
        cond.update(status="Unknown", reason="NodeStatusUnknown", message="Kubelet stopped posting node status.")
        cond["lastTransitionTime"] = "2025-11-25T04:20:00Z"
    return broken


def test_a_restarted_kubelet_reports_ready_again() -> None:
    node = _unknown(new_node("worker-1", 1, START_MS))
    view = FakeView([node], START_MS + 600_000)
    result = Kubelet().reconcile(view, ObjKey("Node", "", "worker-1"), view.now_ms)
    assert result.actor == "kubelet:worker-1"
    events = [a for a in result.actions if isinstance(a, RecordEvent)]
    assert [(e.reason, e.message, e.component) for e in events] == [
        ("Starting", "Starting kubelet.", "kubelet"),
        ("NodeReady", "Node worker-1 status is now: NodeReady", "kubelet"),
    ]
    update = next(a for a in result.actions if isinstance(a, UpdateStatus))
    ready = next(c for c in update.obj["status"]["conditions"] if c["type"] == "Ready")
    assert (ready["status"], ready["reason"], ready["lastTransitionTime"]) == (
        "True",
        "KubeletReady",
        "2025-11-25T04:28:53Z",
    )
    view.add(update.obj)
    assert Kubelet().reconcile(view, ObjKey("Node", "", "worker-1"), view.now_ms).actions == []


def test_a_ready_node_or_a_stopped_kubelet_is_left_alone() -> None:
    healthy = new_node("worker-1", 1, START_MS)
    view = FakeView([healthy, _unknown(new_node("worker-2", 2, START_MS))], START_MS)
    view.privates[ObjKey("Node", "", "worker-2")] = {"kubeletStoppedAtMs": START_MS}
    kubelet = Kubelet()
    assert kubelet.reconcile(view, ObjKey("Node", "", "worker-1"), START_MS).actions == []
    assert kubelet.reconcile(view, ObjKey("Node", "", "worker-2"), START_MS).actions == []


def test_unchanged_conditions_keep_their_transition_time() -> None:
    node = new_node("worker-1", 1, START_MS)
    ready = node["status"]["conditions"][3]
    ready.update(status="False", reason="KubeletNotReady", lastTransitionTime="2025-11-25T04:19:00Z")
    view = FakeView([node], START_MS + 60_000)
    result = Kubelet().reconcile(view, ObjKey("Node", "", "worker-1"), view.now_ms)
    update = next(a for a in result.actions if isinstance(a, UpdateStatus))
    times = {c["type"]: c["lastTransitionTime"] for c in update.obj["status"]["conditions"]}
    assert times == {
        "MemoryPressure": STAMP,
        "DiskPressure": STAMP,
        "PIDPressure": STAMP,
        "Ready": "2025-11-25T04:19:53Z",
    }
    assert [a.reason for a in result.actions if isinstance(a, RecordEvent)] == ["NodeReady"]
