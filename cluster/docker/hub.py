"""``docker push`` to the sandbox's Docker Hub: private state ``ImageRegistry/docker.io``.

``{"images": {"alice/hostname:latest": {"app", "size", "digest", "pushedAtMs", "ports"}}, "layers": [...]}``
— the ``images`` map is exactly what the kubelet reads to pull user images.
Docker Hub only lets an account push to its own namespace, so pushing needs
``docker login`` as that user; layers the Hub already has are reported as
``Layer already exists`` and base-image layers as ``Mounted from library/…``.

Simplification: ``size`` (what the kubelet reports as the pulled size) is the
compressed size estimated as 40 % of the local image.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from cluster.docker.daemon import find
from cluster.docker.names import ImageNameError, familiar, hub_repository, namespace_of
from cluster.engine.actions import ObjKey

REGISTRY_KEY = ObjKey("ImageRegistry", "", "docker.io")
DENIED = "denied: requested access to the resource is denied"
COMPRESSION = 0.4


@dataclass
class Pushed:
    lines: list[str]
    registry: dict[str, Any] | None  # None: nothing changed
    exit_code: int = 0


def _short(digest: str) -> str:
    return digest.removeprefix("sha256:")[:12]


def push(daemon: dict[str, Any] | None, registry: dict[str, Any] | None, name: str, now_ms: int) -> Pushed:
    try:
        repo, tag = familiar(name)
    except ImageNameError as exc:
        return Pushed([f"invalid reference format: {exc}"], None, 1)
    image = find(daemon, f"{repo}:{tag}")
    if image is None or f"{repo}:{tag}" not in image.get("tags", []):
        return Pushed([f"An image does not exist locally with the tag: {repo}"], None, 1)
    if "." in repo.split("/")[0] or ":" in repo.split("/")[0]:
        host = repo.split("/")[0]
        return Pushed([f'Get "https://{host}/v2/": dial tcp: lookup {host.split(":")[0]}: no such host'], None, 1)
    lines = [f"The push refers to repository [{hub_repository(repo)}]"]
    layers = list(reversed(image.get("layers") or []))
    user = ((daemon or {}).get("login") or {}).get("username")
    if not user or namespace_of(repo) != user:
        lines += [f"{_short(layer['digest'])}: Preparing" for layer in layers]
        return Pushed([*lines, DENIED], None, 1)
    known = set((registry or {}).get("layers") or [])
    for layer in layers:
        if layer["digest"] in known:
            status = "Layer already exists"
        elif layer.get("mountedFrom"):
            status = f"Mounted from {layer['mountedFrom']}"
        else:
            status = "Pushed"
        lines.append(f"{_short(layer['digest'])}: {status}")
    digest = "sha256:" + hashlib.sha256(f"{image['id']}:{repo}:{tag}".encode()).hexdigest()
    lines.append(f"{tag}: digest: {digest} size: {527 + 212 * len(layers)}")
    entry = {"app": image.get("app", "hostname"), "size": int(int(image["sizeBytes"]) * COMPRESSION),
             "digest": digest, "pushedAtMs": now_ms, "ports": list(image.get("ports") or [])}  # fmt: skip
    images = dict((registry or {}).get("images") or {})
    images[f"{repo}:{tag}"] = entry
    new_registry = {
        **(registry or {}),
        "images": images,
        "layers": sorted(known | {layer["digest"] for layer in layers}),
    }
    return Pushed(lines, new_registry)
