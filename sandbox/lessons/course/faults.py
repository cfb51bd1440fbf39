"""Faults an exercise plants in its starting scenario, each turned into one JSON patch.

They are applied *after* the scenario's objects are up, through the API
server like any client's write, so a "bad release" really is revision 2 of
a Deployment whose revision 1 was healthy.

    bad-image:     {deployment, image, container?}   the pod template pulls an image that does not exist
    bad-release:   {deployment, image, container?}   the same, as a new rollout over a healthy one
    selector-miss: {service, selector}               the Service selects labels no pod carries
    cpu-request:   {deployment, cpu, container?}     the pods ask for more CPU than any node has free
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox.lessons.course.model import Fault


class FaultError(ValueError):
    pass


def _require(raw: dict[str, Any], *keys: str) -> None:
    for key in keys:
        if not isinstance(raw.get(key), str | dict) or raw.get(key) in ("", {}):
            raise FaultError(f'missing field "{key}"')


def _container(raw: dict[str, Any]) -> int:
    index = raw.get("container", 0)
    if isinstance(index, bool) or not isinstance(index, int) or index < 0:
        raise FaultError('"container" is the index of the container (0 for the first)')
    return index


def _image(kind_name: str) -> Callable[[dict[str, Any]], Fault]:
    def build(raw: dict[str, Any]) -> Fault:
        _require(raw, "deployment", "image")
        path = f"/spec/template/spec/containers/{_container(raw)}/image"
        patch = ({"op": "replace", "path": path, "value": str(raw["image"])},)
        return Fault(kind_name, "Deployment", str(raw["deployment"]), str(raw.get("namespace", "default")), patch)

    return build


def _selector_miss(raw: dict[str, Any]) -> Fault:
    _require(raw, "service", "selector")
    if not isinstance(raw["selector"], dict):
        raise FaultError('"selector" is a mapping of labels, e.g. {app: webapp}')
    selector = {str(k): str(v) for k, v in raw["selector"].items()}
    patch = ({"op": "replace", "path": "/spec/selector", "value": selector},)
    return Fault("selector-miss", "Service", str(raw["service"]), str(raw.get("namespace", "default")), patch)


def _cpu_request(raw: dict[str, Any]) -> Fault:
    _require(raw, "deployment", "cpu")
    path = f"/spec/template/spec/containers/{_container(raw)}/resources"
    patch = ({"op": "add", "path": path, "value": {"requests": {"cpu": str(raw["cpu"])}}},)
    return Fault("cpu-request", "Deployment", str(raw["deployment"]), str(raw.get("namespace", "default")), patch)


FAULTS: dict[str, Callable[[dict[str, Any]], Fault]] = {
    "bad-image": _image("bad-image"),
    "bad-release": _image("bad-release"),
    "selector-miss": _selector_miss,
    "cpu-request": _cpu_request,
}


def parse_fault(raw: Any) -> Fault:
    if not isinstance(raw, dict) or len(raw) != 1:
        raise FaultError(f"a fault is a mapping with one of: {', '.join(FAULTS)}")
    name, body = next(iter(raw.items()))
    if name not in FAULTS:
        raise FaultError(f'unknown fault "{name}"; known faults: {", ".join(FAULTS)}')
    if not isinstance(body, dict):
        raise FaultError(f'fault "{name}" needs a mapping of fields')
    return FAULTS[name](body)
