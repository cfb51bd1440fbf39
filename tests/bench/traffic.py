"""How much traffic the simulated network sustains: ``python tests/bench/traffic.py [--seconds 10]``.

Prints (does not assert):

* single requests (a ``curl``: one routing batch per request) per wall second;
* load-generator throughput for one sandbox (the course's 3 hostname pods
  behind NodePort 30000, 1,000 requests/s for N simulated seconds);
* the same for 100 sandboxes each running 50 requests/s, and the CPU share:
  CPU seconds spent per simulated second, i.e. the fraction of one core the
  traffic model needs to keep those sandboxes in real time at 1×.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from cluster.kubectl.base import Env
from cluster.kubectl.shell import run_line
from cluster.networking.loadgen import LOAD_KEY
from cluster.networking.network import Call, Client, Network
from cluster.networking.routing import send
from cluster.sim import SimCluster
from tests.unit.test_networking_rig import DEPLOYMENT, SERVICE


def course_cluster(seed: int) -> tuple[SimCluster, Env]:
    cluster = SimCluster.new(seed=seed)
    env = Env(api=cluster.api, now_ms=lambda: cluster.now_ms, files={"d.yaml": DEPLOYMENT, "s.yaml": SERVICE})
    for line in ("kubectl apply -f d.yaml", "kubectl apply -f s.yaml"):
        assert run_line(env, line).exit_code == 0
    cluster.settle()
    return cluster, env


def bench_single_requests(count: int) -> None:
    cluster, _ = course_cluster(1)
    started = time.perf_counter()
    for _ in range(count):
        net = Network(cluster.engine.view, cluster.now_ms)
        send(net, Client(), Call("localhost", 30000), cluster.now_ms)
        for key, data in net.state.writes():
            cluster.api.set_private(key, data)
    elapsed = time.perf_counter() - started
    rate = count / elapsed
    print(f"single requests (curl path):       {rate:>10,.0f} requests/s  ({elapsed * 1e6 / count:.0f} µs each)")


def start_load(cluster: SimCluster, env: Env, rps: int, seconds: int) -> None:
    out = run_line(env, f"load start localhost:30000 --rps {rps} --duration {seconds}s")
    assert out.exit_code == 0, out.stderr


def sent(cluster: SimCluster) -> int:
    return int(cluster.store.private(LOAD_KEY)["runs"]["load-1"]["sent"])  # type: ignore[index]


def bench_one_sandbox(rps: int, seconds: int) -> None:
    cluster, env = course_cluster(1)
    start_load(cluster, env, rps, seconds)
    wall, cpu = time.perf_counter(), time.process_time()
    cluster.advance(seconds * 1000 + 200)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    total = sent(cluster)
    print(f"one sandbox, load {rps}/s for {seconds}s:  {total / wall:>10,.0f} requests/s  "
          f"({total} requests in {wall:.2f} s wall; CPU share at 1x: {cpu / seconds:.1%} of a core)")  # fmt: skip


def bench_many_sandboxes(count: int, rps: int, seconds: int) -> None:
    sandboxes = [course_cluster(seed) for seed in range(1, count + 1)]
    for cluster, env in sandboxes:
        start_load(cluster, env, rps, seconds)
    wall, cpu = time.perf_counter(), time.process_time()
    for cluster, _ in sandboxes:
        cluster.advance(seconds * 1000 + 200)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    total = sum(sent(cluster) for cluster, _ in sandboxes)
    print(f"{count} sandboxes, load {rps}/s each:  {total / wall:>10,.0f} requests/s  "
          f"({total} requests in {wall:.2f} s wall; CPU share at 1x: {cpu / seconds:.1%} of a core, "
          f"{cpu / seconds / count:.2%} per sandbox)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=int, default=10, help="simulated seconds of load per run")
    parser.add_argument("--sandboxes", type=int, default=100)
    args = parser.parse_args()
    bench_single_requests(2_000)
    bench_one_sandbox(1_000, args.seconds)
    bench_many_sandboxes(args.sandboxes, 50, args.seconds)


if __name__ == "__main__":
    main()
