"""The terminal's traffic programs: ``curl``, ``load``, ``kube-proxy`` and ``docker``.

Importing this module registers them in ``cluster.kubectl.shell.PROGRAMS``
(``curl`` itself dispatches to ``_curl``). They run against the simulated
network (``cluster.networking``) and the simulated Docker daemon and Hub
(``cluster.docker``); what they change is private component state written
through the API server, and their ``traffic.request`` records go to the
``SimCluster``'s traffic log for the page.

``curl_from_pod(env, pod, argv)`` is ``kubectl exec POD -- curl …``: the same
curl, sent from inside the pod (cluster DNS, ClusterIPs and pod IPs work
there, and ``localhost`` is the pod itself).
"""

from __future__ import annotations

from typing import Any

from cluster.core.objects import Obj
from cluster.docker.cli import docker as docker_cli
from cluster.engine.actions import ObjKey
from cluster.engine.storeview import StoreView
from cluster.kubectl.base import Env, Output
from cluster.kubectl.shell import program
from cluster.networking.network import Client
from cluster.networking.records import TrafficLog, TrafficRecord
from cluster.networking.terminal.context import Terminal
from cluster.networking.terminal.curl import curl as curl_program
from cluster.networking.terminal.loadcli import load as load_program
from cluster.networking.terminal.proxycli import kube_proxy as kube_proxy_program

# Records of an API server that belongs to no SimCluster (kept bounded; nobody publishes them).
_ORPHAN_LOG = TrafficLog(limit=1_000)


def _cluster(env: Env) -> Any:
    from cluster.sim import SimCluster

    return SimCluster.of(env.api)


def terminal(env: Env) -> Terminal:
    """The traffic programs' view of the terminal ``env``."""
    cluster = _cluster(env)
    log: TrafficLog = cluster.traffic if cluster is not None else _ORPHAN_LOG

    def apply(writes: list[tuple[ObjKey, dict[str, Any]]]) -> None:
        for key, data in writes:
            env.api.set_private(key, data)

    def publish(records: list[TrafficRecord]) -> None:
        log.extend(records)

    return Terminal(
        view=StoreView(env.api.store, env.now_ms),
        now_ms=env.now_ms(),
        apply=apply,
        publish=publish,
        files=env.files,
        changed_files=env.files_changed,
        lang=env.lang,
        wake=cluster.wake if cluster is not None else None,
    )


def pod_client(pod: Obj) -> Client:
    meta, status = pod.get("metadata") or {}, pod.get("status") or {}
    namespace, name = str(meta.get("namespace", "default")), str(meta.get("name", ""))
    return Client(str(status.get("podIP") or ""), f"pod/{namespace}/{name}", namespace, name,
                  str((pod.get("spec") or {}).get("nodeName") or ""))  # fmt: skip


def _env_client(env: Env) -> Client:
    if not env.client:
        return Client()
    namespace = env.client.get("namespace", env.namespace)
    name = env.client.get("pod") or env.client.get("name") or ""
    pod = env.api.store.get(ObjKey("Pod", namespace, name))
    return pod_client(pod) if pod is not None else Client()


def curl_from_pod(env: Env, pod: Obj, argv: list[str]) -> Output:
    """``kubectl exec POD -- curl …``: ``argv`` may start with ``curl``."""
    args = argv[1:] if argv and argv[0].rsplit("/", 1)[-1] == "curl" else argv
    return curl_program(terminal(env), pod_client(pod), args)


@program("_curl")
def curl(env: Env, args: list[str]) -> Output:
    return curl_program(terminal(env), _env_client(env), args)


@program("load")
def load(env: Env, args: list[str]) -> Output:
    return load_program(terminal(env), args, env.namespace)


@program("kube-proxy")
def kube_proxy(env: Env, args: list[str]) -> Output:
    return kube_proxy_program(terminal(env), args)


@program("docker")
def docker(env: Env, args: list[str]) -> Output:
    return docker_cli(terminal(env), args)
