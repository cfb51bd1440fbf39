"""The issue's "done when" flow through the services and the CLI, in embedded mode (SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from cluster import persistence, services
from cluster.models import ObjectChange, Sandbox, StoredObject

pytestmark = pytest.mark.django_db(transaction=True)

BAD_SELECTOR = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: "3"
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
"""


def _pods(sb_id: int) -> list[dict]:
    sb = Sandbox.objects.get(pk=sb_id)
    return [p for p in persistence.load(sb).cluster.list("Pod", "default")]


def _restart(sb_id: int) -> None:
    """Forget every in-process cache: the next call loads from the database like a fresh process."""
    persistence.forget(sb_id)


def test_done_when_flow_survives_restart() -> None:
    sb = services.sandbox_create(name="demo", session_key="cli", seed=7, paused=True)
    out = services.sandbox_exec(sb.pk, "kubectl create deployment dpy-nginx --image=nginx")
    assert out.stdout == ["deployment.apps/dpy-nginx created"]
    services.sandbox_advance(sb.pk, 10_000)
    _restart(sb.pk)
    pods = _pods(sb.pk)
    assert len(pods) == 1
    assert pods[0]["status"]["phase"] == "Running"
    assert pods[0]["spec"]["nodeName"].startswith("worker-")

    out = services.sandbox_exec(sb.pk, "kubectl scale deployment dpy-nginx --replicas=3")
    assert out.stdout == ["deployment.apps/dpy-nginx scaled"]
    services.sandbox_advance(sb.pk, 10_000)
    _restart(sb.pk)
    pods = _pods(sb.pk)
    assert [p["status"]["phase"] for p in pods] == ["Running"] * 3
    assert len({p["status"]["podIP"] for p in pods}) == 3
    assert {p["spec"]["nodeName"] for p in pods} == {"worker-1", "worker-2"}

    victim = pods[0]["metadata"]["name"]
    out = services.sandbox_exec(sb.pk, f"kubectl delete pod {victim}")
    assert out.stdout == [f'pod "{victim}" deleted']
    services.sandbox_advance(sb.pk, 40_000)
    _restart(sb.pk)
    names = {p["metadata"]["name"] for p in _pods(sb.pk)}
    assert victim not in names
    assert len(names) == 3

    out = services.sandbox_exec(sb.pk, "kubectl apply -f bad.yaml", files={"bad.yaml": BAD_SELECTOR})
    assert out.exit_code == 1
    assert out.stderr == [
        'The Deployment "nginx-deployment" is invalid: spec.template.metadata.labels: Invalid value: '
        'map[string]string{"app":"3"}: `selector` does not match template `labels`'
    ]

    services.sandbox_exec(sb.pk, "kubectl delete deployment dpy-nginx")
    services.sandbox_advance(sb.pk, 60_000)
    _restart(sb.pk)
    cluster = persistence.load(Sandbox.objects.get(pk=sb.pk)).cluster
    assert cluster.list("Deployment", "default") == []
    assert cluster.list("ReplicaSet", "default") == []
    assert cluster.list("Pod", "default") == []


def test_rows_mirror_the_store_and_history_is_recorded() -> None:
    sb = services.sandbox_create(name="rows", session_key="cli", seed=3, paused=True)
    services.sandbox_exec(sb.pk, "kubectl create deployment web --image=nginx:1.25 --replicas=2")
    services.sandbox_advance(sb.pk, 15_000)
    sb.refresh_from_db()
    cluster = persistence.load(sb).cluster
    rows = {(r.kind, r.namespace, r.name): r for r in StoredObject.objects.filter(sandbox=sb)}
    assert len(rows) == cluster.store.count()
    pod = cluster.list("Pod", "default")[0]
    row = rows[("Pod", "default", pod["metadata"]["name"])]
    assert row.manifest == pod
    assert row.node_name == pod["spec"]["nodeName"]
    assert row.phase == "Running"
    assert row.owner_uid == pod["metadata"]["ownerReferences"][0]["uid"]
    changes = list(ObjectChange.objects.filter(sandbox=sb).values_list("resource_version", flat=True))
    assert changes == sorted(changes)
    assert changes[-1] == sb.resource_version


def test_stale_copy_is_detected_and_retried() -> None:
    sb = services.sandbox_create(name="stale", session_key="cli", seed=5, paused=True)
    stale = persistence.load(Sandbox.objects.get(pk=sb.pk))
    # Another process writes: simulate by bumping the row's resourceVersion behind the cache's back.
    services.sandbox_exec(sb.pk, "kubectl create namespace dev")
    row = Sandbox.objects.get(pk=sb.pk)
    with pytest.raises(persistence.StaleCluster):
        persistence.flush(row, stale, expected_rv=row.resource_version - 1)
    out = services.sandbox_exec(sb.pk, "kubectl get ns dev -o name")
    assert out.stdout == ["namespace/dev"]


def test_cli_commands(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("sandbox", "create", "cli-demo", "--seed", "1", "--paused")
    call_command("sandbox", "exec", "cli-demo", "kubectl create deployment dpy-nginx --image=nginx")
    call_command("sandbox", "advance", "cli-demo", "10s")
    capsys.readouterr()
    call_command("sandbox", "exec", "cli-demo", "kubectl get pods")
    text = capsys.readouterr().out
    assert text.splitlines()[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert "1/1     Running" in text
    with pytest.raises(SystemExit) as exit_info:
        call_command("sandbox", "exec", "cli-demo", "kubectl get deployment nope")
    assert exit_info.value.code == 1
    assert 'Error from server (NotFound): deployments.apps "nope" not found' in capsys.readouterr().err
    call_command("sandbox", "delete", "cli-demo")
    assert not Sandbox.objects.filter(name="cli-demo").exists()


def test_cli_exec_reads_a_local_manifest_by_absolute_or_relative_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    call_command("sandbox", "create", "cli-files", "--seed", "1", "--paused")
    capsys.readouterr()
    manifest = tmp_path / "web.yaml"
    manifest.write_text(BAD_SELECTOR.replace('app: "3"', "app: nginx"))
    call_command("sandbox", "exec", "cli-files", f"kubectl apply -f {manifest}")
    assert capsys.readouterr().out.strip() == "deployment.apps/nginx-deployment created"
    monkeypatch.chdir(tmp_path)
    call_command("sandbox", "exec", "cli-files", "kubectl apply -f ./web.yaml")
    assert capsys.readouterr().out.strip() == "deployment.apps/nginx-deployment unchanged"
