"""The course's Service and autoscaling flows through ``manage.py sandbox`` (Django, the database, the CLI).

What a learner types: the course's deployment.yaml and service.yaml, thirty ``curl localhost:30000``, a load run
with a pod deleted in the middle, and the HPA walkthrough (php-apache, ``kubectl autoscale``, a busybox
``load-generator`` looping over ``wget``), scaled out under load and back in once the load stops and the
five-minute stabilization window has passed. Simulated time moves only with ``sandbox advance``.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.unit.test_networking_loadgen import HPA_APP  # the walkthrough's php-apache Deployment and Service

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER = re.compile(r"^hostname: (hostname-[a-z0-9]+-[a-z0-9]{5}), ip: (10\.244\.\d+\.\d+)$")


class Cli:
    def __init__(self, name: str, capsys: pytest.CaptureFixture[str]) -> None:
        self.name, self.capsys = name, capsys
        call_command("sandbox", "create", name, "--seed", "3", "--paused")
        capsys.readouterr()

    def sh(self, line: str) -> str:
        call_command("sandbox", "exec", self.name, line)
        return self.capsys.readouterr().out

    def advance(self, duration: str) -> None:
        call_command("sandbox", "advance", self.name, duration)
        self.capsys.readouterr()

    def pods(self, prefix: str) -> list[str]:
        names = self.sh("kubectl get pods -o name").split()
        return sorted(n.removeprefix("pod/") for n in names if n.startswith(f"pod/{prefix}"))


def _answered_by(status: str) -> dict[str, int]:
    section = status.split("Answered by:", 1)[1]
    return {line.split()[0]: int(line.split()[1]) for line in section.strip().splitlines()}


def test_thirty_curls_then_a_pod_deleted_under_load(capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli("traffic", capsys)
    assert cli.sh("kubectl apply -f deployment.yaml") == "deployment.apps/hostname created\n"
    assert cli.sh("kubectl apply -f service.yaml") == "service/hostname-svc created\n"
    cli.advance("30s")
    pods = cli.pods("hostname-")
    assert len(pods) == 3
    answers = [ANSWER.match(cli.sh("curl -s localhost:30000").strip()) for _ in range(30)]
    assert all(answers)
    by_pod = Counter(m.group(1) for m in answers if m)
    assert sorted(by_pod) == pods  # all three pods answered, none took everything
    assert max(by_pod.values()) < 30

    cli.sh("load start localhost:30000 --rps 20 --duration 60s")
    cli.advance("5s")
    victim = pods[1]
    before = _answered_by(cli.sh("load status load-1"))[victim]
    assert before > 0
    assert cli.sh(f"kubectl delete pod {victim}") == f'pod "{victim}" deleted\n'
    cli.advance("60s")
    status = cli.sh("load status load-1")
    assert "Status:       Completed" in status
    assert re.search(r"Sent:\s+1200 \(1200 OK, 0 failed\)", status), status
    answered = _answered_by(status)
    assert answered[victim] == before  # nothing reached the pod once it began terminating
    (replacement,) = set(cli.pods("hostname-")) - set(pods)
    assert answered[replacement] > 0  # the replacement took traffic once it was Ready


def test_the_hpa_walkthrough_scales_out_under_load_and_back_in(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cli = Cli("hpa", capsys)
    manifest = tmp_path / "php-apache.yaml"
    manifest.write_text(HPA_APP)
    assert cli.sh(f"kubectl apply -f {manifest}") == "deployment.apps/php-apache created\nservice/php-apache created\n"
    cli.advance("30s")
    assert cli.sh("kubectl autoscale deployment php-apache --cpu-percent=50 --min=1 --max=10") == (
        "horizontalpodautoscaler.autoscaling/php-apache autoscaled\n"
    )
    cli.sh(
        "kubectl run load-generator --image=busybox:1.28 --restart=Never -- "
        '/bin/sh -c "while sleep 0.01; do wget -q -O- http://php-apache; done"'
    )
    cli.advance("3m")
    scaled_out = int(cli.sh("kubectl get deployment php-apache -o jsonpath={.spec.replicas}"))
    assert scaled_out > 1
    assert "SuccessfulRescale" in cli.sh("kubectl describe hpa php-apache")
    cli.sh("kubectl delete pod load-generator")
    cli.advance("4m")  # the recommendations made under load are still inside the 5-minute stabilization window
    assert int(cli.sh("kubectl get deployment php-apache -o jsonpath={.spec.replicas}")) > 1
    cli.advance("3m")
    assert cli.sh("kubectl get deployment php-apache -o jsonpath={.spec.replicas}") == "1\n"
    events = cli.sh("kubectl describe hpa php-apache")
    assert "All metrics below target" in events
