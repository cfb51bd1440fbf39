from __future__ import annotations

from typing import Any

import pytest

from cluster.core import labels
from cluster.core.errors import FieldError
from cluster.core.labels import SelectorError

QNAME_RULE = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
    "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
VALUE_RULE = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
    "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)
WEB = {"app": "web", "tier": "frontend", "pod-template-hash": "abc", "version": "3"}


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("app=web,pod-template-hash=abc", "app=web,pod-template-hash=abc"),
        ("pod-template-hash=abc,app=web", "app=web,pod-template-hash=abc"),
        ("  tier in ( b , a ) ,!x,  y ", "tier in (a,b),!x,y"),
        ("x notin (a)", "x notin (a)"),
        ("a==b", "a==b"),
        ("a!=b", "a!=b"),
        ("a>1,b<3", "a>1,b<3"),
        ("a in ()", "a in ()"),
        ("a=", "a="),
        ("x in (in,notin)", "x in (in,notin)"),
        ("in", "in"),
        ("example.com/role=db", "example.com/role=db"),
        ("", ""),
    ],
)
def test_parse_round_trips_to_the_canonical_string(text: str, canonical: str) -> None:
    assert str(labels.parse(text)) == canonical
    assert str(labels.parse(canonical)) == canonical


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("app=web", True),
        ("app==web", True),
        ("app=api", False),
        ("app!=api", True),
        ("missing!=x", True),
        ("app in (api,web)", True),
        ("app notin (api,web)", False),
        ("missing notin (a)", True),
        ("missing in (a)", False),
        ("tier", True),
        ("missing", False),
        ("!missing", True),
        ("!tier", False),
        ("version>2", True),
        ("version>3", False),
        ("version<4", True),
        ("app>1", False),  # non-numeric label value never satisfies Gt/Lt
        ("missing<10", False),
        ("app=web,tier=frontend", True),
        ("app=web,tier=backend", False),
        ("", True),
    ],
)
def test_matches(text: str, expected: bool) -> None:
    assert labels.parse(text).matches(WEB) is expected


def test_selector_matches_none_as_no_labels() -> None:
    assert labels.parse("!app").matches(None)
    assert not labels.parse("app").matches(None)


def test_empty_and_nothing() -> None:
    assert labels.everything().empty
    assert labels.everything().matches({"a": "b"})
    assert not labels.nothing().empty
    assert not labels.nothing().matches({})
    assert not labels.parse("a=b").empty


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a b", "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"),
        ("app:monolith", f'unable to parse requirement: <nil>: Invalid value: "app:monolith": {QNAME_RULE}'),
        ("a,", "found '', expected: identifier after ','"),
        (",a", "found ',', expected: !, identifier, or 'end of string'"),
        ("a=b c", "found 'c', expected: ',' or 'end of string'"),
        ("a in (x y)", "unable to parse requirement: found 'y', expected: ',' or ')'"),
        ("a in x", "unable to parse requirement: found 'x' expected: '('"),
        ("a in (b", "unable to parse requirement: found '', expected: ',' or ')'"),
        ("a=!b", "unable to parse requirement: found '!', expected: identifier"),
        ("!", "unable to parse requirement: found '', expected: identifier"),
        (
            "a>x",
            'unable to parse requirement: values[0]: Invalid value: "x": '
            "for 'Gt', 'Lt' operators, the value must be an integer",
        ),
        ("a=-bad", f'unable to parse requirement: values[0][a]: Invalid value: "-bad": {VALUE_RULE}'),
    ],
)
def test_parse_errors_use_apimachinery_text(text: str, message: str) -> None:
    with pytest.raises(SelectorError) as err:
        labels.parse(text)
    assert str(err.value) == message


def test_parse_rejects_key_with_two_slashes() -> None:
    with pytest.raises(SelectorError, match=r'<nil>: Invalid value: "a/b/c": a qualified name must consist'):
        labels.parse("a/b/c=d")


def test_parse_rejects_bad_prefix() -> None:
    with pytest.raises(SelectorError, match="prefix part a lowercase RFC 1123 subdomain must consist"):
        labels.parse("app.kubernetes_io/name=x")


def test_requires_exact_match() -> None:
    selector = labels.parse("app=web,tier in (a),x in (a,b),y!=z")
    assert selector.requires_exact_match("app") == "web"
    assert selector.requires_exact_match("tier") == "a"
    assert selector.requires_exact_match("x") is None
    assert selector.requires_exact_match("y") is None
    assert selector.requires_exact_match("nope") is None


@pytest.mark.parametrize(
    ("api", "text", "matches_web"),
    [
        ({"matchLabels": {"tier": "frontend", "app": "web"}}, "app=web,tier=frontend", True),
        (
            {
                "matchLabels": {"app": "web"},
                "matchExpressions": [{"key": "tier", "operator": "In", "values": ["b", "a"]}],
            },
            "app=web,tier in (a,b)",
            False,
        ),
        (
            {"matchExpressions": [{"key": "tier", "operator": "NotIn", "values": ["backend"]}]},
            "tier notin (backend)",
            True,
        ),
        ({"matchExpressions": [{"key": "canary", "operator": "DoesNotExist"}]}, "!canary", True),
        ({"matchExpressions": [{"key": "app", "operator": "Exists"}]}, "app", True),
        ({}, "", True),
    ],
)
def test_from_label_selector(api: dict[str, Any], text: str, matches_web: bool) -> None:
    selector = labels.from_label_selector(api)
    assert str(selector) == text
    assert labels.selector_string(api) == text
    assert selector.matches(WEB) is matches_web


def test_nil_label_selector_selects_nothing() -> None:
    assert labels.from_label_selector(None).matches({}) is False
    assert labels.from_label_selector({}).matches({}) is True


def test_from_label_selector_rejects_unknown_operator() -> None:
    with pytest.raises(SelectorError, match='"Foo" is not a valid label selector operator'):
        labels.from_label_selector({"matchExpressions": [{"key": "a", "operator": "Foo"}]})


@pytest.mark.parametrize(
    ("api", "shown"),
    [
        ({"matchLabels": {"app": "web"}}, "app=web"),
        ({}, "<none>"),
        (None, "<none>"),
        ({"matchExpressions": [{"key": "a", "operator": "Foo"}]}, "<error>"),
    ],
)
def test_format_label_selector(api: dict[str, Any] | None, shown: str) -> None:
    assert labels.format_label_selector(api) == shown


def test_format_labels_and_selector_from_set() -> None:
    assert labels.format_labels({"tier": "fe", "app": "web"}) == "app=web,tier=fe"
    assert labels.format_labels({}) == "<none>"
    service_selector = labels.selector_from_set({"app": "web"})
    assert str(service_selector) == "app=web"
    assert service_selector.matches(WEB)
    assert labels.selector_from_set(None).empty


def _messages(errors: list[FieldError]) -> list[str]:
    return [e.message() for e in errors]


@pytest.mark.parametrize(
    ("selector", "messages"),
    [
        ({"matchLabels": {"app": "web"}}, []),
        (
            {"matchExpressions": [{"key": "tier", "operator": "In"}]},
            [
                "spec.selector.matchExpressions[0].values: Required value: "
                "must be specified when `operator` is 'In' or 'NotIn'"
            ],
        ),
        (
            {"matchExpressions": [{"key": "tier", "operator": "Foo"}]},
            ['spec.selector.matchExpressions[0].operator: Invalid value: "Foo": not a valid selector operator'],
        ),
        (
            {"matchExpressions": [{"key": "tier", "operator": "Exists", "values": ["a"]}]},
            [
                "spec.selector.matchExpressions[0].values: Forbidden: "
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
            ],
        ),
        (
            {"matchExpressions": [{"key": "bad key", "operator": "Exists"}]},
            [f'spec.selector.matchExpressions[0].key: Invalid value: "bad key": {QNAME_RULE}'],
        ),
        (
            {"matchExpressions": [{"key": "a", "operator": "In", "values": ["ok", "-no"]}]},
            [f'spec.selector.matchExpressions[0].values[1]: Invalid value: "-no": {VALUE_RULE}'],
        ),
        (
            {"matchLabels": {"app": "bad value"}},
            [f'spec.selector.matchLabels: Invalid value: "bad value": {VALUE_RULE}'],
        ),
    ],
)
def test_validate_label_selector(selector: dict[str, Any], messages: list[str]) -> None:
    assert _messages(labels.validate_label_selector(selector, "spec.selector")) == messages


def test_validate_labels_reports_each_bad_key_and_value() -> None:
    errors = labels.validate_labels({"ok": "fine", "bad key": "x", "k": "x" * 64}, "metadata.labels")
    assert _messages(errors) == [
        f'metadata.labels: Invalid value: "bad key": {QNAME_RULE}',
        'metadata.labels: Invalid value: "' + "x" * 64 + '": must be no more than 63 characters',
    ]


@pytest.mark.parametrize(
    ("key", "errors"),
    [
        ("app", []),
        ("example.com/app", []),
        ("/app", ["prefix part must be non-empty"]),
        ("example.com/", ["name part must be non-empty", "name part " + QNAME_RULE.removeprefix("name part ")]),
        ("a" * 64, ["name part must be no more than 63 characters"]),
        ("app\n", ["name part " + QNAME_RULE.removeprefix("name part ")]),
    ],
)
def test_qualified_name_errors(key: str, errors: list[str]) -> None:
    assert labels.qualified_name_errors(key) == errors
