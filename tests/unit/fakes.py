"""A dict-backed ``View`` for testing one reconciler in isolation."""

from __future__ import annotations

from typing import Any

from cluster.engine.actions import Obj, ObjKey


class FakeView:
    def __init__(self, objects: list[Obj] | None = None, now_ms: int = 0) -> None:
        self.objects: dict[ObjKey, Obj] = {}
        self.privates: dict[ObjKey, dict[str, Any]] = {}
        self._now_ms = now_ms
        for obj in objects or []:
            self.add(obj)

    def add(self, obj: Obj) -> Obj:
        self.objects[ObjKey.of(obj)] = obj
        return obj

    def remove(self, key: ObjKey) -> None:
        self.objects.pop(key, None)

    @property
    def now_ms(self) -> int:
        return self._now_ms

    def get(self, kind: str, namespace: str, name: str) -> Obj | None:
        return self.objects.get(ObjKey(kind, namespace, name))

    def get_key(self, key: ObjKey) -> Obj | None:
        return self.objects.get(key)

    def list(self, kind: str, namespace: str | None = None) -> list[Obj]:
        keys = sorted(k for k in self.objects if k.kind == kind and (namespace is None or k.namespace == namespace))
        return [self.objects[k] for k in keys]

    def by_uid(self, uid: str) -> Obj | None:
        for obj in self.objects.values():
            if obj["metadata"].get("uid") == uid:
                return obj
        return None

    def owned_by(self, uid: str, kind: str | None = None) -> list[Obj]:
        out = []
        for key in sorted(self.objects):
            obj = self.objects[key]
            if kind and obj["kind"] != kind:
                continue
            if any(r.get("uid") == uid for r in obj["metadata"].get("ownerReferences", []) or []):
                out.append(obj)
        return out

    def pods_on_node(self, node_name: str) -> list[Obj]:
        return [p for p in self.list("Pod") if p.get("spec", {}).get("nodeName") == node_name]

    def pods_with_ip(self, node_name: str, ip: str) -> list[Obj]:
        return [p for p in self.pods_on_node(node_name) if str((p.get("status") or {}).get("podIP") or "") == ip]

    def private(self, key: ObjKey) -> dict[str, Any] | None:
        return self.privates.get(key)
