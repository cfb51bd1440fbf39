"""Messages of the named API groups the sandbox serves: apps/v1, autoscaling/v1 and v2, networking/v1, policy/v1.

Field numbers are those of the groups' ``generated.proto`` in ``k8s.io/api``.
autoscaling/v2 covers the resource and container-resource metrics a learner
uses (``kubectl autoscale`` from 1.33 on sends those).
"""

from __future__ import annotations

from cluster.core.protobuf.message import INT_OR_STRING, QUANTITY, TIME, F, b, i, m, message, rm, rs, s

META = "meta.v1.ObjectMeta"
SELECTOR = "meta.v1.LabelSelector"
TEMPLATE = "core.v1.PodTemplateSpec"

# -- apps/v1 -------------------------------------------------------------------------------------------------------
message(
    "apps.v1.Deployment",
    {1: m("metadata", META), 2: m("spec", "apps.v1.DeploymentSpec"), 3: m("status", "apps.v1.DeploymentStatus")},
)
message(
    "apps.v1.DeploymentSpec",
    {
        1: i("replicas", keep=True),
        2: m("selector", SELECTOR),
        3: m("template", TEMPLATE),
        4: m("strategy", "apps.v1.DeploymentStrategy"),
        5: i("minReadySeconds"),
        6: i("revisionHistoryLimit", keep=True),
        7: b("paused"),
        9: i("progressDeadlineSeconds", keep=True),
    },
)
message("apps.v1.DeploymentStrategy", {1: s("type"), 2: m("rollingUpdate", "apps.v1.RollingUpdateDeployment")})
message("apps.v1.RollingUpdateDeployment", {1: F("maxUnavailable", INT_OR_STRING), 2: F("maxSurge", INT_OR_STRING)})
message(
    "apps.v1.DeploymentStatus",
    {
        1: i("observedGeneration"),
        2: i("replicas"),
        3: i("updatedReplicas"),
        4: i("availableReplicas"),
        5: i("unavailableReplicas"),
        6: rm("conditions", "apps.v1.DeploymentCondition"),
        7: i("readyReplicas"),
        8: i("collisionCount", keep=True),
        9: i("terminatingReplicas", keep=True),
    },
)
message(
    "apps.v1.DeploymentCondition",
    {
        1: s("type"),
        2: s("status"),
        4: s("reason"),
        5: s("message"),
        6: F("lastUpdateTime", TIME),
        7: F("lastTransitionTime", TIME),
    },
)
message(
    "apps.v1.ReplicaSet",
    {1: m("metadata", META), 2: m("spec", "apps.v1.ReplicaSetSpec"), 3: m("status", "apps.v1.ReplicaSetStatus")},
)
message(
    "apps.v1.ReplicaSetSpec",
    {1: i("replicas", keep=True), 2: m("selector", SELECTOR), 3: m("template", TEMPLATE), 4: i("minReadySeconds")},
)
message(
    "apps.v1.ReplicaSetStatus",
    {
        1: i("replicas"),
        2: i("fullyLabeledReplicas"),
        3: i("observedGeneration"),
        4: i("readyReplicas"),
        5: i("availableReplicas"),
        6: rm("conditions", "apps.v1.ReplicaSetCondition"),
        7: i("terminatingReplicas", keep=True),
    },
)
message(
    "apps.v1.ReplicaSetCondition",
    {1: s("type"), 2: s("status"), 3: F("lastTransitionTime", TIME), 4: s("reason"), 5: s("message")},
)

# -- autoscaling/v1 ------------------------------------------------------------------------------------------------
message(
    "autoscaling.v1.HorizontalPodAutoscaler",
    {
        1: m("metadata", META),
        2: m("spec", "autoscaling.v1.HorizontalPodAutoscalerSpec"),
        3: m("status", "autoscaling.v1.HorizontalPodAutoscalerStatus"),
    },
)
message(
    "autoscaling.v1.HorizontalPodAutoscalerSpec",
    {
        1: m("scaleTargetRef", "autoscaling.v1.CrossVersionObjectReference"),
        2: i("minReplicas", keep=True),
        3: i("maxReplicas"),
        4: i("targetCPUUtilizationPercentage", keep=True),
    },
)
message("autoscaling.v1.CrossVersionObjectReference", {1: s("kind"), 2: s("name"), 3: s("apiVersion")})
message(
    "autoscaling.v1.HorizontalPodAutoscalerStatus",
    {
        1: i("observedGeneration", keep=True),
        2: F("lastScaleTime", TIME),
        3: i("currentReplicas"),
        4: i("desiredReplicas"),
        5: i("currentCPUUtilizationPercentage", keep=True),
    },
)

# -- autoscaling/v2 ------------------------------------------------------------------------------------------------
message(
    "autoscaling.v2.HorizontalPodAutoscaler",
    {
        1: m("metadata", META),
        2: m("spec", "autoscaling.v2.HorizontalPodAutoscalerSpec"),
        3: m("status", "autoscaling.v2.HorizontalPodAutoscalerStatus"),
    },
)
message(
    "autoscaling.v2.HorizontalPodAutoscalerSpec",
    {
        1: m("scaleTargetRef", "autoscaling.v1.CrossVersionObjectReference"),
        2: i("minReplicas", keep=True),
        3: i("maxReplicas"),
        4: rm("metrics", "autoscaling.v2.MetricSpec"),
        5: m("behavior", "autoscaling.v2.HorizontalPodAutoscalerBehavior"),
    },
)
message(
    "autoscaling.v2.MetricSpec",
    {
        1: s("type"),
        4: m("resource", "autoscaling.v2.ResourceMetricSource"),
        7: m("containerResource", "autoscaling.v2.ContainerResourceMetricSource"),
    },
)
message("autoscaling.v2.ResourceMetricSource", {1: s("name"), 2: m("target", "autoscaling.v2.MetricTarget")})
message(
    "autoscaling.v2.ContainerResourceMetricSource",
    {1: s("name"), 2: m("target", "autoscaling.v2.MetricTarget"), 3: s("container")},
)
message(
    "autoscaling.v2.MetricTarget",
    {1: s("type"), 2: F("value", QUANTITY), 3: F("averageValue", QUANTITY), 4: i("averageUtilization", keep=True)},
)
message(
    "autoscaling.v2.HorizontalPodAutoscalerBehavior",
    {1: m("scaleUp", "autoscaling.v2.HPAScalingRules"), 2: m("scaleDown", "autoscaling.v2.HPAScalingRules")},
)
message(
    "autoscaling.v2.HPAScalingRules",
    {
        1: s("selectPolicy", keep=True),
        2: rm("policies", "autoscaling.v2.HPAScalingPolicy"),
        3: i("stabilizationWindowSeconds", keep=True),
        4: F("tolerance", QUANTITY),
    },
)
message("autoscaling.v2.HPAScalingPolicy", {1: s("type"), 2: i("value"), 3: i("periodSeconds")})
message(
    "autoscaling.v2.HorizontalPodAutoscalerStatus",
    {
        1: i("observedGeneration", keep=True),
        2: F("lastScaleTime", TIME),
        3: i("currentReplicas"),
        4: i("desiredReplicas"),
    },
)

# -- networking.k8s.io/v1 ------------------------------------------------------------------------------------------
message(
    "networking.v1.Ingress",
    {1: m("metadata", META), 2: m("spec", "networking.v1.IngressSpec"), 3: m("status", "networking.v1.IngressStatus")},
)
message(
    "networking.v1.IngressSpec",
    {
        1: m("defaultBackend", "networking.v1.IngressBackend"),
        2: rm("tls", "networking.v1.IngressTLS"),
        3: rm("rules", "networking.v1.IngressRule"),
        4: s("ingressClassName", keep=True),
    },
)
message(
    "networking.v1.IngressBackend",
    {3: m("resource", "core.v1.TypedLocalObjectReference"), 4: m("service", "networking.v1.IngressServiceBackend")},
)
message("core.v1.TypedLocalObjectReference", {1: s("apiGroup", keep=True), 2: s("kind"), 3: s("name")})
message("networking.v1.IngressServiceBackend", {1: s("name"), 2: m("port", "networking.v1.ServiceBackendPort")})
message("networking.v1.ServiceBackendPort", {1: s("name"), 2: i("number")})
message("networking.v1.IngressTLS", {1: rs("hosts"), 2: s("secretName")})
message("networking.v1.IngressRule", {1: s("host"), 2: m("", "networking.v1.IngressRuleValue", inline=True)})
message("networking.v1.IngressRuleValue", {1: m("http", "networking.v1.HTTPIngressRuleValue")})
message("networking.v1.HTTPIngressRuleValue", {1: rm("paths", "networking.v1.HTTPIngressPath")})
message(
    "networking.v1.HTTPIngressPath",
    {1: s("path"), 2: m("backend", "networking.v1.IngressBackend"), 3: s("pathType", keep=True)},
)
message("networking.v1.IngressStatus", {1: m("loadBalancer", "networking.v1.IngressLoadBalancerStatus")})
message("networking.v1.IngressLoadBalancerStatus", {1: rm("ingress", "networking.v1.IngressLoadBalancerIngress")})
message("networking.v1.IngressLoadBalancerIngress", {1: s("ip"), 2: s("hostname")})

# -- policy/v1 -----------------------------------------------------------------------------------------------------
message("policy.v1.Eviction", {1: m("metadata", META), 2: m("deleteOptions", "meta.v1.DeleteOptions")})
