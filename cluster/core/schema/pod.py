"""Pod, PodSpec and PodTemplateSpec, scheduling constraints and pod status (core/v1)."""

from __future__ import annotations

from cluster.core.schema.container import (
    APP_ARMOR_PROFILE,
    CONTAINER,
    EPHEMERAL_CONTAINER,
    RESOURCE_REQUIREMENTS,
    SE_LINUX_OPTIONS,
    SECCOMP_PROFILE,
    WINDOWS_OPTIONS,
)
from cluster.core.schema.meta import LABEL_SELECTOR, OBJECT_META, QUANTITY, STRING_MAP, STRINGS
from cluster.core.schema.model import define, f, list_of, map_of
from cluster.core.schema.volumes import LOCAL_OBJECT_REFERENCE, VOLUME

CORE = "io.k8s.api.core.v1."
RESTART_POLICIES = ("Always", "Never", "OnFailure")
DNS_POLICIES = ("ClusterFirst", "ClusterFirstWithHostNet", "Default", "None")
TAINT_EFFECTS = ("NoExecute", "NoSchedule", "PreferNoSchedule")

_NODE_SELECTOR_REQUIREMENT = define(
    CORE + "NodeSelectorRequirement",
    "A key, an operator and values a node label or field must satisfy.",
    f("key", "string", "The label key.", required=True),
    f("operator", "string", "In, NotIn, Exists, DoesNotExist, Gt or Lt.", required=True),
    f("values", STRINGS, "Values; one integer for Gt and Lt, empty for Exists and DoesNotExist."),
)
_NODE_SELECTOR_TERM = define(
    CORE + "NodeSelectorTerm",
    "Requirements that are ANDed; a null or empty term matches no node.",
    f("matchExpressions", list_of(_NODE_SELECTOR_REQUIREMENT), "Requirements on node labels."),
    f("matchFields", list_of(_NODE_SELECTOR_REQUIREMENT), "Requirements on node fields (metadata.name)."),
)
_NODE_SELECTOR = define(
    CORE + "NodeSelector",
    "Terms that are ORed together.",
    f("nodeSelectorTerms", list_of(_NODE_SELECTOR_TERM), "The terms; at least one must match.", required=True),
)
_PREFERRED_TERM = define(
    CORE + "PreferredSchedulingTerm",
    "A weighted node preference.",
    f("preference", _NODE_SELECTOR_TERM, "The node selector term.", required=True),
    f("weight", "integer", "Weight from 1 to 100.", required=True),
)
_NODE_AFFINITY = define(
    CORE + "NodeAffinity",
    "Rules on which nodes the pod may or should run.",
    f("preferredDuringSchedulingIgnoredDuringExecution", list_of(_PREFERRED_TERM), "Soft preferences."),
    f("requiredDuringSchedulingIgnoredDuringExecution", _NODE_SELECTOR, "Hard requirement at scheduling time."),
)
_POD_AFFINITY_TERM = define(
    CORE + "PodAffinityTerm",
    "Pods (by label) that must or must not run in the same topology domain.",
    f("labelSelector", LABEL_SELECTOR, "Which pods the term is about."),
    f("matchLabelKeys", STRINGS, "Label keys whose values are copied from this pod into the selector."),
    f("mismatchLabelKeys", STRINGS, "Label keys whose values must differ from this pod's."),
    f("namespaceSelector", LABEL_SELECTOR, "Namespaces the term applies to."),
    f("namespaces", STRINGS, "Namespace names the term applies to; the pod's own when empty."),
    f("topologyKey", "string", "Node label defining the domain, e.g. kubernetes.io/hostname.", required=True),
)
_WEIGHTED_TERM = define(
    CORE + "WeightedPodAffinityTerm",
    "A weighted pod affinity term.",
    f("podAffinityTerm", _POD_AFFINITY_TERM, "The term.", required=True),
    f("weight", "integer", "Weight from 1 to 100.", required=True),
)
_POD_AFFINITY_DOC = ("Soft preferences.", "Hard requirements at scheduling time.")
_POD_AFFINITY = define(
    CORE + "PodAffinity",
    "Co-locate the pod with other pods.",
    f("preferredDuringSchedulingIgnoredDuringExecution", list_of(_WEIGHTED_TERM), _POD_AFFINITY_DOC[0]),
    f("requiredDuringSchedulingIgnoredDuringExecution", list_of(_POD_AFFINITY_TERM), _POD_AFFINITY_DOC[1]),
)
_POD_ANTI_AFFINITY = define(
    CORE + "PodAntiAffinity",
    "Keep the pod away from other pods.",
    f("preferredDuringSchedulingIgnoredDuringExecution", list_of(_WEIGHTED_TERM), _POD_AFFINITY_DOC[0]),
    f("requiredDuringSchedulingIgnoredDuringExecution", list_of(_POD_AFFINITY_TERM), _POD_AFFINITY_DOC[1]),
)
AFFINITY = define(
    CORE + "Affinity",
    "Scheduling constraints relative to nodes and to other pods.",
    f("nodeAffinity", _NODE_AFFINITY, "Node affinity rules."),
    f("podAffinity", _POD_AFFINITY, "Pod affinity rules."),
    f("podAntiAffinity", _POD_ANTI_AFFINITY, "Pod anti-affinity rules."),
)
TOLERATION = define(
    CORE + "Toleration",
    "Lets the pod schedule onto (or stay on) nodes with a matching taint.",
    f("effect", "string", "Taint effect to match; empty matches all.", enum=TAINT_EFFECTS),
    f("key", "string", "Taint key to match; empty with operator Exists matches every taint."),
    f("operator", "string", "Exists or Equal. Defaults to Equal.", enum=("Equal", "Exists")),
    f("tolerationSeconds", "integer", "For NoExecute: how long the pod stays bound after the taint appears."),
    f("value", "string", "Taint value to match; empty for Exists."),
)
_TOPOLOGY_SPREAD = define(
    CORE + "TopologySpreadConstraint",
    "How to spread matching pods across topology domains.",
    f("labelSelector", LABEL_SELECTOR, "Which pods are counted."),
    f("matchLabelKeys", STRINGS, "Label keys whose values are copied from this pod into the selector."),
    f("maxSkew", "integer", "Largest allowed difference in pod count between domains.", required=True),
    f("minDomains", "integer", "Minimum number of eligible domains."),
    f("nodeAffinityPolicy", "string", "Honor or Ignore the pod's node affinity when counting."),
    f("nodeTaintsPolicy", "string", "Honor or Ignore node taints when counting."),
    f("topologyKey", "string", "Node label defining the domains.", required=True),
    f(
        "whenUnsatisfiable",
        "string",
        "DoNotSchedule or ScheduleAnyway.",
        required=True,
        enum=("DoNotSchedule", "ScheduleAnyway"),
    ),
)
_DNS_OPTION = define(
    CORE + "PodDNSConfigOption",
    "A resolver option.",
    f("name", "string", "Option name."),
    f("value", "string", "Option value."),
)
_DNS_CONFIG = define(
    CORE + "PodDNSConfig",
    "Extra DNS settings merged into the generated resolv.conf.",
    f("nameservers", STRINGS, "Additional name server IPs."),
    f("options", list_of(_DNS_OPTION), "Resolver options."),
    f("searches", STRINGS, "Additional search domains."),
)
_HOST_ALIAS = define(
    CORE + "HostAlias",
    "An /etc/hosts entry.",
    f("hostnames", STRINGS, "Host names for the IP."),
    f("ip", "string", "IP address.", required=True),
)
_SYSCTL = define(
    CORE + "Sysctl",
    "A kernel parameter to set.",
    f("name", "string", "Parameter name.", required=True),
    f("value", "string", "Parameter value.", required=True),
)
_POD_SECURITY_CONTEXT = define(
    CORE + "PodSecurityContext",
    "Security settings for every container of the pod.",
    f("appArmorProfile", APP_ARMOR_PROFILE, "AppArmor profile for all containers."),
    f("fsGroup", "integer", "Supplementary group that owns the pod's volumes."),
    f("fsGroupChangePolicy", "string", "OnRootMismatch or Always: when to change volume ownership."),
    f("runAsGroup", "integer", "GID to run container entrypoints as."),
    f("runAsNonRoot", "boolean", "Refuse to start containers that would run as UID 0."),
    f("runAsUser", "integer", "UID to run container entrypoints as."),
    f("seLinuxChangePolicy", "string", "How the SELinux label is applied to volumes: MountOption or Recursive."),
    f("seLinuxOptions", SE_LINUX_OPTIONS, "SELinux context for all containers."),
    f("seccompProfile", SECCOMP_PROFILE, "Seccomp profile for all containers."),
    f("supplementalGroups", list_of("integer"), "Additional groups for the first process of each container."),
    f("supplementalGroupsPolicy", "string", "Merge or Strict: how supplemental groups are computed."),
    f("sysctls", list_of(_SYSCTL), "Namespaced kernel parameters."),
    f("windowsOptions", WINDOWS_OPTIONS, "Windows-specific settings."),
)
_POD_OS = define(
    CORE + "PodOS",
    "The operating system the pod needs.",
    f("name", "string", "linux or windows.", required=True),
)
_READINESS_GATE = define(
    CORE + "PodReadinessGate",
    "An extra condition that must be True for the pod to be ready.",
    f("conditionType", "string", "Type of a condition in the pod's condition list.", required=True),
)
_SCHEDULING_GATE = define(
    CORE + "PodSchedulingGate",
    "Holds the pod back from scheduling while present.",
    f("name", "string", "Name of the gate.", required=True),
)
_POD_RESOURCE_CLAIM = define(
    CORE + "PodResourceClaim",
    "A dynamic resource claim the pod uses.",
    f("name", "string", "Name of the entry, used by containers.", required=True),
    f("resourceClaimName", "string", "Name of an existing ResourceClaim."),
    f("resourceClaimTemplateName", "string", "Name of a template to create a claim from."),
)

POD_SPEC = define(
    CORE + "PodSpec",
    "Specification of a pod: its containers, volumes and scheduling constraints.",
    f("activeDeadlineSeconds", "integer", "Seconds the pod may be active before the system fails it."),
    f("affinity", AFFINITY, "Scheduling constraints."),
    f("automountServiceAccountToken", "boolean", "Whether to mount a service account token automatically."),
    f("containers", list_of(CONTAINER), "Containers of the pod; at least one. Cannot be updated.", required=True),
    f("dnsConfig", _DNS_CONFIG, "Extra DNS settings."),
    f(
        "dnsPolicy",
        "string",
        "ClusterFirst, ClusterFirstWithHostNet, Default or None. Defaults to ClusterFirst.",
        enum=DNS_POLICIES,
    ),
    f("enableServiceLinks", "boolean", "Inject Service information as environment variables. Defaults to true."),
    f("ephemeralContainers", list_of(EPHEMERAL_CONTAINER), "Debug containers added to a running pod."),
    f("hostAliases", list_of(_HOST_ALIAS), "Extra /etc/hosts entries."),
    f("hostIPC", "boolean", "Use the host's IPC namespace."),
    f("hostNetwork", "boolean", "Use the host's network namespace."),
    f("hostPID", "boolean", "Use the host's PID namespace."),
    f("hostUsers", "boolean", "Use the host's user namespace. Defaults to true."),
    f("hostname", "string", "Hostname of the pod; the pod name when empty."),
    f("imagePullSecrets", list_of(LOCAL_OBJECT_REFERENCE), "Secrets used to pull images."),
    f("initContainers", list_of(CONTAINER), "Containers run to completion, in order, before the app containers."),
    f("nodeName", "string", "Node the pod is bound to; set by the scheduler."),
    f("nodeSelector", STRING_MAP, "Labels a node must have to run the pod."),
    f("os", _POD_OS, "Operating system the pod needs."),
    f("overhead", map_of(QUANTITY), "Resources of the pod sandbox, set from the RuntimeClass."),
    f("preemptionPolicy", "string", "PreemptLowerPriority or Never.", enum=("Never", "PreemptLowerPriority")),
    f("priority", "integer", "Priority, resolved from priorityClassName by admission."),
    f("priorityClassName", "string", "Name of a PriorityClass."),
    f("readinessGates", list_of(_READINESS_GATE), "Extra conditions required for readiness."),
    f("resourceClaims", list_of(_POD_RESOURCE_CLAIM), "Dynamic resource claims of the pod."),
    f("resources", RESOURCE_REQUIREMENTS, "Pod-level resource requests and limits (alpha)."),
    f(
        "restartPolicy",
        "string",
        "Restart policy for all containers: Always, OnFailure or Never. Defaults to Always.",
        enum=RESTART_POLICIES,
    ),
    f("runtimeClassName", "string", "Name of the RuntimeClass to run the pod with."),
    f("schedulerName", "string", "Scheduler that places the pod. Defaults to default-scheduler."),
    f("schedulingGates", list_of(_SCHEDULING_GATE), "Gates that hold scheduling while present."),
    f("securityContext", _POD_SECURITY_CONTEXT, "Pod-level security settings."),
    f("serviceAccount", "string", "Deprecated alias of serviceAccountName."),
    f("serviceAccountName", "string", "Service account the pod runs as."),
    f("setHostnameAsFQDN", "boolean", "Use the fully qualified domain name as hostname."),
    f("shareProcessNamespace", "boolean", "Share one process namespace between the containers."),
    f("subdomain", "string", "Subdomain, giving the pod a DNS name under a headless Service."),
    f("terminationGracePeriodSeconds", "integer", "Seconds to shut down gracefully before SIGKILL. Defaults to 30."),
    f("tolerations", list_of(TOLERATION), "Taints the pod tolerates."),
    f("topologySpreadConstraints", list_of(_TOPOLOGY_SPREAD), "How to spread the pod across domains."),
    f("volumes", list_of(VOLUME), "Volumes containers of the pod can mount."),
)

POD_TEMPLATE_SPEC = define(
    CORE + "PodTemplateSpec",
    "Describes the pods a controller creates.",
    f("metadata", OBJECT_META, "Labels and annotations of the created pods."),
    f("spec", POD_SPEC, "Specification of the created pods."),
)
