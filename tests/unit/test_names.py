"""Name, label and annotation rules with apimachinery's exact messages (K8S_FACTS §2.2)."""

from __future__ import annotations

import pytest

from cluster.core.names import (
    is_dns1035_label,
    is_dns1123_label,
    is_dns1123_subdomain,
    is_qualified_name,
    is_valid_label_value,
    validate_annotations,
    validate_generate_name,
    validate_labels,
    validate_object_name,
)

SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
DNS1035_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
    "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
QNAME_TAIL = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
    "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
LABEL_VALUE_MSG = (
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used "
    "for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("web", []),
        ("web.example.com", []),
        ("0web", []),
        ("My_Pod", [SUBDOMAIN_MSG]),
        ("web-", [SUBDOMAIN_MSG]),
        ("a" * 253, []),
        ("a" * 254, ["must be no more than 253 characters"]),
    ],
)
def test_dns1123_subdomain(value: str, expected: list[str]) -> None:
    assert is_dns1123_subdomain(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("web", []),
        ("1web", [DNS1035_MSG]),
        ("web.svc", [DNS1035_MSG]),
        ("a" * 64, ["must be no more than 63 characters"]),
    ],
)
def test_dns1035_label_for_service_names(value: str, expected: list[str]) -> None:
    assert is_dns1035_label(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("kube-system", []),
        ("123-abc", []),
        ("my.ns", ["must not contain dots"]),
        ("Dev", [LABEL_MSG]),
        ("a" * 64, ["must be no more than 63 characters"]),
    ],
)
def test_dns1123_label(value: str, expected: list[str]) -> None:
    assert is_dns1123_label(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("app", []),
        ("app.kubernetes.io/name", []),
        ("Bad Key", ["name part " + QNAME_TAIL]),
        ("/app", ["prefix part must be non-empty"]),
        ("Example.com/app", ["prefix part " + SUBDOMAIN_MSG]),
        ("a/", ["name part must be non-empty", "name part " + QNAME_TAIL]),
        ("a" * 64, ["name part must be no more than 63 characters"]),
        (
            "a/b/c",
            [
                "a qualified name " + QNAME_TAIL + " with an optional DNS subdomain prefix and '/' "
                "(e.g. 'example.com/MyName')"
            ],
        ),
    ],
)
def test_qualified_name(value: str, expected: list[str]) -> None:
    assert is_qualified_name(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", []),
        ("My_Value-1.0", []),
        ("-x", [LABEL_VALUE_MSG]),
        ("a" * 64, ["must be no more than 63 characters"]),
    ],
)
def test_label_value(value: str, expected: list[str]) -> None:
    assert is_valid_label_value(value) == expected


@pytest.mark.parametrize(
    ("rule", "name", "expected"),
    [
        ("subdomain", "My_Pod", [SUBDOMAIN_MSG]),
        ("dns1035", "1web", [DNS1035_MSG]),
        ("label", "team.a", ["must not contain dots"]),
        ("path", "a/b%c", ["may not contain '/'", "may not contain '%'"]),
        ("path", "..", ["may not be '..'"]),
        ("path", "Anything_Goes", []),
    ],
)
def test_validate_object_name_by_rule(rule: str, name: str, expected: list[str]) -> None:
    assert validate_object_name(rule, name) == expected


def test_generate_name_may_end_with_a_dash_but_must_otherwise_be_valid() -> None:
    assert validate_generate_name("subdomain", "web-7c5ddbdf54-") == []
    assert [e.message() for e in validate_generate_name("subdomain", "Web-")] == [
        'metadata.generateName: Invalid value: "Web-": ' + SUBDOMAIN_MSG
    ]


def test_labels_report_key_and_value_at_the_map_path() -> None:
    errors = validate_labels({"ok": "fine", "bad key": "-bad"}, "metadata.labels")
    assert [e.message() for e in errors] == [
        'metadata.labels: Invalid value: "bad key": name part ' + QNAME_TAIL,
        'metadata.labels: Invalid value: "-bad": ' + LABEL_VALUE_MSG,
    ]


def test_annotations_keys_are_case_insensitive_qualified_names() -> None:
    assert validate_annotations({"Example.com/Owner": "x", "kubectl.kubernetes.io/restartedAt": "t"}, "a") == []
    errors = validate_annotations({"bad key": "x"}, "metadata.annotations")
    assert [e.message() for e in errors] == ['metadata.annotations: Invalid value: "bad key": name part ' + QNAME_TAIL]


def test_annotations_total_size_is_limited_to_256_kib() -> None:
    assert validate_annotations({"a": "x" * (262144 - 1)}, "metadata.annotations") == []
    errors = validate_annotations({"a": "x" * 262144}, "metadata.annotations")
    assert [e.message() for e in errors] == ["metadata.annotations: Too long: must have at most 262144 bytes"]
