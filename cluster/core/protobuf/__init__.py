"""Kubernetes' protobuf request bodies, decoded into the JSON form the API server works with.

kubectl's typed commands (``create deployment|service|namespace|configmap``,
``autoscale``, ``drain``'s evictions) send ``application/vnd.kubernetes.protobuf``:
the magic ``k8s\\x00`` followed by a ``runtime.Unknown`` envelope whose
``typeMeta`` names the object and whose ``raw`` bytes are the object's own
message. ``decode_object`` reads that into a plain dict, so the request then
takes exactly the path a JSON body would (strict decoding, defaulting,
validation). Responses are always JSON, which every client accepts.

Pure: bytes in, dicts out. The field tables live in ``meta``, ``core`` and
``apis``; ``wire`` reads the wire format and ``message`` applies the tables.
"""

from __future__ import annotations

from typing import Any

from cluster.core.protobuf import apis, core, meta
from cluster.core.protobuf.message import MESSAGES, decode_message
from cluster.core.protobuf.wire import ProtobufError

__all__ = ["KINDS", "MAGIC", "MEDIA_TYPE", "ProtobufError", "decode_message", "decode_object", "supported"]

_TABLES = (apis, core, meta)  # importing them fills MESSAGES
MAGIC = b"k8s\x00"
MEDIA_TYPE = "application/vnd.kubernetes.protobuf"

# (apiVersion, kind) -> the message its raw bytes hold.
KINDS: dict[tuple[str, str], str] = {
    ("v1", "Pod"): "core.v1.Pod",
    ("v1", "Service"): "core.v1.Service",
    ("v1", "Namespace"): "core.v1.Namespace",
    ("v1", "ConfigMap"): "core.v1.ConfigMap",
    ("v1", "Binding"): "core.v1.Binding",
    ("v1", "DeleteOptions"): "meta.v1.DeleteOptions",
    ("meta.k8s.io/v1", "DeleteOptions"): "meta.v1.DeleteOptions",
    ("apps/v1", "Deployment"): "apps.v1.Deployment",
    ("apps/v1", "ReplicaSet"): "apps.v1.ReplicaSet",
    ("autoscaling/v1", "HorizontalPodAutoscaler"): "autoscaling.v1.HorizontalPodAutoscaler",
    ("autoscaling/v2", "HorizontalPodAutoscaler"): "autoscaling.v2.HorizontalPodAutoscaler",
    ("networking.k8s.io/v1", "Ingress"): "networking.v1.Ingress",
    ("policy/v1", "Eviction"): "policy.v1.Eviction",
}


def supported(api_version: str, kind: str) -> bool:
    return (api_version, kind) in KINDS and KINDS[(api_version, kind)] in MESSAGES


def decode_object(body: bytes) -> dict[str, Any]:
    """The object in a ``k8s\\x00`` + ``runtime.Unknown`` body, with its ``apiVersion`` and ``kind``.

    Raises ``ProtobufError`` for a body without the magic prefix, a compressed
    payload, a kind this server has no table for, or malformed bytes.
    """
    if not body.startswith(MAGIC):
        raise ProtobufError("the body does not start with the Kubernetes protobuf magic number")
    envelope = decode_message("runtime.Unknown", body[len(MAGIC) :])
    type_meta = envelope.get("typeMeta") or {}
    api_version, kind = str(type_meta.get("apiVersion", "")), str(type_meta.get("kind", ""))
    if envelope.get("contentEncoding"):
        raise ProtobufError(f'content encoding "{envelope["contentEncoding"]}" is not supported')
    if not supported(api_version, kind):
        raise ProtobufError(f'no protobuf decoder for kind "{kind}" in version "{api_version}"')
    raw = _raw_bytes(body[len(MAGIC) :])
    obj: dict[str, Any] = {"apiVersion": api_version, "kind": kind}
    obj.update(decode_message(KINDS[(api_version, kind)], raw))
    return obj


def _raw_bytes(envelope: bytes) -> bytes:
    """``Unknown.raw`` as bytes (``decode_message`` renders bytes fields as base64 for JSON)."""
    from cluster.core.protobuf.wire import fields

    raw = b""
    for number, _, value in fields(envelope):
        if number == 2 and isinstance(value, bytes):
            raw = value
    return raw
