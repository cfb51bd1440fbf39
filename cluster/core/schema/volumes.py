"""Pod volumes and their many sources (core/v1).

The sandbox only mounts configMap, secret, emptyDir, hostPath, projected,
downwardAPI and persistentVolumeClaim meaningfully, but every source of 1.32
is described so that real manifests decode strictly and explain works.
"""

from __future__ import annotations

from cluster.core.schema.meta import LABEL_SELECTOR, OBJECT_META, QUANTITY, STRING_MAP, STRINGS
from cluster.core.schema.model import Field, define, definition, f, list_of, map_of
from cluster.core.schema.volume_legacy import LEGACY_SOURCES

CORE = "io.k8s.api.core.v1."

LOCAL_OBJECT_REFERENCE = define(
    CORE + "LocalObjectReference",
    "Refers to an object by name in the same namespace.",
    f("name", "string", "Name of the referent."),
)
KEY_TO_PATH = define(
    CORE + "KeyToPath",
    "Projects one key to a file path.",
    f("key", "string", "The key to project.", required=True),
    f("mode", "integer", "File mode bits, octal 0000-0777."),
    f("path", "string", "Relative path of the file; may not contain '..'.", required=True),
)
_DOWNWARD_FILE = define(
    CORE + "DownwardAPIVolumeFile",
    "A file whose content is a pod field or container resource.",
    f("fieldRef", CORE + "ObjectFieldSelector", "A field of the pod (labels, annotations, name, namespace, uid)."),
    f("mode", "integer", "File mode bits, octal 0000-0777."),
    f("path", "string", "Relative path of the file.", required=True),
    f("resourceFieldRef", CORE + "ResourceFieldSelector", "A container resource limit or request."),
)

_MODE = "Default file mode bits, octal 0000-0777. Defaults to 0644."
_READ_ONLY = "Mount read-only."
_FS_TYPE = "Filesystem type to mount, e.g. ext4."


def _source(name: str, description: str, *fields: Field) -> str:
    return define(CORE + name, description, *fields)


CONFIG_MAP_VOLUME = _source(
    "ConfigMapVolumeSource",
    "Files from the keys of a ConfigMap.",
    f("defaultMode", "integer", _MODE),
    f("items", list_of(KEY_TO_PATH), "Which keys to project and where; all keys when empty."),
    f("name", "string", "Name of the ConfigMap."),
    f("optional", "boolean", "Whether the ConfigMap or its keys may be missing."),
)
SECRET_VOLUME = _source(
    "SecretVolumeSource",
    "Files from the keys of a Secret.",
    f("defaultMode", "integer", _MODE),
    f("items", list_of(KEY_TO_PATH), "Which keys to project and where; all keys when empty."),
    f("optional", "boolean", "Whether the Secret or its keys may be missing."),
    f("secretName", "string", "Name of the Secret in the pod's namespace."),
)
EMPTY_DIR = _source(
    "EmptyDirVolumeSource",
    "A scratch directory that lives as long as the pod.",
    f("medium", "string", 'Storage medium: "" (node disk) or Memory (tmpfs).'),
    f("sizeLimit", QUANTITY, "Upper size limit of the directory."),
)
HOST_PATH = _source(
    "HostPathVolumeSource",
    "A file or directory of the node's filesystem.",
    f("path", "string", "Path on the node.", required=True),
    f(
        "type",
        "string",
        "What must exist at the path; empty means no check.",
        enum=("", "BlockDevice", "CharDevice", "Directory", "DirectoryOrCreate", "File", "FileOrCreate", "Socket"),
    ),
)
PVC_VOLUME = _source(
    "PersistentVolumeClaimVolumeSource",
    "The volume bound to a PersistentVolumeClaim in the same namespace.",
    f("claimName", "string", "Name of the claim.", required=True),
    f("readOnly", "boolean", _READ_ONLY),
)
DOWNWARD_API = _source(
    "DownwardAPIVolumeSource",
    "Files that expose pod information.",
    f("defaultMode", "integer", _MODE),
    f("items", list_of(_DOWNWARD_FILE), "The files to create."),
)
_SA_TOKEN = _source(
    "ServiceAccountTokenProjection",
    "A token for the pod's service account.",
    f("audience", "string", "Intended audience of the token; defaults to the API server."),
    f("expirationSeconds", "integer", "Requested lifetime; the kubelet rotates the token. Defaults to 1 hour."),
    f("path", "string", "Relative path of the token file.", required=True),
)
_CM_PROJECTION = _source(
    "ConfigMapProjection",
    "Keys of a ConfigMap projected into the volume.",
    f("items", list_of(KEY_TO_PATH), "Which keys to project and where."),
    f("name", "string", "Name of the ConfigMap."),
    f("optional", "boolean", "Whether the ConfigMap or its keys may be missing."),
)
_SECRET_PROJECTION = _source(
    "SecretProjection",
    "Keys of a Secret projected into the volume.",
    f("items", list_of(KEY_TO_PATH), "Which keys to project and where."),
    f("name", "string", "Name of the Secret."),
    f("optional", "boolean", "Whether the Secret or its keys may be missing."),
)
_DOWNWARD_PROJECTION = _source(
    "DownwardAPIProjection",
    "Pod information projected into the volume.",
    f("items", list_of(_DOWNWARD_FILE), "The files to create."),
)
_TRUST_BUNDLE = _source(
    "ClusterTrustBundleProjection",
    "Certificates of ClusterTrustBundle objects written to a file.",
    f("labelSelector", LABEL_SELECTOR, "Select bundles by label."),
    f("name", "string", "Select a single bundle by name."),
    f("optional", "boolean", "Whether missing bundles are tolerated."),
    f("path", "string", "Relative path of the file.", required=True),
    f("signerName", "string", "Select bundles by signer name."),
)
VOLUME_PROJECTION = _source(
    "VolumeProjection",
    "One source of a projected volume.",
    f("clusterTrustBundle", _TRUST_BUNDLE, "Certificates from ClusterTrustBundles."),
    f("configMap", _CM_PROJECTION, "Keys of a ConfigMap."),
    f("downwardAPI", _DOWNWARD_PROJECTION, "Pod information."),
    f("secret", _SECRET_PROJECTION, "Keys of a Secret."),
    f("serviceAccountToken", _SA_TOKEN, "A service account token."),
)
PROJECTED = _source(
    "ProjectedVolumeSource",
    "Several sources merged into one directory.",
    f("defaultMode", "integer", _MODE),
    f("sources", list_of(VOLUME_PROJECTION), "The sources to merge."),
)
TYPED_LOCAL_OBJECT_REFERENCE = define(
    CORE + "TypedLocalObjectReference",
    "Refers to an object of a given kind in the same namespace.",
    f("apiGroup", "string", "API group of the referent; empty for the core group."),
    f("kind", "string", "Kind of the referent.", required=True),
    f("name", "string", "Name of the referent.", required=True),
)
_TYPED_REF = define(
    CORE + "TypedObjectReference",
    "Refers to an object of a given kind, possibly in another namespace.",
    f("apiGroup", "string", "API group of the referent; empty for the core group."),
    f("kind", "string", "Kind of the referent.", required=True),
    f("name", "string", "Name of the referent.", required=True),
    f("namespace", "string", "Namespace of the referent."),
)
_VOLUME_RESOURCES = define(
    CORE + "VolumeResourceRequirements",
    "Storage a claim requests.",
    f("limits", map_of(QUANTITY), "Maximum amount of storage."),
    f("requests", map_of(QUANTITY), "Minimum amount of storage."),
)
_PVC_SPEC = define(
    CORE + "PersistentVolumeClaimSpec",
    "What storage a claim asks for.",
    f("accessModes", STRINGS, "Desired access modes, e.g. ReadWriteOnce."),
    f("dataSource", TYPED_LOCAL_OBJECT_REFERENCE, "A snapshot or claim to populate the volume from."),
    f("dataSourceRef", _TYPED_REF, "An object to populate the volume from."),
    f("resources", _VOLUME_RESOURCES, "Minimum resources the volume should have."),
    f("selector", LABEL_SELECTOR, "Label query over volumes to bind to."),
    f("storageClassName", "string", "Name of the StorageClass."),
    f("volumeAttributesClassName", "string", "Name of the VolumeAttributesClass."),
    f("volumeMode", "string", "Filesystem or Block."),
    f("volumeName", "string", "Binding reference to a specific PersistentVolume."),
)
_PVC_TEMPLATE = define(
    CORE + "PersistentVolumeClaimTemplate",
    "Template for a claim created with the pod.",
    f("metadata", OBJECT_META, "Labels and annotations copied to the claim."),
    f("spec", _PVC_SPEC, "Specification of the claim.", required=True),
)
EPHEMERAL = _source(
    "EphemeralVolumeSource",
    "A volume provisioned by a claim that lives and dies with the pod.",
    f("volumeClaimTemplate", _PVC_TEMPLATE, "Template for the claim."),
)
CSI = _source(
    "CSIVolumeSource",
    "An ephemeral volume provided by a CSI driver.",
    f("driver", "string", "Name of the CSI driver.", required=True),
    f("fsType", "string", _FS_TYPE),
    f("nodePublishSecretRef", LOCAL_OBJECT_REFERENCE, "Secret passed to the driver."),
    f("readOnly", "boolean", _READ_ONLY),
    f("volumeAttributes", STRING_MAP, "Driver-specific properties."),
)
IMAGE = _source(
    "ImageVolumeSource",
    "The content of an OCI image or artifact, mounted read-only.",
    f("pullPolicy", "string", "Always, Never or IfNotPresent.", enum=("Always", "IfNotPresent", "Never")),
    f("reference", "string", "Image or artifact reference."),
)
NFS = _source(
    "NFSVolumeSource",
    "An NFS export.",
    f("path", "string", "Path exported by the server.", required=True),
    f("readOnly", "boolean", _READ_ONLY),
    f("server", "string", "Host name or IP of the NFS server.", required=True),
)


VOLUME = define(
    CORE + "Volume",
    "A named volume in a pod that its containers can mount. Exactly one source must be set.",
    f("configMap", CONFIG_MAP_VOLUME, "Files from a ConfigMap."),
    f("csi", CSI, "An ephemeral volume from a CSI driver."),
    f("downwardAPI", DOWNWARD_API, "Files exposing pod information."),
    f("emptyDir", EMPTY_DIR, "A scratch directory that shares the pod's lifetime."),
    f("ephemeral", EPHEMERAL, "A claim-backed volume that shares the pod's lifetime."),
    f("hostPath", HOST_PATH, "A path on the node; mostly for system agents."),
    f("image", IMAGE, "The content of an OCI image."),
    f("name", "string", "Volume name, a DNS label unique within the pod.", required=True),
    f("nfs", NFS, "An NFS export."),
    f("persistentVolumeClaim", PVC_VOLUME, "A PersistentVolumeClaim in the pod's namespace."),
    f("projected", PROJECTED, "Several sources merged into one directory."),
    f("secret", SECRET_VOLUME, "Files from a Secret."),
    *(f(key, type_, doc) for key, (type_, doc) in LEGACY_SOURCES.items()),
)

# Every key of a Volume except its name: exactly one of them must be set.
VOLUME_SOURCE_KEYS = tuple(sorted(fld.name for fld in definition(VOLUME).fields if fld.name != "name"))
