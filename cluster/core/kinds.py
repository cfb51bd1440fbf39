"""The registry of API kinds the sandbox serves.

Everything kind-specific (plural name, short names, scope, name rule,
defaulting, validation, which fields make up the "spec" that bumps
``metadata.generation``) hangs off one ``KindInfo``. The API server, the
kubectl emulator and discovery read this table, so adding a kind (HPA,
Ingress, ConfigMap …) is one ``register()`` call and never an engine change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cluster.core.errors import FieldError

Obj = dict[str, Any]
Defaulter = Callable[[Obj], None]
# validate(new, old) -> errors; old is None on create
Validator = Callable[[Obj, Obj | None], list[FieldError]]


@dataclass(frozen=True)
class KindInfo:
    kind: str
    group: str
    version: str
    plural: str
    namespaced: bool
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    # "subdomain" (DNS-1123 subdomain), "label" (DNS-1123 label), "dns1035" (DNS-1035 label), "path" (any path segment)
    name_rule: str = "subdomain"
    defaulter: Defaulter | None = None
    validator: Validator | None = None
    has_status: bool = True
    # Top-level keys other than metadata/status whose change bumps metadata.generation.
    # None = every key except apiVersion/kind/metadata/status.
    generation_keys: tuple[str, ...] | None = None
    # Verbs for discovery.
    verbs: tuple[str, ...] = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
    subresources: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def singular(self) -> str:
        return self.kind.lower()

    @property
    def resource_ref(self) -> str:
        """``deployments.apps`` / ``pods``: the name used in error messages."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def kubectl_prefix(self) -> str:
        """``deployment.apps`` / ``pod``: the prefix of ``deployment.apps/web created``."""
        return f"{self.singular}.{self.group}" if self.group else self.singular


class KindRegistry:
    """Lookup by kind, plural, singular or short name (case-insensitive, optional ``.group``)."""

    def __init__(self) -> None:
        self._by_kind: dict[str, KindInfo] = {}

    def register(self, info: KindInfo) -> None:
        self._by_kind[info.kind] = info

    def get(self, kind: str) -> KindInfo:
        return self._by_kind[kind]

    def has(self, kind: str) -> bool:
        return kind in self._by_kind

    def all(self) -> list[KindInfo]:
        return list(self._by_kind.values())

    def resolve(self, name: str) -> KindInfo | None:
        """Map what a user types (``po``, ``pods``, ``Pod``, ``deployments.apps``) to a kind."""
        lowered = name.lower()
        base, _, group = lowered.partition(".")
        for info in self._by_kind.values():
            if group and info.group.split(".")[0] != group.split(".")[0]:
                continue
            if base in (info.plural, info.singular, info.kind.lower()) or base in info.short_names:
                return info
        return None

    def by_api_version(self, api_version: str, kind: str) -> KindInfo | None:
        info = self._by_kind.get(kind)
        if info is None or info.api_version != api_version:
            return None
        return info


REGISTRY = KindRegistry()
