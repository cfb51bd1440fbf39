"""Discovery: ``/version``, ``/api``, ``/apis`` and the per-group-version resource lists (K8S_FACTS §7.1).

kubectl learns every resource name, short name, scope, verb and category
from here (``kubectl get po``, ``get all``, ``api-resources``), so the
entries come straight from the kind registry. Both forms are served: the
legacy documents (``APIVersions``, ``APIGroupList``, ``APIResourceList``) and,
when the client's Accept asks for it, the aggregated
``APIGroupDiscoveryList`` that lets kubectl discover everything in two requests.
"""

from __future__ import annotations

from typing import Any

from sandbox.k8sapi.exchange import ApiRequest, Reply, ok
from sandbox.k8sapi.negotiate import discovery_version
from sandbox.k8sapi.routes import Served, ServedApi

Obj = dict[str, Any]
VERSION_INFO: Obj = {
    "major": "1",
    "minor": "32",
    "gitVersion": "v1.32.4",
    "gitCommit": "kubesandbox",
    "gitTreeState": "clean",
    "buildDate": "2025-04-22T16:03:54Z",
    "goVersion": "go1.23.8",
    "compiler": "gc",
    "platform": "linux/amd64",
}
SUBRESOURCE_VERBS = ("get", "patch", "update")
# subresource -> ((group, version, kind) or None for the parent's kind, verbs)
SUBRESOURCES: dict[str, tuple[tuple[str, str, str] | None, tuple[str, ...]]] = {
    "status": (None, SUBRESOURCE_VERBS),
    "scale": (("autoscaling", "v1", "Scale"), SUBRESOURCE_VERBS),
    "log": (("", "v1", "Pod"), ("get",)),
    "exec": (("", "v1", "PodExecOptions"), ("create", "get")),
    "binding": (("", "v1", "Binding"), ("create",)),
    "eviction": (("policy", "v1", "Eviction"), ("create",)),
    "finalize": (None, ("update",)),
}


def version() -> Reply:
    return ok(VERSION_INFO)


def root(api: ServedApi) -> Reply:
    paths = ["/api", "/api/v1", "/apis"]
    for group, versions in api.groups():
        paths += [f"/apis/{group}", *(f"/apis/{group}/{v}" for v in versions)]
    return ok({"paths": [*paths, "/openapi/v3", "/version"]})


def _group_version(group: str, version_: str) -> Obj:
    return {"groupVersion": f"{group}/{version_}", "version": version_}


def _group(group: str, versions: list[str]) -> Obj:
    entries = [_group_version(group, v) for v in versions]
    return {"name": group, "versions": entries, "preferredVersion": entries[0]}


def legacy_api(req: ApiRequest, api: ServedApi) -> Reply:
    wanted = discovery_version(req.accept)
    if wanted:
        return _aggregated(wanted, [_aggregated_group(api, "", ["v1"])])
    address = {"clientCIDR": "0.0.0.0/0", "serverAddress": req.host or "127.0.0.1"}
    return ok({"kind": "APIVersions", "versions": ["v1"], "serverAddressByClientCIDRs": [address]})


def groups(req: ApiRequest, api: ServedApi) -> Reply:
    wanted = discovery_version(req.accept)
    if wanted:
        return _aggregated(wanted, [_aggregated_group(api, g, versions) for g, versions in api.groups()])
    return ok({"kind": "APIGroupList", "apiVersion": "v1", "groups": [_group(g, v) for g, v in api.groups()]})


def group(api: ServedApi, name: str) -> Reply:
    versions = dict(api.groups())[name]
    return ok({"kind": "APIGroup", "apiVersion": "v1", **_group(name, versions)})


# -- APIResourceList ---------------------------------------------------------------------------------------------
def _resource(served: Served) -> Obj:
    info = served.info
    entry: Obj = {
        "name": info.plural,
        "singularName": info.singular,
        "namespaced": info.namespaced,
        "kind": info.kind,
        "verbs": list(info.verbs),
    }
    if info.short_names:
        entry["shortNames"] = list(info.short_names)
    if info.categories:
        entry["categories"] = list(info.categories)
    return entry


def _subresource(served: Served, name: str) -> Obj:
    response_kind, verbs = SUBRESOURCES.get(name, (None, ("get",)))
    entry: Obj = {"name": f"{served.plural}/{name}", "singularName": "", "namespaced": served.info.namespaced}
    if response_kind is None:
        entry["kind"] = served.kind
    else:
        group_, version_, kind = response_kind
        if group_:
            entry.update(group=group_, version=version_)
        entry["kind"] = kind
    entry["verbs"] = list(verbs)
    return entry


def resource_list(api: ServedApi, group_: str, version_: str) -> Reply:
    resources: list[Obj] = []
    for served in api.resources(group_, version_):
        resources.append(_resource(served))
        resources += [_subresource(served, sub) for sub in sorted(served.info.subresources)]
    group_version = f"{group_}/{version_}" if group_ else version_
    return ok({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version, "resources": resources})


# -- aggregated discovery (apidiscovery.k8s.io/v2) ---------------------------------------------------------------
def _response_kind(group_: str, version_: str, kind: str) -> Obj:
    return {"group": group_, "version": version_, "kind": kind}


def _aggregated_subresource(served: Served, name: str) -> Obj:
    response_kind, verbs = SUBRESOURCES.get(name, (None, ("get",)))
    target = (served.group, served.version, served.kind) if response_kind is None else response_kind
    return {"subresource": name, "responseKind": _response_kind(*target), "verbs": list(verbs)}


def _aggregated_resource(served: Served) -> Obj:
    info = served.info
    entry: Obj = {
        "resource": info.plural,
        "responseKind": _response_kind(served.group, served.version, info.kind),
        "scope": "Namespaced" if info.namespaced else "Cluster",
        "singularResource": info.singular,
        "verbs": list(info.verbs),
    }
    if info.short_names:
        entry["shortNames"] = list(info.short_names)
    if info.categories:
        entry["categories"] = list(info.categories)
    if info.subresources:
        entry["subresources"] = [_aggregated_subresource(served, s) for s in sorted(info.subresources)]
    return entry


def _aggregated_group(api: ServedApi, group_: str, versions: list[str]) -> Obj:
    return {
        "metadata": {"name": group_, "creationTimestamp": None},
        "versions": [
            {
                "version": v,
                "resources": [_aggregated_resource(s) for s in api.resources(group_, v)],
                "freshness": "Current",
            }
            for v in versions
        ],
    }


def _aggregated(version_: str, items: list[Obj]) -> Reply:
    body = {
        "kind": "APIGroupDiscoveryList",
        "apiVersion": f"apidiscovery.k8s.io/{version_}",
        "metadata": {},
        "items": items,
    }
    return ok(body, content_type=f"application/json;g=apidiscovery.k8s.io;v={version_};as=APIGroupDiscoveryList")
