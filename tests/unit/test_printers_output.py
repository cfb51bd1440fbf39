"""``-o yaml`` / ``-o json`` / ``-o name``: byte-for-byte what kubectl prints."""

from __future__ import annotations

from typing import Any

import pytest

from cluster.core.kinds import KindInfo
from cluster.kubectl.printers import list_wrapper, name_line, to_json, to_yaml, yaml_dump
from cluster.kubectl.printers.yaml_scalars import scalar_style, sorted_keys

Obj = dict[str, Any]

RUN_POD: Obj = {
    "kind": "Pod",
    "apiVersion": "v1",
    "metadata": {"name": "nginx", "creationTimestamp": None, "labels": {"run": "nginx"}},
    "spec": {
        "containers": [{"name": "nginx", "image": "nginx", "resources": {}}],
        "restartPolicy": "Always",
        "dnsPolicy": "ClusterFirst",
    },
    "status": {},
}
RUN_POD_YAML = """apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    run: nginx
  name: nginx
spec:
  containers:
  - image: nginx
    name: nginx
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
"""

CREATE_DEPLOYMENT: Obj = {
    "kind": "Deployment",
    "apiVersion": "apps/v1",
    "metadata": {"name": "web", "creationTimestamp": None, "labels": {"app": "web"}},
    "spec": {
        "replicas": 3,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"creationTimestamp": None, "labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx", "resources": {}}]},
        },
        "strategy": {},
    },
    "status": {},
}
CREATE_DEPLOYMENT_YAML = """apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
"""

EXPOSE_SERVICE: Obj = {
    "kind": "Service",
    "apiVersion": "v1",
    "metadata": {"name": "web2", "creationTimestamp": None, "labels": {"app": "web2"}},
    "spec": {"ports": [{"protocol": "TCP", "port": 80, "targetPort": 80}], "selector": {"app": "web2"}},
    "status": {"loadBalancer": {}},
}
EXPOSE_SERVICE_YAML = """apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web2
  name: web2
spec:
  ports:
  - port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: web2
status:
  loadBalancer: {}
"""

NODEPORT_SERVICE: Obj = {
    "kind": "Service",
    "apiVersion": "v1",
    "metadata": {"name": "web", "creationTimestamp": None, "labels": {"app": "web"}},
    "spec": {
        "ports": [{"name": "80-8080", "protocol": "TCP", "port": 80, "targetPort": 8080}],
        "selector": {"app": "web"},
        "type": "NodePort",
    },
    "status": {"loadBalancer": {}},
}
NODEPORT_SERVICE_YAML = """apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  ports:
  - name: 80-8080
    port: 80
    protocol: TCP
    targetPort: 8080
  selector:
    app: web
  type: NodePort
status:
  loadBalancer: {}
"""


@pytest.mark.parametrize(
    ("obj", "expected"),
    [
        (RUN_POD, RUN_POD_YAML),
        (CREATE_DEPLOYMENT, CREATE_DEPLOYMENT_YAML),
        (EXPOSE_SERVICE, EXPOSE_SERVICE_YAML),
        (NODEPORT_SERVICE, NODEPORT_SERVICE_YAML),
    ],
    ids=["run", "create-deployment", "expose", "create-service-nodeport"],
)
def test_dry_run_objects_are_byte_identical(obj: Obj, expected: str) -> None:
    assert to_yaml(obj) == expected


def test_several_objects_become_a_list() -> None:
    assert to_yaml([]) == 'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n'
    text = to_yaml([RUN_POD])
    assert text.startswith("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n")
    assert text.endswith('    restartPolicy: Always\n  status: {}\nkind: List\nmetadata:\n  resourceVersion: ""\n')
    assert list_wrapper([RUN_POD])["items"] == [RUN_POD]


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        ("", '""'),
        ("nginx", "nginx"),
        ("true", '"true"'),
        ("yes", '"yes"'),
        ("off", '"off"'),
        ("null", '"null"'),
        ("~", '"~"'),
        ("80", '"80"'),
        ("0755", '"0755"'),
        ("1_000", '"1_000"'),
        ("0x1F", '"0x1F"'),
        ("1e3", '"1e3"'),
        (".5", '".5"'),
        ("-1", '"-1"'),
        ("1:20", '"1:20"'),
        ("2026-11-25T04:18:53Z", '"2026-11-25T04:18:53Z"'),
        ("2026-11-25", '"2026-11-25"'),
        ("2026-13-45", "2026-13-45"),
        ("1.2.3", "1.2.3"),
        ("v1.32.4", "v1.32.4"),
        ("10.96.0.1", "10.96.0.1"),
        ("25%", "25%"),
        ("*", "'*'"),
        ("- x", "'- x'"),
        ("a: b", "'a: b'"),
        ("key:value", "key:value"),
        ("it's", "it's"),
        ("'quoted'", "'''quoted'''"),
        ('{"a":1}', "'{\"a\":1}'"),
        ("a #b", "'a #b'"),
        (" lead", "' lead'"),
        ("trail ", "'trail '"),
        ("tab\there", '"tab\\there"'),
        ("é", "é"),
    ],
)
def test_scalar_quoting_follows_go_yaml(value: str, rendered: str) -> None:
    assert yaml_dump({"k": value}) == f"k: {rendered}\n"


def test_multiline_strings_use_literal_blocks() -> None:
    annotation = '{"apiVersion":"v1","kind":"Pod"}\n'
    text = yaml_dump({"metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": annotation}}})
    assert text == (
        "metadata:\n"
        "  annotations:\n"
        "    kubectl.kubernetes.io/last-applied-configuration: |\n"
        '      {"apiVersion":"v1","kind":"Pod"}\n'
    )
    assert yaml_dump({"a": "x\ny", "b": 1}) == "a: |-\n  x\n  y\nb: 1\n"
    assert yaml_dump({"a": "x\n\n"}) == "a: |+\n  x\n\n"
    assert yaml_dump({"a": " x\ny"}) == "a: |2-\n   x\n  y\n"
    assert scalar_style("line \nnext") == "double"


def test_long_strings_fold_past_80_columns() -> None:
    message = (
        'Back-off pulling image "foo:bar": ErrImagePull: failed to pull and unpack image '
        '"docker.io/library/foo:bar": failed to resolve reference'
    )
    assert yaml_dump({"status": {"message": message}}) == (
        "status:\n"
        '  message: \'Back-off pulling image "foo:bar": ErrImagePull: failed to pull and unpack\n'
        '    image "docker.io/library/foo:bar": failed to resolve reference\'\n'
    )
    plain = "word " * 20 + "end"
    assert yaml_dump({"m": plain}) == "m: " + "word " * 15 + "word\n  word word word word end\n"


def test_keys_sort_like_go_yaml() -> None:
    keys = ["b", "a10", "a9", "_x", "A", "a"]
    assert sorted_keys(dict.fromkeys(keys, 1)) == ["_x", "A", "a", "a9", "a10", "b"]


def test_values_of_other_types() -> None:
    assert yaml_dump({"f": 1.5, "g": 1e6, "t": True, "n": None, "i": -3, "l": [], "m": {}}) == (
        'f: 1.5\ng: 1e+06\ni: -3\nl: []\nm: {}\n"n": null\nt: true\n'
    )
    assert yaml_dump([[1, 2], [{"a": 1}], "x"]) == "- - 1\n  - 2\n- - a: 1\n- x\n"


def test_json_output_matches_go_marshal_indent() -> None:
    obj = {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "a<b>&", "labels": {}}, "spec": {"n": 1.0, "l": []}}
    assert to_json(obj) == (
        "{\n"
        '    "apiVersion": "v1",\n'
        '    "kind": "Pod",\n'
        '    "metadata": {\n'
        '        "labels": {},\n'
        '        "name": "a\\u003cb\\u003e\\u0026"\n'
        "    },\n"
        '    "spec": {\n'
        '        "l": [],\n'
        '        "n": 1\n'
        "    }\n"
        "}\n"
    )
    assert (
        to_json([]) == '{\n    "apiVersion": "v1",\n    "items": [],\n    "kind": "List",\n'
        '    "metadata": {\n        "resourceVersion": ""\n    }\n}\n'
    )


def test_json_of_client_built_objects_keeps_field_order() -> None:
    assert to_json(RUN_POD, sort_keys=False).startswith('{\n    "kind": "Pod",\n    "apiVersion": "v1",\n')


def test_name_lines() -> None:
    assert name_line(KindInfo("Pod", "", "v1", "pods", True), RUN_POD) == "pod/nginx"
    assert (
        name_line(KindInfo("Deployment", "apps", "v1", "deployments", True), CREATE_DEPLOYMENT) == "deployment.apps/web"
    )
