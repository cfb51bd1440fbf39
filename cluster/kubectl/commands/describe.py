"""``kubectl describe``: the human summary of objects, the objects around them and their Events.

Like kubectl it fetches what each describer needs (a Deployment's
ReplicaSets, a ReplicaSet's pods, a Service's EndpointSlices, the pods on a
Node and its Lease) and the Events whose ``involvedObject`` is the object. A
name that matches nothing falls back to prefix matching before NotFound.
"""

from __future__ import annotations

from typing import Any

from cluster.core import errors
from cluster.core.kinds import KindInfo
from cluster.core.labels import selector_string
from cluster.kubectl.base import CommandError, Env, Output, api_error_text, command, namespace_of
from cluster.kubectl.commands.common import ALL_NAMESPACES, FILENAME, RECURSIVE, SELECTOR, split_type_name
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples

Obj = dict[str, Any]


def _list(
    env: Env, kind: str, namespace: str | None, labels: str | None = None, fields: str | None = None
) -> list[Obj]:
    if not env.api.registry.has(kind):
        return []
    items, _ = env.api.list(kind, namespace, labels, fields, env.ctx())
    return items


def _owned(items: list[Obj], uid: str) -> list[Obj]:
    return [o for o in items if any(r.get("uid") == uid for r in (o["metadata"].get("ownerReferences") or []))]


def related_objects(env: Env, info: KindInfo, obj: Obj) -> dict[str, list[Obj]]:
    meta = obj["metadata"]
    ns, name, uid = meta.get("namespace", ""), meta["name"], meta.get("uid", "")
    spec = obj.get("spec") or {}
    if info.kind == "Deployment":
        selector = selector_string(spec.get("selector")) or None
        return {"ReplicaSet": _owned(_list(env, "ReplicaSet", ns, selector), uid)}
    if info.kind == "ReplicaSet":
        selector = selector_string(spec.get("selector")) or None
        return {"Pod": _owned(_list(env, "Pod", ns, selector), uid)}
    if info.kind == "Service":
        return {"EndpointSlice": _list(env, "EndpointSlice", ns, f"kubernetes.io/service-name={name}")}
    if info.kind == "Node":
        fields = f"spec.nodeName={name},status.phase!=Succeeded,status.phase!=Failed"
        related = {"Pod": _list(env, "Pod", None, None, fields)}
        lease = env.api.store.list("Lease", "kube-node-lease") if env.api.registry.has("Lease") else []
        related["Lease"] = [lease_obj for lease_obj in lease if lease_obj["metadata"]["name"] == name]
        return related
    if info.kind == "Ingress":
        return {"Service": _list(env, "Service", ns), "EndpointSlice": _list(env, "EndpointSlice", ns)}
    return {}


def events_for(env: Env, obj: Obj) -> list[Obj]:
    meta = obj["metadata"]
    ns = meta.get("namespace") or None
    fields = f"involvedObject.name={meta['name']},involvedObject.uid={meta.get('uid', '')}"
    if ns:
        fields += f",involvedObject.namespace={ns}"
    events = [
        e for e in _list(env, "Event", ns, None, fields) if (e.get("involvedObject") or {}).get("kind") == obj["kind"]
    ]
    return sorted(events, key=lambda e: (e.get("lastTimestamp") or e.get("eventTime") or "", e["metadata"]["name"]))


def _by_name(env: Env, parsed: Parsed, info: KindInfo, name: str, out: Output) -> list[Obj]:
    ns = namespace_of(env, parsed) if info.namespaced else ""
    try:
        return [env.api.get(info.kind, ns, name, env.ctx())]
    except errors.ApiError as exc:
        if exc.reason != "NotFound":
            raise
        scope = None if parsed.get("all-namespaces") or not info.namespaced else ns
        prefixed = [o for o in _list(env, info.kind, scope) if o["metadata"]["name"].startswith(name)]
        if not prefixed:
            out.fail(api_error_text(exc))
        return prefixed


def _targets(env: Env, parsed: Parsed, out: Output) -> list[tuple[KindInfo, Obj]]:
    if parsed.get("filename"):
        return _file_targets(env, parsed, out)
    pairs = split_type_name(env, parsed.args)
    if not pairs:
        raise CommandError(
            'You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of '
            "supported resources."
        )
    found: list[tuple[KindInfo, Obj]] = []
    for info, name in pairs:
        if name is not None:
            found += [(info, o) for o in _by_name(env, parsed, info, name, out)]
            continue
        scope = None if parsed.get("all-namespaces") or not info.namespaced else namespace_of(env, parsed)
        found += [(info, o) for o in _list(env, info.kind, scope, parsed.get("selector") or None)]
    return found


def _file_targets(env: Env, parsed: Parsed, out: Output) -> list[tuple[KindInfo, Obj]]:
    from cluster.kubectl.commands.common import no_match_error
    from cluster.kubectl.commands.sources import read_sources

    found: list[tuple[KindInfo, Obj]] = []
    for source in read_sources(env, parsed, "describe"):
        for doc in source.documents:
            info = env.api.registry.by_api_version(str(doc.get("apiVersion")), str(doc.get("kind")))
            if info is None:
                raise no_match_error(doc, source.name)
            meta = doc.get("metadata") or {}
            ns = meta.get("namespace") or namespace_of(env, parsed)
            try:
                found.append(
                    (info, env.api.get(info.kind, ns if info.namespaced else "", meta.get("name", ""), env.ctx()))
                )
            except errors.ApiError as exc:
                out.fail(api_error_text(exc))
    return found


@command(
    "describe",
    short="Show details of a specific resource or group of resources",
    long=(
        "Show details of a specific resource or group of resources.\n\n Print a detailed description of the selected "
        "resources, including related resources such as events or controllers. You may select a single object by "
        "name, all objects of that type, provide a name prefix, or label selector. For example:\n\n        $ kubectl "
        "describe TYPE NAME_PREFIX\n        \n will first check for an exact match on TYPE and NAME_PREFIX. If no such "
        "resource exists, it will output details for every resource that has a name prefixed with NAME_PREFIX.\n\n"
        'Use "kubectl api-resources" for a complete list of supported resources.'
    ),
    usage="kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]",
    flags=(
        SELECTOR,
        ALL_NAMESPACES,
        FILENAME,
        RECURSIVE,
        Flag("show-events", kind="bool", default=True, help="If true, display events related to the described object."),
        Flag(
            "chunk-size",
            kind="int",
            default=500,
            help="Return large lists in chunks rather than all at once. Pass 0 "
            "to disable. This flag is beta and may change in the future.",
        ),
    ),
    examples=examples(
        """
        # Describe a node
        kubectl describe nodes kubernetes-node-emt8.c.myproject.internal

        # Describe a pod
        kubectl describe pods/nginx

        # Describe a pod identified by type and name in "pod.json"
        kubectl describe -f pod.json

        # Describe all pods
        kubectl describe pods

        # Describe pods by label name=myLabel
        kubectl describe pods -l name=myLabel

        # Describe all pods managed by the 'frontend' replication controller
        # (rc-created pods get the name of the rc as a prefix in the pod name)
        kubectl describe pods frontend
        """
    ),
)
def describe(env: Env, parsed: Parsed, out: Output) -> None:
    from cluster.kubectl import printers

    targets = _targets(env, parsed, out)
    if not targets and not out.exit_code:
        ns = namespace_of(env, parsed)
        out.err("No resources found" if parsed.get("all-namespaces") else f"No resources found in {ns} namespace.")
        return
    texts = []
    now = env.now_ms()
    for info, obj in targets:
        events = events_for(env, obj) if parsed.get("show-events") else None
        texts.append(printers.describe(info.kind, obj, related_objects(env, info, obj), events, now).rstrip("\n"))
    if texts:
        out.out("\n\n\n".join(texts))
