"""The protobuf reader: the wire format, the field tables, and bodies the real kubectl 1.32 sends.

The golden bodies were captured from ``kubectl`` v1.32.4's typed commands
against this server; each must decode to exactly the object ``kubectl create
… --dry-run=client -o json`` describes (K8S_FACTS Appendix A, §7.5).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cluster.core.protobuf import MAGIC, ProtobufError, decode_message, decode_object
from cluster.core.protobuf.wire import fields, packed_varints, read_varint, signed64

# -- a tiny encoder for building test messages ----------------------------------------------------------------


def varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def num(field: int, value: int) -> bytes:
    return varint(field << 3) + varint(value)


def raw(field: int, payload: bytes) -> bytes:
    return varint(field << 3 | 2) + varint(len(payload)) + payload


def text(field: int, value: str) -> bytes:
    return raw(field, value.encode("utf-8"))


def entry(field: int, key: str, value: bytes) -> bytes:
    """A map entry whose value is already encoded as field 2."""
    return raw(field, text(1, key) + value)


def envelope(api_version: str, kind: str, body: bytes, encoding: str = "") -> bytes:
    unknown = raw(1, text(1, api_version) + text(2, kind)) + raw(2, body) + text(3, encoding) + text(4, "")
    return MAGIC + unknown


# -- bodies captured from kubectl v1.32.4 -------------------------------------------------------------------------
KUBECTL_BODIES = {
    "create deployment": (
        "6b3873000a150a07617070732f7631120a4465706c6f796d656e7412c6010a230a05706277656212001a0022002a00320038"
        "0042005a0c0a03617070120570627765621290010803120e0a0c0a03617070120570627765621a740a1e0a0012001a002200"
        "2a003200380042005a0c0a0361707012057062776562125212340a056e67696e78120a6e67696e783a312e32372a00320b0a"
        "00100018903f22002a0042006a007200800100880100900100a201001a00320042004a0052005800600068008201008a0100"
        "9a0100c2010022020a00280038001a0c0800100018002000280038001a002200"
    ),
    "create service nodeport": (
        "6b3873000a0d0a02763112075365727669636512700a230a05706273766312001a0022002a003200380042005a0c0a036170"
        "701205706273766312450a1d0a0738302d38303830120354435018502207080010903f1a002880eb01120c0a036170701205"
        "70627376631a0022084e6f6465506f72743a00420052005a00600068001a020a001a002200"
    ),
    "create namespace": (
        "6b3873000a0f0a02763112094e616d657370616365121c0a140a0470626e7312001a0022002a0032003800420012001a020a001a002200"
    ),
    "create configmap": (
        "6b3873000a0f0a0276311209436f6e6669674d617012310a140a047062636d12001a0022002a00320038004200120d0a0563"
        "6f6c6f721204626c7565120a0a0473697a65120231301a002200"
    ),
    "autoscale": (
        "6b3873000a290a0e6175746f7363616c696e672f76311217486f72697a6f6e74616c506f644175746f7363616c657212430a"
        "150a05706277656212001a0022002a0032003800420012240a1c0a0a4465706c6f796d656e74120570627765621a07617070"
        "732f76311002180620461a04180020001a002200"
    ),
    "create ingress": (
        "6b3873000a1f0a146e6574776f726b696e672e6b38732e696f2f76311207496e677265737312540a150a057062696e671200"
        "1a0022002a0032003800420012371a2e0a07666f6f2e636f6d12230a210a1f0a042f626172120f220d0a0570627376631204"
        "0a0010501a0650726566697822056e67696e781a020a001a002200"
    ),
    "create service clusterip (headless)": (
        "6b3873000a0d0a02763112075365727669636512790a250a0670626865616412001a0022002a003200380042005a0d0a0361"
        "70701206706268656164124c0a1e0a09353637382d38303830120354435018ae2c2207080010903f1a002800120d0a036170"
        "7012067062686561641a044e6f6e652209436c757374657249503a00420052005a00600068001a020a001a002200"
    ),
    "create service externalname": (
        "6b3873000a0d0a02763112075365727669636512600a230a05706265787412001a0022002a003200380042005a0c0a036170"
        "70120570626578741235120c0a03617070120570626578741a00220c45787465726e616c4e616d653a004200520b6578616d"
        "706c652e636f6d5a00600068001a020a001a002200"
    ),
}
DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "pbweb", "labels": {"app": "pbweb"}},
    "spec": {
        "replicas": 3,
        "selector": {"matchLabels": {"app": "pbweb"}},
        "template": {
            "metadata": {"labels": {"app": "pbweb"}},
            "spec": {
                "containers": [
                    {"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 8080}], "resources": {}}
                ]
            },
        },
        "strategy": {},
    },
    "status": {},
}
SERVICE_STATUS = {"loadBalancer": {}}
EXPECTED: dict[str, dict[str, Any]] = {
    "create deployment": DEPLOYMENT,
    "create service nodeport": {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "pbsvc", "labels": {"app": "pbsvc"}},
        "spec": {
            "ports": [{"name": "80-8080", "protocol": "TCP", "port": 80, "targetPort": 8080, "nodePort": 30080}],
            "selector": {"app": "pbsvc"},
            "type": "NodePort",
        },
        "status": SERVICE_STATUS,
    },
    "create namespace": {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "pbns"},
        "spec": {},
        "status": {},
    },
    "create configmap": {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "pbcm"},
        "data": {"color": "blue", "size": "10"},
    },
    "autoscale": {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "pbweb"},
        "spec": {
            "scaleTargetRef": {"kind": "Deployment", "name": "pbweb", "apiVersion": "apps/v1"},
            "minReplicas": 2,
            "maxReplicas": 6,
            "targetCPUUtilizationPercentage": 70,
        },
        "status": {},
    },
    "create ingress": {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": "pbing"},
        "spec": {
            "rules": [
                {
                    "host": "foo.com",
                    "http": {
                        "paths": [
                            {
                                "path": "/bar",
                                "backend": {"service": {"name": "pbsvc", "port": {"number": 80}}},
                                "pathType": "Prefix",
                            }
                        ]
                    },
                }
            ],
            "ingressClassName": "nginx",
        },
        "status": {"loadBalancer": {}},
    },
    "create service clusterip (headless)": {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "pbhead", "labels": {"app": "pbhead"}},
        "spec": {
            "ports": [{"name": "5678-8080", "protocol": "TCP", "port": 5678, "targetPort": 8080}],
            "selector": {"app": "pbhead"},
            "clusterIP": "None",
            "type": "ClusterIP",
        },
        "status": SERVICE_STATUS,
    },
    "create service externalname": {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "pbext", "labels": {"app": "pbext"}},
        "spec": {"selector": {"app": "pbext"}, "type": "ExternalName", "externalName": "example.com"},
        "status": SERVICE_STATUS,
    },
}


@pytest.mark.parametrize("command", sorted(KUBECTL_BODIES))
def test_kubectl_bodies_decode_to_the_objects_kubectl_built(command: str) -> None:
    body = bytes.fromhex(KUBECTL_BODIES[command])
    assert decode_object(body) == EXPECTED[command]


# -- the wire format -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "value", "end"),
    [
        (b"\x00", 0, 1),
        (b"\x01", 1, 1),
        (b"\x7f", 127, 1),
        (b"\x80\x01", 128, 2),
        (b"\xac\x02", 300, 2),
        (b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", (1 << 64) - 1, 10),
    ],
)
def test_read_varint(data: bytes, value: int, end: int) -> None:
    assert read_varint(data + b"\x05", 0) == (value, end)


@pytest.mark.parametrize(("raw_value", "signed"), [(0, 0), (5, 5), ((1 << 64) - 1, -1), ((1 << 64) - 30, -30)])
def test_signed64_reads_sign_extended_negatives(raw_value: int, signed: int) -> None:
    assert signed64(raw_value) == signed


@given(st.integers(min_value=-(1 << 63), max_value=(1 << 63) - 1))
def test_varint_round_trips_every_int64(value: int) -> None:
    decoded, end = read_varint(varint(value), 0)
    assert signed64(decoded) == value
    assert end == len(varint(value))


def test_fields_reads_all_four_wire_types() -> None:
    data = num(1, 150) + b"\x11" + (7).to_bytes(8, "little") + text(3, "hi") + b"\x25" + (9).to_bytes(4, "little")
    assert list(fields(data)) == [(1, 0, 150), (2, 1, 7), (3, 2, b"hi"), (4, 5, 9)]


def test_packed_varints() -> None:
    assert packed_varints(varint(1) + varint(300) + varint(2)) == [1, 300, 2]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x0a\x05ab", "field needs 5 bytes but only 2 are left"),
        (b"\x08", "unexpected end of data inside a varint"),
        (b"\x0b", "wire type 3 (field 1) is not supported"),
        (b"\x00\x01", "field number 0 is not valid"),
        (b"\x08" + b"\xff" * 11, "varint is longer than 10 bytes"),
    ],
)
def test_malformed_wire_data_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ProtobufError, match=re.escape(message)):
        list(fields(data))


# -- field semantics ---------------------------------------------------------------------------------------------
def test_pointer_fields_keep_zero_and_plain_fields_drop_it() -> None:
    spec = num(1, 0) + num(5, 0) + num(6, 0) + num(7, 0)  # replicas=0 minReadySeconds=0 revisionHistoryLimit=0 paused
    assert decode_message("apps.v1.DeploymentSpec", spec) == {"replicas": 0, "revisionHistoryLimit": 0}


def test_negative_int32_is_decoded_for_validation_to_reject() -> None:
    assert decode_message("apps.v1.DeploymentSpec", num(1, -1)) == {"replicas": -1}


def test_time_is_rfc3339_seconds_and_empty_time_is_unset() -> None:
    stamp = raw(8, num(1, 1_764_044_333) + num(2, 999))  # nanos are dropped, as Kubernetes does
    assert decode_message("meta.v1.ObjectMeta", text(1, "x") + stamp + raw(9, b"")) == {
        "name": "x",
        "creationTimestamp": "2025-11-25T04:18:53Z",
    }


@pytest.mark.parametrize(
    ("payload", "value"),
    [(num(1, 0) + num(2, 8080) + text(3, ""), 8080), (num(1, 1) + num(2, 0) + text(3, "http"), "http")],
)
def test_int_or_string(payload: bytes, value: int | str) -> None:
    assert decode_message("core.v1.ServicePort", raw(4, payload)) == {"targetPort": value}


def test_quantity_maps_and_repeated_strings() -> None:
    quantity = entry(1, "cpu", raw(2, text(1, "250m"))) + entry(2, "memory", raw(2, text(1, "64Mi")))
    container = text(1, "app") + text(3, "sh") + text(3, "-c") + raw(8, quantity)
    assert decode_message("core.v1.Container", container) == {
        "name": "app",
        "command": ["sh", "-c"],
        "resources": {"limits": {"cpu": "250m"}, "requests": {"memory": "64Mi"}},
    }


def test_inline_members_merge_into_their_parent() -> None:
    key_ref = raw(1, text(1, "settings")) + text(2, "color") + num(3, 0)
    env = text(1, "COLOR") + raw(3, raw(3, key_ref))
    probe = raw(1, raw(2, text(1, "/healthz") + raw(2, num(1, 0) + num(2, 80)))) + num(4, 5)
    assert decode_message("core.v1.EnvVar", env) == {
        "name": "COLOR",
        "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "color", "optional": False}},
    }
    assert decode_message("core.v1.Probe", probe) == {"httpGet": {"path": "/healthz", "port": 80}, "periodSeconds": 5}


def test_bytes_maps_are_base64_as_in_json() -> None:
    body = raw(1, text(1, "bin")) + entry(3, "blob", raw(2, b"\x00\xff"))
    assert decode_message("core.v1.ConfigMap", body) == {"metadata": {"name": "bin"}, "binaryData": {"blob": "AP8="}}


def test_delete_options_of_an_eviction() -> None:
    options = num(1, 0) + text(4, "Foreground") + text(5, "All")
    eviction = raw(1, text(1, "web-1") + text(3, "default")) + raw(2, options)
    assert decode_object(envelope("policy/v1", "Eviction", eviction)) == {
        "apiVersion": "policy/v1",
        "kind": "Eviction",
        "metadata": {"name": "web-1", "namespace": "default"},
        "deleteOptions": {"gracePeriodSeconds": 0, "propagationPolicy": "Foreground", "dryRun": ["All"]},
    }


@given(
    name=st.from_regex(r"[a-z]([-a-z0-9]{0,20}[a-z0-9])?", fullmatch=True),
    labels=st.dictionaries(st.from_regex(r"[a-z]{1,8}", fullmatch=True), st.text(max_size=12), max_size=5),
    generation=st.integers(min_value=1, max_value=2**40),
)
def test_object_meta_round_trips(name: str, labels: dict[str, str], generation: int) -> None:
    body = text(1, name) + num(7, generation) + b"".join(entry(11, k, text(2, v)) for k, v in labels.items())
    expected: dict[str, Any] = {"name": name, "generation": generation}
    if labels:
        expected["labels"] = labels
    assert decode_message("meta.v1.ObjectMeta", body) == expected


# -- refusals (the API answers them with 415) ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b'{"kind":"Pod"}', "does not start with the Kubernetes protobuf magic number"),
        (envelope("v1", "Secret", b""), 'no protobuf decoder for kind "Secret" in version "v1"'),
        (envelope("apps/v1", "Deployment", b"", encoding="gzip"), 'content encoding "gzip" is not supported'),
        (envelope("v1", "Namespace", raw(1, num(15, 1))), "meta.v1.ObjectMeta has no field 15"),
        (envelope("v1", "Namespace", raw(1, raw(1, b"\xff\xfe"))), "meta.v1.ObjectMeta.name is not valid UTF-8"),
        (envelope("v1", "ConfigMap", b"\x12\x09\x0a"), "field needs 9 bytes but only 1 are left"),
        (envelope("v1", "Service", raw(2, num(1, 5))), "core.v1.ServiceSpec.ports should be length-delimited"),
    ],
)
def test_undecodable_bodies_are_refused_with_a_reason(body: bytes, message: str) -> None:
    with pytest.raises(ProtobufError, match=re.escape(message)):
        decode_object(body)
