"""Core kinds other than Pod: Service, Namespace, Node, Endpoints, Event, ConfigMap (core/v1)."""

from __future__ import annotations

from cluster.core.schema.container import PROTOCOLS
from cluster.core.schema.meta import (
    CONDITION,
    INT_OR_STRING,
    MICRO_TIME,
    QUANTITY,
    STRING_MAP,
    STRINGS,
    TIME,
    kind_header,
)
from cluster.core.schema.model import define, define_kind, f, list_of, map_of
from cluster.core.schema.pod import TAINT_EFFECTS

CORE = "io.k8s.api.core.v1."
SERVICE_TYPES = ("ClusterIP", "ExternalName", "LoadBalancer", "NodePort")

OBJECT_REFERENCE = define(
    CORE + "ObjectReference",
    "A reference to an object, possibly to a field within it.",
    f("apiVersion", "string", "API version of the referent."),
    f("fieldPath", "string", "A field within the object, e.g. spec.containers{web}."),
    f("kind", "string", "Kind of the referent."),
    f("name", "string", "Name of the referent."),
    f("namespace", "string", "Namespace of the referent."),
    f("resourceVersion", "string", "Version of the referent this reference was made for."),
    f("uid", "string", "UID of the referent."),
)

# -- Service -------------------------------------------------------------------------------------------------
_SERVICE_PORT = define(
    CORE + "ServicePort",
    "A port the Service exposes and where it sends the traffic.",
    f("appProtocol", "string", "Application protocol hint, e.g. http or kubernetes.io/h2c."),
    f("name", "string", "DNS label naming the port; required when there is more than one port."),
    f("nodePort", "integer", "Port opened on every node for NodePort and LoadBalancer Services; allocated if 0."),
    f("port", "integer", "Port the Service listens on.", required=True),
    f("protocol", "string", "TCP, UDP or SCTP. Defaults to TCP.", enum=PROTOCOLS),
    f("targetPort", INT_OR_STRING, "Port number or name on the pods. Defaults to port."),
)
_CLIENT_IP = define(
    CORE + "ClientIPConfig",
    "Settings of ClientIP session affinity.",
    f("timeoutSeconds", "integer", "Seconds a client sticks to one endpoint (1-86400). Defaults to 10800."),
)
_SESSION_AFFINITY_CONFIG = define(
    CORE + "SessionAffinityConfig",
    "Settings of session affinity.",
    f("clientIP", _CLIENT_IP, "Settings of ClientIP affinity."),
)
_PORT_STATUS = define(
    CORE + "PortStatus",
    "Status of one load-balancer port.",
    f("error", "string", "Problem with the port, if any."),
    f("port", "integer", "Port number.", required=True),
    f("protocol", "string", "TCP, UDP or SCTP.", required=True, enum=PROTOCOLS),
)
_LB_INGRESS = define(
    CORE + "LoadBalancerIngress",
    "An ingress point of a load balancer.",
    f("hostname", "string", "DNS name of the ingress point."),
    f("ip", "string", "IP of the ingress point."),
    f("ipMode", "string", "VIP or Proxy: how traffic reaches the node."),
    f("ports", list_of(_PORT_STATUS), "Status of the ports."),
)
LOAD_BALANCER_STATUS = define(
    CORE + "LoadBalancerStatus",
    "Status of a load balancer.",
    f("ingress", list_of(_LB_INGRESS), "Ingress points of the load balancer."),
)
_SERVICE_SPEC = define(
    CORE + "ServiceSpec",
    "How a Service selects pods and exposes them.",
    f("allocateLoadBalancerNodePorts", "boolean", "Allocate node ports for a LoadBalancer. Defaults to true."),
    f("clusterIP", "string", 'Virtual IP of the Service; allocated when empty, "None" for headless. Immutable.'),
    f("clusterIPs", STRINGS, "Virtual IPs of the Service, primary first. Immutable once allocated."),
    f("externalIPs", STRINGS, "Extra IPs nodes accept traffic for; not managed by Kubernetes."),
    f("externalName", "string", "DNS name returned as a CNAME for type ExternalName."),
    f(
        "externalTrafficPolicy",
        "string",
        "Cluster or Local: whether external traffic may hop to other nodes.",
        enum=("Cluster", "Local"),
    ),
    f("healthCheckNodePort", "integer", "Node port for load-balancer health checks with policy Local."),
    f(
        "internalTrafficPolicy",
        "string",
        "Cluster or Local: where in-cluster traffic may go.",
        enum=("Cluster", "Local"),
    ),
    f("ipFamilies", STRINGS, "IP families of the Service, IPv4 and/or IPv6."),
    f(
        "ipFamilyPolicy",
        "string",
        "SingleStack, PreferDualStack or RequireDualStack.",
        enum=("PreferDualStack", "RequireDualStack", "SingleStack"),
    ),
    f("loadBalancerClass", "string", "Which load-balancer implementation handles the Service."),
    f("loadBalancerIP", "string", "Deprecated: requested load-balancer IP."),
    f("loadBalancerSourceRanges", STRINGS, "Client CIDRs allowed through the load balancer."),
    f("ports", list_of(_SERVICE_PORT), "Ports the Service exposes."),
    f("publishNotReadyAddresses", "boolean", "Include not-ready pods in the endpoints."),
    f("selector", STRING_MAP, "Pods with these labels receive the traffic; no endpoints are managed if empty."),
    f("sessionAffinity", "string", "ClientIP or None. Defaults to None.", enum=("ClientIP", "None")),
    f("sessionAffinityConfig", _SESSION_AFFINITY_CONFIG, "Settings of session affinity."),
    f("trafficDistribution", "string", "Preference for how traffic is spread, e.g. PreferClose."),
    f(
        "type",
        "string",
        "ClusterIP, NodePort, LoadBalancer or ExternalName. Defaults to ClusterIP.",
        enum=SERVICE_TYPES,
    ),
)
_SERVICE_STATUS = define(
    CORE + "ServiceStatus",
    "Most recently observed state of the Service.",
    f("conditions", list_of(CONDITION), "Current conditions."),
    f("loadBalancer", LOAD_BALANCER_STATUS, "Status of the load balancer, if any."),
)
SERVICE = define_kind(
    CORE + "Service",
    "A named abstraction of a set of pods: a stable virtual IP and DNS name with load balancing.",
    ("", "v1", "Service"),
    *kind_header(),
    f("spec", _SERVICE_SPEC, "Desired behavior of the Service."),
    f("status", _SERVICE_STATUS, "Most recently observed status of the Service. Read-only."),
)

# -- Namespace -----------------------------------------------------------------------------------------------
_NAMESPACE_CONDITION = define(
    CORE + "NamespaceCondition",
    "One aspect of the namespace's state.",
    f("lastTransitionTime", TIME, "When the condition last changed."),
    f("message", "string", "Human-readable details."),
    f("reason", "string", "CamelCase reason."),
    f("status", "string", "True, False or Unknown.", required=True),
    f("type", "string", "Type of the condition.", required=True),
)
NAMESPACE = define_kind(
    CORE + "Namespace",
    "A scope for names; most objects live in exactly one namespace.",
    ("", "v1", "Namespace"),
    *kind_header(),
    f(
        "spec",
        define(
            CORE + "NamespaceSpec",
            "Desired state of the namespace.",
            f("finalizers", STRINGS, "Finalizers that must be cleared before the namespace is removed."),
        ),
        "Desired state of the namespace.",
    ),
    f(
        "status",
        define(
            CORE + "NamespaceStatus",
            "Observed state of the namespace.",
            f("conditions", list_of(_NAMESPACE_CONDITION), "Current conditions."),
            f("phase", "string", "Active or Terminating.", enum=("Active", "Terminating")),
        ),
        "Observed state of the namespace. Read-only.",
    ),
)

# -- ConfigMap -----------------------------------------------------------------------------------------------
CONFIG_MAP = define_kind(
    CORE + "ConfigMap",
    "Non-confidential configuration data as key/value pairs.",
    ("", "v1", "ConfigMap"),
    *kind_header(),
    f("binaryData", map_of("string"), "Binary values, base64-encoded; keys must not clash with data."),
    f("data", STRING_MAP, "UTF-8 values; keys consist of alphanumerics, '-', '_' or '.'."),
    f("immutable", "boolean", "When true, data cannot be changed anymore."),
)

# -- Endpoints -----------------------------------------------------------------------------------------------
_ENDPOINT_ADDRESS = define(
    CORE + "EndpointAddress",
    "One address of an endpoint.",
    f("hostname", "string", "Hostname of the endpoint."),
    f("ip", "string", "IP of the endpoint.", required=True),
    f("nodeName", "string", "Node hosting the endpoint."),
    f("targetRef", OBJECT_REFERENCE, "The object (pod) providing the endpoint."),
)
_ENDPOINT_PORT = define(
    CORE + "EndpointPort",
    "One port of an endpoint.",
    f("appProtocol", "string", "Application protocol hint."),
    f("name", "string", "Name, matching the Service port name."),
    f("port", "integer", "Port number.", required=True),
    f("protocol", "string", "TCP, UDP or SCTP.", enum=PROTOCOLS),
)
_ENDPOINT_SUBSET = define(
    CORE + "EndpointSubset",
    "Addresses that share the same ports.",
    f("addresses", list_of(_ENDPOINT_ADDRESS), "Ready addresses."),
    f("notReadyAddresses", list_of(_ENDPOINT_ADDRESS), "Addresses not ready to receive traffic."),
    f("ports", list_of(_ENDPOINT_PORT), "Ports available on the addresses."),
)
ENDPOINTS = define_kind(
    CORE + "Endpoints",
    "The addresses that implement a Service; superseded by EndpointSlices.",
    ("", "v1", "Endpoints"),
    *kind_header(),
    f("subsets", list_of(_ENDPOINT_SUBSET), "Groups of addresses and ports."),
)

# -- Event ---------------------------------------------------------------------------------------------------
_EVENT_SERIES = define(
    CORE + "EventSeries",
    "A series of repeated events.",
    f("count", "integer", "Occurrences in the series so far."),
    f("lastObservedTime", MICRO_TIME, "When the last occurrence was seen."),
)
_EVENT_SOURCE = define(
    CORE + "EventSource",
    "Who reported an event.",
    f("component", "string", "Component that generated the event."),
    f("host", "string", "Node name on which the event was generated."),
)
EVENT = define_kind(
    CORE + "Event",
    "A report of something that happened to an object.",
    ("", "v1", "Event"),
    *kind_header(),
    f("action", "string", "What action was taken or failed."),
    f("count", "integer", "How many times the event occurred."),
    f("eventTime", MICRO_TIME, "When the event first occurred."),
    f("firstTimestamp", TIME, "When the event was first recorded."),
    f("involvedObject", OBJECT_REFERENCE, "The object the event is about.", required=True),
    f("lastTimestamp", TIME, "When the event most recently occurred."),
    f("message", "string", "Human-readable description."),
    f("reason", "string", "Short machine-readable reason, e.g. Scheduled."),
    f("related", OBJECT_REFERENCE, "A second object involved."),
    f("reportingComponent", "string", "Controller that emitted the event."),
    f("reportingInstance", "string", "Instance of the controller."),
    f("series", _EVENT_SERIES, "Data about a series of events."),
    f("source", _EVENT_SOURCE, "Component that reported the event."),
    f("type", "string", "Normal or Warning."),
)

# -- Node ----------------------------------------------------------------------------------------------------
_TAINT = define(
    CORE + "Taint",
    "Repels pods that do not tolerate it.",
    f("effect", "string", "NoSchedule, PreferNoSchedule or NoExecute.", required=True, enum=TAINT_EFFECTS),
    f("key", "string", "Taint key.", required=True),
    f("timeAdded", TIME, "When a NoExecute taint was added."),
    f("value", "string", "Taint value."),
)
_CM_NODE_SOURCE = define(
    CORE + "ConfigMapNodeConfigSource",
    "Deprecated: a ConfigMap holding kubelet configuration.",
    f("kubeletConfigKey", "string", "Key of the configuration.", required=True),
    f("name", "string", "Name of the ConfigMap.", required=True),
    f("namespace", "string", "Namespace of the ConfigMap.", required=True),
    f("resourceVersion", "string", "Version of the ConfigMap."),
    f("uid", "string", "UID of the ConfigMap."),
)
_NODE_CONFIG_SOURCE = define(
    CORE + "NodeConfigSource",
    "Deprecated: source of dynamic kubelet configuration.",
    f("configMap", _CM_NODE_SOURCE, "ConfigMap source."),
)
_NODE_SPEC = define(
    CORE + "NodeSpec",
    "Desired state of a node.",
    f("configSource", _NODE_CONFIG_SOURCE, "Deprecated; unused."),
    f("externalID", "string", "Deprecated; unused."),
    f("podCIDR", "string", "Pod IP range assigned to the node."),
    f("podCIDRs", STRINGS, "Pod IP ranges assigned to the node, one per family."),
    f("providerID", "string", "Cloud provider id of the node."),
    f("taints", list_of(_TAINT), "Taints of the node."),
    f("unschedulable", "boolean", "Cordoned: no new pods are scheduled onto the node."),
)
_NODE_ADDRESS = define(
    CORE + "NodeAddress",
    "An address of the node.",
    f("address", "string", "The address.", required=True),
    f("type", "string", "Hostname, InternalIP, ExternalIP, InternalDNS or ExternalDNS.", required=True),
)
_NODE_CONDITION = define(
    CORE + "NodeCondition",
    "One aspect of the node's state, such as Ready or MemoryPressure.",
    f("lastHeartbeatTime", TIME, "When the kubelet last reported the condition."),
    f("lastTransitionTime", TIME, "When the condition last changed status."),
    f("message", "string", "Human-readable details."),
    f("reason", "string", "CamelCase reason."),
    f("status", "string", "True, False or Unknown.", required=True),
    f("type", "string", "Type of the condition.", required=True),
)
_NODE_STATUS_SOURCES = define(
    CORE + "NodeConfigStatus",
    "Deprecated: status of dynamic kubelet configuration.",
    f("active", _NODE_CONFIG_SOURCE, "Configuration in use."),
    f("assigned", _NODE_CONFIG_SOURCE, "Configuration assigned."),
    f("error", "string", "Problems with the configuration."),
    f("lastKnownGood", _NODE_CONFIG_SOURCE, "Last configuration known to work."),
)
_DAEMON_ENDPOINT = define(
    CORE + "DaemonEndpoint",
    "A port of a node daemon.",
    f("Port", "integer", "Port number.", required=True),
)
_NODE_DAEMON_ENDPOINTS = define(
    CORE + "NodeDaemonEndpoints",
    "Ports of the daemons on the node.",
    f("kubeletEndpoint", _DAEMON_ENDPOINT, "Port the kubelet listens on."),
)
_NODE_INFO = define(
    CORE + "NodeSystemInfo",
    "Facts about the node reported by the kubelet.",
    f("architecture", "string", "CPU architecture.", required=True),
    f("bootID", "string", "Boot id.", required=True),
    f("containerRuntimeVersion", "string", "Runtime name and version, e.g. containerd://1.7.22.", required=True),
    f("kernelVersion", "string", "Kernel version.", required=True),
    f("kubeProxyVersion", "string", "Deprecated: kube-proxy version.", required=True),
    f("kubeletVersion", "string", "Kubelet version.", required=True),
    f("machineID", "string", "Machine id.", required=True),
    f("operatingSystem", "string", "Operating system.", required=True),
    f("osImage", "string", "OS image, e.g. Ubuntu 24.04 LTS.", required=True),
    f("systemUUID", "string", "System UUID.", required=True),
)
_CONTAINER_IMAGE = define(
    CORE + "ContainerImage",
    "An image present on the node.",
    f("names", STRINGS, "Names and digests of the image."),
    f("sizeBytes", "integer", "Size in bytes."),
)
_ATTACHED_VOLUME = define(
    CORE + "AttachedVolume",
    "A volume attached to the node.",
    f("devicePath", "string", "Where the volume is available.", required=True),
    f("name", "string", "Name of the volume.", required=True),
)
_RUNTIME_FEATURES = define(
    CORE + "NodeRuntimeHandlerFeatures",
    "Features of a runtime handler.",
    f("recursiveReadOnlyMounts", "boolean", "Supports recursive read-only mounts."),
    f("userNamespaces", "boolean", "Supports user namespaces."),
)
_RUNTIME_HANDLER = define(
    CORE + "NodeRuntimeHandler",
    "A runtime handler of the node.",
    f("features", _RUNTIME_FEATURES, "Supported features."),
    f("name", "string", "Handler name; empty for the default."),
)
_NODE_FEATURES = define(
    CORE + "NodeFeatures",
    "Features the node supports.",
    f("supplementalGroupsPolicy", "boolean", "Supports supplementalGroupsPolicy."),
)
_NODE_STATUS = define(
    CORE + "NodeStatus",
    "Most recently observed state of the node.",
    f("addresses", list_of(_NODE_ADDRESS), "Addresses of the node."),
    f("allocatable", map_of(QUANTITY), "Resources available to pods. Defaults to capacity."),
    f("capacity", map_of(QUANTITY), "Total resources of the node."),
    f("conditions", list_of(_NODE_CONDITION), "Current conditions."),
    f("config", _NODE_STATUS_SOURCES, "Deprecated; unused."),
    f("daemonEndpoints", _NODE_DAEMON_ENDPOINTS, "Ports of daemons on the node."),
    f("features", _NODE_FEATURES, "Features the node supports."),
    f("images", list_of(_CONTAINER_IMAGE), "Images present on the node."),
    f("nodeInfo", _NODE_INFO, "Facts about the node."),
    f("phase", "string", "Deprecated; unused.", enum=("Pending", "Running", "Terminated")),
    f("runtimeHandlers", list_of(_RUNTIME_HANDLER), "Available runtime handlers."),
    f("volumesAttached", list_of(_ATTACHED_VOLUME), "Volumes attached to the node."),
    f("volumesInUse", STRINGS, "Volumes in use (mounted) on the node."),
)
NODE = define_kind(
    CORE + "Node",
    "A worker machine in the cluster.",
    ("", "v1", "Node"),
    *kind_header(),
    f("spec", _NODE_SPEC, "Desired state of the node."),
    f("status", _NODE_STATUS, "Most recently observed status of the node. Read-only."),
)
