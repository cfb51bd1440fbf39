"""Benchmark of a sandbox's Kubernetes API against a live server, next to the framework's floor.

Measures requests per second and p50/p99 latency of ``GET pods`` as a
server-side Table (what ``kubectl get pods`` sends) and of ``PATCH
deployments/<name>/scale`` (what ``kubectl scale`` sends), and of
``/healthz`` — a bare Django view returning fixed JSON — in the same run on
the same server, then prints each endpoint's cost relative to that floor.

    python -m tests.bench.k8sapi [--requests 400] [--concurrency 4] [--pods 20]

It starts ``manage.py serve`` on a free port with a temporary SQLite
database (embedded mode), makes a paused sandbox with a deployment, and
talks plain HTTP/1.1 with keep-alive connections, one per client thread.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]
if str(REPO_DIR) not in sys.path:
    sys.path.insert(0, str(REPO_DIR))

from tests.integration.servers import free_port, wait_until  # noqa: E402

TABLE = (
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json"
)


@dataclass(frozen=True)
class Call:
    name: str
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None = None


@dataclass(frozen=True)
class Result:
    name: str
    requests: int
    seconds: float
    latencies_ms: list[float]

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


# -- the server ---------------------------------------------------------------------------------------------------
def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(REPO_DIR / "manage.py"), *args], env=env, cwd=REPO_DIR, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextmanager
def live_server() -> Iterator[tuple[str, dict[str, str]]]:
    root = Path(tempfile.mkdtemp(prefix="kubesandbox-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "KUBESANDBOX_"))}
    env.pop("REDIS_URL", None)
    env.update(DATABASE_URL=f"sqlite:///{root / 'db.sqlite3'}", PYTHONUNBUFFERED="1")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (root / "server.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, str(REPO_DIR / "manage.py"), "serve", "--port", str(port)],
            env=env, cwd=REPO_DIR, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            wait_until(lambda: process.poll() is not None or _answers(base + "/healthz"), what="serve", timeout_s=90)
            yield base, env
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            shutil.rmtree(root, ignore_errors=True)


def prepare_sandbox(env: dict[str, str], base: str, pods: int) -> tuple[int, str]:
    """A paused sandbox running deployment ``web`` with ``pods`` replicas; returns (id, token)."""
    manage(env, "sandbox", "create", "bench", "--paused", "--seed", "1", "--nodes", "3")
    manage(env, "sandbox", "exec", "bench", f"kubectl create deployment web --image=nginx --replicas={pods}")
    manage(env, "sandbox", "advance", "bench", "60s")
    import yaml

    config = yaml.safe_load(manage(env, "sandbox", "kubeconfig", "bench", "--server", base))
    server = config["clusters"][0]["cluster"]["server"]
    return int(server.split("/k8s/")[1].split("/")[0]), str(config["users"][0]["user"]["token"])


# -- load ---------------------------------------------------------------------------------------------------------
def _client(base: str, call: Call, count: int, latencies: list[float], errors: list[str]) -> None:
    host = base.removeprefix("http://")
    connection = http.client.HTTPConnection(host, timeout=30)
    try:
        for _ in range(count):
            started = time.perf_counter()
            connection.request(call.method, call.path, call.body, call.headers)
            response = connection.getresponse()
            response.read()
            latencies.append((time.perf_counter() - started) * 1000)
            if response.status >= 300:
                errors.append(f"{call.name}: HTTP {response.status}")
    finally:
        connection.close()


def measure(base: str, call: Call, requests: int, concurrency: int) -> Result:
    latencies: list[float] = []
    errors: list[str] = []
    per_client = max(1, requests // concurrency)
    _client(base, call, min(10, per_client), [], errors)  # warm-up: imports, caches, connections
    threads = [
        threading.Thread(target=_client, args=(base, call, per_client, latencies, errors)) for _ in range(concurrency)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[0]}")
    return Result(call.name, len(latencies), seconds, latencies)


def calls(sandbox_id: int, token: str, replicas: int) -> list[Call]:
    auth = {"Authorization": f"Bearer {token}"}
    scale = json.dumps({"spec": {"replicas": replicas}}).encode()
    prefix = f"/k8s/{sandbox_id}"
    return [
        Call("GET /healthz (bare Django view, fixed JSON)", "GET", "/healthz", {}),
        Call("GET pods as Table (kubectl get pods)", "GET", f"{prefix}/api/v1/namespaces/default/pods?limit=500",
             {**auth, "Accept": TABLE}),
        Call("PATCH deployments/web/scale (kubectl scale)", "PATCH",
             f"{prefix}/apis/apps/v1/namespaces/default/deployments/web/scale",
             {**auth, "Content-Type": "application/merge-patch+json"}, scale),
    ]  # fmt: skip


def report(results: list[Result], concurrency: int) -> str:
    floor = results[0]
    lines = [
        f"concurrency {concurrency}, {floor.requests} requests per endpoint",
        f"{'endpoint':<46} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'p50 vs floor':>13}",
    ]
    for result in results:
        ratio = result.percentile(0.5) / floor.percentile(0.5)
        lines.append(
            f"{result.name:<46} {result.per_second:>9.1f} {result.percentile(0.5):>8.2f} "
            f"{result.percentile(0.99):>8.2f} {ratio:>12.1f}x"
        )
    ratios = ", ".join(f"{r.name.split(' (')[0]}: {floor.per_second / r.per_second:.1f}x" for r in results[1:])
    lines.append(f"throughput, floor / endpoint: {ratios}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="requests per endpoint (default 400)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--pods", type=int, default=20, help="pods in the sandbox (default 20)")
    options = parser.parse_args(argv)
    with live_server() as (base, env):
        sandbox_id, token = prepare_sandbox(env, base, options.pods)
        results = [
            measure(base, call, options.requests, options.concurrency)
            for call in calls(sandbox_id, token, options.pods)
        ]
    print(report(results, options.concurrency))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
