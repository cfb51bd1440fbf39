"""Which group/version/resource a URL names, and the versions of each kind the sandbox serves.

A kind is stored in one version (``KindInfo.version``) and may be served in
others through the registry's ``extra["conversions"]`` (HPAs: stored as
autoscaling/v2, also served as autoscaling/v1 for ``kubectl autoscale``).
``Served`` carries the conversion both ways. URL paths follow the API
server's layout: ``/api/v1/...`` for the core group, ``/apis/<group>/<version>/...``
for the others, with ``namespaces/<ns>/`` in front of namespaced resources
and an optional ``/<name>/<subresource>`` after them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cluster.core.kinds import KindInfo, KindRegistry

Obj = dict[str, Any]
Convert = Callable[[Obj], Obj]

# Discovery order of the named groups (the API server's group priorities).
GROUP_ORDER = (
    "apps",
    "events.k8s.io",
    "autoscaling",
    "batch",
    "networking.k8s.io",
    "policy",
    "coordination.k8s.io",
    "discovery.k8s.io",
)


@dataclass(frozen=True)
class Served:
    """One kind as served in one group/version."""

    info: KindInfo
    version: str
    to_storage: Convert | None = None
    to_client: Convert | None = None

    @property
    def group(self) -> str:
        return self.info.group

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def plural(self) -> str:
        return self.info.plural

    @property
    def kind(self) -> str:
        return self.info.kind

    def incoming(self, obj: Obj) -> Obj:
        """A request body in this version, converted to the stored version."""
        if self.to_storage is not None and obj.get("apiVersion") == self.api_version:
            return self.to_storage(obj)
        return obj

    def outgoing(self, obj: Obj) -> Obj:
        """A stored object as a client of this version sees it."""
        if self.to_client is not None and obj.get("apiVersion") != self.api_version:
            return self.to_client(obj)
        return obj


class ServedApi:
    """Every (group, version, resource) the sandbox answers for, built from a kind registry."""

    def __init__(self, registry: KindRegistry) -> None:
        self.registry = registry
        self._by_gv: dict[tuple[str, str], dict[str, Served]] = {}
        for info in registry.all():
            self._add(Served(info, info.version))
            for api_version, (to_storage, to_client) in (info.extra.get("conversions") or {}).items():
                self._add(Served(info, api_version.rpartition("/")[2], to_storage, to_client))

    def _add(self, served: Served) -> None:
        self._by_gv.setdefault((served.group, served.version), {})[served.plural] = served

    def lookup(self, group: str, version: str, plural: str) -> Served | None:
        return self._by_gv.get((group, version), {}).get(plural)

    def resources(self, group: str, version: str) -> list[Served]:
        """The resources of one group/version, sorted by name as the API server lists them."""
        return [self._by_gv[(group, version)][p] for p in sorted(self._by_gv.get((group, version), {}))]

    def has_group_version(self, group: str, version: str) -> bool:
        return (group, version) in self._by_gv

    def groups(self) -> list[tuple[str, list[str]]]:
        """Named groups in discovery order, each with its versions, preferred (the stored one) first."""
        found: dict[str, list[str]] = {}
        for group, version in self._by_gv:
            if group:
                found.setdefault(group, []).append(version)
        ordered = sorted(found, key=lambda g: (GROUP_ORDER.index(g) if g in GROUP_ORDER else len(GROUP_ORDER), g))
        return [(group, sorted(found[group], key=lambda v: self._version_rank(group, v))) for group in ordered]

    def _version_rank(self, group: str, version: str) -> tuple[int, str]:
        stored = any(s.info.version == version for s in self._by_gv[(group, version)].values())
        return (0 if stored else 1, version)

    def served_for_kind(self, kind: str) -> Served | None:
        """The stored version of ``kind`` (for watch events and tables of any version)."""
        if not self.registry.has(kind):
            return None
        info = self.registry.get(kind)
        return self.lookup(info.group, info.version, info.plural)


@lru_cache(maxsize=1)
def served_api() -> ServedApi:
    """The served API of every sandbox (all sandboxes share the built-in kinds)."""
    from cluster.sim import build_registry

    return ServedApi(build_registry())


# -- paths -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """A resource request: collection (``name == ""``), object, or object subresource."""

    served: Served
    namespace: str | None  # None: all namespaces (or a cluster-scoped kind)
    name: str = ""
    subresource: str = ""
    watch_path: bool = False  # the deprecated /watch/ URL form


@dataclass(frozen=True)
class Route:
    """What a path asks for: ``kind`` is one of the names in ``ROUTE_KINDS``."""

    kind: str
    group: str = ""
    version: str = ""
    target: Target | None = None


ROUTE_KINDS = (
    "root",
    "version",
    "api",
    "apis",
    "group",
    "resources",
    "openapi-index",
    "openapi-doc",
    "openapi-v2",
    "resource",
    "not-found",
)
NOT_FOUND = Route("not-found")
# Connection-upgrading subresources of pods a client may try even though discovery does not list them.
STREAMING_SUBRESOURCES = ("exec", "attach", "portforward")


def parse_path(api: ServedApi, path: str) -> Route:
    """The route of ``path`` (relative to the sandbox's prefix, without the leading slash)."""
    parts = [p for p in path.split("/") if p]
    if not parts:
        return Route("root")
    head = parts[0]
    if head == "version" and len(parts) == 1:
        return Route("version")
    if head == "openapi":
        return _openapi_route(api, parts[1:])
    if head == "api":
        return _core_route(api, parts[1:])
    if head == "apis":
        return _group_route(api, parts[1:])
    return NOT_FOUND


def _openapi_route(api: ServedApi, parts: list[str]) -> Route:
    if parts == ["v2"]:
        return Route("openapi-v2")
    if parts == ["v3"]:
        return Route("openapi-index")
    if len(parts) == 3 and parts[:2] == ["v3", "api"] and api.has_group_version("", parts[2]):
        return Route("openapi-doc", "", parts[2])
    if len(parts) == 4 and parts[:2] == ["v3", "apis"] and api.has_group_version(parts[2], parts[3]):
        return Route("openapi-doc", parts[2], parts[3])
    return NOT_FOUND


def _core_route(api: ServedApi, parts: list[str]) -> Route:
    if not parts:
        return Route("api")
    if not api.has_group_version("", parts[0]):
        return NOT_FOUND
    if len(parts) == 1:
        return Route("resources", "", parts[0])
    return _resource_route(api, "", parts[0], parts[1:])


def _group_route(api: ServedApi, parts: list[str]) -> Route:
    if not parts:
        return Route("apis")
    if len(parts) == 1:
        known = any(group == parts[0] for group, _ in api.groups())
        return Route("group", parts[0]) if known else NOT_FOUND
    group, version = parts[0], parts[1]
    if not api.has_group_version(group, version):
        return NOT_FOUND
    if len(parts) == 2:
        return Route("resources", group, version)
    return _resource_route(api, group, version, parts[2:])


def _resource_route(api: ServedApi, group: str, version: str, parts: list[str]) -> Route:
    watch_path = parts[0] == "watch"
    if watch_path:
        parts = parts[1:]
    namespace: str | None = None
    if len(parts) >= 3 and parts[0] == "namespaces" and api.lookup(group, version, parts[2]) is not None:
        namespace, parts = parts[1], parts[2:]
    if not parts or len(parts) > 3:
        return NOT_FOUND
    served = api.lookup(group, version, parts[0])
    if served is None:
        return NOT_FOUND
    name = parts[1] if len(parts) > 1 else ""
    subresource = parts[2] if len(parts) > 2 else ""
    streaming = served.kind == "Pod" and subresource in STREAMING_SUBRESOURCES
    if subresource and subresource not in served.info.subresources and not streaming:
        return NOT_FOUND
    if not served.info.namespaced and namespace is not None:
        return NOT_FOUND
    return Route("resource", group, version, Target(served, namespace, name, subresource, watch_path))
