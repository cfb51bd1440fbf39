"""Defaults for apps/v1 Deployments and ReplicaSets (``pkg/apis/apps/v1/defaults.go``).

Their pod templates get the PodSpec and Container defaults but none of the
Pod-only ones, so ``kubectl get deploy -o yaml`` shows ``imagePullPolicy``
and ``dnsPolicy`` in the template but no service-account volume.
"""

from __future__ import annotations

from typing import Any

from cluster.apiserver.defaults.pod import default_pod_template

Obj = dict[str, Any]

DEFAULT_MAX_SURGE = "25%"
DEFAULT_MAX_UNAVAILABLE = "25%"
DEFAULT_REVISION_HISTORY_LIMIT = 10
DEFAULT_PROGRESS_DEADLINE_SECONDS = 600


def _default_strategy(spec: Obj) -> None:
    strategy = spec.get("strategy")
    if not isinstance(strategy, dict):
        strategy = spec["strategy"] = {}
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] != "RollingUpdate":
        return
    rolling = strategy.get("rollingUpdate")
    if not isinstance(rolling, dict):
        rolling = strategy["rollingUpdate"] = {}
    if rolling.get("maxUnavailable") is None:
        rolling["maxUnavailable"] = DEFAULT_MAX_UNAVAILABLE
    if rolling.get("maxSurge") is None:
        rolling["maxSurge"] = DEFAULT_MAX_SURGE


def default_deployment(deploy: Obj) -> None:
    spec = deploy.setdefault("spec", {})
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    _default_strategy(spec)
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = DEFAULT_REVISION_HISTORY_LIMIT
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = DEFAULT_PROGRESS_DEADLINE_SECONDS
    default_pod_template(spec.get("template"))


def default_replica_set(rs: Obj) -> None:
    spec = rs.setdefault("spec", {})
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    default_pod_template(spec.get("template"))
