"""Messages of ``k8s.io/api/core/v1`` (``core/v1/generated.proto``) that clients send to this sandbox.

Covered: Pod and everything a pod template carries from typed clients
(containers, ports, env, resources, probes, mounts, tolerations and the
common volume sources), Service, Namespace, ConfigMap and Binding.
Simplification: rarely sent structs (security contexts, affinity, lifecycle
hooks, the cloud volume sources) are not in the tables; a request carrying
them is refused with 415 instead of being stored without them.
"""

from __future__ import annotations

from cluster.core.protobuf.message import INT, INT_OR_STRING, QUANTITY, TIME, F, b, i, m, message, qmap, rm, rs, s, smap

META = "meta.v1.ObjectMeta"

message("core.v1.Pod", {1: m("metadata", META), 2: m("spec", "core.v1.PodSpec"), 3: m("status", "core.v1.PodStatus")})
message("core.v1.PodTemplateSpec", {1: m("metadata", META), 2: m("spec", "core.v1.PodSpec")})
message(
    "core.v1.PodSpec",
    {
        1: rm("volumes", "core.v1.Volume"),
        2: rm("containers", "core.v1.Container"),
        3: s("restartPolicy"),
        4: i("terminationGracePeriodSeconds", keep=True),
        5: i("activeDeadlineSeconds", keep=True),
        6: s("dnsPolicy"),
        7: smap("nodeSelector"),
        8: s("serviceAccountName"),
        9: s("serviceAccount"),
        10: s("nodeName"),
        11: b("hostNetwork"),
        12: b("hostPID"),
        13: b("hostIPC"),
        15: rm("imagePullSecrets", "core.v1.LocalObjectReference"),
        16: s("hostname"),
        17: s("subdomain"),
        19: s("schedulerName"),
        20: rm("initContainers", "core.v1.Container"),
        21: b("automountServiceAccountToken", keep=True),
        22: rm("tolerations", "core.v1.Toleration"),
        24: s("priorityClassName"),
        25: i("priority", keep=True),
        27: b("shareProcessNamespace", keep=True),
        28: rm("readinessGates", "core.v1.PodReadinessGate"),
        29: s("runtimeClassName", keep=True),
        30: b("enableServiceLinks", keep=True),
        31: s("preemptionPolicy", keep=True),
        35: b("setHostnameAsFQDN", keep=True),
        36: m("os", "core.v1.PodOS"),
        37: b("hostUsers", keep=True),
        38: rm("schedulingGates", "core.v1.PodSchedulingGate"),
    },
)
message("core.v1.PodOS", {1: s("name")})
message("core.v1.PodSchedulingGate", {1: s("name")})
message("core.v1.PodReadinessGate", {1: s("conditionType")})
message("core.v1.LocalObjectReference", {1: s("name")})
message(
    "core.v1.Toleration",
    {1: s("key"), 2: s("operator"), 3: s("value"), 4: s("effect"), 5: i("tolerationSeconds", keep=True)},
)
message(
    "core.v1.PodStatus",
    {
        1: s("phase"),
        2: rm("conditions", "core.v1.PodCondition"),
        3: s("message"),
        4: s("reason"),
        5: s("hostIP"),
        6: s("podIP"),
        7: F("startTime", TIME),
        9: s("qosClass"),
        11: s("nominatedNodeName"),
        12: rm("podIPs", "core.v1.PodIP"),
    },
)
message(
    "core.v1.PodCondition",
    {
        1: s("type"),
        2: s("status"),
        3: F("lastProbeTime", TIME),
        4: F("lastTransitionTime", TIME),
        5: s("reason"),
        6: s("message"),
    },
)
message("core.v1.PodIP", {1: s("ip")})

# -- containers -------------------------------------------------------------------------------------------------
message(
    "core.v1.Container",
    {
        1: s("name"),
        2: s("image"),
        3: rs("command"),
        4: rs("args"),
        5: s("workingDir"),
        6: rm("ports", "core.v1.ContainerPort"),
        7: rm("env", "core.v1.EnvVar"),
        8: m("resources", "core.v1.ResourceRequirements"),
        9: rm("volumeMounts", "core.v1.VolumeMount"),
        10: m("livenessProbe", "core.v1.Probe"),
        11: m("readinessProbe", "core.v1.Probe"),
        13: s("terminationMessagePath"),
        14: s("imagePullPolicy"),
        16: b("stdin"),
        17: b("stdinOnce"),
        18: b("tty"),
        19: rm("envFrom", "core.v1.EnvFromSource"),
        20: s("terminationMessagePolicy"),
        22: m("startupProbe", "core.v1.Probe"),
        24: s("restartPolicy", keep=True),
    },
)
message(
    "core.v1.ContainerPort", {1: s("name"), 2: i("hostPort"), 3: i("containerPort"), 4: s("protocol"), 5: s("hostIP")}
)
message("core.v1.EnvVar", {1: s("name"), 2: s("value"), 3: m("valueFrom", "core.v1.EnvVarSource")})
message(
    "core.v1.EnvVarSource",
    {
        1: m("fieldRef", "core.v1.ObjectFieldSelector"),
        2: m("resourceFieldRef", "core.v1.ResourceFieldSelector"),
        3: m("configMapKeyRef", "core.v1.ConfigMapKeySelector"),
        4: m("secretKeyRef", "core.v1.SecretKeySelector"),
    },
)
message("core.v1.ObjectFieldSelector", {1: s("apiVersion"), 2: s("fieldPath")})
message("core.v1.ResourceFieldSelector", {1: s("containerName"), 2: s("resource"), 3: F("divisor", QUANTITY)})
KEY_SELECTOR = {1: m("", "core.v1.LocalObjectReference", inline=True), 2: s("key"), 3: b("optional", keep=True)}
message("core.v1.ConfigMapKeySelector", KEY_SELECTOR)
message("core.v1.SecretKeySelector", KEY_SELECTOR)
message(
    "core.v1.EnvFromSource",
    {1: s("prefix"), 2: m("configMapRef", "core.v1.ConfigMapEnvSource"), 3: m("secretRef", "core.v1.SecretEnvSource")},
)
ENV_SOURCE = {1: m("", "core.v1.LocalObjectReference", inline=True), 2: b("optional", keep=True)}
message("core.v1.ConfigMapEnvSource", ENV_SOURCE)
message("core.v1.SecretEnvSource", ENV_SOURCE)
message(
    "core.v1.ResourceRequirements", {1: qmap("limits"), 2: qmap("requests"), 3: rm("claims", "core.v1.ResourceClaim")}
)
message("core.v1.ResourceClaim", {1: s("name"), 2: s("request")})
message(
    "core.v1.VolumeMount",
    {
        1: s("name"),
        2: b("readOnly"),
        3: s("mountPath"),
        4: s("subPath"),
        5: s("mountPropagation", keep=True),
        6: s("subPathExpr"),
        7: s("recursiveReadOnly", keep=True),
    },
)
message(
    "core.v1.Probe",
    {
        1: m("", "core.v1.ProbeHandler", inline=True),
        2: i("initialDelaySeconds"),
        3: i("timeoutSeconds"),
        4: i("periodSeconds"),
        5: i("successThreshold"),
        6: i("failureThreshold"),
        7: i("terminationGracePeriodSeconds", keep=True),
    },
)
message(
    "core.v1.ProbeHandler",
    {
        1: m("exec", "core.v1.ExecAction"),
        2: m("httpGet", "core.v1.HTTPGetAction"),
        3: m("tcpSocket", "core.v1.TCPSocketAction"),
        4: m("grpc", "core.v1.GRPCAction"),
    },
)
message("core.v1.ExecAction", {1: rs("command")})
message(
    "core.v1.HTTPGetAction",
    {
        1: s("path"),
        2: F("port", INT_OR_STRING),
        3: s("host"),
        4: s("scheme"),
        5: rm("httpHeaders", "core.v1.HTTPHeader"),
    },
)
message("core.v1.HTTPHeader", {1: s("name"), 2: s("value")})
message("core.v1.TCPSocketAction", {1: F("port", INT_OR_STRING), 2: s("host")})
message("core.v1.GRPCAction", {1: i("port"), 2: s("service", keep=True)})

# -- volumes (the sources a learner's manifests use) --------------------------------------------------------------
message("core.v1.Volume", {1: s("name"), 2: m("", "core.v1.VolumeSource", inline=True)})
message(
    "core.v1.VolumeSource",
    {
        1: m("hostPath", "core.v1.HostPathVolumeSource"),
        2: m("emptyDir", "core.v1.EmptyDirVolumeSource"),
        6: m("secret", "core.v1.SecretVolumeSource"),
        10: m("persistentVolumeClaim", "core.v1.PersistentVolumeClaimVolumeSource"),
        19: m("configMap", "core.v1.ConfigMapVolumeSource"),
    },
)
message("core.v1.HostPathVolumeSource", {1: s("path"), 2: s("type", keep=True)})
message("core.v1.EmptyDirVolumeSource", {1: s("medium"), 2: F("sizeLimit", QUANTITY)})
message("core.v1.KeyToPath", {1: s("key"), 2: s("path"), 3: i("mode", keep=True)})
message(
    "core.v1.SecretVolumeSource",
    {
        1: s("secretName"),
        2: rm("items", "core.v1.KeyToPath"),
        3: i("defaultMode", keep=True),
        4: b("optional", keep=True),
    },
)
message(
    "core.v1.ConfigMapVolumeSource",
    {
        1: m("", "core.v1.LocalObjectReference", inline=True),
        2: rm("items", "core.v1.KeyToPath"),
        3: i("defaultMode", keep=True),
        4: b("optional", keep=True),
    },
)
message("core.v1.PersistentVolumeClaimVolumeSource", {1: s("claimName"), 2: b("readOnly")})

# -- services, namespaces, config maps, bindings -------------------------------------------------------------------
message(
    "core.v1.Service",
    {1: m("metadata", META), 2: m("spec", "core.v1.ServiceSpec"), 3: m("status", "core.v1.ServiceStatus")},
)
message(
    "core.v1.ServiceSpec",
    {
        1: rm("ports", "core.v1.ServicePort"),
        2: smap("selector"),
        3: s("clusterIP"),
        4: s("type"),
        5: rs("externalIPs"),
        7: s("sessionAffinity"),
        8: s("loadBalancerIP"),
        9: rs("loadBalancerSourceRanges"),
        10: s("externalName"),
        11: s("externalTrafficPolicy"),
        12: i("healthCheckNodePort"),
        13: b("publishNotReadyAddresses"),
        14: m("sessionAffinityConfig", "core.v1.SessionAffinityConfig"),
        17: s("ipFamilyPolicy", keep=True),
        18: rs("clusterIPs"),
        19: rs("ipFamilies"),
        20: b("allocateLoadBalancerNodePorts", keep=True),
        21: s("loadBalancerClass", keep=True),
        22: s("internalTrafficPolicy", keep=True),
        23: s("trafficDistribution", keep=True),
    },
)
message(
    "core.v1.ServicePort",
    {
        1: s("name"),
        2: s("protocol"),
        3: i("port"),
        4: F("targetPort", INT_OR_STRING),
        5: i("nodePort"),
        6: s("appProtocol", keep=True),
    },
)
message("core.v1.SessionAffinityConfig", {1: m("clientIP", "core.v1.ClientIPConfig")})
message("core.v1.ClientIPConfig", {1: F("timeoutSeconds", INT, keep_zero=True)})
message(
    "core.v1.ServiceStatus",
    {1: m("loadBalancer", "core.v1.LoadBalancerStatus"), 2: rm("conditions", "meta.v1.Condition")},
)
message("core.v1.LoadBalancerStatus", {1: rm("ingress", "core.v1.LoadBalancerIngress")})
message("core.v1.LoadBalancerIngress", {1: s("ip"), 2: s("hostname")})
message(
    "core.v1.Namespace",
    {1: m("metadata", META), 2: m("spec", "core.v1.NamespaceSpec"), 3: m("status", "core.v1.NamespaceStatus")},
)
message("core.v1.NamespaceSpec", {1: rs("finalizers")})
message("core.v1.NamespaceStatus", {1: s("phase"), 2: rm("conditions", "core.v1.NamespaceCondition")})
message(
    "core.v1.NamespaceCondition",
    {1: s("type"), 2: s("status"), 4: F("lastTransitionTime", TIME), 5: s("reason"), 6: s("message")},
)
message(
    "core.v1.ConfigMap",
    {1: m("metadata", META), 2: smap("data"), 3: F("binaryData", map_of="bytes"), 4: b("immutable", keep=True)},
)
message("core.v1.Binding", {1: m("metadata", META), 2: m("target", "core.v1.ObjectReference")})
message(
    "core.v1.ObjectReference",
    {
        1: s("kind"),
        2: s("namespace"),
        3: s("name"),
        4: s("uid"),
        5: s("apiVersion"),
        6: s("resourceVersion"),
        7: s("fieldPath"),
    },
)
