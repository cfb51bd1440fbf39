"""``kubectl set image``: change container images with a strategic merge patch (K8S_FACTS §3.3).

The patch is computed from the object before and after the change, so it
carries ``$setElementOrder/containers`` exactly like kubectl's.
"""

from __future__ import annotations

from typing import Any

from cluster.core.objects import clone
from cluster.kubectl.base import CommandError, Env, Output, command, group, namespace_of
from cluster.kubectl.commands.common import (
    ALL_NAMESPACES,
    ALLOW_MISSING,
    DRY_RUN,
    FILENAME,
    OUTPUT,
    SELECTOR,
    SHOW_MANAGED,
    dry_run_mode,
    field_manager,
    split_type_name,
    suffix,
)
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples
from cluster.kubectl.printing import check_format, print_object_or_line

Obj = dict[str, Any]
WITH_POD_SPEC = ("Pod", "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController")

group(
    "set",
    short="Set specific features on objects",
    long="Configure application resources.\n\n These commands help you make changes to existing application resources.",
    usage="kubectl set SUBCOMMAND [options]",
)


def split_pairs(args: list[str], what: str) -> tuple[list[str], list[str]]:
    """``GetResourcesAndPairs``: resources first, then ``k=v`` / ``k-`` pairs."""
    resources: list[str] = []
    pairs: list[str] = []
    for arg in args:
        if "=" in arg or (arg.endswith("-") and len(arg) > 1):
            pairs.append(arg)
        elif pairs:
            raise CommandError(f"all resources must be specified before {what} changes: {arg}")
        else:
            resources.append(arg)
    return resources, pairs


def pod_spec_of(obj: Obj) -> Obj:
    spec: Obj = obj.setdefault("spec", {})
    if obj.get("kind") == "Pod":
        return spec
    if obj.get("kind") == "CronJob":
        spec = spec.setdefault("jobTemplate", {}).setdefault("spec", {})
    template: Obj = spec.setdefault("template", {}).setdefault("spec", {})
    return template


def _set_images(obj: Obj, images: dict[str, str]) -> list[str]:
    spec = pod_spec_of(obj)
    problems: list[str] = []
    for name, image in images.items():
        found = False
        for field in ("initContainers", "containers", "ephemeralContainers"):
            for container in spec.get(field) or []:
                if name in ("*", container.get("name")):
                    container["image"] = image
                    found = True
        if not found:
            problems.append(f'unable to find container named "{name}"')
    return problems


def _images(pairs: list[str]) -> dict[str, str]:
    images: dict[str, str] = {}
    for pair in pairs:
        name, eq, image = pair.partition("=")
        if not eq or not name or not image:
            raise CommandError(f"invalid image update spec: {pair}")
        images[name] = image
    if len(images) > 1 and "*" in images:
        raise CommandError("all containers are already specified by *, but saw more than one "
                           "container_name=container_image pairs")  # fmt: skip
    return images


def _targets(env: Env, parsed: Parsed, resources: list[str]) -> list[tuple[Any, Obj]]:
    namespace = namespace_of(env, parsed)
    found: list[tuple[Any, Obj]] = []
    for info, name in split_type_name(env, resources):
        if name is None:
            if not (parsed.get("all") or parsed.get("selector")):
                raise CommandError("resource(s) were provided, but no name was specified")
            scope = None if parsed.get("all-namespaces") else namespace
            items, _ = env.api.list(info.kind, scope, parsed.get("selector") or None, None, env.ctx())
            found += [(info, obj) for obj in items]
        else:
            found.append((info, env.api.get(info.kind, namespace if info.namespaced else "", name, env.ctx())))
    return found


@command(
    "image",
    parent="set",
    short="Update the image of a pod template",
    long=(
        "Update existing container image(s) of resources.\n\n Possible resources include (case insensitive):\n\n  pod "
        "(po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), "
        "replicaset (rs)"
    ),
    usage="kubectl set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... "
    "CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]",
    flags=(
        FILENAME,
        OUTPUT,
        DRY_RUN,
        SELECTOR,
        ALL_NAMESPACES,
        ALLOW_MISSING,
        SHOW_MANAGED,
        field_manager("kubectl-set"),
        Flag("all", kind="bool", help="Select all resources, in the namespace of the specified resource types"),
        Flag("local", kind="bool", help="If true, set image will NOT contact api-server but run locally."),
    ),
    examples=examples(
        """
        # Set a deployment's nginx container image to 'nginx:1.9.1', and its busybox container image to 'busybox'
        kubectl set image deployment/nginx busybox=busybox nginx=nginx:1.9.1

        # Update all deployments' and rc's nginx container's image to 'nginx:1.9.1'
        kubectl set image deployments,rc nginx=nginx:1.9.1 --all

        # Update image of all containers of daemonset abc to 'nginx:1.9.1'
        kubectl set image daemonset abc *=nginx:1.9.1
        """
    ),
)
def set_image(env: Env, parsed: Parsed, out: Output) -> None:
    from cluster.core.patch import create_strategic_patch

    resources, pairs = split_pairs(parsed.args, "image")
    problems = []
    if not resources:
        problems.append("one or more resources must be specified as <resource> <name> or <resource>/<name>")
    if not pairs:
        problems.append("at least one image update is required")
    if problems:
        raise CommandError(problems[0] if len(problems) == 1 else "[" + ", ".join(problems) + "]")
    images = _images(pairs)
    check_format(parsed)
    mode = dry_run_mode(parsed)
    errors_seen: list[str] = []
    for info, obj in _targets(env, parsed, resources):
        if info.kind not in WITH_POD_SPEC:
            errors_seen.append(f"error: {info.resource_ref}/{obj['metadata']['name']} the object is not a pod or does "
                               "not have a pod template")  # fmt: skip
            continue
        modified = clone(obj)
        errors_seen += [f"error: {p}" for p in _set_images(modified, images) if f"error: {p}" not in errors_seen]
        patch = create_strategic_patch(obj, modified, info.kind)
        if not patch:
            continue
        result = modified
        if mode != "client":
            ctx = env.ctx(dry_run=mode == "server", field_manager=str(parsed.get("field-manager") or "kubectl-set"))
            result = env.api.patch(info.kind, obj["metadata"].get("namespace", ""), obj["metadata"]["name"], patch,
                                   "strategic", ctx)  # fmt: skip
        print_object_or_line(env, info, result, parsed, out, f"image updated{suffix(mode)}")
    if errors_seen:
        out.fail(errors_seen[0] if len(errors_seen) == 1 else "error: [" + ", ".join(errors_seen) + "]")
