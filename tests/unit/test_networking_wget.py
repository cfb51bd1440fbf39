"""busybox ``wget`` inside a pod, answered by the traffic model (the HPA walkthrough's load loop uses it)."""

from __future__ import annotations

from tests.unit.test_networking_rig import course


def _box():  # type: ignore[no-untyped-def]
    box = course()
    box.ok("kubectl run bb --image=busybox:1.28 -- sleep 3600")
    box.settle()
    return box


def test_quiet_to_stdout_prints_only_the_body() -> None:
    box = _box()
    out = box.ok("kubectl exec bb -- wget -q -O- http://hostname-service")
    assert len(out.stdout) == 1 and out.stdout[0].startswith("hostname: hostname-") and not out.stderr
    combined = box.ok("kubectl exec bb -- wget -qO- hostname-service.default.svc.cluster.local")
    assert combined.stdout[0].startswith("hostname: hostname-")


def test_progress_goes_to_stderr_as_busybox_prints_it() -> None:
    box = _box()
    ip = box.cluster.get("Service", "default", "hostname-service")["spec"]["clusterIP"]  # type: ignore[index]
    out = box.ok("kubectl exec bb -- wget -O- hostname-service")
    assert out.stderr[:2] == [f"Connecting to hostname-service ({ip}:80)", "writing to stdout"]
    assert out.stderr[-1] == "written to stdout" and out.stdout[0].startswith("hostname: hostname-")
    saved = box.ok("kubectl exec bb -- wget hostname-service")
    assert (
        saved.stdout == [] and saved.stderr[1] == "saving to 'index.html'" and saved.stderr[-1] == "'index.html' saved"
    )


def test_errors_are_busyboxs() -> None:
    box = _box()
    out = box.sh("kubectl exec bb -- wget -q -O- http://nosuch")
    assert out.stderr == ["wget: bad address 'nosuch'", "command terminated with exit code 1"]
    assert out.exit_code == 1
    box.ok("kubectl scale deployment hostname --replicas=0")
    box.settle()
    refused = box.sh("kubectl exec bb -- wget -q -O- hostname-service")
    assert refused.exit_code == 1 and refused.stderr[0].startswith("wget: can't connect to remote host (10.")
    bad = box.sh("kubectl exec bb -- wget -x hostname-service")
    assert bad.stderr[0] == "wget: invalid option -- 'x'" and bad.exit_code == 1
