"""HorizontalPodAutoscaler (autoscaling/v2 stored and preferred, v1 for ``kubectl autoscale``) and Scale."""

from __future__ import annotations

from cluster.core.schema.meta import LABEL_SELECTOR, QUANTITY, TIME, kind_header
from cluster.core.schema.model import define, define_kind, f, list_of

V2 = "io.k8s.api.autoscaling.v2."
V1 = "io.k8s.api.autoscaling.v1."
METRIC_TYPES = ("ContainerResource", "External", "Object", "Pods", "Resource")

_TARGET_REF = define(
    V2 + "CrossVersionObjectReference",
    "Identifies the scaled object.",
    f("apiVersion", "string", "API version of the referent, e.g. apps/v1."),
    f("kind", "string", "Kind of the referent, e.g. Deployment.", required=True),
    f("name", "string", "Name of the referent.", required=True),
)
_METRIC_IDENTIFIER = define(
    V2 + "MetricIdentifier",
    "Names a metric, optionally narrowed by labels.",
    f("name", "string", "Name of the metric.", required=True),
    f("selector", LABEL_SELECTOR, "Labels that narrow the metric."),
)
_METRIC_TARGET = define(
    V2 + "MetricTarget",
    "The target value of a metric.",
    f("averageUtilization", "integer", "Target average utilization, in percent of the pods' requests."),
    f("averageValue", QUANTITY, "Target average value across pods."),
    f("type", "string", "Utilization, Value or AverageValue.", required=True),
    f("value", QUANTITY, "Target value."),
)
_METRIC_VALUE = define(
    V2 + "MetricValueStatus",
    "The current value of a metric.",
    f("averageUtilization", "integer", "Current average utilization, in percent of requests."),
    f("averageValue", QUANTITY, "Current average value across pods."),
    f("value", QUANTITY, "Current value."),
)


def _metric_pair(name: str, description: str, *, resource: bool, container: bool = False) -> tuple[str, str]:
    """A ``<Name>MetricSource`` and ``<Name>MetricStatus`` pair sharing their identifying fields."""
    ident = ([f("container", "string", "Name of the container.", required=True)] if container else []) + (
        [f("name", "string", "Name of the resource, e.g. cpu.", required=True)]
        if resource
        else [f("metric", _METRIC_IDENTIFIER, "The metric.", required=True)]
    )
    if name == "Object":
        ident.append(f("describedObject", _TARGET_REF, "The object the metric describes.", required=True))
    source = define(
        f"{V2}{name}MetricSource",
        description,
        *ident,
        f("target", _METRIC_TARGET, "Target value.", required=True),
    )
    status = define(
        f"{V2}{name}MetricStatus",
        f"Current value of a {name} metric.",
        *ident,
        f("current", _METRIC_VALUE, "Current value.", required=True),
    )
    return source, status


_RESOURCE = _metric_pair("Resource", "A resource metric of the pods, e.g. CPU, as known from requests.", resource=True)
_CONTAINER = _metric_pair(
    "ContainerResource", "A resource metric of one container of the pods.", resource=True, container=True
)
_PODS = _metric_pair("Pods", "A metric describing each pod, averaged.", resource=False)
_OBJECT = _metric_pair("Object", "A metric describing a single Kubernetes object.", resource=False)
_EXTERNAL = _metric_pair("External", "A metric not tied to any Kubernetes object.", resource=False)

_METRIC_SPEC = define(
    V2 + "MetricSpec",
    "One metric to scale on.",
    f("containerResource", _CONTAINER[0], "A container resource metric."),
    f("external", _EXTERNAL[0], "An external metric."),
    f("object", _OBJECT[0], "An object metric."),
    f("pods", _PODS[0], "A per-pod metric."),
    f("resource", _RESOURCE[0], "A resource metric (cpu, memory)."),
    f("type", "string", "Which source is set.", required=True, enum=METRIC_TYPES),
)
_METRIC_STATUS = define(
    V2 + "MetricStatus",
    "The current value of one metric.",
    f("containerResource", _CONTAINER[1], "A container resource metric."),
    f("external", _EXTERNAL[1], "An external metric."),
    f("object", _OBJECT[1], "An object metric."),
    f("pods", _PODS[1], "A per-pod metric."),
    f("resource", _RESOURCE[1], "A resource metric."),
    f("type", "string", "Which source is set.", required=True, enum=METRIC_TYPES),
)
_POLICY = define(
    V2 + "HPAScalingPolicy",
    "A limit on how fast the replica count may change.",
    f("periodSeconds", "integer", "Window the policy applies to, 1-1800 seconds.", required=True),
    f("type", "string", "Pods or Percent.", required=True),
    f("value", "integer", "Amount of change allowed in the window.", required=True),
)
_RULES = define(
    V2 + "HPAScalingRules",
    "Scaling behavior in one direction.",
    f("policies", list_of(_POLICY), "Policies limiting the rate of change."),
    f("selectPolicy", "string", "Max, Min or Disabled: which policy wins.", enum=("Disabled", "Max", "Min")),
    f("stabilizationWindowSeconds", "integer", "Past recommendations considered, 0-3600 seconds."),
)
_BEHAVIOR = define(
    V2 + "HorizontalPodAutoscalerBehavior",
    "Scaling behavior up and down; defaults apply to unset parts.",
    f("scaleDown", _RULES, "Scale-down behavior. Defaults to a 300 s window and 100% per 15 s."),
    f("scaleUp", _RULES, "Scale-up behavior. Defaults to max(100%, 4 pods) per 15 s."),
)
_HPA_SPEC = define(
    V2 + "HorizontalPodAutoscalerSpec",
    "Desired behavior of the autoscaler.",
    f("behavior", _BEHAVIOR, "Scaling behavior; defaults when unset."),
    f("maxReplicas", "integer", "Upper limit of replicas; not less than minReplicas.", required=True),
    f("metrics", list_of(_METRIC_SPEC), "Metrics to scale on. Defaults to 80% average CPU utilization."),
    f("minReplicas", "integer", "Lower limit of replicas. Defaults to 1."),
    f("scaleTargetRef", _TARGET_REF, "The scaled resource.", required=True),
)
_HPA_CONDITION = define(
    V2 + "HorizontalPodAutoscalerCondition",
    "One aspect of the autoscaler's state.",
    f("lastTransitionTime", TIME, "When the condition last changed."),
    f("message", "string", "Human-readable details."),
    f("reason", "string", "CamelCase reason."),
    f("status", "string", "True, False or Unknown.", required=True),
    f("type", "string", "AbleToScale, ScalingActive or ScalingLimited.", required=True),
)
_HPA_STATUS = define(
    V2 + "HorizontalPodAutoscalerStatus",
    "Current state of the autoscaler.",
    f("conditions", list_of(_HPA_CONDITION), "Current conditions."),
    f("currentMetrics", list_of(_METRIC_STATUS), "Last read values of the metrics."),
    f("currentReplicas", "integer", "Current number of replicas."),
    f("desiredReplicas", "integer", "Desired number of replicas at the last calculation.", required=True),
    f("lastScaleTime", TIME, "When the autoscaler last scaled."),
    f("observedGeneration", "integer", "The generation the autoscaler last acted on."),
)
HPA_V2 = define_kind(
    V2 + "HorizontalPodAutoscaler",
    "Automatically scales a resource with a scale subresource based on metrics.",
    ("autoscaling", "v2", "HorizontalPodAutoscaler"),
    *kind_header(),
    f("spec", _HPA_SPEC, "Desired behavior of the autoscaler."),
    f("status", _HPA_STATUS, "Current state of the autoscaler."),
)

_V1_TARGET_REF = define(
    V1 + "CrossVersionObjectReference",
    "Identifies the scaled object.",
    f("apiVersion", "string", "API version of the referent."),
    f("kind", "string", "Kind of the referent.", required=True),
    f("name", "string", "Name of the referent.", required=True),
)
HPA_V1 = define_kind(
    V1 + "HorizontalPodAutoscaler",
    "Configuration of a horizontal pod autoscaler (CPU only).",
    ("autoscaling", "v1", "HorizontalPodAutoscaler"),
    *kind_header(),
    f(
        "spec",
        define(
            V1 + "HorizontalPodAutoscalerSpec",
            "Desired behavior of the autoscaler.",
            f("maxReplicas", "integer", "Upper limit of replicas.", required=True),
            f("minReplicas", "integer", "Lower limit of replicas. Defaults to 1."),
            f("scaleTargetRef", _V1_TARGET_REF, "The scaled resource.", required=True),
            f("targetCPUUtilizationPercentage", "integer", "Target average CPU utilization. Defaults to 80."),
        ),
        "Desired behavior of the autoscaler.",
    ),
    f(
        "status",
        define(
            V1 + "HorizontalPodAutoscalerStatus",
            "Current state of the autoscaler.",
            f("currentCPUUtilizationPercentage", "integer", "Current average CPU utilization."),
            f("currentReplicas", "integer", "Current number of replicas.", required=True),
            f("desiredReplicas", "integer", "Desired number of replicas.", required=True),
            f("lastScaleTime", TIME, "When the autoscaler last scaled."),
            f("observedGeneration", "integer", "The generation the autoscaler last acted on."),
        ),
        "Current state of the autoscaler.",
    ),
    preferred=False,
)
SCALE = define_kind(
    V1 + "Scale",
    "The scale subresource of a resource.",
    ("autoscaling", "v1", "Scale"),
    *kind_header(),
    f(
        "spec",
        define(V1 + "ScaleSpec", "Desired scale.", f("replicas", "integer", "Desired number of instances.")),
        "Desired scale.",
    ),
    f(
        "status",
        define(
            V1 + "ScaleStatus",
            "Current scale.",
            f("replicas", "integer", "Actual number of instances.", required=True),
            f("selector", "string", "Label selector of the pods, in the string form."),
        ),
        "Current scale. Read-only.",
    ),
)
