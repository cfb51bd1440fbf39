"""The check language: declarative predicates a lesson file states, parsed into small frozen records.

A check is a mapping with exactly one check key (plus an optional ``says``
that words the requirement for the learner). No code ever comes from a
lesson file: only these records, evaluated by ``evaluate``.

    object:   {kind, name, namespace?, where?}        the object exists and every field matches
    absent:   {kind, name, namespace?}                the object does not exist
    count:    {kind, namespace?, selector?, where?, is}  how many objects match
    ever:     {kind, name?|selector?, namespace?, where}  some version since the step began matched
    deleted:  {kind, name?|selector?, namespace?}     an object was deleted since the step began
    replaced: {deployment, namespace?}                a pod of it was deleted and a newer one became Ready
    revision: {deployment, namespace?, reached}       its rollout reached revision N
    served:   {service, namespace?, pods}             requests through it were answered by N distinct pods
    ran:      "kubectl scale *" | {pattern|regex, ok?, times?}   commands the learner ran in this step
    clock:    {paused: true|false}                    the simulated clock is paused / running
    all: [...], any: [...], not: {...}                combinators
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sandbox.lessons.course.checks.compare import Comparator, CompareError, parse_comparator
from sandbox.lessons.course.checks.paths import FieldPath, PathError, parse_path
from sandbox.lessons.course.text import Text

CHECK_KEYS = (
    "object", "absent", "count", "ever", "deleted", "replaced", "revision", "served", "ran", "clock",
    "all", "any", "not",
)  # fmt: skip

RelPath = tuple[str | int, ...]


class SpecError(ValueError):
    """A check that cannot be understood; ``path`` points into the check for the line number."""

    def __init__(self, message: str, path: RelPath = ()) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


@dataclass(frozen=True)
class Condition:
    path: FieldPath
    expect: Comparator


@dataclass(frozen=True)
class Check:
    """Base of every check record; ``says`` overrides the generated description."""

    says: Text | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class ObjectCheck(Check):
    kind: str
    name: str
    namespace: str
    where: tuple[Condition, ...]


@dataclass(frozen=True)
class AbsentCheck(Check):
    kind: str
    name: str
    namespace: str


@dataclass(frozen=True)
class CountCheck(Check):
    kind: str
    namespace: str
    selector: str
    where: tuple[Condition, ...]
    expect: Comparator


@dataclass(frozen=True)
class EverCheck(Check):
    kind: str
    name: str
    selector: str
    namespace: str
    where: tuple[Condition, ...]


@dataclass(frozen=True)
class DeletedCheck(Check):
    kind: str
    name: str
    selector: str
    namespace: str


@dataclass(frozen=True)
class ReplacedCheck(Check):
    deployment: str
    namespace: str


@dataclass(frozen=True)
class RevisionCheck(Check):
    deployment: str
    namespace: str
    reached: int


@dataclass(frozen=True)
class ServedCheck(Check):
    service: str
    namespace: str
    pods: Comparator


@dataclass(frozen=True)
class RanCheck(Check):
    pattern: str
    regex: re.Pattern[str]
    ok: bool | None
    times: Comparator
    # Written as a regex: never shown to the learner (``says`` words it, else a generic wording).
    from_regex: bool = False


@dataclass(frozen=True)
class ClockCheck(Check):
    paused: bool


@dataclass(frozen=True)
class AllCheck(Check):
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class AnyCheck(Check):
    checks: tuple[Check, ...]


@dataclass(frozen=True)
class NotCheck(Check):
    check: Check


def parse_check(raw: Any, kinds: frozenset[str], path: RelPath = ()) -> Check:
    """Parse one check mapping; raises ``SpecError`` naming the first problem and where it is."""
    if not isinstance(raw, dict):
        raise SpecError(f"a check is a mapping with one of: {', '.join(CHECK_KEYS)}", path)
    says = _says(raw.get("says"), (*path, "says"))
    keys = [k for k in raw if k != "says"]
    unknown = [k for k in keys if k not in CHECK_KEYS]
    if unknown:
        raise SpecError(
            f'unknown check "{unknown[0]}"; known checks: {", ".join(CHECK_KEYS)}', (*path, str(unknown[0]))
        )
    if len(keys) != 1:
        raise SpecError(f"a check has exactly one check key, found {len(keys)}: {', '.join(map(str, keys))}", path)
    key = str(keys[0])
    return _PARSERS[key](raw[key], kinds, (*path, key), says)


def _says(raw: Any, path: RelPath) -> Text | None:
    if raw is None:
        return None
    if isinstance(raw, dict) and isinstance(raw.get("ko"), str) and isinstance(raw.get("en"), str):
        return Text(raw["ko"], raw["en"])
    raise SpecError("says needs both texts: {ko: ..., en: ...}", path)


def _fields(raw: Any, path: RelPath, required: tuple[str, ...], optional: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise SpecError(f"expected a mapping with {', '.join(required + optional)}", path)
    for key in raw:
        if key not in required + optional:
            allowed = ", ".join(required + optional)
            raise SpecError(f'unknown field "{key}" (allowed here: {allowed})', (*path, str(key)))
    for key in required:
        if key not in raw or raw[key] in (None, ""):
            raise SpecError(f'missing field "{key}"', path)
    return raw


def _name(raw: dict[str, Any], key: str, path: RelPath, default: str = "") -> str:
    value = raw.get(key, default)
    if not isinstance(value, str):
        raise SpecError(f'"{key}" must be a string', (*path, key))
    return value


def _kind(raw: dict[str, Any], kinds: frozenset[str], path: RelPath) -> str:
    kind = _name(raw, "kind", path)
    if kind not in kinds:
        near = [k for k in sorted(kinds) if k.lower() == kind.lower().rstrip("s")]
        tip = f' (did you mean "{near[0]}"?)' if near else f"; known kinds: {', '.join(sorted(kinds))}"
        raise SpecError(f'unknown kind "{kind}"{tip}', (*path, "kind"))
    return kind


def _namespace(raw: dict[str, Any], path: RelPath) -> str:
    return _name(raw, "namespace", path, "default")


def _selector(raw: dict[str, Any], path: RelPath) -> str:
    from cluster.core.labels import SelectorError, parse

    text = _name(raw, "selector", path)
    try:
        parse(text)
    except SelectorError as exc:
        raise SpecError(f"bad selector: {exc}", (*path, "selector")) from None
    return text


def _where(raw: Any, path: RelPath) -> tuple[Condition, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not raw:
        raise SpecError('"where" is a mapping of field path to expected value', path)
    conditions = []
    for key, value in raw.items():
        try:
            conditions.append(Condition(parse_path(str(key)), parse_comparator(value)))
        except (PathError, CompareError) as exc:
            raise SpecError(str(exc), (*path, str(key))) from None
    return tuple(conditions)


def _comparator(raw: Any, path: RelPath) -> Comparator:
    try:
        return parse_comparator(raw)
    except CompareError as exc:
        raise SpecError(str(exc), path) from None


def _object(raw: Any, kinds: frozenset[str], path: RelPath, says: Text | None) -> Check:
    f = _fields(raw, path, ("kind", "name"), ("namespace", "where"))
    where = _where(f.get("where"), (*path, "where"))
    return ObjectCheck(_kind(f, kinds, path), _name(f, "name", path), _namespace(f, path), where, says=says)


def _absent(raw: Any, kinds: frozenset[str], path: RelPath, says: Text | None) -> Check:
    f = _fields(raw, path, ("kind", "name"), ("namespace",))
    return AbsentCheck(_kind(f, kinds, path), _name(f, "name", path), _namespace(f, path), says=says)


def _count(raw: Any, kinds: frozenset[str], path: RelPath, says: Text | None) -> Check:
    f = _fields(raw, path, ("kind", "is"), ("namespace", "selector", "where"))
    kind, where = _kind(f, kinds, path), _where(f.get("where"), (*path, "where"))
    expect = _comparator(f["is"], (*path, "is"))
    return CountCheck(kind, _namespace(f, path), _selector(f, path), where, expect, says=says)


def _ever(raw: Any, kinds: frozenset[str], path: RelPath, says: Text | None) -> Check:
    f = _fields(raw, path, ("kind", "where"), ("name", "selector", "namespace"))
    kind, where = _kind(f, kinds, path), _where(f["where"], (*path, "where"))
    return EverCheck(kind, _name(f, "name", path), _selector(f, path), _namespace(f, path), where, says=says)


def _deleted(raw: Any, kinds: frozenset[str], path: RelPath, says: Text | None) -> Check:
    f = _fields(raw, path, ("kind",), ("name", "selector", "namespace"))
    kind = _kind(f, kinds, path)
    return DeletedCheck(kind, _name(f, "name", path), _selector(f, path), _namespace(f, path), says=says)


def _replaced(raw: Any, kinds: frozenset[str], path: RelPath, says: Text | None) -> Check:
    f = _fields(raw, path, ("deployment",), ("namespace",))
    return ReplacedCheck(_name(f, "deployment", path), _namespace(f, path), says=says)


def _revision(raw: Any, kinds: frozenset[str], path: RelPath, says: Text | None) -> Check:
    f = _fields(raw, path, ("deployment", "reached"), ("namespace",))
    reached = f["reached"]
    if isinstance(reached, bool) or not isinstance(reached, int) or reached < 1:
        raise SpecError('"reached" is a revision number (1, 2, 3 ...)', (*path, "reached"))
    return RevisionCheck(_name(f, "deployment", path), _namespace(f, path), reached, says=says)


def _served(raw: Any, kinds: frozenset[str], path: RelPath, says: Text | None) -> Check:
    f = _fields(raw, path, ("service", "pods"), ("namespace",))
    pods = _comparator(f["pods"], (*path, "pods"))
    return ServedCheck(_name(f, "service", path), _namespace(f, path), pods, says=says)


def _ran(raw: Any, kinds: frozenset[str], path: RelPath, says: Text | None) -> Check:
    if isinstance(raw, str):
        raw = {"pattern": raw}
    f = _fields(raw, path, (), ("pattern", "regex", "ok", "times"))
    if ("pattern" in f) == ("regex" in f):
        raise SpecError('"ran" needs either a pattern ("kubectl scale *") or a regex', path)
    ok = f.get("ok")
    if ok is not None and not isinstance(ok, bool):
        raise SpecError('"ok" is true (the command must succeed) or false', (*path, "ok"))
    times = _comparator(f.get("times", {">=": 1}), (*path, "times"))
    if "pattern" in f:
        pattern = normalize_line(_name(f, "pattern", path))
        regex = re.compile(".*".join(re.escape(part) for part in pattern.split("*")))
        return RanCheck(pattern, regex, ok, times, says=says)
    try:
        regex = re.compile(_name(f, "regex", path))
    except re.error as exc:
        raise SpecError(f"bad regex: {exc}", (*path, "regex")) from None
    return RanCheck(regex.pattern, regex, ok, times, from_regex=True, says=says)


def _clock(raw: Any, kinds: frozenset[str], path: RelPath, says: Text | None) -> Check:
    f = _fields(raw, path, ("paused",), ())
    if not isinstance(f["paused"], bool):
        raise SpecError('"paused" is true or false', (*path, "paused"))
    return ClockCheck(f["paused"], says=says)


def _list(raw: Any, kinds: frozenset[str], path: RelPath) -> tuple[Check, ...]:
    if not isinstance(raw, list) or not raw:
        raise SpecError("expected a non-empty list of checks", path)
    return tuple(parse_check(item, kinds, (*path, i)) for i, item in enumerate(raw))


def _all(raw: Any, kinds: frozenset[str], path: RelPath, says: Text | None) -> Check:
    return AllCheck(_list(raw, kinds, path), says=says)


def _any(raw: Any, kinds: frozenset[str], path: RelPath, says: Text | None) -> Check:
    return AnyCheck(_list(raw, kinds, path), says=says)


def _not(raw: Any, kinds: frozenset[str], path: RelPath, says: Text | None) -> Check:
    return NotCheck(parse_check(raw, kinds, path), says=says)


_PARSERS = {
    "object": _object, "absent": _absent, "count": _count, "ever": _ever, "deleted": _deleted,
    "replaced": _replaced, "revision": _revision, "served": _served, "ran": _ran, "clock": _clock,
    "all": _all, "any": _any, "not": _not,
}  # fmt: skip


def normalize_line(line: str) -> str:
    """Collapse whitespace and spell the ``k`` alias out, so ``k  get po`` matches ``kubectl get po``."""
    words = line.split()
    if words and words[0] == "k":
        words[0] = "kubectl"
    return " ".join(words)


def walk(check: Check) -> list[Check]:
    """The check and every check nested in it, depth first."""
    children: tuple[Check, ...] = ()
    if isinstance(check, AllCheck | AnyCheck):
        children = check.checks
    elif isinstance(check, NotCheck):
        children = (check.check,)
    return [check, *(c for child in children for c in walk(child))]
