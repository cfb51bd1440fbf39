"""Which container of a pod answers on a port, and whether its process is still there.

A connection DNAT-ed to ``podIP:port`` reaches whatever process in the pod
listens on that port; the sandbox knows each image's app and ports from the
image registry (``cluster.kubelet.images``), and user images pushed with the
simulated ``docker push`` may declare their own ports (``EXPOSE``). Whether
the process still runs — and when a terminating one will stop — is in the
kubelet's memory of the pod (private state ``kubelet``).

Simplification: a container that overrides ``command`` with anything but a
known server binary serves nothing (``sleep 3600`` listens on no port).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cluster.core.objects import Obj
from cluster.kubelet.images import lookup
from cluster.kubelet.reference import InvalidReference, parse
from cluster.networking.apps import SERVER_BINARIES, App

NO_SERVER_APPS = ("", "crasher")


@dataclass(frozen=True)
class ContainerState:
    """What the kubelet knows about one container: running now, and a planned stop (time, signal)."""

    running: bool
    stop_at_ms: int | None = None
    signal: str = ""


@lru_cache(maxsize=512)
def _image_app(image: str) -> App | None:
    info = lookup(image)
    if info is None:
        return None
    return App(info.app, info.version, info.server_header, tuple(info.ports))


def pushed_entry(image: str, pushed: dict[str, Any] | None) -> dict[str, Any] | None:
    """The simulated Docker Hub's entry for ``image`` (``alice/hostname`` = ``docker.io/alice/hostname:latest``)."""
    if not pushed:
        return None
    try:
        ref = parse(image)
    except InvalidReference:
        return None
    for name, entry in pushed.items():
        try:
            other = parse(name)
        except InvalidReference:
            continue
        if (other.repository, other.tag) == (ref.repository, ref.tag) and isinstance(entry, dict):
            return entry
    return None


def image_app(image: str, pushed: dict[str, Any] | None) -> App | None:
    """The app an image runs; a pushed image may declare its own ports (its Dockerfile's ``EXPOSE``)."""
    entry = pushed_entry(image, pushed)
    if entry is not None:
        info = lookup(image, pushed)
        if info is None:
            return None
        ports = tuple(int(p) for p in entry.get("ports") or ()) or tuple(info.ports)
        return App(info.app, info.version, info.server_header, ports)
    return _image_app(image)


def container_app(container: dict[str, Any], pushed: dict[str, Any] | None) -> App | None:
    app = image_app(str(container.get("image", "")), pushed)
    if app is None or app.kind in NO_SERVER_APPS:
        return None
    command = container.get("command") or []
    if command and str(command[0]).rsplit("/", 1)[-1] not in SERVER_BINARIES:
        return None
    return app


def serving_container(pod: Obj, port: int, pushed: dict[str, Any] | None) -> tuple[str, App] | None:
    """The (container name, app) listening on ``port`` in ``pod``, if any."""
    spec = pod.get("spec") or {}
    sidecars = [c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"]
    for container in [*(spec.get("containers") or []), *sidecars]:
        app = container_app(container, pushed)
        if app is not None and port in app.ports:
            return str(container.get("name", "")), app
    return None


def container_state(private: dict[str, Any] | None, name: str) -> ContainerState:
    state = (private or {}).get("kubelet") or {}
    records = [*(state.get("initContainers") or []), *(state.get("containers") or [])]
    rec = next((r for r in records if r.get("name") == name), None)
    if rec is None or rec.get("stage") != "running":
        return ContainerState(False)
    stop = ((state.get("kill") or {}).get("stops") or {}).get(name)
    if stop is None:
        exit_at = rec.get("exitAtMs")
        return ContainerState(True, int(exit_at) if exit_at is not None else None, "")
    if stop.get("applied"):
        return ContainerState(False)
    return ContainerState(True, int(stop["atMs"]), str(stop.get("signal") or ""))
