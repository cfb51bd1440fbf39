"""``kubectl label`` and ``kubectl annotate``: merge patches of ``metadata.labels`` / ``metadata.annotations``.

Arguments are resources first, then ``key=value`` and ``key-`` pairs. Without
``--overwrite`` an existing key with a different value is an error, worded as
kubectl words it for each verb.
"""

from __future__ import annotations

from typing import Any

from cluster.core.kinds import KindInfo
from cluster.core.labels import label_value_errors, qualified_name_errors
from cluster.core.objects import clone
from cluster.kubectl.base import CommandError, Env, Output, command, namespace_of
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
from cluster.kubectl.commands.set_image import split_pairs
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples
from cluster.kubectl.printing import check_format, print_object_or_line

Obj = dict[str, Any]
NO_RESOURCES = "one or more resources must be specified as <resource> <name> or <resource>/<name>"


def _flags(what: str, verb: str) -> tuple[Flag, ...]:
    return (
        FILENAME, OUTPUT, DRY_RUN, SELECTOR, ALL_NAMESPACES, ALLOW_MISSING, SHOW_MANAGED,
        field_manager(f"kubectl-{verb}"),
        Flag("overwrite", kind="bool", help=f"If true, allow {what}s to be overwritten, otherwise reject {what} "
             f"updates that overwrite existing {what}s."),
        Flag("all", kind="bool", help="Select all resources, in the namespace of the specified resource types"),
        Flag("list", kind="bool", help=f"If true, display the {what}s for a given resource."),
        Flag("local", kind="bool", help=f"If true, {what} will NOT contact api-server but run locally."),
        Flag("resource-version", help=f"If non-empty, the {what} update will only succeed if this is the "
             "current resource-version for the object. Only valid when specifying a single resource."),
        Flag("field-selector", help="Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. "
             "--field-selector key1=value1,key2=value2). The server only supports a limited number of field queries "
             "per type."),
    )  # fmt: skip


def parse_label_pairs(pairs: list[str]) -> tuple[dict[str, str], list[str]]:
    updates: dict[str, str] = {}
    removals: list[str] = []
    for pair in pairs:
        if "=" not in pair and pair.endswith("-"):
            removals.append(pair[:-1])
            continue
        key, eq, value = pair.partition("=")
        if not eq or "=" in value:
            raise CommandError(f"invalid label spec: {pair}")
        problems = qualified_name_errors(key)
        if problems:
            raise CommandError(f"invalid label spec: {pair}, {';'.join(problems)}")
        value_problems = label_value_errors(value)
        if value_problems:
            raise CommandError(f'invalid label value: "{pair}": {";".join(value_problems)}')
        updates[key] = value
    if set(updates) & set(removals):
        raise CommandError("can not both modify and remove a label in the same command")
    return updates, removals


def parse_annotation_pairs(pairs: list[str]) -> tuple[dict[str, str], list[str]]:
    updates: dict[str, str] = {}
    removals: list[str] = []
    for pair in pairs:
        if "=" not in pair and pair.endswith("-"):
            removals.append(pair[:-1])
            continue
        key, _, value = pair.partition("=")
        if not key or qualified_name_errors(key):
            raise CommandError(f"invalid annotation format: {pair}")
        updates[key] = value
    if set(updates) & set(removals):
        raise CommandError("can not both modify and remove an annotation in the same command")
    return updates, removals


def _objects(env: Env, parsed: Parsed, resources: list[str]) -> list[tuple[KindInfo, Obj]]:
    namespace = namespace_of(env, parsed)
    found: list[tuple[KindInfo, Obj]] = []
    if parsed.get("filename"):
        from cluster.kubectl.commands.get import targets

        pairs = targets(env, parsed)
    else:
        pairs = split_type_name(env, resources)
    for info, name in pairs:
        if name is not None:
            found.append((info, env.api.get(info.kind, namespace if info.namespaced else "", name, env.ctx())))
            continue
        if not (parsed.get("all") or parsed.get("selector") or parsed.get("field-selector")):
            raise CommandError("resource(s) were provided, but no name was specified")
        scope = None if parsed.get("all-namespaces") or not info.namespaced else namespace
        items, _ = env.api.list(info.kind, scope, parsed.get("selector") or None, parsed.get("field-selector") or None,
                                env.ctx())  # fmt: skip
        found += [(info, obj) for obj in items]
    return found


def _overwrite_error(what: str, current: dict[str, str], updates: dict[str, str]) -> str:
    clashes = [(k, current[k]) for k in updates if k in current and current[k] != updates[k]]
    if what == "label":
        if not clashes:
            return ""
        texts = [f"'{k}' already has a value ({v}), and --overwrite is false" for k, v in clashes]
        return texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"
    clashes = [(k, v) for k, v in clashes if k != "kubernetes.io/change-cause"]
    if not clashes:
        return ""
    found = "; ".join(f"'{k}' already has a value ({v})" for k, v in clashes)
    return f"--overwrite is false but found the following declared annotation(s): {found}"


def _message(what: str, before: dict[str, str], after: dict[str, str], overwrite: bool) -> str:
    if what == "annotation":
        return "annotated"
    if before == after:
        return "not labeled"
    if not overwrite and len(after) < len(before):
        return "unlabeled"
    return "labeled"


def run_update(env: Env, parsed: Parsed, out: Output, what: str) -> None:
    from cluster.core.patch import create_merge_patch

    resources, pairs = split_pairs(parsed.args, what)
    if not resources and not parsed.get("filename"):
        raise CommandError(NO_RESOURCES)
    field = "labels" if what == "label" else "annotations"
    if parsed.get("list"):
        _list(env, parsed, resources, field, out)
        return
    if not pairs:
        raise CommandError(f"at least one {what} update is required")
    updates, removals = (parse_label_pairs if what == "label" else parse_annotation_pairs)(pairs)
    check_format(parsed)
    mode = dry_run_mode(parsed)
    for info, obj in _objects(env, parsed, resources):
        current = dict((obj["metadata"].get(field)) or {})
        if not parsed.get("overwrite"):
            problem = _overwrite_error(what, current, updates)
            if problem:
                raise CommandError(problem)
        if what == "label":
            out.out_lines(f'label "{key}" not found.' for key in removals if key not in current)
        modified = clone(obj)
        new = {k: v for k, v in {**current, **updates}.items() if k not in removals}
        if new:
            modified["metadata"][field] = new
        else:
            modified["metadata"].pop(field, None)
        if parsed.get("resource-version"):
            modified["metadata"]["resourceVersion"] = str(parsed.get("resource-version"))
        patch = create_merge_patch(obj, modified)
        result = modified
        if mode != "client" and patch:
            ctx = env.ctx(dry_run=mode == "server", field_manager=str(parsed.get("field-manager") or ""))
            result = env.api.patch(info.kind, obj["metadata"].get("namespace", ""), obj["metadata"]["name"], patch,
                                   "merge", ctx)  # fmt: skip
        verb = _message(what, current, new, bool(parsed.get("overwrite")))
        print_object_or_line(env, info, result, parsed, out, f"{verb}{suffix(mode)}")


def _list(env: Env, parsed: Parsed, resources: list[str], field: str, out: Output) -> None:
    for info, obj in _objects(env, parsed, resources):
        values = obj["metadata"].get(field) or {}
        if len(resources) > 1 or len(_objects(env, parsed, resources)) > 1:
            out.out(f"Listing {field} for {info.kind}.{info.group or ''}/{obj['metadata']['name']}:")
        out.out_lines(f"{k}={v}" for k, v in sorted(values.items()))


@command(
    "label",
    short="Update the labels on a resource",
    long=(
        "Update the labels on a resource.\n\n  *  A label key and value must begin with a letter or number, and may "
        "contain letters, numbers, hyphens, dots, and underscores, up to 63 characters each.\n  *  Optionally, the "
        "key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.\n  *  If --overwrite is "
        "true, then existing labels can be overwritten, otherwise attempting to overwrite a label will result in an "
        "error.\n  *  If --resource-version is specified, then updates will use this resource version, otherwise the "
        "existing resource-version will be used."
    ),
    usage="kubectl label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N "
    "[--resource-version=version] [options]",
    flags=_flags("label", "label"),
    examples=examples(
        """
        # Update pod 'foo' with the label 'unhealthy' and the value 'true'
        kubectl label pods foo unhealthy=true

        # Update pod 'foo' with the label 'status' and the value 'unhealthy', overwriting any existing value
        kubectl label --overwrite pods foo status=unhealthy

        # Update all pods in the namespace
        kubectl label pods --all status=unhealthy

        # Update pod 'foo' by removing a label named 'bar' if it exists
        # Does not require the --overwrite flag
        kubectl label pods foo bar-
        """
    ),
)
def label(env: Env, parsed: Parsed, out: Output) -> None:
    run_update(env, parsed, out, "label")


@command(
    "annotate",
    short="Update the annotations on a resource",
    long=(
        "Update the annotations on one or more resources.\n\n All Kubernetes objects support the ability to store "
        "additional data with the object as annotations. Annotations are key/value pairs that can be larger than "
        "labels and include arbitrary string values such as structured JSON. Tools and system extensions may use "
        "annotations to store their own data.\n\n Attempting to set an annotation that already exists will fail "
        "unless --overwrite is set. If --resource-version is specified and does not match the current resource "
        'version on the server the command will fail.\n\nUse "kubectl api-resources" for a complete list of '
        "supported resources."
    ),
    usage="kubectl annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N "
    "[--resource-version=version] [options]",
    flags=_flags("annotation", "annotate"),
    examples=examples(
        """
        # Update pod 'foo' with the annotation 'description' and the value 'my frontend'
        # If the same annotation is set multiple times, only the last value will be applied
        kubectl annotate pods foo description='my frontend'

        # Update pod 'foo' with the annotation 'description' and the value 'my frontend running nginx', \\
          overwriting any existing value
        kubectl annotate --overwrite pods foo description='my frontend running nginx'

        # Update pod 'foo' by removing an annotation named 'description' if it exists
        # Does not require the --overwrite flag
        kubectl annotate pods foo description-
        """
    ),
)
def annotate(env: Env, parsed: Parsed, out: Output) -> None:
    run_update(env, parsed, out, "annotation")
