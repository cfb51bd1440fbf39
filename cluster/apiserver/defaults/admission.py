"""Pod-only defaults and the default-on admission plugins that mutate every new pod.

What ``kubectl get pod -o yaml`` shows right after ``kubectl run`` comes from
three places: ``SetDefaults_Pod`` (requests copied from limits,
``enableServiceLinks``), then the ServiceAccount plugin (service account
``default`` and the ``kube-api-access-<5 chars>`` projected token volume
mounted in every container), DefaultTolerationSeconds (300 s tolerations
for ``not-ready``/``unreachable``) and Priority (``priority: 0``,
``preemptionPolicy``).

Every step is idempotent, because the API server also runs the defaulter on
updates: a pod that already has a token volume, a mount at the token path or
the tolerations keeps them unchanged.

Simplifications: the ``default`` ServiceAccount is assumed to exist and to
allow automounting; only the two built-in PriorityClasses are known.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cluster.core.ids import NAME_ALPHABET, stable_random

Obj = dict[str, Any]

TOKEN_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
TOKEN_VOLUME_PREFIX = "kube-api-access-"
TOKEN_EXPIRATION_SECONDS = 3607  # one hour plus the 7 s "warn only" extension the plugin requests
DEFAULT_TOLERATION_SECONDS = 300
NODE_NOT_READY = "node.kubernetes.io/not-ready"
NODE_UNREACHABLE = "node.kubernetes.io/unreachable"
SYSTEM_PRIORITIES = {"system-cluster-critical": 2000000000, "system-node-critical": 2000001000}


def default_pod_resources(spec: Obj) -> None:
    """``SetDefaults_Pod``: a container with limits but no request for a resource requests the limit."""
    for key in ("containers", "initContainers"):
        for container in spec.get(key) or []:
            resources = (container or {}).get("resources")
            if not isinstance(resources, dict) or not isinstance(resources.get("limits"), dict):
                continue
            requests = resources.setdefault("requests", {})
            for name, value in resources["limits"].items():
                requests.setdefault(name, value)


def pod_identity_suffix(pod: Obj) -> str:
    """Five name characters derived from the pod's namespace and name: stable across repeated defaulting."""
    meta = pod.get("metadata") or {}
    rng = stable_random(meta.get("namespace", ""), meta.get("name", ""), "kube-api-access")
    return "".join(rng.choice(NAME_ALPHABET) for _ in range(5))


def token_volume(name: str) -> Obj:
    """The projected volume the ServiceAccount admission plugin adds."""
    return {
        "name": name,
        "projected": {
            "defaultMode": 420,
            "sources": [
                {"serviceAccountToken": {"expirationSeconds": TOKEN_EXPIRATION_SECONDS, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {
                    "downwardAPI": {
                        "items": [
                            {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}, "path": "namespace"}
                        ]
                    }
                },
            ],
        },
    }


def _containers(spec: Obj) -> list[Obj]:
    return [c for key in ("initContainers", "containers") for c in spec.get(key) or [] if isinstance(c, dict)]


def _has_token_mount(spec: Obj) -> bool:
    mounts = (m for c in _containers(spec) for m in c.get("volumeMounts") or [])
    return any((m or {}).get("mountPath") == TOKEN_MOUNT_PATH for m in mounts)


def _existing_token_volume(spec: Obj) -> str | None:
    for volume in spec.get("volumes") or []:
        name = str((volume or {}).get("name", ""))
        if name.startswith(TOKEN_VOLUME_PREFIX) and "projected" in volume:
            return name
    return None


def admit_service_account(pod: Obj, suffix: Callable[[], str] | None = None) -> None:
    """ServiceAccount plugin: ``serviceAccountName: default`` and the mounted API access token."""
    spec = pod.setdefault("spec", {})
    if not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = spec.get("serviceAccount") or "default"
    spec["serviceAccount"] = spec["serviceAccountName"]
    if spec.get("automountServiceAccountToken") is False or _has_token_mount(spec):
        return
    name = _existing_token_volume(spec)
    if name is None:
        name = TOKEN_VOLUME_PREFIX + (suffix() if suffix else pod_identity_suffix(pod))
        spec.setdefault("volumes", []).append(token_volume(name))
    mount = {"mountPath": TOKEN_MOUNT_PATH, "name": name, "readOnly": True}
    for container in _containers(spec):
        container.setdefault("volumeMounts", []).append(dict(mount))


def _tolerates(tolerations: list[Any], key: str) -> bool:
    return any(
        isinstance(t, dict) and t.get("key", "") in (key, "") and t.get("effect", "") in ("NoExecute", "")
        for t in tolerations
    )


def admit_default_tolerations(spec: Obj) -> None:
    """DefaultTolerationSeconds: tolerate not-ready/unreachable nodes for 300 s unless already tolerated."""
    tolerations = spec.get("tolerations") or []
    added = [
        {"effect": "NoExecute", "key": key, "operator": "Exists", "tolerationSeconds": DEFAULT_TOLERATION_SECONDS}
        for key in (NODE_NOT_READY, NODE_UNREACHABLE)
        if not _tolerates(tolerations, key)
    ]
    if added:
        spec["tolerations"] = list(tolerations) + added


def admit_priority(spec: Obj) -> None:
    """Priority plugin: resolve ``priorityClassName`` (none means 0) and the default preemption policy."""
    if spec.get("priority") is None:
        spec["priority"] = SYSTEM_PRIORITIES.get(str(spec.get("priorityClassName") or ""), 0)
    if not spec.get("preemptionPolicy"):
        spec["preemptionPolicy"] = "PreemptLowerPriority"


def default_pod_only(pod: Obj, suffix: Callable[[], str] | None = None) -> None:
    """Everything a Pod gets on top of the PodSpec defaults its templates also get."""
    spec = pod.setdefault("spec", {})
    default_pod_resources(spec)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    admit_service_account(pod, suffix)
    admit_default_tolerations(spec)
    admit_priority(spec)
