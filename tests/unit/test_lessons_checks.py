"""Check predicates against fabricated cluster state: objects, history, traffic counters, commands, clock."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from sandbox.lessons.course.checks import SpecError, evaluate, parse_check
from sandbox.lessons.course.checks.compare import parse_comparator
from sandbox.lessons.course.checks.paths import PathError, parse_path
from sandbox.lessons.course.placeholders import PlaceholderError, fill, fill_for_display
from sandbox.lessons.course.world import Baseline, CommandRun, HistoryEntry

KINDS = frozenset({"Deployment", "Pod", "Service", "Node", "ReplicaSet", "Endpoints"})
Obj = dict[str, Any]


@dataclass
class FakeWorld:
    objects: list[Obj] = field(default_factory=list)
    changes: list[HistoryEntry] = field(default_factory=list)
    privates: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    runs: list[CommandRun] = field(default_factory=list)
    paused: bool = False

    @property
    def resource_version(self) -> int:
        return len(self.changes)

    def list(self, kind: str, namespace: str | None = None) -> list[Obj]:
        found = [o for o in self.objects if o["kind"] == kind]
        return [o for o in found if namespace is None or o["metadata"].get("namespace", "") == namespace]

    def get(self, kind: str, namespace: str, name: str) -> Obj | None:
        return next((o for o in self.list(kind, namespace) if o["metadata"]["name"] == name), None)

    def private(self, kind: str, namespace: str, name: str) -> dict[str, Any] | None:
        return self.privates.get((kind, namespace, name))

    def history(self, since_rv: int) -> Iterable[HistoryEntry]:
        return [c for c in self.changes if c.resource_version > since_rv]

    def commands(self) -> Sequence[CommandRun]:
        return self.runs

    def clock_paused(self) -> bool:
        return self.paused


def deployment(name: str = "web", **status: Any) -> Obj:
    return {
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": "default", "labels": {"app": name},
                     "annotations": {"deployment.kubernetes.io/revision": str(status.pop("revision", 1))}},
        "spec": {"replicas": 3, "selector": {"matchLabels": {"app": name}},
                 "template": {"spec": {"containers": [{"name": "nginx", "image": "nginx:1.16.0"}]}}},
        "status": status,
    }  # fmt: skip


def pod(name: str, app: str = "web", ready: bool = True, node: str = "worker-1", **meta: Any) -> Obj:
    return {
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "labels": {"app": app}, **meta},
        "spec": {"nodeName": node},
        "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True" if ready else "False"}]},
    }


def service(name: str = "web-svc", selector: dict[str, str] | None = None) -> Obj:
    return {
        "kind": "Service",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"selector": selector or {"app": "web"}, "ports": [{"port": 80, "nodePort": 30080}],
                 "clusterIP": "10.96.0.20"},
    }  # fmt: skip


def check(raw: Any) -> Any:
    return parse_check(raw, KINDS)


WORLD = FakeWorld(
    objects=[
        deployment(readyReplicas=3, availableReplicas=3),
        pod("web-a"),
        pod("web-b", node="worker-2"),
        pod("web-c", ready=False),
        pod("db-a", app="db"),
        service(),
    ],
)


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ({"object": {"kind": "Deployment", "name": "web", "where": {"status.readyReplicas": 3}}}, True),
        ({"object": {"kind": "Deployment", "name": "web", "where": {"status.readyReplicas": "3"}}}, True),
        ({"object": {"kind": "Deployment", "name": "web", "where": {"status.readyReplicas": {">=": 4}}}}, False),
        ({"object": {"kind": "Deployment", "name": "web",
                     "where": {"spec.template.spec.containers[0].image": "nginx:1.16.0"}}}, True),
        ({"object": {"kind": "Deployment", "name": "web",
                     "where": {"spec.template.spec.containers[0].image": {"matches": r"nginx:1\.17\..*"}}}}, False),
        ({"object": {"kind": "Deployment", "name": "web",
                     "where": {'metadata.annotations["deployment.kubernetes.io/revision"]': 1}}}, True),
        ({"object": {"kind": "Deployment", "name": "nope"}}, False),
        ({"object": {"kind": "Pod", "name": "web-a", "where": {"status.conditions[type=Ready].status": True}}}, True),
        ({"object": {"kind": "Pod", "name": "web-c", "where": {"status.conditions[type=Ready].status": True}}}, False),
        ({"object": {"kind": "Pod", "name": "web-a", "where": {"spec.schedulerName": {"exists": False}}}}, True),
        ({"object": {"kind": "Service", "name": "web-svc", "where": {"spec.ports": {"length": 1}}}}, True),
        ({"object": {"kind": "Service", "name": "web-svc",
                     "where": {"spec.ports[0].nodePort": {"in": [1, 30080]}}}}, True),
        ({"absent": {"kind": "Pod", "name": "web-z"}}, True),
        ({"absent": {"kind": "Pod", "name": "web-a"}}, False),
        ({"count": {"kind": "Pod", "selector": "app=web", "is": 3}}, True),
        ({"count": {"kind": "Pod", "selector": "app=web", "is": {"<": 3}}}, False),
        ({"count": {"kind": "Pod", "selector": "app in (web,db)",
                    "where": {"spec.nodeName": "worker-1"}, "is": 3}}, True),
        ({"count": {"kind": "Pod", "where": {"status.conditions[type=Ready].status": "False"}, "is": 1}}, True),
        ({"all": [{"absent": {"kind": "Pod", "name": "x"}}, {"count": {"kind": "Pod", "is": 4}}]}, True),
        ({"all": [{"absent": {"kind": "Pod", "name": "x"}}, {"count": {"kind": "Pod", "is": 5}}]}, False),
        ({"any": [{"absent": {"kind": "Pod", "name": "web-a"}}, {"count": {"kind": "Pod", "is": 4}}]}, True),
        ({"not": {"absent": {"kind": "Pod", "name": "web-a"}}}, True),
        ({"clock": {"paused": False}}, True),
        ({"clock": {"paused": True}}, False),
    ],
)  # fmt: skip
def test_object_count_and_combinator_checks(raw: Any, ok: bool) -> None:
    assert evaluate(check(raw), WORLD).ok is ok


def entry(change: str, rv: int, obj: Obj) -> HistoryEntry:
    return HistoryEntry(change, rv, obj)


def test_ever_and_never_read_the_history_since_the_baseline() -> None:
    dipped = deployment(availableReplicas=2)
    world = FakeWorld(objects=[deployment(availableReplicas=3)], changes=[entry("MODIFIED", 5, dipped)])
    dip = {"ever": {"kind": "Deployment", "name": "web", "where": {"status.availableReplicas": {"<": 3}}}}
    ever = check(dip)
    assert evaluate(ever, world, Baseline(4)).ok
    assert not evaluate(ever, world, Baseline(5)).ok  # the dip happened before this step began
    never = check({"not": dip})
    outcome = evaluate(never, world, Baseline(4))
    assert not outcome.ok
    assert outcome.missing("en") == ["Deployment web: never status.availableReplicas < 3 — now: it happened"]
    assert "인 순간이 한 번도 없어야 함" in outcome.missing("ko")[0]


def test_ever_includes_the_current_state() -> None:
    world = FakeWorld(objects=[deployment(revision=2)])
    assert evaluate(check({"revision": {"deployment": "web", "reached": 2}}), world).ok
    assert not evaluate(check({"revision": {"deployment": "web", "reached": 3}}), world).ok


def test_revision_passed_through_history() -> None:
    world = FakeWorld(
        objects=[deployment(revision=3)],
        changes=[entry("MODIFIED", 1, deployment(revision=2)), entry("MODIFIED", 2, deployment(revision=3))],
    )
    outcome = evaluate(check({"revision": {"deployment": "web", "reached": 4}}), world)
    assert not outcome.ok and outcome.missing("en") == ["deployment web rollout reached revision 4 — now: revision 3"]


def test_deleted_counts_a_deletion_request_or_a_delete_event() -> None:
    terminating = pod("web-a", deletionTimestamp="2025-11-25T04:20:00Z")
    for change in (entry("MODIFIED", 3, terminating), entry("DELETED", 3, pod("web-a"))):
        world = FakeWorld(changes=[change])
        assert evaluate(check({"deleted": {"kind": "Pod", "selector": "app=web"}}), world).ok
        assert not evaluate(check({"deleted": {"kind": "Pod", "name": "web-b"}}), world).ok


@pytest.mark.parametrize(
    ("changes", "ok", "unmet"),
    [
        ([], False, ["a pod of deployment web deleted", "a replacement pod became Ready"]),
        ([("DELETED", 2, pod("web-a"))], False, ["a replacement pod became Ready"]),
        ([("DELETED", 2, pod("web-a")), ("ADDED", 3, pod("web-d", ready=False))], False,
         ["a replacement pod became Ready"]),
        ([("DELETED", 2, pod("web-a")), ("ADDED", 3, pod("web-d", ready=False)),
          ("MODIFIED", 4, pod("web-d"))], True, []),
        ([("ADDED", 1, pod("web-d")), ("DELETED", 2, pod("web-a"))], False, ["a replacement pod became Ready"]),
        ([("DELETED", 2, pod("db-a", app="db")), ("ADDED", 3, pod("db-b", app="db"))], False,
         ["a pod of deployment web deleted", "a replacement pod became Ready"]),
    ],
)  # fmt: skip
def test_replaced_needs_a_deletion_then_a_newer_pod_ready(changes: list[Any], ok: bool, unmet: list[str]) -> None:
    world = FakeWorld(objects=[deployment()], changes=[entry(*c) for c in changes])
    outcome = evaluate(check({"replaced": {"deployment": "web"}}), world)
    assert outcome.ok is ok
    assert outcome.missing("en") == unmet


@pytest.mark.parametrize(
    ("counters", "want", "ok", "have"),
    [
        ({"web-a": 5, "web-b": 2}, {">=": 2}, True, "2"),
        ({"web-a": 5, "web-b": 0}, {">=": 2}, False, "1"),
        ({"web-a": 1, "web-b": 1, "web-c": 1}, {">=": 3}, True, "3"),
        ({"web-a": 9, "db-a": 9}, {">=": 2}, False, "1"),  # db-a is not behind this Service
        ({}, 0, True, "0"),
    ],
)
def test_served_counts_distinct_pods_with_traffic(counters: dict[str, int], want: Any, ok: bool, have: str) -> None:
    privates = {("Pod", "default", name): {"traffic": {"requests": n}} for name, n in counters.items()}
    world = FakeWorld(objects=WORLD.objects, privates=privates)
    outcome = evaluate(check({"served": {"service": "web-svc", "pods": want}}), world)
    assert (outcome.ok, outcome.have and outcome.have.en) == (ok, have)


def test_served_without_the_service_explains_it() -> None:
    outcome = evaluate(check({"served": {"service": "nope", "pods": 1}}), FakeWorld())
    assert not outcome.ok and outcome.missing("en")[0].endswith("now: no Service nope")


RUNS = [
    CommandRun("kubectl get pods", 0),
    CommandRun("k  scale deployment web --replicas=3", 0),
    CommandRun("kubectl scale deployment web --replicas=x", 1),
    CommandRun("curl localhost:30000", 0),
    CommandRun("curl localhost:30000", 0),
]


@pytest.mark.parametrize(
    ("raw", "baseline", "ok"),
    [
        ("kubectl scale *", 0, True),
        ({"pattern": "kubectl scale *", "ok": True, "times": 2}, 0, False),
        ({"pattern": "kubectl scale *", "times": 2}, 0, True),
        ({"pattern": "kubectl scale *", "ok": False}, 0, True),
        ({"regex": r"kubectl get (po|pods?)( .*)?"}, 0, True),
        ({"regex": r"kubectl get (po|pods?)( .*)?"}, 1, False),
        ({"pattern": "curl *:30000", "times": {">=": 2}}, 3, True),
        ({"pattern": "curl *:30000", "times": {">=": 3}}, 3, False),
        ("kubectl get pods -o wide", 0, False),
        ("kubectl delete *", 0, False),
    ],
)
def test_ran_matches_commands_of_this_step(raw: Any, baseline: int, ok: bool) -> None:
    world = FakeWorld(runs=RUNS)
    assert evaluate(check({"ran": raw}), world, Baseline(0, baseline)).ok is ok


def test_failed_checks_explain_what_is_missing_in_both_languages() -> None:
    raw = {"all": [
        {"object": {"kind": "Deployment", "name": "web", "where": {"status.readyReplicas": 5, "spec.replicas": 3}}},
        {"ran": "kubectl scale *", "says": {"ko": "scale 명령 실행", "en": "run kubectl scale"}},
        {"absent": {"kind": "Pod", "name": "web-a"}},
    ]}  # fmt: skip
    outcome = evaluate(check(raw), WORLD)
    assert outcome.missing("en") == [
        "Deployment web: status.readyReplicas: 5 — now: 3",
        "run kubectl scale — now: 0 times",
        "Pod web-a is gone — now: still there",
    ]
    assert outcome.missing("ko") == [
        "Deployment web: status.readyReplicas: 5 — 지금: 3",
        "scale 명령 실행 — 지금: 0번",
        "Pod web-a 없음 — 지금: 아직 있음",
    ]
    tree = outcome.as_json("en")
    assert tree["ok"] is False and [c["ok"] for c in tree["children"]] == [False, False, False]
    assert tree["children"][0]["children"][1] == {"ok": True, "want": "spec.replicas: 3", "have": "3", "children": []}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"objekt": {}}, 'unknown check "objekt"; known checks: object, absent, count'),
        ({"object": {}, "absent": {}}, "a check has exactly one check key, found 2"),
        ({"object": {"kind": "Deployment"}}, 'missing field "name"'),
        ({"object": {"kind": "Deployments", "name": "x"}}, 'unknown kind "Deployments" (did you mean "Deployment"?)'),
        ({"count": {"kind": "Pod", "selector": "app in (", "is": 1}}, "bad selector"),
        ({"count": {"kind": "Pod"}}, 'missing field "is"'),
        ({"object": {"kind": "Pod", "name": "x", "where": {"a..b": 1}}}, 'bad field path "a..b"'),
        ({"object": {"kind": "Pod", "name": "x", "where": {"a": {">": "x"}}}}, 'operator ">" needs a number'),
        ({"revision": {"deployment": "web", "reached": 0}}, '"reached" is a revision number'),
        ({"ran": {"regex": "("}}, "bad regex"),
        ({"all": []}, "expected a non-empty list of checks"),
        ({"clock": {"paused": "yes"}}, '"paused" is true or false'),
        ({"object": {"kind": "Pod", "name": "x", "colour": 1}}, 'unknown field "colour"'),
        ({"absent": {"kind": "Pod", "name": "x"}, "says": {"ko": "x"}}, "says needs both texts"),
    ],
)
def test_bad_checks_are_rejected_with_a_reason(raw: Any, message: str) -> None:
    with pytest.raises(SpecError) as info:
        check(raw)
    assert message in info.value.message


def test_spec_errors_point_at_the_offending_key() -> None:
    with pytest.raises(SpecError) as info:
        check({"all": [{"absent": {"kind": "Pod", "name": "x"}}, {"object": {"kind": "Pdo", "name": "y"}}]})
    assert info.value.path == ("all", 1, "object", "kind")


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("spec.replicas", 3),
        ("spec.template.spec.containers[0].image", "nginx:1.16.0"),
        ("spec.template.spec.containers[-1].name", "nginx"),
        ("spec.template.spec.containers[1].name", None),
        ('metadata.labels["app"]', "web"),
        ("spec.template.spec.containers[name=nginx].image", "nginx:1.16.0"),
        ("spec.template.spec.containers[name=other].image", None),
        ("status.missing.deeper", None),
    ],
)
def test_field_paths(path: str, value: Any) -> None:
    assert parse_path(path).get(deployment()) == value


@pytest.mark.parametrize("bad", ["", ".a", "a.", "a[", "a b", "[0]x"])
def test_bad_field_paths(bad: str) -> None:
    with pytest.raises(PathError):
        parse_path(bad)


@pytest.mark.parametrize(
    ("raw", "actual", "ok"),
    [
        (3, 3, True), (3, "3", True), (True, "True", True), (False, "True", False), ("Running", "Running", True),
        ({"!=": "Pending"}, "Running", True), ({">": 2}, None, False), ({"<=": 2}, 2.0, True),
        ({"in": ["a", "b"]}, "b", True), ({"contains": "nginx"}, "docker.io/nginx:1", True),
        ({"exists": True}, 0, True), ({"exists": True}, None, False), (None, None, True),
        ({"length": {">=": 2}}, [1, 2], True), ({"length": 0}, None, True),
    ],
)  # fmt: skip
def test_comparators(raw: Any, actual: Any, ok: bool) -> None:
    assert parse_comparator(raw).test(actual) is ok


def test_placeholders_fill_from_the_live_cluster() -> None:
    world = FakeWorld(objects=[*WORLD.objects, pod("web-0", ready=True)])
    world.objects[-1]["status"]["phase"] = "Pending"
    assert fill("kubectl delete pod {pod:app=web}", world) == "kubectl delete pod web-a"
    assert fill("curl localhost:{nodeport:web-svc}", world) == "curl localhost:30080"
    assert fill("curl {clusterip:web-svc}", world) == "curl 10.96.0.20"
    assert fill("kubectl drain {node:web-b}", world) == "kubectl drain worker-2"
    assert fill_for_display("curl localhost:{nodeport:nope}", world) == "curl localhost:<nodePort>"
    assert fill('kubectl patch x -p \'{"spec":{"replicas":3}}\'', world).endswith('{"replicas":3}}\'')
    with pytest.raises(PlaceholderError):
        fill("kubectl delete pod {pod:app=none}", world)


# -- a learner never reads a regular expression ------------------------------------------------------------------
IMAGE_REGEX = r"(docker\.io/)?(library/)?nginx(:[\w.-]+)?"


def _texts(node: dict[str, Any]) -> list[str]:
    return [node["want"], node["have"] or ""] + [t for c in node["children"] for t in _texts(c)]


def test_a_matches_condition_is_worded_by_its_says_or_in_plain_words() -> None:
    worded = {"matches": IMAGE_REGEX, "says": {"ko": "nginx 이미지", "en": "an nginx image"}}
    assert parse_comparator(worded).describe().en == "an nginx image"
    assert parse_comparator(worded).describe().ko == "nginx 이미지"
    assert parse_comparator(worded).test("docker.io/library/nginx:1.25")
    bare = parse_comparator({"matches": IMAGE_REGEX}).describe()
    assert IMAGE_REGEX not in bare.en + bare.ko and "/" not in bare.en + bare.ko
    assert parse_comparator({">=": 3, "says": {"ko": "3개 이상", "en": "3 or more"}}).describe().en == "3 or more"


@pytest.mark.parametrize("says", [{"ko": "x"}, "an nginx image"])
def test_a_comparator_says_needs_both_languages(says: Any) -> None:
    with pytest.raises(SpecError) as info:
        check({"object": {"kind": "Pod", "name": "x", "where": {"a": {"matches": "x", "says": says}}}})
    assert "says needs both texts" in info.value.message


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_goals_written_with_regexes_show_no_regex(lang: str) -> None:
    raw = {"all": [
        {"object": {"kind": "Deployment", "name": "web",
                    "where": {"spec.template.spec.containers[0].image": {"matches": IMAGE_REGEX}}}},
        {"ran": {"regex": r"kubectl get (po|pods?)( .*)?", "ok": True}},
    ]}  # fmt: skip
    outcome = evaluate(check(raw), FakeWorld(objects=[deployment()]))
    texts = _texts(outcome.as_json(lang)) + outcome.missing(lang)
    assert not [t for t in texts if IMAGE_REGEX in t or "(po|pods?)" in t]
    assert "nginx:1.16.0" in " ".join(texts)  # what the cluster has now is still shown


def _comparators(node: Any) -> list[Any]:
    """Every comparator inside a parsed check (conditions, counts, times), walking the frozen records."""
    import dataclasses

    from sandbox.lessons.course.checks.compare import Comparator

    if isinstance(node, Comparator):
        return [node, *(_comparators(node.value) if node.op == "length" else [])]
    if isinstance(node, tuple | list):
        return [c for item in node for c in _comparators(item)]
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return [c for f in dataclasses.fields(node) for c in _comparators(getattr(node, f.name))]
    return []


def _checks(node: Any) -> list[Any]:
    import dataclasses

    from sandbox.lessons.course.checks.spec import Check

    if isinstance(node, tuple | list):
        return [c for item in node for c in _checks(item)]
    if isinstance(node, Check):
        inner = [c for f in dataclasses.fields(node) for c in _checks(getattr(node, f.name))]
        return [node, *inner]
    return []


def test_every_regex_in_the_course_is_worded_for_the_learner() -> None:
    from sandbox.lessons.course.checks.spec import RanCheck
    from sandbox.lessons.course.loader import load_course

    lessons, problems = load_course()
    assert not problems
    unworded = []
    for lesson in lessons:
        for step in lesson.steps:
            for comparator in _comparators(step.check):
                if comparator.op == "matches" and comparator.says is None:
                    unworded.append(f"{lesson.id}/{step.id}: matches {comparator.value}")
            for ran in _checks(step.check):
                if isinstance(ran, RanCheck) and ran.from_regex and ran.says is None:
                    unworded.append(f"{lesson.id}/{step.id}: ran {ran.pattern}")
    assert unworded == []


def test_a_shown_pod_placeholder_names_a_stuck_pod_when_none_runs() -> None:
    stuck = pod("web-x", app="broken", ready=False)
    stuck["status"]["phase"] = "Pending"
    world = FakeWorld(objects=[stuck])
    assert fill_for_display("kubectl describe pod {pod:app=broken}", world) == "kubectl describe pod web-x"
    assert fill_for_display("kubectl describe pod {pod:app=none}", world) == "kubectl describe pod <pod>"
    with pytest.raises(PlaceholderError):  # playback still waits for a Running pod
        fill("kubectl delete pod {pod:app=broken}", world)
