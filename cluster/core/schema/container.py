"""Containers: image, ports, env, probes, resources, security context (core/v1)."""

from __future__ import annotations

from cluster.core.schema.meta import INT_OR_STRING, QUANTITY, STRINGS
from cluster.core.schema.model import Field, define, f, list_of, map_of

CORE = "io.k8s.api.core.v1."
PROTOCOLS = ("SCTP", "TCP", "UDP")

CONTAINER_PORT = define(
    CORE + "ContainerPort",
    "A network port a single container listens on.",
    f("containerPort", "integer", "Port number on the pod's IP address (1-65535).", required=True),
    f("hostIP", "string", "Host IP to bind the host port to."),
    f("hostPort", "integer", "Port to expose on the node; most pods do not need this."),
    f("name", "string", "IANA_SVC_NAME for the port, unique within the pod; Services can refer to it."),
    f("protocol", "string", "TCP, UDP or SCTP. Defaults to TCP.", enum=PROTOCOLS),
)

_OBJECT_FIELD_SELECTOR = define(
    CORE + "ObjectFieldSelector",
    "Selects a field of the pod, e.g. metadata.name or status.podIP.",
    f("apiVersion", "string", 'Version of the schema the fieldPath is written in, default "v1".'),
    f("fieldPath", "string", "Path of the field to select.", required=True),
)
_RESOURCE_FIELD_SELECTOR = define(
    CORE + "ResourceFieldSelector",
    "Selects a container resource (limits.cpu, requests.memory …).",
    f("containerName", "string", "Container name; required for volumes, optional for env vars."),
    f("divisor", QUANTITY, 'Output format of the exposed resources, default "1".'),
    f("resource", "string", "Resource to select.", required=True),
)
_CONFIG_MAP_KEY = define(
    CORE + "ConfigMapKeySelector",
    "Selects one key of a ConfigMap.",
    f("key", "string", "The key to select.", required=True),
    f("name", "string", "Name of the ConfigMap."),
    f("optional", "boolean", "Whether the ConfigMap or its key may be missing."),
)
_SECRET_KEY = define(
    CORE + "SecretKeySelector",
    "Selects one key of a Secret.",
    f("key", "string", "The key to select.", required=True),
    f("name", "string", "Name of the Secret."),
    f("optional", "boolean", "Whether the Secret or its key may be missing."),
)
_ENV_VAR_SOURCE = define(
    CORE + "EnvVarSource",
    "Where an environment variable's value comes from.",
    f("configMapKeyRef", _CONFIG_MAP_KEY, "A key of a ConfigMap."),
    f("fieldRef", _OBJECT_FIELD_SELECTOR, "A field of the pod (metadata.name, status.podIP …)."),
    f("resourceFieldRef", _RESOURCE_FIELD_SELECTOR, "A resource limit or request of the container."),
    f("secretKeyRef", _SECRET_KEY, "A key of a Secret."),
)
ENV_VAR = define(
    CORE + "EnvVar",
    "An environment variable set in the container.",
    f("name", "string", "Variable name.", required=True),
    f("value", "string", "Value; $(VAR) references to earlier variables are expanded. Defaults to empty."),
    f("valueFrom", _ENV_VAR_SOURCE, "Source for the value; cannot be used together with value."),
)
_CONFIG_MAP_ENV = define(
    CORE + "ConfigMapEnvSource",
    "A ConfigMap whose keys become environment variables.",
    f("name", "string", "Name of the ConfigMap."),
    f("optional", "boolean", "Whether the ConfigMap may be missing."),
)
_SECRET_ENV = define(
    CORE + "SecretEnvSource",
    "A Secret whose keys become environment variables.",
    f("name", "string", "Name of the Secret."),
    f("optional", "boolean", "Whether the Secret may be missing."),
)
ENV_FROM_SOURCE = define(
    CORE + "EnvFromSource",
    "A source of a set of environment variables.",
    f("configMapRef", _CONFIG_MAP_ENV, "The ConfigMap to read."),
    f("prefix", "string", "Prefix prepended to every key."),
    f("secretRef", _SECRET_ENV, "The Secret to read."),
)

_EXEC = define(
    CORE + "ExecAction",
    "Runs a command inside the container.",
    f("command", STRINGS, "Command line to run; exit status 0 is success. Not run in a shell."),
)
_HTTP_HEADER = define(
    CORE + "HTTPHeader",
    "A custom HTTP header.",
    f("name", "string", "Header name.", required=True),
    f("value", "string", "Header value.", required=True),
)
_HTTP_GET = define(
    CORE + "HTTPGetAction",
    "An HTTP GET request; a status from 200 to 399 is success.",
    f("host", "string", "Host name to connect to; defaults to the pod IP."),
    f("httpHeaders", list_of(_HTTP_HEADER), "Custom headers to send."),
    f("path", "string", "Path to request."),
    f("port", INT_OR_STRING, "Port number or name on the container.", required=True),
    f("scheme", "string", "HTTP or HTTPS. Defaults to HTTP.", enum=("HTTP", "HTTPS")),
)
_TCP_SOCKET = define(
    CORE + "TCPSocketAction",
    "Opens a TCP connection; success when it connects.",
    f("host", "string", "Host name to connect to; defaults to the pod IP."),
    f("port", INT_OR_STRING, "Port number or name on the container.", required=True),
)
_GRPC = define(
    CORE + "GRPCAction",
    "Calls the gRPC health checking protocol.",
    f("port", "integer", "Port number of the gRPC service (1-65535).", required=True),
    f("service", "string", "Service name sent in the HealthCheckRequest."),
)
_SLEEP = define(
    CORE + "SleepAction",
    "Pauses for a number of seconds.",
    f("seconds", "integer", "Seconds to sleep.", required=True),
)
PROBE = define(
    CORE + "Probe",
    "A health check the kubelet runs against the container.",
    f("exec", _EXEC, "Run a command in the container."),
    f("failureThreshold", "integer", "Consecutive failures after success that count as failed. Defaults to 3."),
    f("grpc", _GRPC, "Call a gRPC health check."),
    f("httpGet", _HTTP_GET, "Send an HTTP GET request."),
    f("initialDelaySeconds", "integer", "Seconds after the container started before the first probe."),
    f("periodSeconds", "integer", "How often to probe, in seconds. Defaults to 10."),
    f("successThreshold", "integer", "Consecutive successes after failure that count as success. Defaults to 1."),
    f("tcpSocket", _TCP_SOCKET, "Open a TCP connection."),
    f("terminationGracePeriodSeconds", "integer", "Grace period used when a failed probe kills the container."),
    f("timeoutSeconds", "integer", "Seconds after which the probe times out. Defaults to 1."),
)
_HANDLER = define(
    CORE + "LifecycleHandler",
    "An action run at a container lifecycle hook.",
    f("exec", _EXEC, "Run a command in the container."),
    f("httpGet", _HTTP_GET, "Send an HTTP GET request."),
    f("sleep", _SLEEP, "Sleep for a while."),
    f("tcpSocket", _TCP_SOCKET, "Deprecated; kept for compatibility."),
)
_LIFECYCLE = define(
    CORE + "Lifecycle",
    "Actions the kubelet runs after a container starts and before it stops.",
    f("postStart", _HANDLER, "Runs right after the container is created."),
    f("preStop", _HANDLER, "Runs before the container is terminated; the grace period keeps counting."),
)

RESOURCE_CLAIM = define(
    CORE + "ResourceClaim",
    "A reference to one entry of the pod's resourceClaims.",
    f("name", "string", "Name of the entry in pod.spec.resourceClaims.", required=True),
    f("request", "string", "Name of one request inside the claim, if only that one is used."),
)
RESOURCE_REQUIREMENTS = define(
    CORE + "ResourceRequirements",
    "Compute resources a container requests and is limited to.",
    f("claims", list_of(RESOURCE_CLAIM), "Dynamic resource claims the container uses."),
    f("limits", map_of(QUANTITY), "Maximum amount of each resource the container may use."),
    f("requests", map_of(QUANTITY), "Amount of each resource the scheduler reserves; defaults to the limits."),
)
_RESIZE_POLICY = define(
    CORE + "ContainerResizePolicy",
    "How a container reacts when one of its resources is resized.",
    f("resourceName", "string", "Resource the policy applies to: cpu or memory.", required=True),
    f("restartPolicy", "string", "NotRequired or RestartContainer.", required=True),
)

_CAPABILITIES = define(
    CORE + "Capabilities",
    "Linux capabilities to add to or drop from the container.",
    f("add", STRINGS, "Capabilities to add."),
    f("drop", STRINGS, "Capabilities to drop."),
)
SE_LINUX_OPTIONS = define(
    CORE + "SELinuxOptions",
    "SELinux labels applied to the container.",
    f("level", "string", "SELinux level label."),
    f("role", "string", "SELinux role label."),
    f("type", "string", "SELinux type label."),
    f("user", "string", "SELinux user label."),
)
SECCOMP_PROFILE = define(
    CORE + "SeccompProfile",
    "The seccomp profile to apply.",
    f("localhostProfile", "string", "Path of a profile on the node; only for type Localhost."),
    f("type", "string", "Localhost, RuntimeDefault or Unconfined.", required=True),
)
APP_ARMOR_PROFILE = define(
    CORE + "AppArmorProfile",
    "The AppArmor profile to apply.",
    f("localhostProfile", "string", "Name of a profile loaded on the node; only for type Localhost."),
    f("type", "string", "Localhost, RuntimeDefault or Unconfined.", required=True),
)
WINDOWS_OPTIONS = define(
    CORE + "WindowsSecurityContextOptions",
    "Windows-specific security settings.",
    f("gmsaCredentialSpec", "string", "Content of the GMSA credential spec."),
    f("gmsaCredentialSpecName", "string", "Name of the GMSA credential spec."),
    f("hostProcess", "boolean", "Whether to run as a Windows HostProcess container."),
    f("runAsUserName", "string", "Windows user name to run the entrypoint as."),
)
SECURITY_CONTEXT = define(
    CORE + "SecurityContext",
    "Security settings of one container; they override the pod's security context.",
    f("allowPrivilegeEscalation", "boolean", "Whether a process may gain more privileges than its parent."),
    f("appArmorProfile", APP_ARMOR_PROFILE, "AppArmor profile for the container."),
    f("capabilities", _CAPABILITIES, "Capabilities to add or drop."),
    f("privileged", "boolean", "Run as privileged: like root on the host. Defaults to false."),
    f("procMount", "string", "Type of /proc mount: Default or Unmasked."),
    f("readOnlyRootFilesystem", "boolean", "Mount the root filesystem read-only."),
    f("runAsGroup", "integer", "GID to run the entrypoint as."),
    f("runAsNonRoot", "boolean", "Refuse to start if the image would run as UID 0."),
    f("runAsUser", "integer", "UID to run the entrypoint as."),
    f("seLinuxOptions", SE_LINUX_OPTIONS, "SELinux context for the container."),
    f("seccompProfile", SECCOMP_PROFILE, "Seccomp profile for the container."),
    f("windowsOptions", WINDOWS_OPTIONS, "Windows-specific settings."),
)

VOLUME_MOUNT = define(
    CORE + "VolumeMount",
    "Mounts one of the pod's volumes into the container.",
    f("mountPath", "string", "Path in the container where the volume appears; must not contain ':'.", required=True),
    f("mountPropagation", "string", "How mounts propagate: None, HostToContainer or Bidirectional."),
    f("name", "string", "Name of a volume of the pod.", required=True),
    f("readOnly", "boolean", "Mount read-only. Defaults to false."),
    f(
        "recursiveReadOnly",
        "string",
        "Whether read-only mounts are read-only recursively: Disabled, IfPossible, Enabled.",
    ),
    f("subPath", "string", "Path inside the volume to mount instead of its root."),
    f("subPathExpr", "string", "Like subPath, with $(VAR) expansion from the container's environment."),
)
_VOLUME_DEVICE = define(
    CORE + "VolumeDevice",
    "Maps a raw block volume into the container.",
    f("devicePath", "string", "Path inside the container of the device.", required=True),
    f("name", "string", "Name of a persistentVolumeClaim volume of the pod.", required=True),
)

PULL_POLICIES = ("Always", "IfNotPresent", "Never")
MESSAGE_POLICIES = ("FallbackToLogsOnError", "File")


def _container_fields(name_desc: str) -> tuple[Field, ...]:
    return (
        f("args", STRINGS, "Arguments to the entrypoint; the image's CMD is used when empty."),
        f("command", STRINGS, "Entrypoint array, not run in a shell; the image's ENTRYPOINT when empty."),
        f("env", list_of(ENV_VAR), "Environment variables to set."),
        f("envFrom", list_of(ENV_FROM_SOURCE), "Sources whose keys become environment variables."),
        f("image", "string", "Container image name, e.g. nginx:1.25."),
        f(
            "imagePullPolicy",
            "string",
            "Always, Never or IfNotPresent. Defaults to Always for :latest or untagged images, else IfNotPresent.",
            enum=PULL_POLICIES,
        ),
        f("lifecycle", _LIFECYCLE, "Actions to run after start and before stop."),
        f("livenessProbe", PROBE, "Restart the container when this check fails."),
        f("name", "string", name_desc, required=True),
        f("ports", list_of(CONTAINER_PORT), "Ports the container exposes; informational, any port is reachable."),
        f("readinessProbe", PROBE, "Remove the pod from Service endpoints while this check fails."),
        f("resizePolicy", list_of(_RESIZE_POLICY), "How the container reacts to resource resizes."),
        f("resources", RESOURCE_REQUIREMENTS, "Compute resources requested and limited."),
        f("restartPolicy", "string", "Only for init containers: Always makes it a restartable sidecar."),
        f("securityContext", SECURITY_CONTEXT, "Security settings for the container."),
        f("startupProbe", PROBE, "Hold other probes until this check succeeds once."),
        f("stdin", "boolean", "Keep a stdin buffer open for the container."),
        f("stdinOnce", "boolean", "Close stdin after the first attach session ends."),
        f("terminationMessagePath", "string", "File whose content is the termination message. /dev/termination-log."),
        f(
            "terminationMessagePolicy",
            "string",
            "File, or FallbackToLogsOnError to use the log tail when the file is empty. Defaults to File.",
            enum=MESSAGE_POLICIES,
        ),
        f("tty", "boolean", "Allocate a TTY; needs stdin."),
        f("volumeDevices", list_of(_VOLUME_DEVICE), "Block devices to use."),
        f("volumeMounts", list_of(VOLUME_MOUNT), "Pod volumes to mount into the filesystem."),
        f("workingDir", "string", "Working directory; the image's default when empty."),
    )


CONTAINER = define(
    CORE + "Container",
    "A single application container to run in a pod.",
    *_container_fields("Container name, a DNS label unique within the pod. Cannot be updated."),
)
EPHEMERAL_CONTAINER = define(
    CORE + "EphemeralContainer",
    "A temporary container added to a running pod for debugging.",
    *_container_fields("Name, unique among all containers of the pod."),
    f("targetContainerName", "string", "Container whose namespaces this one joins."),
)
