"""Dispatch a parsed request to its handler: discovery, OpenAPI, or a verb on a resource.

Everything here is synchronous and runs in Django's sync thread; the view
handles the async parts (authentication lookups, watch and log streams).
"""

from __future__ import annotations

from collections.abc import Callable

from cluster.core import errors
from sandbox.k8sapi import discovery, openapi, reads, status, subresources, writes
from sandbox.k8sapi.exchange import ApiRequest, Reply
from sandbox.k8sapi.routes import Target, served_api

Handler = Callable[[ApiRequest, Target], Reply]

COLLECTION: dict[str, Handler] = {"GET": reads.list_objects, "POST": writes.create, "DELETE": writes.delete_collection}
ITEM: dict[str, Handler] = {"GET": reads.get, "PUT": writes.update, "PATCH": writes.patch, "DELETE": writes.delete}
STATUS: dict[str, Handler] = {"GET": reads.get, "PUT": writes.update, "PATCH": writes.patch}
SUBRESOURCES: dict[str, dict[str, Handler]] = {
    "status": STATUS,
    "scale": {"GET": subresources.scale, "PUT": subresources.scale, "PATCH": subresources.scale},
    "log": {"GET": subresources.log},
    "eviction": {"POST": subresources.eviction},
    "binding": {"POST": subresources.binding},
}


def handle(req: ApiRequest) -> Reply:
    route = req.route
    api = served_api()
    if route.kind == "resource" and route.target is not None:
        return resource(req, route.target)
    if route.kind == "not-found":
        raise status.path_not_found()
    if req.method not in ("GET", "HEAD"):
        raise status.method_not_allowed()
    if route.kind == "version":
        return discovery.version()
    if route.kind == "root":
        return discovery.root(api)
    if route.kind == "api":
        return discovery.legacy_api(req, api)
    if route.kind == "apis":
        return discovery.groups(req, api)
    if route.kind == "group":
        return discovery.group(api, route.group)
    if route.kind == "resources":
        return discovery.resource_list(api, route.group, route.version)
    if route.kind == "openapi-index":
        return openapi.index(api, req.prefix)
    if route.kind == "openapi-doc":
        return openapi.gv_document(route.group, route.version)
    if route.kind == "openapi-v2":
        return openapi.v2_document(req.accept)
    raise status.path_not_found()


def resource(req: ApiRequest, target: Target) -> Reply:
    if target.subresource in subresources.UNSUPPORTED_STREAMS:
        raise subresources.unsupported_stream(target)
    if target.name and target.served.info.namespaced and target.namespace is None:
        raise status.path_not_found()
    table = SUBRESOURCES.get(target.subresource, {}) if target.subresource else ITEM if target.name else COLLECTION
    handler = table.get(req.method)
    if handler is None:
        raise errors.method_not_allowed()
    return handler(req, target)
