"""Patch metadata: which lists merge, by which key, and which maps retain keys.

Real Kubernetes reads this from Go struct tags (``patchStrategy:"merge"
patchMergeKey:"name"``). Here it is one table: schema type -> field ->
``FieldMeta``. A kind's root type is the kind name; nested types are named
after their Go structs. Anything not listed behaves like an untyped field:
maps merge recursively and lists are replaced whole (this is also what
atomic lists such as ``tolerations``, ``command``, ``args`` and ``taints``
need). To support a new kind or field, add rows here; no algorithm changes.

Simplification: only the tags that matter for the kinds the sandbox serves
are listed; unknown kinds still get ``metadata`` semantics (finalizers as a
set, ownerReferences by uid).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldMeta:
    """How one field is patched. ``type`` names the schema type of the value (of each item, for lists)."""

    type: str = ""
    merge: bool = False  # patchStrategy "merge": lists merge by merge_key; primitive lists act as sets
    merge_key: str = ""
    retain_keys: bool = False  # patchStrategy "retainKeys": the map (or each list item) drops unlisted keys


UNTYPED = FieldMeta()


def _obj(type_name: str, retain_keys: bool = False) -> FieldMeta:
    return FieldMeta(type=type_name, retain_keys=retain_keys)


def _by(merge_key: str, type_name: str = "", retain_keys: bool = False) -> FieldMeta:
    return FieldMeta(type=type_name, merge=True, merge_key=merge_key, retain_keys=retain_keys)


_SET = FieldMeta(merge=True)  # e.g. metadata.finalizers: a primitive list merged as a set


def _kind(**fields: FieldMeta) -> dict[str, FieldMeta]:
    return {"metadata": _obj("ObjectMeta"), **fields}


_CONDITIONS = {"conditions": _by("type")}

SCHEMA: dict[str, dict[str, FieldMeta]] = {
    # Building blocks (Go struct names).
    "ObjectMeta": {"finalizers": _SET, "ownerReferences": _by("uid")},
    "PodTemplateSpec": {"metadata": _obj("ObjectMeta"), "spec": _obj("PodSpec")},
    "PodSpec": {
        "containers": _by("name", "Container"),
        "initContainers": _by("name", "Container"),
        "ephemeralContainers": _by("name", "Container"),
        "volumes": _by("name", retain_keys=True),
        "imagePullSecrets": _by("name"),
        "hostAliases": _by("ip"),
        "topologySpreadConstraints": _by("topologyKey"),
        "schedulingGates": _by("name"),
        "resourceClaims": _by("name", retain_keys=True),
        # tolerations, readinessGates: atomic
    },
    "Container": {
        "ports": _by("containerPort"),
        "env": _by("name"),
        "volumeMounts": _by("mountPath"),
        "volumeDevices": _by("devicePath"),
        # command, args, envFrom, resizePolicy: atomic
    },
    "PodStatus": {**_CONDITIONS, "podIPs": _by("ip"), "hostIPs": _by("ip")},
    "ConditionedStatus": _CONDITIONS,
    "DeploymentSpec": {"template": _obj("PodTemplateSpec"), "strategy": _obj("", retain_keys=True)},
    "TemplatedSpec": {"template": _obj("PodTemplateSpec")},  # ReplicaSet, DaemonSet, StatefulSet, Job, RC
    "CronJobSpec": {"jobTemplate": _obj("JobTemplateSpec")},
    "JobTemplateSpec": {"metadata": _obj("ObjectMeta"), "spec": _obj("TemplatedSpec")},
    "ServiceSpec": {"ports": _by("port")},
    "NodeSpec": {"podCIDRs": _SET},  # taints: atomic
    "NodeStatus": {**_CONDITIONS, "addresses": _by("type")},
    # Kinds.
    "Object": _kind(),
    "Pod": _kind(spec=_obj("PodSpec"), status=_obj("PodStatus")),
    "PodTemplate": _kind(template=_obj("PodTemplateSpec")),
    "Deployment": _kind(spec=_obj("DeploymentSpec"), status=_obj("ConditionedStatus")),
    "ReplicaSet": _kind(spec=_obj("TemplatedSpec"), status=_obj("ConditionedStatus")),
    "DaemonSet": _kind(spec=_obj("TemplatedSpec"), status=_obj("ConditionedStatus")),
    "StatefulSet": _kind(spec=_obj("TemplatedSpec"), status=_obj("ConditionedStatus")),
    "ReplicationController": _kind(spec=_obj("TemplatedSpec"), status=_obj("ConditionedStatus")),
    "Job": _kind(spec=_obj("TemplatedSpec"), status=_obj("ConditionedStatus")),
    "CronJob": _kind(spec=_obj("CronJobSpec")),
    "Service": _kind(spec=_obj("ServiceSpec"), status=_obj("ConditionedStatus")),
    "Node": _kind(spec=_obj("NodeSpec"), status=_obj("NodeStatus")),
    "Namespace": _kind(status=_obj("ConditionedStatus")),
    "HorizontalPodAutoscaler": _kind(status=_obj("ConditionedStatus")),
}


def root_type(kind: str) -> str:
    """The schema type of a whole object of ``kind`` (``Object`` for kinds without list metadata)."""
    return kind if kind in SCHEMA else "Object"


def field_meta(type_name: str, field: str) -> FieldMeta:
    """Patch metadata of ``field`` inside a value of ``type_name``; untyped when not listed."""
    return SCHEMA.get(type_name, {}).get(field, UNTYPED)
