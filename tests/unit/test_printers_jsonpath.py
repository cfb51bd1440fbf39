"""kubectl's JSONPath templates (``-o jsonpath``) and ``-o custom-columns``."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.kubectl.printers import PrinterError, custom_columns, jsonpath, list_wrapper
from cluster.kubectl.printers.jsonpath import JSONPathError, JSONPathTemplate
from tests.unit.test_printers_support import pod

Obj = dict[str, Any]


def pods_list() -> Obj:
    a = pod("web-a", ip="10.244.1.5")
    b = pod("web-b", ip="10.244.2.3", phase="Pending", statuses=[])
    del b["status"]["containerStatuses"]
    c = pod("db-0", ip="10.244.1.9", labels={"app": "db"}, rs=None)
    c["spec"]["containers"].append({"name": "sidecar", "image": "busybox:1.36"})
    return list_wrapper([a, b, c])


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{.items[*].metadata.name}", "web-a web-b db-0"),
        ('{range .items[*]}{.metadata.name}{"\\n"}{end}', "web-a\nweb-b\ndb-0\n"),
        (
            '{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}',
            "web-a\t10.244.1.5\nweb-b\t10.244.2.3\ndb-0\t10.244.1.9\n",
        ),
        ('{.items[?(@.status.phase=="Running")].metadata.name}', "web-a db-0"),
        ("{.items[?(@.status.phase!='Running')].metadata.name}", "web-b"),
        ("{.items[?(@.spec.priority>=0)].metadata.name}", "web-a web-b db-0"),
        ("{.items[?(@.status.containerStatuses)].metadata.name}", "web-a db-0"),
        ("{.items[0].metadata.name}", "web-a"),
        ("{.items[-1].metadata.name}", "db-0"),
        ("{.items[1:].metadata.name}", "web-b db-0"),
        ("{.items[0:3:2].metadata.name}", "web-a db-0"),
        ("{.items[0,2].metadata.name}", "web-a db-0"),
        ("{.items[2].spec.containers[*].image}", "nginx:1.25 busybox:1.36"),
        ("{..image}", "nginx:1.25 nginx:1.25 nginx:1.25 nginx:1.25 busybox:1.36 nginx:1.25"),
        ("kind={.kind} count: {.items[*].kind}", "kind=List count: Pod Pod Pod"),
        ("{.items[0].metadata.labels}", '{"app":"web2","pod-template-hash":"7c5ddbdf54"}'),
        ("{.items[0].spec.containers[0].ports}", ""),
        ("{.items[0].metadata['name']}", "web-a"),
        ("{.items[0].spec.enableServiceLinks} {.items[0].spec.priority}", "true 0"),
        ("{.metadata.missing.deeper}", ""),
        ("{$.kind}", "List"),
        ("{.items[*].metadata.labels.app}", "web2 web2 db"),
        ("{.nothing[*]}{.kind}", "List"),
        ("{range .items[*]}[{.metadata.name}]{end}", "[web-a][web-b][db-0]"),
        ("{range .items[*]}{range .spec.containers[*]}{.name},{end};{end}", "nginx,;nginx,;nginx,sidecar,;"),
        ("no action", "no action"),
    ],
)
def test_jsonpath_templates(template: str, expected: str) -> None:
    assert jsonpath(template, pods_list()) == expected


def test_jsonpath_prints_null_and_numbers_like_go() -> None:
    data = {"a": None, "b": 1.5, "c": 1e21, "d": "x<y"}
    assert jsonpath("{.a} {.b} {.c}", data) == "null 1.5 1e+21"
    assert jsonpath("{$}", data) == '{"a":null,"b":1.5,"c":1e+21,"d":"x\\u003cy"}'


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{.x", "unclosed action"),
        ("{.items[0}", "unterminated array"),
        ("{.items[?(@.a==1}", "unterminated filter"),
        ('{"abc}', "unterminated quoted string"),
        ("{.items[x]}", "invalid array index x"),
        ("{!}", "unrecognized character in action: U+0021 '!'"),
        ("{....a}", "invalid multiple recursive descent"),
    ],
)
def test_jsonpath_parse_errors(template: str, message: str) -> None:
    with pytest.raises(PrinterError) as caught:
        jsonpath(template, {})
    assert str(caught.value) == f"error parsing jsonpath {template}, {message}"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{.items[5].metadata.name}", "array index out of bounds: index 5, length 3"),
        ("{.kind[0]}", "string is not array or slice"),
        ("{.items[?(@.spec.priority=='0')]}", "incompatible types for comparison"),
        ("{end}", "not in range, nothing to end"),
        ("{foo}", "unrecognized identifier foo"),
        ("{.items[0:3:0]}", "step must be > 0"),
    ],
)
def test_jsonpath_execution_errors(template: str, message: str) -> None:
    with pytest.raises(PrinterError) as caught:
        jsonpath(template, pods_list())
    text = str(caught.value)
    assert text.startswith(f'error executing jsonpath "{template}": Error executing template: {message}. Printing more')
    assert (
        f"\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine was:\n\t\tmap[string]interface {{}}"
        in text
    )


def test_missing_keys_are_errors_only_when_not_allowed() -> None:
    assert jsonpath("{.spec.nope}", pod()) == ""
    with pytest.raises(PrinterError, match="nope is not found"):
        jsonpath("{.spec.nope}", pod(), allow_missing_keys=False)


def test_template_object_exposes_result_groups() -> None:
    template = JSONPathTemplate("{.items[*].metadata.name}{.kind}")
    assert template.find_results(pods_list()) == [["web-a", "web-b", "db-0"], ["List"]]
    with pytest.raises(JSONPathError):
        JSONPathTemplate("{.a")


def test_custom_columns() -> None:
    spec = "NAME:.metadata.name,IMAGE:.spec.containers[*].image,IP:{.status.podIP},NODE:spec.nodeName"
    assert custom_columns(spec, [pods_list()]) == (
        "NAME    IMAGE                     IP           NODE\n"
        "web-a   nginx:1.25                10.244.1.5   worker-1\n"
        "web-b   nginx:1.25                10.244.2.3   worker-1\n"
        "db-0    nginx:1.25,busybox:1.36   10.244.1.9   worker-1\n"
    )


def test_custom_columns_alignment_none_and_go_formatting() -> None:
    objects = [
        {"metadata": {"name": "a", "labels": {"app": "web", "tier": "fe"}}},
        {"metadata": {"name": "bb"}, "spec": {"replicas": 3}},
    ]
    assert custom_columns("Name:.metadata.name,LABELS:.metadata.labels,R:.spec.replicas", objects) == (
        "Name   LABELS                 R\na      map[app:web tier:fe]   <none>\nbb     <none>                 3\n"
    )
    assert custom_columns("N:.metadata.name", objects, no_headers=True) == "a\nbb\n"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "custom-columns format specified but no custom columns given"),
        ("NAME", "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>"),
        (
            "NAME:{.a}}",
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'",
        ),
        ("NAME:.items[0", "unterminated array"),
    ],
)
def test_custom_columns_errors(spec: str, message: str) -> None:
    with pytest.raises(PrinterError) as caught:
        custom_columns(spec, [pod()])
    assert str(caught.value) == message
