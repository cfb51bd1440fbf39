"""Image names the way the Docker CLI shows them: ``alice/hostname:latest``, ``nginx:1.25`` (no ``docker.io/``)."""

from __future__ import annotations

import re

from cluster.kubelet.reference import InvalidReference, parse

_TAG = re.compile(r"^[\w][\w.-]{0,127}$")


class ImageNameError(ValueError):
    pass


def familiar(image: str) -> tuple[str, str]:
    """``docker.io/library/nginx`` → ``("nginx", "latest")``; raises ``ImageNameError`` for an invalid reference."""
    try:
        ref = parse(image)
    except InvalidReference as exc:
        raise ImageNameError(str(exc)) from None
    if ref.digest and not ref.tag:
        raise ImageNameError("invalid reference format")
    path = ref.path
    if ref.domain == "docker.io":
        path = path.removeprefix("library/")
        return path, ref.tag
    return f"{ref.domain}/{path}", ref.tag


def full_name(image: str) -> str:
    repo, tag = familiar(image)
    return f"{repo}:{tag}"


def hub_repository(image: str) -> str:
    """``alice/hostname`` → ``docker.io/alice/hostname``; ``nginx`` → ``docker.io/library/nginx``."""
    ref = parse(image)
    return ref.repository


def namespace_of(image: str) -> str:
    """The Docker Hub account a repository belongs to (``library`` for official images)."""
    ref = parse(image)
    return ref.path.split("/")[0] if ref.domain == "docker.io" else ref.domain
