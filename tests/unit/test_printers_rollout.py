"""``kubectl rollout history`` / ``rollout status`` texts (K8S_FACTS §3.3)."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.kubectl.printers import RolloutError, rollout_history, rollout_history_revision, rollout_status_message
from tests.unit.test_printers_support import deployment, replicaset

Obj = dict[str, Any]


def test_history_matches_observed_output() -> None:
    assert rollout_history(deployment(), [replicaset()]) == (
        "deployment.apps/web2 \nREVISION  CHANGE-CAUSE\n1         <none>\n\n"
    )


def test_history_sorts_revisions_and_shows_change_causes() -> None:
    replicasets = [
        replicaset(revision="3", change_cause="kubectl set image deployment/web2 nginx=nginx:1.25"),
        replicaset(pod_hash="6d57fb5cfd", replicas=0, revision="2", image="nginx:1.24"),
        replicaset(pod_hash="5f8d9c7b6a", replicas=0, revision="not-a-number"),
        replicaset("elsewhere", revision="9"),
    ]
    assert rollout_history(deployment(revision="3"), replicasets) == (
        "deployment.apps/web2 \n"
        "REVISION  CHANGE-CAUSE\n"
        "2         <none>\n"
        "3         kubectl set image deployment/web2 nginx=nginx:1.25\n"
        "\n"
    )


def test_history_without_replicasets() -> None:
    assert rollout_history(deployment(), []) == "deployment.apps/web2 \nNo rollout history found.\n"


def test_history_revision_prints_the_unaligned_pod_template() -> None:
    replicasets = [replicaset(revision="2", change_cause="rolled")]
    assert rollout_history_revision(deployment(), replicasets, 2) == (
        "deployment.apps/web2 with revision #2\n"
        "Pod Template:\n"
        "  Labels:\tapp=web2\n"
        "\tpod-template-hash=7c5ddbdf54\n"
        "  Annotations:\tkubernetes.io/change-cause: rolled\n"
        "  Containers:\n"
        "   nginx:\n"
        "    Image:\tnginx:1.25\n"
        "    Port:\t<none>\n"
        "    Host Port:\t<none>\n"
        "    Environment:\t<none>\n"
        "    Mounts:\t<none>\n"
        "  Volumes:\t<none>\n"
        "  Node-Selectors:\t<none>\n"
        "  Tolerations:\t<none>\n"
        "\n"
    )


def test_history_unknown_revision_is_an_error() -> None:
    with pytest.raises(RolloutError, match=r"^unable to find the specified revision$"):
        rollout_history_revision(deployment(), [replicaset()], 7)


def with_status(deploy: Obj, **status: int) -> Obj:
    deploy["status"].update(status)
    return deploy


def progressing(reason: str) -> list[Obj]:
    return [{"type": "Progressing", "status": "False", "reason": reason}]


@pytest.mark.parametrize(
    ("deploy", "message", "done"),
    [
        (deployment(generation=2, observed=1), "Waiting for deployment spec update to be observed...", False),
        (
            deployment(updated=1, ready=3, available=3),
            'Waiting for deployment "web2" rollout to finish: 1 out of 3 new replicas have been updated...',
            False,
        ),
        (
            with_status(deployment(), replicas=4, updatedReplicas=3, availableReplicas=3),
            'Waiting for deployment "web2" rollout to finish: 1 old replicas are pending termination...',
            False,
        ),
        (
            deployment(updated=3, available=2),
            'Waiting for deployment "web2" rollout to finish: 2 of 3 updated replicas are available...',
            False,
        ),
        (deployment(), 'deployment "web2" successfully rolled out', True),
    ],
)
def test_rollout_status_messages(deploy: Obj, message: str, done: bool) -> None:
    assert rollout_status_message(deploy) == (message, done)


def test_rollout_status_deadline_exceeded_is_an_error() -> None:
    stuck = deployment(updated=1)
    stuck["status"]["conditions"] = progressing("ProgressDeadlineExceeded")
    with pytest.raises(RolloutError, match=r'^deployment "web2" exceeded its progress deadline$'):
        rollout_status_message(stuck)
