"""Deployment arithmetic: fenceposts, pod-template-hash, template equality, revisions, annotations, conditions."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.controllers.deployment import util

Obj = dict[str, Any]
TEMPLATE: Obj = {
    "metadata": {"labels": {"app": "web"}},
    "spec": {"containers": [{"name": "nginx", "image": "nginx:1.25", "resources": {}}], "restartPolicy": "Always"},
}


def deployment(replicas: int = 3, surge: Any = "25%", unavailable: Any = "25%", kind: str = "RollingUpdate") -> Obj:
    strategy: Obj = {"type": kind}
    if kind == "RollingUpdate":
        strategy["rollingUpdate"] = {"maxSurge": surge, "maxUnavailable": unavailable}
    return {"metadata": {"name": "web"}, "spec": {"replicas": replicas, "strategy": strategy}}


def rs(name: str, revision: int | None = None, created: str = "2025-11-25T04:00:00Z", **extra: Any) -> Obj:
    meta: Obj = {"name": name, "creationTimestamp": created, "annotations": {}}
    if revision is not None:
        meta["annotations"][util.REVISION] = str(revision)
    return {"metadata": meta, "spec": {"replicas": 1, "template": extra.get("template", TEMPLATE)}}


@pytest.mark.parametrize(
    ("replicas", "surge", "unavailable", "expected"),
    [
        (1, "25%", "25%", (1, 0)),
        (3, "25%", "25%", (1, 0)),
        (4, "25%", "25%", (1, 1)),
        (10, "25%", "25%", (3, 2)),
        (100, "25%", "25%", (25, 25)),
        (3, 2, 0, (2, 0)),
        (5, "0%", "10%", (0, 1)),  # both resolve to 0: one pod may go unavailable
        (5, 0, 0, (0, 1)),
        (5, "50%", "100%", (3, 5)),
        (2, 1, 7, (1, 2)),  # maxUnavailable is capped at replicas
        (0, "25%", "25%", (0, 0)),
    ],
)
def test_fenceposts(replicas: int, surge: Any, unavailable: Any, expected: tuple[int, int]) -> None:
    d = deployment(replicas, surge, unavailable)
    assert (util.max_surge(d), util.max_unavailable(d)) == expected


def test_recreate_has_no_surge_or_unavailable_budget() -> None:
    d = deployment(kind="Recreate")
    assert (util.max_surge(d), util.max_unavailable(d)) == (0, 0)


def test_defaults_apply_when_rolling_update_params_are_missing() -> None:
    d = {"spec": {"replicas": 10, "strategy": {"type": "RollingUpdate"}}}
    assert (util.max_surge(d), util.max_unavailable(d)) == (3, 2)


def test_pod_template_hash_alphabet_and_stability() -> None:
    hashes = {util.pod_template_hash(TEMPLATE, count) for count in (None, 0, 1, 2, 3)}
    assert len(hashes) == 5  # collisionCount changes the hash
    for value in hashes:
        assert 1 <= len(value) <= 10
        assert set(value) <= set("456789bcdf")
    same = {"spec": dict(reversed(list(TEMPLATE["spec"].items()))), "metadata": {"labels": {"app": "web"}}}
    assert util.pod_template_hash(same) == util.pod_template_hash(TEMPLATE)
    other = {**TEMPLATE, "spec": {**TEMPLATE["spec"], "containers": [{"name": "nginx", "image": "nginx:1.26"}]}}
    assert util.pod_template_hash(other) != util.pod_template_hash(TEMPLATE)


def test_safe_encode_maps_digits_like_apimachinery() -> None:
    assert util.safe_encode("0123456789") == "456789bcdf"


def test_fnv32a_reference_values() -> None:
    assert util.fnv32a(b"") == 0x811C9DC5
    assert util.fnv32a(b"a") == 0xE40C292C


def test_equal_ignore_hash() -> None:
    hashed = {**TEMPLATE, "metadata": {"labels": {"app": "web", "pod-template-hash": "5b9cc8f5fc"}}}
    assert util.equal_ignore_hash(hashed, TEMPLATE)
    with_nulls = {**TEMPLATE, "metadata": {"labels": {"app": "web"}, "creationTimestamp": None}}
    assert util.equal_ignore_hash(with_nulls, TEMPLATE)
    relabelled = {**TEMPLATE, "metadata": {"labels": {"app": "api"}}}
    assert not util.equal_ignore_hash(relabelled, TEMPLATE)


@pytest.mark.parametrize(("raw", "value"), [("3", 3), (None, 0), ("x", 0)])
def test_revision(raw: str | None, value: int) -> None:
    obj: Obj = {"metadata": {"annotations": {util.REVISION: raw} if raw is not None else {}}}
    assert util.revision(obj) == value


def test_find_new_and_old_picks_oldest_matching_template() -> None:
    other = {**TEMPLATE, "spec": {"containers": [{"name": "nginx", "image": "nginx:1.24"}]}}
    older = rs("web-a", 1, "2025-11-25T04:00:00Z")
    newer = rs("web-b", 2, "2025-11-25T05:00:00Z")
    stale = rs("web-c", 3, "2025-11-25T03:00:00Z", template=other)
    stale["spec"]["replicas"] = 0
    d = {**deployment(), "spec": {**deployment()["spec"], "template": TEMPLATE}}
    found = util.find_new_and_old(d, [newer, stale, older])
    assert found.new is older
    assert found.all_old == [newer, stale]
    assert found.old == [newer]


def test_new_rs_annotations_on_create_copy_and_skip() -> None:
    d = deployment(replicas=4)
    d["metadata"]["annotations"] = {
        util.CHANGE_CAUSE: "kubectl set image",
        util.LAST_APPLIED: "{}",
        util.REVISION: "7",
        "team": "blue",
    }
    new = rs("web-x")
    assert util.set_new_rs_annotations(d, new, 8, exists=False)
    assert new["metadata"]["annotations"] == {
        util.CHANGE_CAUSE: "kubectl set image",
        "team": "blue",
        util.REVISION: "8",
        util.DESIRED_REPLICAS: "4",
        util.MAX_REPLICAS: "5",
    }


def test_rollback_raises_revision_and_keeps_history() -> None:
    old = rs("web-a", 1)
    assert util.set_new_rs_annotations(deployment(), old, 3, exists=True)
    assert old["metadata"]["annotations"][util.REVISION] == "3"
    assert old["metadata"]["annotations"][util.REVISION_HISTORY] == "1"
    assert util.set_new_rs_annotations(deployment(), old, 5, exists=True)
    assert old["metadata"]["annotations"][util.REVISION_HISTORY] == "1,3"
    # a revision that is not higher is left alone
    assert not util.set_new_rs_annotations(deployment(), old, 4, exists=True)
    assert old["metadata"]["annotations"][util.REVISION] == "5"


def test_set_condition_transition_rules() -> None:
    status: Obj = {}
    util.set_condition(status, util.new_condition("Progressing", "True", "A", "a", "t1"))
    util.set_condition(status, util.new_condition("Progressing", "True", "A", "changed", "t2"))
    assert status["conditions"][0]["message"] == "a"  # same status and reason: no-op
    util.set_condition(status, util.new_condition("Progressing", "True", "B", "b", "t3"))
    cond = status["conditions"][0]
    assert (cond["reason"], cond["lastUpdateTime"], cond["lastTransitionTime"]) == ("B", "t3", "t1")
    util.set_condition(status, util.new_condition("Available", "False", "C", "c", "t4"))
    util.set_condition(status, util.new_condition("Progressing", "False", "D", "d", "t5"))
    assert [c["type"] for c in status["conditions"]] == ["Available", "Progressing"]
    assert status["conditions"][1]["lastTransitionTime"] == "t5"
