from __future__ import annotations

from typing import Any

import pytest

from cluster.core.fields import (
    FieldSelectorError,
    convert_for_kind,
    escape_value,
    field_value,
    parse_field_selector,
    supported,
    unescape_value,
    unsupported_message,
)

POD: dict[str, Any] = {
    "kind": "Pod",
    "metadata": {"name": "web-1", "namespace": "default"},
    "spec": {"nodeName": "node-2", "restartPolicy": "Always"},
    "status": {"phase": "Running", "podIPs": [{"ip": "10.244.1.5"}]},
}
EVENT: dict[str, Any] = {
    "kind": "Event",
    "metadata": {"name": "web-1.17f", "namespace": "default"},
    "involvedObject": {"kind": "Pod", "name": "web-1", "namespace": "default", "uid": "u-1"},
    "reason": "Scheduled",
    "type": "Normal",
    "source": {"component": "default-scheduler"},
}
NODE: dict[str, Any] = {"kind": "Node", "metadata": {"name": "node-1"}, "spec": {}}


@pytest.mark.parametrize(
    ("text", "obj", "expected"),
    [
        ("metadata.name=web-1", POD, True),
        ("metadata.name==web-1", POD, True),
        ("metadata.name!=web-1", POD, False),
        ("metadata.namespace=default,spec.nodeName=node-2", POD, True),
        ("spec.nodeName=node-2,status.phase!=Succeeded,status.phase!=Failed", POD, True),
        ("status.phase!=Running", POD, False),
        ("status.podIP=10.244.1.5", POD, True),
        ("status.nominatedNodeName=", POD, True),  # missing field compares as ""
        ("spec.schedulerName!=", POD, False),
        ("involvedObject.name=web-1,involvedObject.namespace=default,involvedObject.kind=Pod", EVENT, True),
        ("involvedObject.uid=u-2", EVENT, False),
        ("reason=Scheduled,type=Normal", EVENT, True),
        ("source=default-scheduler", EVENT, True),
        ("spec.unschedulable=false", NODE, True),
        ("spec.unschedulable=true", {**NODE, "spec": {"unschedulable": True}}, True),
        ("", POD, True),
    ],
)
def test_matches(text: str, obj: dict[str, Any], expected: bool) -> None:
    assert parse_field_selector(text).matches(obj) is expected


def test_event_source_falls_back_to_reporting_component() -> None:
    event = {**EVENT, "source": {}, "reportingComponent": "kubelet"}
    assert field_value(event, "source") == "kubelet"


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("metadata.name=web", "metadata.name=web"),
        ("status.phase!=Failed,metadata.name==web", "metadata.name=web,status.phase!=Failed"),
        ("a=x\\,y", "a=x\\,y"),
        ("a=", "a="),
    ],
)
def test_canonical_string(text: str, canonical: str) -> None:
    assert str(parse_field_selector(text)) == canonical


def test_escaped_comma_is_part_of_the_value() -> None:
    selector = parse_field_selector("metadata.name=a\\,b")
    assert selector.requires_exact_match("metadata.name") == "a,b"
    assert selector.matches({"metadata": {"name": "a,b"}})


def test_requires_exact_match_ignores_not_equal() -> None:
    selector = parse_field_selector("metadata.name!=x,spec.nodeName=n1")
    assert selector.requires_exact_match("metadata.name") is None
    assert selector.requires_exact_match("spec.nodeName") == "n1"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"),
        ("a=b,c", "invalid selector: 'a=b,c'; can't understand 'c'"),
        ("a=b=c", "invalid field selector: unescaped character in value: 61"),
        ("a=b\\x", "invalid field selector: invalid escape sequence: \\x"),
        ("a=b\\", "invalid field selector: invalid escape sequence: \\"),
    ],
)
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(FieldSelectorError) as err:
        parse_field_selector(text)
    assert str(err.value) == message


def test_escape_round_trip() -> None:
    raw = "a,b=c\\d"
    assert unescape_value(escape_value(raw)) == raw


@pytest.mark.parametrize(
    ("kind", "field", "ok"),
    [
        ("Pod", "spec.nodeName", True),
        ("Pod", "status.phase", True),
        ("Pod", "spec.host", True),
        ("Pod", "spec.containers", False),
        ("Event", "involvedObject.uid", True),
        ("Node", "spec.unschedulable", True),
        ("Node", "metadata.namespace", False),
        ("Deployment", "metadata.name", True),
        ("Deployment", "spec.replicas", False),
    ],
)
def test_supported(kind: str, field: str, ok: bool) -> None:
    assert supported(kind, field) is ok


def test_unsupported_messages() -> None:
    assert unsupported_message("Pod", "spec.foo") == "field label not supported: spec.foo"
    assert (
        unsupported_message("Deployment", "spec.replicas")
        == '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'
    )


def test_unsupported_for_lists_unselectable_fields() -> None:
    selector = parse_field_selector("metadata.name=a,spec.replicas=1,status.phase=Running")
    assert selector.unsupported_for("Pod") == ["spec.replicas"]
    assert selector.unsupported_for("Deployment") == ["spec.replicas", "status.phase"]


def test_convert_for_kind_checks_fields_and_resolves_aliases() -> None:
    converted = convert_for_kind("Pod", parse_field_selector("spec.host=node-2"))
    assert str(converted) == "spec.nodeName=node-2"
    assert converted.matches(POD)
    with pytest.raises(FieldSelectorError, match=r"^field label not supported: spec\.foo$"):
        convert_for_kind("Pod", parse_field_selector("spec.foo=x"))
