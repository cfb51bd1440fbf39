"""``kubectl patch``: send a strategic merge (default), JSON merge or JSON patch; ``patched`` or ``(no change)``."""

from __future__ import annotations

import json
from typing import Any

import yaml

from cluster.kubectl.base import MISSING_RESOURCES, CommandError, Env, Output, command, namespace_of
from cluster.kubectl.commands.common import (
    ALLOW_MISSING,
    DRY_RUN,
    FILENAME,
    OUTPUT,
    SHOW_MANAGED,
    dry_run_mode,
    field_manager,
    split_type_name,
    suffix,
)
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples
from cluster.kubectl.printing import check_format, print_object_or_line

PATCH_TYPES = ("json", "merge", "strategic")


def parse_patch(text: str) -> Any:
    """JSON or YAML (kubectl converts YAML to JSON first); errors worded like kubectl's."""
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        from cluster.kubectl.manifests import _LimitedLoader

        loader = _LimitedLoader(text)
        try:
            value = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        raise CommandError(f'unable to parse "{text}": yaml: {problem}') from None
    except Exception as exc:  # the loader's own limits (depth, aliases)
        raise CommandError(f'unable to parse "{text}": {exc}') from None
    if not isinstance(value, (dict, list)):
        raise CommandError(f'unable to parse "{text}": yaml: unmarshal errors')
    return value


def _patch_text(env: Env, parsed: Parsed) -> str:
    if parsed.get("patch-file"):
        from cluster.kubectl.files import FileError, normalize_path

        path = str(parsed.get("patch-file"))
        try:
            key = normalize_path(path)
        except FileError:
            key = ""
        if key not in env.files:
            raise CommandError(f"unable to read patch file: open {path}: no such file or directory")
        return env.files[key]
    text = str(parsed.get("patch") or "")
    if not text:
        raise CommandError("must specify --patch or --patch-file containing the contents of the patch")
    return text


def _targets(env: Env, parsed: Parsed) -> list[tuple[Any, str]]:
    if parsed.get("filename"):
        from cluster.kubectl.commands.get import targets

        return [(info, str(name)) for info, name in targets(env, parsed)]
    pairs = split_type_name(env, parsed.args)
    if not pairs:
        raise CommandError(MISSING_RESOURCES)
    if any(name is None for _, name in pairs):
        raise CommandError("resource(s) were provided, but no name was specified")
    return [(info, str(name)) for info, name in pairs]


@command(
    "patch",
    short="Update fields of a resource",
    long=(
        "Update fields of a resource using strategic merge patch, a JSON merge patch, or a JSON patch.\n\n JSON and "
        "YAML formats are accepted.\n\n Note: Strategic merge patch is not supported for custom resources."
    ),
    usage="kubectl patch (-f FILENAME | TYPE NAME) [-p PATCH|--patch-file FILE] [options]",
    flags=(
        FILENAME,
        OUTPUT,
        DRY_RUN,
        ALLOW_MISSING,
        SHOW_MANAGED,
        field_manager("kubectl-patch"),
        Flag("patch", short="p", help="The patch to be applied to the resource JSON file."),
        Flag("patch-file", help="A file containing a patch to be applied to the resource."),
        Flag("type", default="strategic", help="The type of patch being provided; one of [json merge strategic]"),
        Flag(
            "subresource",
            help="If specified, patch will operate on the subresource of the requested object. "
            "Must be one of [status scale]. This flag is beta and may change in the future.",
        ),
        Flag(
            "local",
            kind="bool",
            help="If true, patch will operate on the content of the file, not the server-side resource.",
        ),
    ),
    examples=examples(
        """
        # Partially update a node using a strategic merge patch, specifying the patch as JSON
        kubectl patch node k8s-node-1 -p '{"spec":{"unschedulable":true}}'

        # Partially update a node using a strategic merge patch, specifying the patch as YAML
        kubectl patch node k8s-node-1 -p $'spec:\\n unschedulable: true'

        # Update a container's image; spec.containers[*].name is required because it's a merge key
        kubectl patch pod valid-pod -p '{"spec":{"containers":[{"name":"kubernetes-serve-hostname","image":"new \\
          image"}]}}'

        # Update a container's image using a JSON patch with positional arrays
        kubectl patch pod valid-pod --type='json' -p='[{"op": "replace", "path": "/spec/containers/0/image", \\
          "value":"new image"}]'

        # Update a deployment's replicas through the 'scale' subresource using a merge patch
        kubectl patch deployment nginx-deployment --subresource='scale' --type='merge' -p '{"spec":{"replicas":2}}'
        """
    ),
)
def patch(env: Env, parsed: Parsed, out: Output) -> None:
    patch_type = str(parsed.get("type") or "strategic").lower()
    if patch_type not in PATCH_TYPES:
        raise CommandError(f'--type must be one of [json merge strategic], not "{parsed.get("type")}"')
    subresource = str(parsed.get("subresource") or "")
    if subresource not in ("", "status", "scale"):
        raise CommandError(f'invalid subresource value: "{subresource}". Must be one of [status scale]')
    body = parse_patch(_patch_text(env, parsed))
    if patch_type == "json" and not isinstance(body, list):
        raise CommandError("unable to parse patch as a JSON patch: json: cannot unmarshal object into Go value of "
                           "type jsonpatch.Patch")  # fmt: skip
    check_format(parsed)
    mode = dry_run_mode(parsed)
    for info, name in _targets(env, parsed):
        namespace = namespace_of(env, parsed) if info.namespaced else ""
        before = env.api.get(info.kind, namespace, name, env.ctx())
        ctx = env.ctx(dry_run=mode != "none", field_manager=str(parsed.get("field-manager") or "kubectl-patch"))
        result = env.api.patch(info.kind, namespace, name, body, patch_type, ctx, subresource=subresource)
        unchanged = result.get("metadata", {}).get("resourceVersion") == before["metadata"].get("resourceVersion")
        if mode != "none":
            unchanged = result == before
        verb = "patched (no change)" if unchanged else "patched"
        print_object_or_line(env, info, result, parsed, out, f"{verb}{suffix(mode)}")
