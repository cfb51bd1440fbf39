"""The deprecated in-tree volume sources of core/v1 (cloud disks, network filesystems …).

Most of them are removed drivers in 1.32, but their fields are still part of
the API: they are described so that old manifests decode strictly and
``kubectl explain`` lists them.
"""

from __future__ import annotations

from cluster.core.schema.meta import STRING_MAP, STRINGS
from cluster.core.schema.model import Field, define, f

CORE = "io.k8s.api.core.v1."
LOCAL_OBJECT_REFERENCE = CORE + "LocalObjectReference"  # defined in volumes.py; referenced by name
SECRET_REF_DOC = "Secret with the credentials; empty means none."
_READ_ONLY = "Mount read-only."
_FS_TYPE = "Filesystem type to mount, e.g. ext4."


def _legacy(name: str, description: str, *fields: Field) -> str:
    """A deprecated in-tree source: described only so that old manifests still decode."""
    return define(CORE + name, description + " Deprecated in-tree driver.", *fields)


_SECRET_REF = f("secretRef", LOCAL_OBJECT_REFERENCE, SECRET_REF_DOC)
LEGACY_SOURCES: dict[str, tuple[str, str]] = {
    "awsElasticBlockStore": (
        _legacy(
            "AWSElasticBlockStoreVolumeSource",
            "An AWS EBS disk.",
            f("fsType", "string", _FS_TYPE),
            f("partition", "integer", "Partition number."),
            f("readOnly", "boolean", _READ_ONLY),
            f("volumeID", "string", "ID of the EBS volume.", required=True),
        ),
        "AWS EBS disk.",
    ),
    "azureDisk": (
        _legacy(
            "AzureDiskVolumeSource",
            "An Azure data disk.",
            f("cachingMode", "string", "Host caching mode."),
            f("diskName", "string", "Name of the data disk.", required=True),
            f("diskURI", "string", "URI of the data disk.", required=True),
            f("fsType", "string", _FS_TYPE),
            f("kind", "string", "Shared, Dedicated or Managed."),
            f("readOnly", "boolean", _READ_ONLY),
        ),
        "Azure data disk.",
    ),
    "azureFile": (
        _legacy(
            "AzureFileVolumeSource",
            "An Azure File share.",
            f("readOnly", "boolean", _READ_ONLY),
            f("secretName", "string", "Secret with the account name and key.", required=True),
            f("shareName", "string", "Share name.", required=True),
        ),
        "Azure File share.",
    ),
    "cephfs": (
        _legacy(
            "CephFSVolumeSource",
            "A Ceph filesystem.",
            f("monitors", STRINGS, "Ceph monitors.", required=True),
            f("path", "string", "Root of the mount inside the filesystem."),
            f("readOnly", "boolean", _READ_ONLY),
            f("secretFile", "string", "Path to the key ring."),
            _SECRET_REF,
            f("user", "string", "RADOS user name."),
        ),
        "CephFS mount.",
    ),
    "cinder": (
        _legacy(
            "CinderVolumeSource",
            "An OpenStack Cinder volume.",
            f("fsType", "string", _FS_TYPE),
            f("readOnly", "boolean", _READ_ONLY),
            _SECRET_REF,
            f("volumeID", "string", "Volume id.", required=True),
        ),
        "OpenStack Cinder volume.",
    ),
    "fc": (
        _legacy(
            "FCVolumeSource",
            "A Fibre Channel volume.",
            f("fsType", "string", _FS_TYPE),
            f("lun", "integer", "Target LUN number."),
            f("readOnly", "boolean", _READ_ONLY),
            f("targetWWNs", STRINGS, "Target world wide names."),
            f("wwids", STRINGS, "Volume world wide identifiers."),
        ),
        "Fibre Channel volume.",
    ),
    "flexVolume": (
        _legacy(
            "FlexVolumeSource",
            "A volume provided by an exec-based plugin.",
            f("driver", "string", "Name of the driver.", required=True),
            f("fsType", "string", _FS_TYPE),
            f("options", STRING_MAP, "Extra driver options."),
            f("readOnly", "boolean", _READ_ONLY),
            _SECRET_REF,
        ),
        "Exec-based plugin volume.",
    ),
    "flocker": (
        _legacy(
            "FlockerVolumeSource",
            "A Flocker dataset.",
            f("datasetName", "string", "Name of the dataset."),
            f("datasetUUID", "string", "UUID of the dataset."),
        ),
        "Flocker dataset.",
    ),
    "gcePersistentDisk": (
        _legacy(
            "GCEPersistentDiskVolumeSource",
            "A GCE persistent disk.",
            f("fsType", "string", _FS_TYPE),
            f("partition", "integer", "Partition number."),
            f("pdName", "string", "Name of the disk.", required=True),
            f("readOnly", "boolean", _READ_ONLY),
        ),
        "GCE persistent disk.",
    ),
    "gitRepo": (
        _legacy(
            "GitRepoVolumeSource",
            "A directory cloned from a git repository.",
            f("directory", "string", "Target directory name."),
            f("repository", "string", "Repository URL.", required=True),
            f("revision", "string", "Commit hash."),
        ),
        "Git repository checkout.",
    ),
    "glusterfs": (
        _legacy(
            "GlusterfsVolumeSource",
            "A Glusterfs mount.",
            f("endpoints", "string", "Endpoints naming the cluster.", required=True),
            f("path", "string", "Volume path.", required=True),
            f("readOnly", "boolean", _READ_ONLY),
        ),
        "Glusterfs mount.",
    ),
    "iscsi": (
        _legacy(
            "ISCSIVolumeSource",
            "An iSCSI disk.",
            f("chapAuthDiscovery", "boolean", "Whether CHAP discovery is used."),
            f("chapAuthSession", "boolean", "Whether CHAP session authentication is used."),
            f("fsType", "string", _FS_TYPE),
            f("initiatorName", "string", "Custom initiator name."),
            f("iqn", "string", "Target iSCSI qualified name.", required=True),
            f("iscsiInterface", "string", "iSCSI interface name."),
            f("lun", "integer", "Target LUN number.", required=True),
            f("portals", STRINGS, "Additional target portals."),
            f("readOnly", "boolean", _READ_ONLY),
            _SECRET_REF,
            f("targetPortal", "string", "Target portal, IP or host with port.", required=True),
        ),
        "iSCSI disk.",
    ),
    "photonPersistentDisk": (
        _legacy(
            "PhotonPersistentDiskVolumeSource",
            "A Photon Controller disk.",
            f("fsType", "string", _FS_TYPE),
            f("pdID", "string", "Disk id.", required=True),
        ),
        "Photon Controller disk.",
    ),
    "portworxVolume": (
        _legacy(
            "PortworxVolumeSource",
            "A Portworx volume.",
            f("fsType", "string", _FS_TYPE),
            f("readOnly", "boolean", _READ_ONLY),
            f("volumeID", "string", "Volume id.", required=True),
        ),
        "Portworx volume.",
    ),
    "quobyte": (
        _legacy(
            "QuobyteVolumeSource",
            "A Quobyte mount.",
            f("group", "string", "Group to map access to."),
            f("readOnly", "boolean", _READ_ONLY),
            f("registry", "string", "Registry services, host:port list.", required=True),
            f("tenant", "string", "Tenant owning the volume."),
            f("user", "string", "User to map access to."),
            f("volume", "string", "Name of the volume.", required=True),
        ),
        "Quobyte mount.",
    ),
    "rbd": (
        _legacy(
            "RBDVolumeSource",
            "A Rados block device.",
            f("fsType", "string", _FS_TYPE),
            f("image", "string", "Rados image name.", required=True),
            f("keyring", "string", "Path to the key ring."),
            f("monitors", STRINGS, "Ceph monitors.", required=True),
            f("pool", "string", "Rados pool name."),
            f("readOnly", "boolean", _READ_ONLY),
            _SECRET_REF,
            f("user", "string", "Rados user name."),
        ),
        "Rados block device.",
    ),
    "scaleIO": (
        _legacy(
            "ScaleIOVolumeSource",
            "A ScaleIO volume.",
            f("fsType", "string", _FS_TYPE),
            f("gateway", "string", "Host of the ScaleIO API gateway.", required=True),
            f("protectionDomain", "string", "Protection domain name."),
            f("readOnly", "boolean", _READ_ONLY),
            f("secretRef", LOCAL_OBJECT_REFERENCE, SECRET_REF_DOC, required=True),
            f("sslEnabled", "boolean", "Whether to use SSL with the gateway."),
            f("storageMode", "string", "ThickProvisioned or ThinProvisioned."),
            f("storagePool", "string", "Storage pool name."),
            f("system", "string", "Storage system name.", required=True),
            f("volumeName", "string", "Name of an existing volume."),
        ),
        "ScaleIO volume.",
    ),
    "storageos": (
        _legacy(
            "StorageOSVolumeSource",
            "A StorageOS volume.",
            f("fsType", "string", _FS_TYPE),
            f("readOnly", "boolean", _READ_ONLY),
            _SECRET_REF,
            f("volumeName", "string", "Volume name."),
            f("volumeNamespace", "string", "Volume namespace."),
        ),
        "StorageOS volume.",
    ),
    "vsphereVolume": (
        _legacy(
            "VsphereVirtualDiskVolumeSource",
            "A vSphere virtual disk.",
            f("fsType", "string", _FS_TYPE),
            f("storagePolicyID", "string", "Storage policy id."),
            f("storagePolicyName", "string", "Storage policy name."),
            f("volumePath", "string", "Path of the disk.", required=True),
        ),
        "vSphere virtual disk.",
    ),
}
