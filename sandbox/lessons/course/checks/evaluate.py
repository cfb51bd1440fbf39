"""Evaluating checks against a ``World``: pure functions from (check, world, baseline) to an ``Outcome``.

History and command checks look only after the step's ``Baseline``; object
checks look at the cluster as it is now. Everything is read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sandbox.lessons.course.checks.compare import show
from sandbox.lessons.course.checks.outcome import Outcome
from sandbox.lessons.course.checks.spec import (
    AbsentCheck,
    AllCheck,
    AnyCheck,
    Check,
    ClockCheck,
    Condition,
    CountCheck,
    DeletedCheck,
    EverCheck,
    NotCheck,
    ObjectCheck,
    RanCheck,
    ReplacedCheck,
    RevisionCheck,
    ServedCheck,
    normalize_line,
)
from sandbox.lessons.course.text import Text, join, same
from sandbox.lessons.course.world import Baseline, HistoryEntry, Obj, World

REVISION = "deployment.kubernetes.io/revision"


def evaluate(check: Check, world: World, baseline: Baseline | None = None) -> Outcome:
    outcome = _EVALUATORS[type(check)](check, world, baseline or Baseline())
    if check.says is not None:
        return Outcome(outcome.ok, check.says, outcome.have, outcome.children, outcome.scoped)
    return outcome


# -- helpers -----------------------------------------------------------------------------------------------------
def _conditions(obj: Obj, where: tuple[Condition, ...]) -> list[Outcome]:
    out = []
    for cond in where:
        actual = cond.path.get(obj)
        ok = cond.expect.test(actual)
        want = same(f"{cond.path}: ") + cond.expect.describe()
        out.append(Outcome(ok, want, same(show(actual))))
    return out


def _matches(obj: Obj, where: tuple[Condition, ...]) -> bool:
    return all(cond.expect.test(cond.path.get(obj)) for cond in where)


def _selected(obj: Obj, name: str, selector: str, namespace: str) -> bool:
    from cluster.core.labels import parse

    meta = obj.get("metadata") or {}
    if meta.get("namespace", "") not in (namespace, ""):
        return False
    if name and meta.get("name") != name:
        return False
    return parse(selector).matches(meta.get("labels") or {}) if selector else True


def _what(kind: str, name: str, selector: str) -> Text:
    if name:
        return same(f"{kind} {name}")
    return same(f"{kind} ({selector})" if selector else kind)


def _where_text(where: tuple[Condition, ...]) -> Text:
    return join([same(f"{c.path} ") + c.expect.describe() for c in where])


def _history(world: World, baseline: Baseline, kind: str) -> Iterable[HistoryEntry]:
    return (e for e in world.history(baseline.resource_version) if e.kind == kind)


def _versions(world: World, baseline: Baseline, kind: str, namespace: str) -> Iterable[Obj]:
    """Every version of ``kind`` objects seen since the baseline (watch history), then the current ones."""
    for entry in _history(world, baseline, kind):
        if entry.type != "DELETED":
            yield entry.obj
    yield from world.list(kind, namespace)


def _is_ready(pod: Obj) -> bool:
    conditions = (pod.get("status") or {}).get("conditions") or []
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


def _deleting(entry: HistoryEntry) -> bool:
    return entry.type == "DELETED" or bool((entry.obj.get("metadata") or {}).get("deletionTimestamp"))


# -- object checks -----------------------------------------------------------------------------------------------
def _object(check: ObjectCheck, world: World, baseline: Baseline) -> Outcome:
    what = _what(check.kind, check.name, "")
    obj = world.get(check.kind, check.namespace, check.name)
    if obj is None:
        return Outcome(False, what + Text(" 존재", " exists"), Text("아직 없음", "not found"))
    children = tuple(_conditions(obj, check.where))
    return Outcome(all(c.ok for c in children), what, None, children, scoped=True)


def _absent(check: AbsentCheck, world: World, baseline: Baseline) -> Outcome:
    present = world.get(check.kind, check.namespace, check.name) is not None
    have = Text("아직 있음", "still there") if present else Text("없음", "gone")
    return Outcome(not present, _what(check.kind, check.name, "") + Text(" 없음", " is gone"), have)


def _count(check: CountCheck, world: World, baseline: Baseline) -> Outcome:
    objs = [o for o in world.list(check.kind, check.namespace) if _selected(o, "", check.selector, check.namespace)]
    found = sum(1 for o in objs if _matches(o, check.where))
    filters = ", ".join(filter(None, [check.selector, _where_text(check.where).en]))
    filters_ko = ", ".join(filter(None, [check.selector, _where_text(check.where).ko]))
    label = Text(
        f"{check.kind}" + (f" ({filters_ko})" if filters_ko else "") + " 개수: ",
        f"number of {check.kind}s" + (f" ({filters})" if filters else "") + ": ",
    )
    return Outcome(check.expect.test(found), label + check.expect.describe(), same(str(found)))


# -- history checks ----------------------------------------------------------------------------------------------
def _ever(check: EverCheck, world: World, baseline: Baseline) -> Outcome:
    seen = [
        o
        for o in _versions(world, baseline, check.kind, check.namespace)
        if _selected(o, check.name, check.selector, check.namespace)
    ]
    ok = any(_matches(o, check.where) for o in seen)
    what = _what(check.kind, check.name, check.selector)
    want = what + Text(": 한 번이라도 ", ": at some point ") + _where_text(check.where)
    return Outcome(ok, want, None if ok else Text("아직 그런 적 없음", "not yet"))


def _never(check: EverCheck, world: World, baseline: Baseline) -> Outcome:
    hit = _ever(check, world, baseline).ok
    what = _what(check.kind, check.name, check.selector)
    condition = _where_text(check.where)
    want = what + Text(": ", ": never ") + condition + Text(" 인 순간이 한 번도 없어야 함", "")
    return Outcome(not hit, want, Text("그런 순간이 있었음", "it happened") if hit else None)


def _deleted(check: DeletedCheck, world: World, baseline: Baseline) -> Outcome:
    ok = any(
        _deleting(e) and _selected(e.obj, check.name, check.selector, check.namespace)
        for e in _history(world, baseline, check.kind)
    )
    want = _what(check.kind, check.name, check.selector) + Text(" 삭제됨", " deleted")
    return Outcome(ok, want, None if ok else Text("아직 삭제 안 됨", "not deleted yet"))


def _deployment_selector(world: World, namespace: str, name: str) -> str:
    from cluster.core.labels import from_label_selector

    deploy = world.get("Deployment", namespace, name)
    if deploy is None:
        return ""
    return str(from_label_selector((deploy.get("spec") or {}).get("selector"))) or ""


def _replaced(check: ReplacedCheck, world: World, baseline: Baseline) -> Outcome:
    selector = _deployment_selector(world, check.namespace, check.deployment)
    entries = [
        e for e in _history(world, baseline, "Pod") if selector and _selected(e.obj, "", selector, check.namespace)
    ]
    deleted_at = next((e.resource_version for e in entries if _deleting(e)), None)
    gone: set[str] = {e.obj["metadata"]["name"] for e in entries if _deleting(e)}
    newcomers = {
        e.obj["metadata"]["name"]
        for e in entries
        if deleted_at is not None and e.type == "ADDED" and e.resource_version > deleted_at
    }
    versions = [e.obj for e in entries if e.type != "DELETED"] + world.list("Pod", check.namespace)
    ready = any(_is_ready(p) and p["metadata"]["name"] in newcomers - gone for p in versions)
    name = check.deployment
    parts = (
        Outcome(
            deleted_at is not None, Text(f"Deployment {name} 의 Pod 하나 삭제", f"a pod of deployment {name} deleted")
        ),
        Outcome(ready, Text("그 자리를 채운 새 Pod 가 Ready", "a replacement pod became Ready")),
    )
    want = Text(f"Deployment {name} 가 삭제된 Pod 를 새 Pod 로 대체", f"deployment {name} replaced a deleted pod")
    return Outcome(all(p.ok for p in parts), want, None, parts)


def _revision(check: RevisionCheck, world: World, baseline: Baseline) -> Outcome:
    best = 0
    for obj in _versions(world, baseline, "Deployment", check.namespace):
        if _selected(obj, check.deployment, "", check.namespace):
            raw = ((obj.get("metadata") or {}).get("annotations") or {}).get(REVISION, "0")
            best = max(best, int(raw) if str(raw).isdigit() else 0)
    want = Text(
        f"Deployment {check.deployment} 롤아웃이 리비전 {check.reached} 에 도달",
        f"deployment {check.deployment} rollout reached revision {check.reached}",
    )
    return Outcome(best >= check.reached, want, Text(f"리비전 {best}", f"revision {best}"))


def _served(check: ServedCheck, world: World, baseline: Baseline) -> Outcome:
    from cluster.core.labels import selector_from_set

    service = world.get("Service", check.namespace, check.service)
    want = (
        Text(
            f"Service {check.service} 의 요청에 응답한 서로 다른 Pod 수 ",
            f"distinct pods answering Service {check.service}: ",
        )
        + check.pods.describe()
    )
    if service is None:
        return Outcome(False, want, Text(f"Service {check.service} 없음", f"no Service {check.service}"))
    selector = (service.get("spec") or {}).get("selector") or {}
    pods = [
        p
        for p in world.list("Pod", check.namespace)
        if selector and selector_from_set(selector).matches((p.get("metadata") or {}).get("labels") or {})
    ]
    answered = sum(1 for p in pods if _requests(world, p) > 0)
    return Outcome(check.pods.test(answered), want, same(str(answered)))


def _requests(world: World, pod: Obj) -> int:
    """Requests a pod answered, from the traffic model's per-pod counter ``private(pod)["traffic"]["requests"]``."""
    meta = pod.get("metadata") or {}
    private = world.private("Pod", meta.get("namespace", ""), meta.get("name", "")) or {}
    traffic = private.get("traffic") or {}
    value = traffic.get("requests", 0) if isinstance(traffic, dict) else 0
    return int(value) if isinstance(value, int | float) else 0


# -- commands and clock ------------------------------------------------------------------------------------------
def _ran(check: RanCheck, world: World, baseline: Baseline) -> Outcome:
    runs = list(world.commands())[baseline.commands :]
    hits = sum(
        1
        for run in runs
        if check.regex.fullmatch(normalize_line(run.line)) and (check.ok is None or (run.exit_code == 0) == check.ok)
    )
    suffix = Text(" (성공)", " (successfully)") if check.ok else Text("", "")
    if check.from_regex:  # a regex is no text for a learner
        want = Text("이 단계의 명령 실행", "run this step's command") + suffix
    else:
        want = Text(f"명령 실행: {check.pattern}", f"run: {check.pattern}") + suffix
    default_times = check.times.op == ">=" and check.times.value == 1
    if not default_times:
        want = want + Text(" — 횟수 ", " — times ") + check.times.describe()
    have = Text(f"{hits}번", f"{hits} time" + ("" if hits == 1 else "s"))
    return Outcome(check.times.test(hits), want, have)


def _clock(check: ClockCheck, world: World, baseline: Baseline) -> Outcome:
    paused = world.clock_paused()
    state = {True: Text("일시정지", "paused"), False: Text("흐르는 중", "running")}
    return Outcome(paused == check.paused, Text("시계: ", "clock: ") + state[check.paused], state[paused])


# -- combinators -------------------------------------------------------------------------------------------------
def _all(check: AllCheck, world: World, baseline: Baseline) -> Outcome:
    children = tuple(evaluate(c, world, baseline) for c in check.checks)
    return Outcome(all(c.ok for c in children), Text("모두 만족", "all of"), None, children)


def _any(check: AnyCheck, world: World, baseline: Baseline) -> Outcome:
    children = tuple(evaluate(c, world, baseline) for c in check.checks)
    return Outcome(any(c.ok for c in children), Text("다음 중 하나", "one of"), None, children)


def _not(check: NotCheck, world: World, baseline: Baseline) -> Outcome:
    inner = check.check
    if isinstance(inner, EverCheck) and inner.says is None:
        return _never(inner, world, baseline)
    result = evaluate(inner, world, baseline)
    return Outcome(not result.ok, Text("아님: ", "not: ") + result.want, result.have)


_EVALUATORS: dict[type, Callable[[Any, World, Baseline], Outcome]] = {
    ObjectCheck: _object,
    AbsentCheck: _absent,
    CountCheck: _count,
    EverCheck: _ever,
    DeletedCheck: _deleted,
    ReplacedCheck: _replaced,
    RevisionCheck: _revision,
    ServedCheck: _served,
    RanCheck: _ran,
    ClockCheck: _clock,
    AllCheck: _all,
    AnyCheck: _any,
    NotCheck: _not,
}
