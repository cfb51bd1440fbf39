"""The mutable side of the network model for one batch of requests.

kube-proxy's memory (the connection counter behind its random draws, IPVS
cursors, the ClientIP affinity table) lives in private state
``KubeProxy/config``; each pod's counters live in the pod's private state
under ``traffic``. A batch (one ``curl``, one load-generator tick) works on
copies and hands back the writes at the end: the shell applies them through
the API server, a reconciler returns them as ``SetPrivate`` actions. Pod
writes merge into the pod's private dict, so the kubelet's own memory
(``kubelet``) is never dropped.
"""

from __future__ import annotations

import hashlib
from typing import Any

from cluster.core.objects import Obj, clone, uid_of
from cluster.engine.actions import ObjKey
from cluster.engine.view import View
from cluster.networking import counters
from cluster.networking.proxy import CONFIG_KEY, mode_of
from cluster.networking.records import TrafficRecord, new_record


class NetState:
    def __init__(self, view: View, now_ms: int) -> None:
        self.view = view
        self.now_ms = now_ms
        self._config: dict[str, Any] | None = None
        self._traffic: dict[ObjKey, dict[str, Any]] = {}
        self._extra: dict[ObjKey, dict[str, Any]] = {}
        self._salt: int | None = None
        self.records: list[TrafficRecord] = []

    # -- kube-proxy -----------------------------------------------------------------------------------------
    def proxy_config(self) -> dict[str, Any]:
        if self._config is None:
            self._config = clone(self.view.private(CONFIG_KEY) or {})
        return self._config

    @property
    def proxy_mode(self) -> str:
        return mode_of(self.proxy_config())

    @property
    def salt(self) -> int:
        """Per-sandbox salt for kube-proxy's draws (the seeded uid of the ``default`` namespace)."""
        if self._salt is None:
            namespace = self.view.get("Namespace", "", "default")
            text = uid_of(namespace) if namespace is not None else "kubesandbox"
            self._salt = int.from_bytes(hashlib.sha256(text.encode()).digest()[:6], "big")
        return self._salt

    # -- pods ---------------------------------------------------------------------------------------------------
    def traffic(self, pod: Obj) -> dict[str, Any]:
        """The working copy of ``pod``'s counters (started afresh for a new pod of the same name)."""
        key = ObjKey.of(pod)
        working = self._traffic.get(key)
        if working is None:
            stored = (self.view.private(key) or {}).get(counters.TRAFFIC_KEY)
            uid = uid_of(pod)
            working = counters.copy(stored) if stored and stored.get("podUID") == uid else counters.fresh(uid)
            self._traffic[key] = working
        return working

    def set_private(self, key: ObjKey, data: dict[str, Any]) -> None:
        """Replace a whole private entry this package owns (e.g. the load generator's runs)."""
        self._extra[key] = data

    # -- records -----------------------------------------------------------------------------------------------
    def record(self, **fields: Any) -> TrafficRecord:
        config = self.proxy_config()
        config["records"] = seq = int(config.get("records", 0)) + 1
        fields.setdefault("proxy_mode", self.proxy_mode)
        record = new_record(seq=seq, **fields)
        self.records.append(record)
        return record

    # -- results -----------------------------------------------------------------------------------------------
    def writes(self) -> list[tuple[ObjKey, dict[str, Any]]]:
        out: list[tuple[ObjKey, dict[str, Any]]] = []
        if self._config is not None and self._config != (self.view.private(CONFIG_KEY) or {}):
            out.append((CONFIG_KEY, self._config))
        for key, working in self._traffic.items():
            pod = self.view.get_key(key)
            if pod is None or uid_of(pod) != working.get("podUID"):
                continue  # the pod is gone: its private state went with it
            counters.prune(working, self.now_ms)
            out.append((key, {**(self.view.private(key) or {}), counters.TRAFFIC_KEY: working}))
        out.extend(self._extra.items())
        return out
