"""``kubectl create deployment|namespace|configmap``: objects built client-side exactly as kubectl 1.32 builds them.

The generated objects match K8S_FACTS Appendix A key for key, so
``--dry-run=client -o yaml`` is byte-identical to the real kubectl's.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

from cluster.core.ids import NAME_ALPHABET, stable_random
from cluster.kubectl.base import CommandError, Env, Output, command
from cluster.kubectl.commands.common import (
    ALLOW_MISSING,
    DRY_RUN,
    FIELD_MANAGER,
    OUTPUT,
    SHOW_MANAGED,
    VALIDATE,
    enforce_namespace,
    send_create,
)
from cluster.kubectl.commands.create import SAVE_CONFIG
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples
from cluster.kubectl.printing import check_format

GENERATOR_FLAGS = (OUTPUT, DRY_RUN, VALIDATE, FIELD_MANAGER, SAVE_CONFIG, ALLOW_MISSING, SHOW_MANAGED)


def one_name(parsed: Parsed, path: str) -> str:
    if len(parsed.args) != 1:
        raise CommandError(f"exactly one NAME is required, got {len(parsed.args)}", usage_of=path)
    return str(parsed.args[0])


def container_name_for(image: str) -> str:
    """``nginx:1.25`` → ``nginx``; ``registry.k8s.io/e2e/busybox:1.0`` → ``busybox``; dots/underscores → ``-`` + suffix.

    Simplification: the 5-character suffix kubectl draws at random is derived from the image name here.
    """
    base = image.split("@", 1)[0]
    last = base.rsplit("/", 1)[-1].split(":", 1)[0]
    if "." in last or "_" in last:
        rng = stable_random("container-name", image)
        last = re.sub(r"[._]", "-", last) + "-" + "".join(rng.choice(NAME_ALPHABET) for _ in range(5))
    return last


def deployment_object(name: str, images: list[str], replicas: int, port: int, command: list[str]) -> dict[str, Any]:
    containers: list[dict[str, Any]] = []
    for image in images:
        container: dict[str, Any] = {"image": image, "name": container_name_for(image), "resources": {}}
        if command:
            container["command"] = list(command)
        if port >= 0:
            container["ports"] = [{"containerPort": port}]
        containers.append(container)
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"creationTimestamp": None, "labels": dict(labels), "name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(labels)},
            "strategy": {},
            "template": {
                "metadata": {"creationTimestamp": None, "labels": dict(labels)},
                "spec": {"containers": containers},
            },
        },
        "status": {},
    }


@command(
    "deployment",
    parent="create",
    aliases=("deploy",),
    short="Create a deployment with the specified name",
    usage="kubectl create deployment NAME --image=image -- [COMMAND] [args...] [options]",
    flags=(
        *GENERATOR_FLAGS,
        Flag(
            "image",
            kind="stringSlice",
            help="Image names to run. A deployment can have multiple images set for multi-container pod.",
        ),
        Flag("replicas", kind="int", short="r", default=1, help="Number of replicas to create. Default is 1."),
        Flag("port", kind="int", default=-1, help="The containerPort that this deployment exposes."),
    ),
    examples=examples(
        """
        # Create a deployment named my-dep that runs the busybox image
        kubectl create deployment my-dep --image=busybox

        # Create a deployment with a command
        kubectl create deployment my-dep --image=busybox -- date

        # Create a deployment named my-dep that runs the nginx image with 3 replicas
        kubectl create deployment my-dep --image=nginx --replicas=3

        # Create a deployment named my-dep that runs the busybox image and expose port 5701
        kubectl create deployment my-dep --image=busybox --port=5701

        # Create a deployment named my-dep that runs multiple containers
        kubectl create deployment my-dep --image=busybox:latest --image=ubuntu:latest --image=nginx
        """
    ),
)
def create_deployment(env: Env, parsed: Parsed, out: Output) -> None:
    images = list(parsed.get("image") or [])
    if not images:
        raise CommandError('required flag(s) "image" not set')
    name = one_name(parsed, "kubectl create deployment")
    check_format(parsed)
    if len(images) > 1 and parsed.after_dash:
        raise CommandError("cannot specify multiple --image options and command")
    obj = deployment_object(name, images, int(parsed.get("replicas")), int(parsed.get("port")), parsed.after_dash)
    send_create(env, enforce_namespace(obj, parsed), parsed, out)


@command(
    "namespace",
    parent="create",
    aliases=("ns",),
    short="Create a namespace with the specified name",
    usage="kubectl create namespace NAME [--dry-run=server|client|none] [options]",
    flags=GENERATOR_FLAGS,
    examples=examples(
        """
        # Create a new namespace named my-namespace
        kubectl create namespace my-namespace
        """
    ),
)
def create_namespace(env: Env, parsed: Parsed, out: Output) -> None:
    name = one_name(parsed, "kubectl create namespace")
    check_format(parsed)
    obj = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"creationTimestamp": None, "name": name},
           "spec": {}, "status": {}}  # fmt: skip
    send_create(env, obj, parsed, out)


def _add(data: dict[str, str], key: str, value: str, name: str) -> None:
    if key in data:
        raise CommandError(
            f'cannot add key {key}, another key by that name already exists in Data for ConfigMap "{name}"'
        )
    data[key] = value


def _normalized(path: str) -> str:
    from cluster.kubectl.files import FileError, normalize_path

    try:
        return normalize_path(path)
    except FileError:
        raise CommandError(f"error reading {path}: no such file or directory") from None


def _read_file(env: Env, path: str) -> str:
    key = _normalized(path)
    if key not in env.files:
        raise CommandError(f"error reading {path}: no such file or directory")
    return env.files[key]


def _from_file(env: Env, spec: str, data: dict[str, str], name: str) -> None:
    """``--from-file=[key=]path``: one file (key = its basename) or every file directly inside a folder."""
    key, eq, path = spec.partition("=")
    if not eq:
        key, path = "", spec
    norm = _normalized(path)
    if norm in env.files:
        _add(data, key or posixpath.basename(norm), env.files[norm], name)
        return
    folder = norm.rstrip("/") + "/"
    inside = sorted(p for p in env.files if p.startswith(folder) and "/" not in p[len(folder) :])
    if not inside:
        raise CommandError(f"error reading {path}: no such file or directory")
    if eq:
        raise CommandError("cannot give a key name for a directory path")
    for file in inside:
        _add(data, posixpath.basename(file), env.files[file], name)


def _from_env_file(env: Env, path: str, data: dict[str, str], name: str) -> None:
    for number, line in enumerate(_read_file(env, path).splitlines(), start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        key, eq, value = text.partition("=")
        if not eq:
            value = ""
        if not key or " " in key:
            raise CommandError(f"{key!s} is not a valid key name: a valid environment variable name (line {number})")
        _add(data, key, value, name)


def configmap_object(env: Env, name: str, parsed: Parsed) -> dict[str, Any]:
    data: dict[str, str] = {}
    for path in parsed.get("from-file") or []:
        _from_file(env, str(path), data, name)
    for literal in parsed.get("from-literal") or []:
        key, eq, value = str(literal).partition("=")
        if not eq or not key:
            raise CommandError(f"invalid literal source {literal}, expected key=value")
        _add(data, key, value, name)
    for path in parsed.get("from-env-file") or []:
        _from_env_file(env, str(path), data, name)
    obj: dict[str, Any] = {"apiVersion": "v1", "kind": "ConfigMap",
                           "metadata": {"creationTimestamp": None, "name": name}}  # fmt: skip
    if data:
        obj["data"] = data
    return obj


@command(
    "configmap",
    parent="create",
    aliases=("cm",),
    short="Create a config map from a local file, directory or literal value",
    long=(
        "Create a config map based on a file, directory, or specified literal value.\n\n A single config map may "
        "package one or more key/value pairs.\n\n When creating a config map based on a file, the key will default "
        "to the basename of the file, and the value will default to the file content.  If the basename is an invalid "
        "key, you may specify an alternate key.\n\n When creating a config map based on a directory, each file whose "
        "basename is a valid key in the directory will be packaged into the config map.  Any directory entries except "
        "regular files are ignored (e.g. subdirectories, symlinks, devices, pipes, etc)."
    ),
    usage="kubectl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] "
    "[--dry-run=server|client|none] [options]",
    flags=(
        *GENERATOR_FLAGS,
        Flag(
            "from-file",
            kind="stringSlice",
            help="Key file can be specified using its file path, in which case file "
            "basename will be used as configmap key, or optionally with a key and file path, in which case the given "
            "key will be used.  Specifying a directory will iterate each named file in the directory whose basename "
            "is a valid configmap key.",
        ),
        Flag(
            "from-literal",
            kind="stringArray",
            help="Specify a key and literal value to insert in configmap (i.e. mykey=somevalue)",
        ),
        Flag(
            "from-env-file",
            kind="stringSlice",
            help="Specify the path to a file to read lines of key=val pairs to create a configmap.",
        ),
    ),
    examples=examples(
        """
        # Create a new config map named my-config based on folder bar
        kubectl create configmap my-config --from-file=path/to/bar

        # Create a new config map named my-config with specified keys instead of file basenames on disk
        kubectl create configmap my-config --from-file=key1=/path/to/bar/file1.txt \\
          --from-file=key2=/path/to/bar/file2.txt

        # Create a new config map named my-config with key1=config1 and key2=config2
        kubectl create configmap my-config --from-literal=key1=config1 --from-literal=key2=config2

        # Create a new config map named my-config from the key=value pairs in the file
        kubectl create configmap my-config --from-file=path/to/bar

        # Create a new config map named my-config from an env file
        kubectl create configmap my-config --from-env-file=path/to/foo.env --from-env-file=path/to/bar.env
        """
    ),
)
def create_configmap(env: Env, parsed: Parsed, out: Output) -> None:
    name = one_name(parsed, "kubectl create configmap")
    check_format(parsed)
    send_create(env, enforce_namespace(configmap_object(env, name, parsed), parsed), parsed, out)
