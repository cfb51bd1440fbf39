"""The course's traffic lesson end to end, through the terminal as a learner types it.

Build and push the Flask "hostname" image, deploy it with the course's
deployment.yaml / service.yaml (3 replicas behind NodePort 30000), curl it and
see different pods answer, delete a pod under load without a failed request.
"""

from __future__ import annotations

import re
from collections import Counter

from cluster.networking.loadgen import LOAD_KEY
from tests.unit.test_docker_build import APP
from tests.unit.test_networking_rig import DEPLOYMENT, SERVICE, Sandbox, sandbox

USER_DEPLOYMENT = DEPLOYMENT.replace("kubesandbox/hostname:latest", "alice/hostname:latest")
ANSWER = re.compile(r"^hostname: (hostname-[a-z0-9]+-[a-z0-9]{5}), ip: (10\.244\.\d+\.\d+)$")


def course_files() -> dict[str, str]:
    return {**APP, "deployment.yaml": USER_DEPLOYMENT, "service.yaml": SERVICE}


def pod_phases(box: Sandbox) -> dict[str, str]:
    lines = box.ok("kubectl get pods").text.splitlines()[1:]
    return {line.split()[0]: line.split()[2] for line in lines}


def build_and_push(box: Sandbox) -> None:
    box.ok("docker build -t alice/hostname:latest .")
    assert box.sh("docker tag hostname:lastest alice/hostname:latest").exit_code == 1  # the course's typo
    box.ok("docker login -u alice")
    box.ok("docker push alice/hostname:latest")


def test_thirty_curls_are_answered_by_all_three_pods() -> None:
    box = sandbox(files=course_files(), settle=False)
    build_and_push(box)
    box.ok("kubectl apply -f deployment.yaml")
    box.ok("kubectl apply -f service.yaml")
    box.settle()
    assert set(pod_phases(box).values()) == {"Running"}
    answers = []
    for _ in range(30):
        out = box.ok("curl localhost:30000")
        match = ANSWER.match(out.stdout[0])
        assert match is not None, out.stdout
        answers.append(match.groups())
    pods = {(p["metadata"]["name"], p["status"]["podIP"]) for p in box.pods("hostname-")}
    assert set(answers) == pods  # every pod answered, each with its own name and IP
    assert max(Counter(answers).values()) < 30
    records = box.cluster.traffic.drain()
    assert [r["pod"] for r in records] == [name for name, _ in answers]


def test_deploying_before_pushing_backs_off_until_the_image_exists() -> None:
    box = sandbox(files=course_files(), settle=False)
    box.ok("docker build -t alice/hostname:latest .")
    box.ok("kubectl apply -f deployment.yaml")
    box.cluster.advance(30_000)
    assert set(pod_phases(box).values()) <= {"ErrImagePull", "ImagePullBackOff"}
    assert "ImagePullBackOff" in pod_phases(box).values()
    events = box.ok("kubectl get events").text
    assert 'Failed to pull image "alice/hostname:latest"' in events and "pull access denied" in events
    box.ok("docker login -u alice")
    box.ok("docker push alice/hostname:latest")
    box.cluster.advance(330_000)  # the pull back-off is at most 5 minutes
    assert set(pod_phases(box).values()) == {"Running"}
    box.ok("kubectl apply -f service.yaml")
    box.settle()
    assert ANSWER.match(box.ok("curl -s localhost:30000").stdout[0])


def test_a_pod_deleted_during_a_load_run_fails_no_request() -> None:
    box = sandbox("kubectl apply -f deployment.yaml", "kubectl apply -f service.yaml")
    box.ok("load start localhost:30000 --rps 40 --duration 60s")
    box.cluster.advance(5_000)
    originals = {p["metadata"]["name"] for p in box.pods("hostname-")}
    victim = sorted(originals)[1]
    served_before = box.private("Pod", "default", victim)["traffic"]["requests"]
    box.ok(f"kubectl delete pod {victim} --wait=false")
    box.cluster.advance(55_200)  # the last request, sent at 60 s, is settled on the next tick
    run = box.cluster.store.private(LOAD_KEY)["runs"]["load-1"]  # type: ignore[index]
    assert (run["sent"], run["ok"], run["failed"]) == (2400, 2400, 0)
    assert run["byPod"][victim] == served_before
    (replacement,) = {p["metadata"]["name"] for p in box.pods("hostname-")} - originals
    assert run["byPod"][replacement] > 0
    status = box.ok("load status load-1").text
    assert "Completed" in status and replacement in status and victim in status


def test_same_seed_same_commands_same_traffic() -> None:
    def session() -> list[tuple[str, int, int]]:
        box = sandbox("kubectl apply -f deployment.yaml", "kubectl apply -f service.yaml", seed=7)
        for _ in range(10):
            box.ok("curl -s localhost:30000")
        box.ok("load start localhost:30000 --rps 25 --duration 4s")
        box.cluster.advance(5_000)
        return [(r["pod"], r["count"], r["seq"]) for r in box.cluster.traffic.drain()]

    first = session()
    assert first == session() and len(first) > 10
