"""Solution playback and scenarios on a real in-memory cluster: what ``manage.py lessons check`` relies on."""

from __future__ import annotations

import textwrap

import pytest

from cluster.sim import SimCluster
from sandbox.lessons.course.checks import evaluate
from sandbox.lessons.course.loader import load_course, parse_lesson
from sandbox.lessons.course.model import Lesson
from sandbox.lessons.course.playback import FAILED, PASSED, SKIPPED, play
from sandbox.lessons.course.script import SimDriver, apply_setup

HEAD = """\
id: tiny
order: 1
title: {ko: 작은, en: Tiny}
summary: {ko: 작은, en: Tiny}
"""


def lesson(steps: str, setup: str = "") -> Lesson:
    return parse_lesson(HEAD + textwrap.dedent(setup) + textwrap.dedent(steps), "content/01-tiny.yaml")


CREATE = """\
steps:
  - id: create
    text: {ko: a, en: a}
    solution:
      - kubectl create deployment web --image=nginx --replicas=2
      - advance: 20s
    check:
      object: {kind: Deployment, name: web, where: {status.readyReplicas: 2}}
  - id: delete
    text: {ko: b, en: b}
    solution:
      - kubectl delete deployment web
      - advance: 40s
    check:
      all:
        - absent: {kind: Deployment, name: web}
        - count: {kind: Pod, selector: app=web, is: 0}
"""


def test_a_correct_solution_turns_each_check_from_unmet_to_met() -> None:
    report = play(lesson(CREATE))
    assert [(s.step_id, s.status) for s in report.steps] == [("create", PASSED), ("delete", PASSED)]
    assert report.status == PASSED and report.commands == 2


def test_a_solution_that_does_not_reach_the_goal_fails_with_what_is_missing() -> None:
    report = play(lesson(CREATE.replace("--replicas=2", "--replicas=1")))
    assert report.status == FAILED
    assert report.steps[0].detail.splitlines() == [
        "the check is still unmet after the solution:",
        "  - Deployment web: status.readyReplicas: 2 — now: 1",
    ]
    assert report.steps[1].status == SKIPPED


def test_failed_commands_of_a_failing_step_are_shown() -> None:
    report = play(lesson(CREATE.replace("--image=nginx --replicas=2", "--replicas=2")))
    assert report.status == FAILED
    assert "$ kubectl create deployment web --replicas=2  (exit 1)" in report.steps[0].detail


def test_a_check_met_before_its_step_is_a_lesson_bug() -> None:
    report = play(lesson(CREATE.replace("      object: {kind: Deployment, name: web, where: {status.readyReplicas: 2}}",
                                        "      absent: {kind: Deployment, name: nope}")))  # fmt: skip
    assert report.steps[0].status == FAILED
    assert report.steps[0].detail == "the check is already met before the step's solution ran"


def test_steps_needing_what_the_simulator_lacks_are_skipped_and_later_steps_still_play() -> None:
    steps = CREATE.replace("      - advance: 20s", "      - kubectl frobnicate everything\n      - advance: 20s")
    report = play(lesson(steps))
    assert (report.steps[0].status, report.steps[1].status) == (SKIPPED, PASSED)
    assert report.steps[0].detail == "needs kubectl frobnicate (not in this simulator yet)"
    assert report.status == SKIPPED


def test_declared_requirements_skip_the_lesson() -> None:
    report = play(lesson(CREATE, "requires: [reconciler no-such-controller]\n"))
    assert {s.status for s in report.steps} == {SKIPPED}


def test_edit_entries_change_sandbox_files_like_the_editor() -> None:
    steps = """\
    steps:
      - id: fix
        text: {ko: a, en: a}
        solution:
          - edit: {file: broken-deployment.yaml, replace: {"\\t": "  "}}
          - edit: {file: broken-deployment.yaml, replace: {'app : "3"': "app : nginx"}}
          - kubectl apply -f broken-deployment.yaml
          - advance: 20s
        check:
          object: {kind: Deployment, name: nginx-deployment, where: {status.readyReplicas: 3}}
    """
    assert play(lesson(steps)).status == PASSED


def test_paused_clock_stops_the_control_plane_until_stepped() -> None:
    cluster = SimCluster.new(seed=3)
    driver = SimDriver(cluster)
    driver.set_paused(True)
    driver.run_line("kubectl create deployment life --image=nginx")
    assert cluster.list("ReplicaSet", "default") == []
    driver.step(1)
    assert len(cluster.list("ReplicaSet", "default")) == 1


SETUP = """\
setup:
  objects:
    - apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, labels: {app: web}}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec: {containers: [{name: nginx, image: "nginx:1.25"}]}
    - apiVersion: v1
      kind: Service
      metadata: {name: web-svc}
      spec: {selector: {app: web}, ports: [{port: 80}]}
  faults:
    - selector-miss: {service: web-svc, selector: {app: webapp}}
    - cpu-request: {deployment: web, cpu: "4"}
  files:
    notes.txt: hello
"""


def test_scenario_objects_come_up_then_faults_break_them() -> None:
    plan = lesson(CREATE, SETUP)
    cluster = SimCluster.new(seed=5)
    driver = SimDriver(cluster)
    apply_setup(driver, plan.setup)
    assert cluster.get("Service", "default", "web-svc")["spec"]["selector"] == {"app": "webapp"}  # type: ignore[index]
    phases = sorted(p["status"]["phase"] for p in cluster.list("Pod", "default"))
    assert phases == ["Pending", "Running", "Running"]  # the new pod cannot fit; the old ones keep serving
    assert driver.files["notes.txt"] == "hello" and "broken-deployment.yaml" in driver.files


COURSE = {item.id: item for item in load_course()[0]}


@pytest.mark.parametrize(
    ("exercise", "naive"),
    [
        ("drain-node", ["kubectl drain worker-1 --ignore-daemonsets"]),
        ("image-pull", ["kubectl delete pods --all"]),
        ("bad-release", ["kubectl rollout restart deployment web"]),
        ("pending-cpu", ["kubectl scale deployment hungry --replicas=1"]),
        ("service-selector", ["kubectl label pods --all tier=web"]),
    ],
)
def test_exercise_goals_reject_a_naive_attempt(exercise: str, naive: list[str]) -> None:
    plan = COURSE[exercise]
    cluster = SimCluster.new(seed=1)
    driver = SimDriver(cluster)
    apply_setup(driver, plan.setup)
    baseline = driver.baseline()
    assert plan.goal is not None
    assert not evaluate(plan.goal, driver.world(), baseline).ok
    for line in naive:
        driver.run_line(line)
        driver.advance(60_000)
    assert not evaluate(plan.goal, driver.world(), baseline).ok
