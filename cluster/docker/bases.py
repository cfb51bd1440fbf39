"""Base images a Dockerfile may start ``FROM``: the Docker Hub families a learner reaches for.

Sizes are what ``docker images`` would show after pulling (uncompressed,
approximate for the current tags); ``app`` is the server an image built on
it runs when the Dockerfile does not say otherwise.

Simplification: any tag of a known family exists; an unknown official
repository is "pull access denied", as Docker Hub answers for a repository
that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cluster.docker.daemon import find
from cluster.docker.names import ImageNameError, familiar
from cluster.kubelet.images import lookup

MB = 1_000_000


@dataclass(frozen=True)
class Base:
    ref: str  # docker.io/library/python:3.9-slim
    size_bytes: int
    app: str
    mounted_from: str  # the repository layers are mounted from on push ("library/python"), "" for none
    layers: int
    ports: tuple[int, ...] = ()


# family -> (default size, slim size, alpine size, app, layers)
FAMILIES: dict[str, tuple[int, int, int, str, int]] = {
    "python": (1_020 * MB, 131 * MB, 57 * MB, "hostname", 5),
    "node": (1_100 * MB, 219 * MB, 141 * MB, "hostname", 5),
    "golang": (839 * MB, 839 * MB, 255 * MB, "hostname", 5),
    "nginx": (192 * MB, 192 * MB, 48 * MB, "nginx", 7),
    "httpd": (148 * MB, 148 * MB, 62 * MB, "httpd", 5),
    "php": (505 * MB, 505 * MB, 98 * MB, "cpu-hog", 11),
    "ubuntu": (78 * MB, 78 * MB, 78 * MB, "hostname", 1),
    "debian": (117 * MB, 74 * MB, 117 * MB, "hostname", 1),
    "alpine": (7_800_000, 7_800_000, 7_800_000, "hostname", 1),
    "busybox": (4_270_000, 4_270_000, 4_270_000, "hostname", 1),
    "redis": (117 * MB, 117 * MB, 41 * MB, "redis", 6),
    "openjdk": (471 * MB, 471 * MB, 471 * MB, "hostname", 3),
    "eclipse-temurin": (456 * MB, 456 * MB, 456 * MB, "hostname", 4),
    "ruby": (1_000 * MB, 215 * MB, 88 * MB, "hostname", 6),
}
APP_PORTS = {"nginx": (80,), "httpd": (80,), "cpu-hog": (80,), "hostname": (80,), "redis": (6379,), "echo": (8080,)}


class BaseError(ValueError):
    pass


def _family_size(family: tuple[int, int, int, str, int], tag: str) -> int:
    default, slim, alpine, _, _ = family
    if "alpine" in tag:
        return alpine
    return slim if "slim" in tag else default


def resolve(image: str, daemon: dict[str, Any] | None, pushed: dict[str, Any] | None) -> Base:
    """The base ``FROM image`` names; raises ``BaseError`` with BuildKit's message when it cannot be pulled."""
    if image == "scratch":
        return Base("scratch", 0, "", "", 0)
    try:
        repo, tag = familiar(image)
    except ImageNameError as exc:
        raise BaseError(f'failed to parse stage name "{image}": {exc}') from None
    local = find(daemon, f"{repo}:{tag}")
    if local is not None:
        ports = tuple(int(p) for p in local.get("ports") or ())
        return Base(
            f"{repo}:{tag}", int(local["sizeBytes"]), str(local.get("app", "")), "", len(local["layers"]), ports
        )
    full = (
        f"docker.io/{repo if '/' in repo else 'library/' + repo}:{tag}"
        if "." not in repo.split("/")[0]
        else (f"{repo}:{tag}")
    )
    family = FAMILIES.get(repo)
    if family is not None:
        size = _family_size(family, tag)
        return Base(full, size, family[3], f"library/{repo}", family[4], APP_PORTS.get(family[3], ()))
    info = lookup(f"{repo}:{tag}", pushed)
    if info is not None:
        mounted = repo if "/" in repo and "." not in repo.split("/")[0] else ""
        return Base(full, info.size_bytes * 2, info.app, mounted, 4, tuple(info.ports))
    raise BaseError(
        f"{full.removeprefix('docker.io/library/').removeprefix('docker.io/')}: failed to resolve source metadata for "
        f"{full}: pull access denied, repository does not exist or may require authorization: server message: "
        "insufficient_scope: authorization failed"
    )
