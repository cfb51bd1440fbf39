"""Deployment and ReplicaSet (apps/v1)."""

from __future__ import annotations

from cluster.core.schema.meta import INT_OR_STRING, LABEL_SELECTOR, TIME, kind_header
from cluster.core.schema.model import define, define_kind, f, list_of
from cluster.core.schema.pod import POD_TEMPLATE_SPEC

APPS = "io.k8s.api.apps.v1."

_ROLLING_UPDATE = define(
    APPS + "RollingUpdateDeployment",
    "Controls the pace of a rolling update.",
    f(
        "maxSurge",
        INT_OR_STRING,
        "How many pods (number or percentage, rounded up) may exist above the desired count during the update. "
        "Defaults to 25%.",
    ),
    f(
        "maxUnavailable",
        INT_OR_STRING,
        "How many pods (number or percentage, rounded down) may be unavailable during the update. "
        "Defaults to 25%. Cannot be 0 if maxSurge is 0.",
    ),
)
_STRATEGY = define(
    APPS + "DeploymentStrategy",
    "How old pods are replaced by new ones.",
    f("rollingUpdate", _ROLLING_UPDATE, "Rolling update parameters; only with type RollingUpdate."),
    f(
        "type",
        "string",
        "Recreate or RollingUpdate. Defaults to RollingUpdate.",
        enum=("Recreate", "RollingUpdate"),
    ),
)
_DEPLOYMENT_SPEC = define(
    APPS + "DeploymentSpec",
    "The desired state of a Deployment.",
    f(
        "minReadySeconds",
        "integer",
        "Seconds a new pod must be ready, without crashing, to count as available. Defaults to 0.",
    ),
    f("paused", "boolean", "When true, template changes do not start a rollout."),
    f(
        "progressDeadlineSeconds",
        "integer",
        "Seconds a rollout may make no progress before it is reported as failed. Defaults to 600.",
    ),
    f(
        "replicas",
        "integer",
        "Number of desired pods. A pointer, so that an explicit zero differs from unset. Defaults to 1.",
    ),
    f("revisionHistoryLimit", "integer", "How many old ReplicaSets to keep for rollback. Defaults to 10."),
    f(
        "selector",
        LABEL_SELECTOR,
        "Label selector for the pods; must match the template's labels. Immutable in apps/v1.",
        required=True,
    ),
    f("strategy", _STRATEGY, "How existing pods are replaced by new ones."),
    f("template", POD_TEMPLATE_SPEC, 'Template of the pods; its restartPolicy must be "Always".', required=True),
)
_DEPLOYMENT_CONDITION = define(
    APPS + "DeploymentCondition",
    "One aspect of a Deployment's state, such as Available or Progressing.",
    f("lastTransitionTime", TIME, "When the condition last changed status."),
    f("lastUpdateTime", TIME, "When the condition was last updated."),
    f("message", "string", "Human-readable details."),
    f("reason", "string", "CamelCase reason for the last transition."),
    f("status", "string", "True, False or Unknown.", required=True),
    f("type", "string", "Type of the condition.", required=True),
)
_DEPLOYMENT_STATUS = define(
    APPS + "DeploymentStatus",
    "The most recently observed state of a Deployment.",
    f("availableReplicas", "integer", "Pods ready for at least minReadySeconds."),
    f("collisionCount", "integer", "Counts hash collisions; used to name the newest ReplicaSet."),
    f("conditions", list_of(_DEPLOYMENT_CONDITION), "Latest observations of the Deployment's state."),
    f("observedGeneration", "integer", "The generation the controller last acted on."),
    f("readyReplicas", "integer", "Pods with a Ready condition."),
    f("replicas", "integer", "Pods targeted by the Deployment (their labels match the selector)."),
    f("unavailableReplicas", "integer", "Pods still needed for 100% availability."),
    f("updatedReplicas", "integer", "Pods that run the desired template."),
)
DEPLOYMENT = define_kind(
    APPS + "Deployment",
    "Declarative updates for Pods and ReplicaSets.",
    ("apps", "v1", "Deployment"),
    *kind_header(),
    f("spec", _DEPLOYMENT_SPEC, "Specification of the desired behavior of the Deployment."),
    f("status", _DEPLOYMENT_STATUS, "Most recently observed status of the Deployment."),
)

_REPLICA_SET_SPEC = define(
    APPS + "ReplicaSetSpec",
    "The desired state of a ReplicaSet.",
    f("minReadySeconds", "integer", "Seconds a new pod must be ready, without crashing, to count as available."),
    f("replicas", "integer", "Number of desired pods. Defaults to 1."),
    f("selector", LABEL_SELECTOR, "Label selector for the pods; must match the template's labels.", required=True),
    f("template", POD_TEMPLATE_SPEC, "Template of the pods created when too few exist."),
)
_REPLICA_SET_CONDITION = define(
    APPS + "ReplicaSetCondition",
    "One aspect of a ReplicaSet's state.",
    f("lastTransitionTime", TIME, "When the condition last changed status."),
    f("message", "string", "Human-readable details."),
    f("reason", "string", "CamelCase reason for the last transition."),
    f("status", "string", "True, False or Unknown.", required=True),
    f("type", "string", "Type of the condition.", required=True),
)
_REPLICA_SET_STATUS = define(
    APPS + "ReplicaSetStatus",
    "The most recently observed state of a ReplicaSet.",
    f("availableReplicas", "integer", "Pods ready for at least minReadySeconds."),
    f("conditions", list_of(_REPLICA_SET_CONDITION), "Latest observations of the ReplicaSet's state."),
    f("fullyLabeledReplicas", "integer", "Pods whose labels match the template's labels."),
    f("observedGeneration", "integer", "The generation the controller last acted on."),
    f("readyReplicas", "integer", "Pods with a Ready condition."),
    f("replicas", "integer", "Most recently observed number of pods.", required=True),
)
REPLICA_SET = define_kind(
    APPS + "ReplicaSet",
    "Ensures that a specified number of pod replicas are running at any given time.",
    ("apps", "v1", "ReplicaSet"),
    *kind_header("Standard object metadata; its labels usually match the pods' labels."),
    f("spec", _REPLICA_SET_SPEC, "Specification of the desired behavior of the ReplicaSet."),
    f("status", _REPLICA_SET_STATUS, "Most recently observed status of the ReplicaSet. Read-only."),
)
