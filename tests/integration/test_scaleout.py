"""Scale-out mode for real: PostgreSQL + Redis + separate ``runworker cluster-controllers`` processes.

Every step goes through ``manage.py`` subprocesses configured only by
``DATABASE_URL``/``REDIS_URL``, exactly as an operator would run them. The
web side (here the CLI) only makes API requests; the controllers run in the
worker process. Waiting on another process is a bounded poll of observable
state, never a sleep that stands in for behaviour.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

REPO = Path(__file__).resolve().parents[2]
POLL_S = 0.2


def manage(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
        )
    return result


def kubectl_json(env: dict[str, str], sandbox: str, line: str) -> dict:
    return json.loads(manage(env, "sandbox", "exec", sandbox, f"{line} -o json").stdout)


def wait_for(condition, what: str, timeout_s: float = 90.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        last = condition()
        if last:
            return last
        time.sleep(POLL_S)
    raise AssertionError(f"timed out waiting for {what}; last observation: {last!r}")


@pytest.fixture(scope="module")
def scaleout(postgres_url: str, redis_url: str) -> Iterator[dict[str, str]]:
    name = f"ks_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = postgres_url.rpartition("/")
    env = {
        **os.environ,
        "DATABASE_URL": f"{base}/{name}",
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "sandbox.settings",
        "PYTHONUNBUFFERED": "1",
    }
    manage(env, "migrate", "--noinput")
    yield env


@pytest.fixture
def worker(scaleout: dict[str, str]) -> Iterator[list[subprocess.Popen[bytes]]]:
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def start_worker(env: dict[str, str], procs: list[subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "runworker", "cluster-controllers"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    procs.append(proc)
    return proc


def phases(env: dict[str, str], sandbox: str) -> list[str]:
    pods = kubectl_json(env, sandbox, "kubectl get pods")
    items = pods.get("items", [pods]) if pods.get("kind") != "Pod" else [pods]
    return sorted((p.get("status") or {}).get("phase", "") for p in items)


def test_worker_process_runs_the_controllers(scaleout: dict[str, str], worker: list[subprocess.Popen[bytes]]) -> None:
    env = scaleout
    manage(env, "sandbox", "create", "so-demo", "--seed", "1")
    manage(env, "sandbox", "clock", "so-demo", "--speed", "20")
    out = manage(env, "sandbox", "exec", "so-demo", "kubectl create deployment web --image=nginx:1.25 --replicas=3")
    assert out.stdout.strip() == "deployment.apps/web created"
    # Without a worker nothing reconciles: the deployment has no ReplicaSet yet.
    assert json.loads(manage(env, "sandbox", "exec", "so-demo", "kubectl get rs -o json").stdout)["items"] == []
    start_worker(env, worker)
    wait_for(lambda: phases(env, "so-demo") == ["Running"] * 3, "3 Running pods made by the worker")


def _max_surge_observed(postgres_env_url: str, sandbox: str) -> tuple[int, int]:
    """Replay the watch history: the most ReplicaSet replicas and active pods that ever coexisted."""
    with psycopg.connect(postgres_env_url) as conn:
        rows = conn.execute(
            "SELECT c.type, c.kind, c.namespace, c.name, c.object FROM cluster_objectchange c "
            "JOIN cluster_sandbox s ON s.id = c.sandbox_id WHERE s.name = %s AND c.kind IN ('ReplicaSet', 'Pod') "
            "ORDER BY c.resource_version",
            (sandbox,),
        ).fetchall()
    replicas: dict[str, int] = {}
    active: set[str] = set()
    max_replicas = max_pods = 0
    for change_type, kind, _ns, name, obj in rows:
        if kind == "ReplicaSet":
            replicas[name] = 0 if change_type == "DELETED" else int(obj["spec"].get("replicas", 0))
            max_replicas = max(max_replicas, sum(replicas.values()))
        else:
            if change_type == "DELETED" or obj["metadata"].get("deletionTimestamp"):
                active.discard(name)
            else:
                active.add(name)
            max_pods = max(max_pods, len(active))
    return max_replicas, max_pods


def test_restarted_worker_converges_mid_rollout(
    scaleout: dict[str, str], worker: list[subprocess.Popen[bytes]]
) -> None:
    env = scaleout
    manage(env, "sandbox", "create", "so-roll", "--seed", "2")
    manage(env, "sandbox", "clock", "so-roll", "--speed", "4")
    manage(env, "sandbox", "exec", "so-roll", "kubectl create deployment web --image=nginx:1.16.0 --replicas=10")
    first = start_worker(env, worker)
    wait_for(lambda: phases(env, "so-roll") == ["Running"] * 10, "10 Running pods")
    # A slow clock keeps the rolling update under way long enough to kill the worker in the middle of it.
    manage(env, "sandbox", "clock", "so-roll", "--speed", "0.25")
    manage(
        env,
        "sandbox",
        "exec",
        "so-roll",
        "kubectl set image deployment/web nginx=nginx:1.17.0",
    )

    def mid_rollout() -> bool:
        status = kubectl_json(env, "so-roll", "kubectl get deployment web").get("status", {})
        return 0 < int(status.get("updatedReplicas", 0)) < 10

    wait_for(mid_rollout, "the rolling update to be under way")
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    start_worker(env, worker)

    def complete() -> bool:
        d = kubectl_json(env, "so-roll", "kubectl get deployment web")
        s = d.get("status", {})
        return (s.get("updatedReplicas"), s.get("availableReplicas"), s.get("replicas")) == (10, 10, 10)

    wait_for(complete, "the rollout to complete after the restart", timeout_s=120)
    pods = kubectl_json(env, "so-roll", "kubectl get pods")["items"]
    assert len(pods) == 10
    assert {p["spec"]["containers"][0]["image"] for p in pods} == {"nginx:1.17.0"}
    max_replicas, max_pods = _max_surge_observed(env["DATABASE_URL"], "so-roll")
    assert max_replicas <= 13  # replicas + maxSurge (25% of 10, rounded up)
    assert max_pods <= 13
