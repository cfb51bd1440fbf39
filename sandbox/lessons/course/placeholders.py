"""Live values in lesson commands: ``{pod:app=web}``, ``{nodeport:web}``, ``{clusterip:web}``.

A learner deleting "one of the pods" or curling "the NodePort" needs a name
or a port the cluster chose at random. Lesson files write a placeholder; the
panel shows the command filled in from the learner's own cluster (or with a
readable ``<pod>`` gap while there is nothing to fill it with), and solution
playback fills it the same way.

    {pod:SELECTOR}      the first Running pod (by name) matching a label selector (shown: else any live one,
                        so `kubectl describe pod {pod:app=web}` names a pod stuck in ErrImagePull)
    {nodeport:SERVICE}  the first nodePort of a Service
    {clusterip:SERVICE} a Service's cluster IP
    {node:POD}          the node a pod runs on
"""

from __future__ import annotations

import re

from sandbox.lessons.course.world import Obj, World

PATTERN = re.compile(r"\{(pod|nodeport|clusterip|node):([^{}\s]+)\}")
GAPS = {"pod": "<pod>", "nodeport": "<nodePort>", "clusterip": "<cluster-ip>", "node": "<node>"}


class PlaceholderError(ValueError):
    pass


def _pod(world: World, selector: str, namespace: str, running: bool = True) -> str | None:
    from cluster.core.labels import parse

    chosen = parse(selector)
    pods = [
        p
        for p in world.list("Pod", namespace)
        if chosen.matches(p["metadata"].get("labels") or {})
        and not p["metadata"].get("deletionTimestamp")
        and (not running or (p.get("status") or {}).get("phase") == "Running")
    ]
    return min((p["metadata"]["name"] for p in pods), default=None)


def _service(world: World, name: str, namespace: str) -> Obj | None:
    return world.get("Service", namespace, name)


def resolve(kind: str, arg: str, world: World, namespace: str = "default") -> str | None:
    if kind == "pod":
        return _pod(world, arg, namespace)
    if kind == "node":
        pod = world.get("Pod", namespace, arg)
        return (pod.get("spec") or {}).get("nodeName") if pod else None
    service = _service(world, arg, namespace)
    if service is None:
        return None
    spec = service.get("spec") or {}
    if kind == "clusterip":
        return spec.get("clusterIP")
    ports = [p.get("nodePort") for p in spec.get("ports") or [] if p.get("nodePort")]
    return str(ports[0]) if ports else None


def fill(line: str, world: World) -> str:
    """Every placeholder replaced, or ``PlaceholderError`` naming the first that has no value yet."""

    def value(match: re.Match[str]) -> str:
        found = resolve(match[1], match[2], world)
        if found is None:
            raise PlaceholderError(f"nothing in the cluster fills {match[0]}")
        return str(found)

    return PATTERN.sub(value, line)


def fill_for_display(line: str, world: World | None) -> str:
    """Placeholders filled where the cluster has a value; ``<pod>``-style gaps elsewhere."""

    def value(match: re.Match[str]) -> str:
        found = resolve(match[1], match[2], world) if world is not None else None
        if found is None and world is not None and match[1] == "pod":
            found = _pod(world, match[2], "default", running=False)  # a pod that never ran is worth a look too
        return str(found) if found is not None else GAPS[match[1]]

    return PATTERN.sub(value, line)
