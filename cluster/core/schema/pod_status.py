"""The Pod kind and its status: phase, conditions, container states (core/v1)."""

from __future__ import annotations

from cluster.core.schema.container import RESOURCE_REQUIREMENTS
from cluster.core.schema.meta import QUANTITY, TIME, kind_header
from cluster.core.schema.model import define, define_kind, f, list_of, map_of
from cluster.core.schema.pod import POD_SPEC

CORE = "io.k8s.api.core.v1."
POD_PHASES = ("Failed", "Pending", "Running", "Succeeded", "Unknown")

_POD_CONDITION = define(
    CORE + "PodCondition",
    "One aspect of the pod's state, such as Ready or PodScheduled.",
    f("lastProbeTime", TIME, "When the condition was last probed."),
    f("lastTransitionTime", TIME, "When the condition last changed status."),
    f("message", "string", "Human-readable details."),
    f("reason", "string", "CamelCase reason for the last transition."),
    f("status", "string", "True, False or Unknown.", required=True),
    f("type", "string", "Type of the condition.", required=True),
)
_RUNNING = define(
    CORE + "ContainerStateRunning",
    "A running container.",
    f("startedAt", TIME, "When the container was last (re)started."),
)
_WAITING = define(
    CORE + "ContainerStateWaiting",
    "A container that is not running yet.",
    f("message", "string", "Why the container is not running yet."),
    f("reason", "string", "Brief reason, e.g. ContainerCreating or CrashLoopBackOff."),
)
_TERMINATED = define(
    CORE + "ContainerStateTerminated",
    "A container that ran and exited.",
    f("containerID", "string", "Container id, <type>://<id>."),
    f("exitCode", "integer", "Exit status of the last run.", required=True),
    f("finishedAt", TIME, "When the container last exited."),
    f("message", "string", "Message about the termination."),
    f("reason", "string", "Brief reason, e.g. Completed or OOMKilled."),
    f("signal", "integer", "Signal that ended the container."),
    f("startedAt", TIME, "When the run that ended started."),
)
_STATE = define(
    CORE + "ContainerState",
    "Exactly one of waiting, running or terminated. Defaults to waiting.",
    f("running", _RUNNING, "Details about a running container."),
    f("terminated", _TERMINATED, "Details about a terminated container."),
    f("waiting", _WAITING, "Details about a waiting container."),
)
_RESOURCE_HEALTH = define(
    CORE + "ResourceHealth",
    "Health of one device allocated to a container.",
    f("health", "string", "Healthy, Unhealthy or Unknown."),
    f("resourceID", "string", "Unique id of the device.", required=True),
)
_RESOURCE_STATUS = define(
    CORE + "ResourceStatus",
    "Health of the devices of one resource.",
    f("name", "string", "Resource name.", required=True),
    f("resources", list_of(_RESOURCE_HEALTH), "Per-device health."),
)
_LINUX_USER = define(
    CORE + "LinuxContainerUser",
    "Identity of the first process of a Linux container.",
    f("gid", "integer", "Primary GID.", required=True),
    f("supplementalGroups", list_of("integer"), "Supplementary GIDs."),
    f("uid", "integer", "UID.", required=True),
)
_USER = define(
    CORE + "ContainerUser",
    "Identity the container process runs with.",
    f("linux", _LINUX_USER, "Linux identity."),
)
_MOUNT_STATUS = define(
    CORE + "VolumeMountStatus",
    "A volume mount as actually applied.",
    f("mountPath", "string", "Path of the mount.", required=True),
    f("name", "string", "Name of the volume.", required=True),
    f("readOnly", "boolean", "Whether it is read-only."),
    f("recursiveReadOnly", "string", "Resolved recursive read-only mode."),
)
CONTAINER_STATUS = define(
    CORE + "ContainerStatus",
    "Observed state of one container of the pod.",
    f("allocatedResources", map_of(QUANTITY), "Resources allocated by the node."),
    f("allocatedResourcesStatus", list_of(_RESOURCE_STATUS), "Health of allocated devices."),
    f("containerID", "string", "Container id, <type>://<id>."),
    f("image", "string", "Image the container runs.", required=True),
    f("imageID", "string", "Image id (digest) the container runs.", required=True),
    f("lastState", _STATE, "State of the previous run, e.g. why it was last restarted."),
    f("name", "string", "Container name from the spec.", required=True),
    f("ready", "boolean", "Whether the container passes its readiness probe.", required=True),
    f("resources", RESOURCE_REQUIREMENTS, "Resources actually applied."),
    f("restartCount", "integer", "Number of restarts.", required=True),
    f("started", "boolean", "Whether the container passed its startup probe."),
    f("state", _STATE, "Current state."),
    f("user", _USER, "Identity of the container process."),
    f("volumeMounts", list_of(_MOUNT_STATUS), "Volume mounts as applied."),
)
_IP = define(CORE + "PodIP", "An IP address of the pod.", f("ip", "string", "The IP address.", required=True))
_HOST_IP = define(CORE + "HostIP", "An IP address of the node.", f("ip", "string", "The IP address.", required=True))
_CLAIM_STATUS = define(
    CORE + "PodResourceClaimStatus",
    "The ResourceClaim created for a pod resource claim.",
    f("name", "string", "Name of the entry in spec.resourceClaims.", required=True),
    f("resourceClaimName", "string", "Name of the generated ResourceClaim."),
)

POD_STATUS = define(
    CORE + "PodStatus",
    "Most recently observed state of the pod; may lag behind reality.",
    f("conditions", list_of(_POD_CONDITION), "Current service state of the pod."),
    f("containerStatuses", list_of(CONTAINER_STATUS), "One entry per container of the spec."),
    f("ephemeralContainerStatuses", list_of(CONTAINER_STATUS), "One entry per ephemeral container."),
    f("hostIP", "string", "IP of the node the pod runs on."),
    f("hostIPs", list_of(_HOST_IP), "IPs of the node the pod runs on."),
    f("initContainerStatuses", list_of(CONTAINER_STATUS), "One entry per init container."),
    f("message", "string", "Human-readable details about why the pod is in this state."),
    f("nominatedNodeName", "string", "Node the pod will likely run on after preemption."),
    f("phase", "string", "Pending, Running, Succeeded, Failed or Unknown.", enum=POD_PHASES),
    f("podIP", "string", "IP of the pod; empty until allocated."),
    f("podIPs", list_of(_IP), "IPs of the pod."),
    f("qosClass", "string", "Guaranteed, Burstable or BestEffort.", enum=("BestEffort", "Burstable", "Guaranteed")),
    f("reason", "string", "Brief reason, e.g. Evicted."),
    f("resize", "string", "Status of a pending resource resize."),
    f("resourceClaimStatuses", list_of(_CLAIM_STATUS), "Generated ResourceClaims."),
    f("startTime", TIME, "When the kubelet acknowledged the pod."),
)

POD = define_kind(
    CORE + "Pod",
    "A collection of containers that run together on a host.",
    ("", "v1", "Pod"),
    *kind_header(),
    f("spec", POD_SPEC, "Desired behavior of the pod."),
    f("status", POD_STATUS, "Most recently observed status of the pod. Read-only."),
)
