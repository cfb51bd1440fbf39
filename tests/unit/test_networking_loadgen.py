"""The load generator: exact totals, sampled records, stop/status, restarts and a pod deleted mid-run."""

from __future__ import annotations

import pytest

from cluster.networking.loadgen import LOAD_KEY, due_times
from cluster.networking.terminal.loadcli import LoadError, parse_duration
from cluster.sim import SimCluster
from tests.unit.test_networking_rig import Sandbox, course, sandbox


def run_state(box: Sandbox, name: str = "load-1") -> dict:  # type: ignore[type-arg]
    return box.cluster.store.private(LOAD_KEY)["runs"][name]  # type: ignore[index]


@pytest.mark.parametrize(
    ("rps", "start", "end", "expected"),
    [
        (10, 0, 100, [100]),
        (10, 0, 1000, [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]),
        (10, 100, 250, [200]),
        (3, 0, 1000, [333, 666, 1000]),
        (0.5, 0, 1999, []),
        (0.5, 1999, 2000, [2000]),
    ],
)
def test_requests_are_evenly_spaced_and_totals_exact(rps: float, start: int, end: int, expected: list[int]) -> None:
    assert due_times({"startedAtMs": 0, "rps": rps}, start, end) == expected


@pytest.mark.parametrize(("text", "ms"), [("60s", 60_000), ("5m", 300_000), ("1h30m", 5_400_000), ("90", 90_000),
                                          ("0", 0), ("1.5s", 1500)])  # fmt: skip
def test_durations(text: str, ms: int) -> None:
    assert parse_duration(text) == ms


def test_bad_duration() -> None:
    with pytest.raises(LoadError):
        parse_duration("soon")


def test_a_run_sends_exactly_rps_times_duration_and_counters_agree() -> None:
    box = course()
    out = box.ok("load start localhost:30000 --rps 20 --duration 10s")
    assert out.stdout[0] == "load-1: sending 20 requests/s to http://localhost:30000/ for 10s"
    box.cluster.traffic.drain()
    box.cluster.advance(12_000)
    run = run_state(box)
    assert (run["sent"], run["ok"], run["failed"], run["doneMs"] is not None) == (200, 200, 0, True)
    assert sum(run["byPod"].values()) == 200 and len(run["byPod"]) == 3
    served = {p["metadata"]["name"]: box.private("Pod", "default", p["metadata"]["name"])["traffic"]["requests"]
              for p in box.pods("hostname-")}  # fmt: skip
    assert served == run["byPod"]
    records = box.cluster.traffic.drain()
    assert all(r["sampled"] and r["client"] == "load/load-1" and r["run"] == "load-1" for r in records)
    assert sum(r["count"] for r in records) == 200
    assert box.cluster.engine.next_timer_ms(ignore=("event-ttl",)) is None or box.cluster.settle() >= 0
    status = box.ok("load status").stdout
    assert status[0].split() == [
        "NAME",
        "TARGET",
        "RATE",
        "ELAPSED",
        "SENT",
        "OK",
        "FAILED",
        "AVG",
        "LATENCY",
        "STATUS",
    ]
    assert status[1].split()[:7] == ["load-1", "http://localhost:30000/", "20/s", "10s/10s", "200", "200", "0"]
    assert status[1].split()[-1] == "Completed"


def test_per_second_counters_feed_the_metrics_shape() -> None:
    box = course()
    box.ok("load start localhost:30000 --rps 30 --duration 0")
    box.cluster.advance(5_000)
    for pod in box.pods("hostname-"):
        traffic = box.private("Pod", "default", pod["metadata"]["name"])["traffic"]
        assert set(traffic) >= {"requests", "errors", "latencyMsSum", "perSecond"}
        assert all(len(b) == 2 and b[0] % 1000 == 0 for b in traffic["perSecond"])
        assert "kubelet" in box.private("Pod", "default", pod["metadata"]["name"])  # never dropped
    total = sum(b[1] for p in box.pods("hostname-")
                for b in box.private("Pod", "default", p["metadata"]["name"])["traffic"]["perSecond"])  # fmt: skip
    assert total == 150
    assert box.ok("load stop").stdout[0].startswith("load-1 stopped: 150 requests sent (150 OK, 0 failed)")
    box.cluster.advance(2_000)
    assert run_state(box)["sent"] == 150


def test_stop_and_status_errors() -> None:
    box = course()
    assert box.sh("load stop").stderr == ["load: no load is running"]
    box.ok("load start localhost:30000 --name a --duration 0")
    box.ok("load start localhost:30000 --name b --duration 0")
    assert "2 runs are active" in box.sh("load stop").stderr[0]
    assert box.sh("load start localhost:30000 --name a").stderr[0].startswith('load: a load run named "a" is already')
    assert box.ok("load stop --all").stdout[1].startswith("b stopped")
    assert box.sh("load start localhost:30000 --rps 0").exit_code == 1
    assert box.sh("load start").exit_code == 1
    assert box.sh("load bogus").stderr[0] == 'load: unknown command "bogus"'
    assert "load start TARGET" in box.ok("load --help").text


def test_a_pod_deleted_mid_run_gets_no_more_requests_and_no_request_fails() -> None:
    box = course()
    box.ok("load start localhost:30000 --rps 50 --duration 60s")
    box.cluster.advance(3_000)
    originals = {p["metadata"]["name"] for p in box.pods("hostname-")}
    victim = sorted(originals)[0]
    before = run_state(box)["byPod"][victim]
    box.ok(f"kubectl delete pod {victim} --wait=false")
    box.cluster.advance(10_000)
    run = run_state(box)
    assert run["byPod"][victim] == before  # it left the endpoints at once
    assert run["failed"] == 0
    (newcomer,) = {p["metadata"]["name"] for p in box.pods("hostname-")} - originals
    assert run["byPod"].get(newcomer, 0) > 0  # the replacement takes its share once Ready


def test_in_flight_requests_fail_when_the_pod_is_killed_under_them() -> None:
    box = course()
    box.ok("kubectl run hog --image=registry.k8s.io/hpa-example --labels=app=hog")
    box.ok("kubectl create service nodeport hog --tcp=80:80 --node-port=30700")
    box.settle()
    box.ok("load start localhost:30700 --rps 20 --duration 0")
    box.cluster.advance(2_000)
    box.ok("kubectl delete pod hog --grace-period=0 --force")
    box.cluster.advance(3_000)
    run = run_state(box)
    assert run["failed"] >= 1
    assert any(k.startswith("curl:") for k in run["byStatus"])
    assert run["ok"] + run["failed"] + len(run.get("inflight") or []) == run["sent"]


def test_a_run_survives_a_restart_of_the_cluster() -> None:
    box = course()
    box.ok("load start localhost:30000 --rps 10 --duration 20s")
    box.cluster.advance(5_000)
    store = box.cluster.store
    objects = [dict(o) for k in list(store.keys()) if (o := store.get(k)) is not None]
    privates = {k: v for k in [*store.keys(), LOAD_KEY] if (v := store.private(k)) is not None}
    privates[LOAD_KEY] = store.private(LOAD_KEY)  # type: ignore[assignment]
    restored = SimCluster.restore(seed=1, now_ms=box.cluster.now_ms, objects=objects, privates=privates,
                                  resource_version=store.resource_version, id_state=box.cluster.ids.get_state(),
                                  strict=True)  # fmt: skip
    restored.advance(20_000)
    run = restored.store.private(LOAD_KEY)["runs"]["load-1"]  # type: ignore[index]
    assert (run["sent"], run["doneMs"] is not None) == (200, True)


def test_load_from_a_pod_reaches_a_cluster_ip_service_by_name() -> None:
    box = course()
    box.ok("kubectl run client --image=nginx:1.25")
    box.settle()
    assert box.sh("load start http://nope --from ghost").stderr == [
        'Error from server (NotFound): pods "ghost" not found'
    ]
    box.ok("load start http://hostname-service --from client --rps 10 --duration 2s")
    box.cluster.advance(3_000)
    run = run_state(box)
    assert (run["sent"], run["ok"]) == (20, 20)
    assert box.sh("load status load-1").stdout[0] == "Name:         load-1"


HPA_APP = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: php-apache
spec:
  selector:
    matchLabels:
      run: php-apache
  template:
    metadata:
      labels:
        run: php-apache
    spec:
      containers:
      - name: php-apache
        image: registry.k8s.io/hpa-example
        ports:
        - containerPort: 80
        resources:
          limits:
            cpu: 500m
          requests:
            cpu: 200m
---
apiVersion: v1
kind: Service
metadata:
  name: php-apache
  labels:
    run: php-apache
spec:
  ports:
  - port: 80
  selector:
    run: php-apache
"""


def test_a_pod_running_the_hpa_walkthroughs_wget_loop_generates_load_until_it_stops() -> None:
    box = sandbox("kubectl apply -f php-apache.yaml", files={"php-apache.yaml": HPA_APP})
    box.ok("kubectl run load-generator --image=busybox:1.36 --restart=Never -- /bin/sh -c "
           '"while sleep 0.01; do wget -q -O- http://php-apache; done"')  # fmt: skip
    box.cluster.advance(20_000)
    run = run_state(box, "pod/load-generator")
    assert run["mode"] == "loop" and run["target"] == "http://php-apache/" and run["failed"] == 0
    # a closed loop: each request waits ~100 ms of CPU at 500m, plus the 10 ms sleep and wget's start-up
    per_second = run["sent"] / ((box.cluster.now_ms - run["startedAtMs"]) / 1000)
    assert 5 < per_second < 12
    (php,) = box.pods("php-apache-")
    traffic = box.private("Pod", "default", php["metadata"]["name"])["traffic"]
    assert traffic["requests"] == sum(run["byPod"].values()) == run["sent"]
    box.ok("kubectl delete pod load-generator --wait=false")
    box.cluster.advance(40_000)
    stopped = run_state(box, "pod/load-generator")
    assert stopped["doneMs"] is not None
    sent = stopped["sent"]
    box.cluster.advance(5_000)
    assert run_state(box, "pod/load-generator")["sent"] == sent
