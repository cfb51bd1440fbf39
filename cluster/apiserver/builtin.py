"""The built-in kinds the sandbox serves, as one table of ``KindInfo``.

Names, short names, categories, scope and subresources are those of a
Kubernetes 1.32 API server's discovery documents, so ``kubectl
api-resources`` and ``kubectl get all`` behave the same. Defaulting,
validation and strict decoding come from ``cluster.apiserver.defaults``,
``cluster.apiserver.validation`` and ``cluster.core.schema``.

``generation_keys`` follows each registry strategy's ``PrepareForUpdate``:
a spec change bumps ``metadata.generation``; kinds without a spec never do.
Deployments additionally bump it when ``metadata.annotations`` change
(annotations are copied to their ReplicaSets); ``generation_keys`` cannot
express a metadata key, so this is flagged in ``extra`` for the API server.
"""

from __future__ import annotations

from typing import Any

from cluster.apiserver.defaults import default_object
from cluster.apiserver.validation import convert_hpa_v1_to_v2, convert_hpa_v2_to_v1, validate_object
from cluster.core.kinds import KindInfo, KindRegistry

SPEC = ("spec",)
NEVER: tuple[str, ...] = ()
ALL = ("all",)


def _kind(
    kind: str,
    group: str,
    plural: str,
    *,
    namespaced: bool = True,
    short_names: tuple[str, ...] = (),
    categories: tuple[str, ...] = (),
    name_rule: str = "subdomain",
    has_status: bool = True,
    generation_keys: tuple[str, ...] | None = SPEC,
    subresources: tuple[str, ...] = (),
    extra: dict[str, Any] | None = None,
) -> KindInfo:
    """A built-in kind in its served version, wired to the shared defaulter and validator."""
    return KindInfo(
        kind=kind,
        group=group,
        version="v2" if group == "autoscaling" else "v1",
        plural=plural,
        namespaced=namespaced,
        short_names=short_names,
        categories=categories,
        name_rule=name_rule,
        defaulter=default_object,
        validator=validate_object,
        has_status=has_status,
        generation_keys=generation_keys,
        subresources=subresources,
        extra=extra or {},
    )


def builtin_kinds() -> list[KindInfo]:
    return [
        _kind("Namespace", "", "namespaces", namespaced=False, short_names=("ns",), name_rule="label",
              generation_keys=SPEC, subresources=("status", "finalize")),
        _kind("Node", "", "nodes", namespaced=False, short_names=("no",), generation_keys=SPEC,
              subresources=("status",)),
        _kind("Pod", "", "pods", namespaced=True, short_names=("po",), categories=ALL, generation_keys=SPEC,
              subresources=("status", "binding", "log", "exec", "eviction")),
        _kind("ReplicaSet", "apps", "replicasets", namespaced=True, short_names=("rs",), categories=ALL,
              generation_keys=SPEC, subresources=("scale", "status")),
        _kind("Deployment", "apps", "deployments", namespaced=True, short_names=("deploy",), categories=ALL,
              generation_keys=SPEC, subresources=("scale", "status"),
              extra={"generation_includes_annotations": True}),
        _kind("Service", "", "services", namespaced=True, short_names=("svc",), categories=ALL,
              name_rule="dns1035", generation_keys=SPEC, subresources=("status",)),
        _kind("Endpoints", "", "endpoints", namespaced=True, short_names=("ep",), has_status=False,
              generation_keys=NEVER),
        _kind("EndpointSlice", "discovery.k8s.io", "endpointslices", namespaced=True, has_status=False,
              generation_keys=None),
        _kind("Event", "", "events", namespaced=True, short_names=("ev",), has_status=False,
              generation_keys=NEVER),
        _kind("ConfigMap", "", "configmaps", namespaced=True, short_names=("cm",), has_status=False,
              generation_keys=NEVER),
        _kind("HorizontalPodAutoscaler", "autoscaling", "horizontalpodautoscalers", namespaced=True,
              short_names=("hpa",), categories=ALL, generation_keys=SPEC, subresources=("status",),
              extra={"conversions": {"autoscaling/v1": (convert_hpa_v1_to_v2, convert_hpa_v2_to_v1)}}),
        _kind("Ingress", "networking.k8s.io", "ingresses", namespaced=True, short_names=("ing",),
              generation_keys=SPEC, subresources=("status",)),
        _kind("Lease", "coordination.k8s.io", "leases", namespaced=True, has_status=False,
              generation_keys=NEVER),
    ]  # fmt: skip


def register_builtin_kinds(registry: KindRegistry) -> None:
    """Register every built-in kind (idempotent: registering again replaces the entries)."""
    for info in builtin_kinds():
        registry.register(info)
