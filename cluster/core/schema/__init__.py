"""Structural schemas of the built-in kinds as Kubernetes 1.32 serves them.

One hand-written description of every field feeds four consumers: type
checking at decode time (``decode_error``), strict decoding (unknown fields
are rejected like the real API server does),
``kubectl explain`` (same layout as kubectl 1.32) and the OpenAPI v3
document the REST API serves to real clients. Shared structs (ObjectMeta,
PodSpec, Container, LabelSelector …) are defined once and referenced by name.
"""

from __future__ import annotations

from cluster.core.schema import apps, autoscaling, container, core, meta, networking, pod, pod_status, volumes
from cluster.core.schema.decode import cannot_handle_message, decode_error
from cluster.core.schema.explain import ExplainError, explain
from cluster.core.schema.model import DEFINITIONS, KINDS, PREFERRED, Definition, Field, kind_definition
from cluster.core.schema.openapi import components, openapi_document, openapi_schema
from cluster.core.schema.strict import prune_unknown, strict_error_message, unknown_fields

__all__ = [
    "DEFINITIONS",
    "KINDS",
    "PREFERRED",
    "Definition",
    "ExplainError",
    "Field",
    "cannot_handle_message",
    "components",
    "decode_error",
    "explain",
    "kind_definition",
    "openapi_document",
    "openapi_schema",
    "prune_unknown",
    "strict_error_message",
    "unknown_fields",
]

_MODULES = (meta, container, volumes, pod, pod_status, core, apps, autoscaling, networking)
