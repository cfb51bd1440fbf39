"""``kubectl cordon``, ``uncordon`` and ``taint``: node scheduling controls (K8S_FACTS §3.7)."""

from __future__ import annotations

from typing import Any

from cluster.core.timefmt import rfc3339
from cluster.kubectl.base import CommandError, Env, Output, command
from cluster.kubectl.commands.common import DRY_RUN, SELECTOR, dry_run_mode, split_type_name, suffix
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples

Obj = dict[str, Any]
EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def nodes_named(env: Env, parsed: Parsed, names: list[str]) -> list[Obj]:
    """``NODE`` arguments (or ``-l``) → Node objects; ``node/x`` and ``nodes x`` forms are accepted too."""
    if parsed.get("selector") and not names:
        items, _ = env.api.list("Node", None, str(parsed.get("selector")), None, env.ctx())
        return items
    found = []
    for name in names:
        if "/" in name:
            info, node_name = split_type_name(env, [name])[0]
            if info.kind != "Node":
                raise CommandError(f"error: {name} is not a node")
            name = str(node_name)
        found.append(env.api.get("Node", "", name, env.ctx()))
    return found


def set_unschedulable(env: Env, parsed: Parsed, out: Output, node: Obj, value: bool) -> None:
    word = "cordoned" if value else "uncordoned"
    name = node["metadata"]["name"]
    mode = dry_run_mode(parsed)
    if bool((node.get("spec") or {}).get("unschedulable")) == value:
        out.out(f"node/{name} already {word}")
        return
    if mode != "client":
        patch = {"spec": {"unschedulable": True if value else None}}
        env.api.patch("Node", "", name, patch, "strategic", env.ctx(dry_run=mode == "server"))
    out.out(f"node/{name} {word}{suffix(mode)}")


def _cordon_like(env: Env, parsed: Parsed, out: Output, value: bool) -> None:
    verb = "cordon" if value else "uncordon"
    if not parsed.args and not parsed.get("selector"):
        raise CommandError(f"USAGE: {verb} NODE [flags]", usage_of=f"kubectl {verb}")
    for node in nodes_named(env, parsed, list(parsed.args)):
        set_unschedulable(env, parsed, out, node, value)


CORDON_EXAMPLES = examples(
    """
    # Mark node "foo" as unschedulable
    kubectl cordon foo
    """
)


@command(
    "cordon",
    short="Mark node as unschedulable",
    usage="kubectl cordon NODE [options]",
    flags=(DRY_RUN, SELECTOR),
    examples=CORDON_EXAMPLES,
)
def cordon(env: Env, parsed: Parsed, out: Output) -> None:
    _cordon_like(env, parsed, out, True)


@command(
    "uncordon",
    short="Mark node as schedulable",
    usage="kubectl uncordon NODE [options]",
    flags=(DRY_RUN, SELECTOR),
    examples=examples(
        """
        # Mark node "foo" as schedulable
        kubectl uncordon foo
        """
    ),
)
def uncordon(env: Env, parsed: Parsed, out: Output) -> None:
    _cordon_like(env, parsed, out, False)


def taint_text(taint: Obj) -> str:
    key, value, effect = taint.get("key", ""), taint.get("value", ""), taint.get("effect", "")
    text = f"{key}={value}" if value else key
    return f"{text}:{effect}" if effect else text


def parse_taint(spec: str) -> Obj:
    """``key[=value]:Effect``."""
    head, colon, effect = spec.rpartition(":")
    if not colon or not head or not effect:
        raise CommandError(f"invalid taint spec: {spec}")
    if effect not in EFFECTS:
        raise CommandError(f"invalid taint effect: {effect}, unsupported taint effect")
    key, eq, value = head.partition("=")
    if not key or "=" in value:
        raise CommandError(f"invalid taint spec: {spec}")
    taint: Obj = {"effect": effect, "key": key}
    if eq:
        taint["value"] = value
    return taint


def parse_removal(spec: str) -> Obj:
    body = spec[:-1]
    key, colon, effect = body.partition(":")
    if colon and effect not in EFFECTS:
        raise CommandError(f"invalid taint effect: {effect}, unsupported taint effect")
    return {"key": key, "effect": effect} if colon else {"key": key}


def updated_taints(node: Obj, add: list[Obj], remove: list[Obj], overwrite: bool, now_ms: int) -> list[Obj]:
    taints = [dict(t) for t in (node.get("spec") or {}).get("taints") or []]
    if not overwrite:
        clashes = [
            t["key"] for t in add for old in taints if t["key"] == old.get("key") and t["effect"] == old.get("effect")
        ]
        if clashes:
            raise CommandError(f"node {node['metadata']['name']} already has {','.join(clashes)} taint(s) with same "
                               "effect(s) and --overwrite is false")  # fmt: skip
    for wanted in remove:
        kept = [
            t for t in taints if not (t.get("key") == wanted["key"] and wanted.get("effect") in (None, t.get("effect")))
        ]
        if len(kept) == len(taints):
            raise CommandError(f'taint "{taint_text(wanted)}" not found')
        taints = kept
    for taint in add:
        if taint["effect"] == "NoExecute":
            taint = {**taint, "timeAdded": rfc3339(now_ms)}
        replaced = False
        for index, old in enumerate(taints):
            if old.get("key") == taint["key"] and old.get("effect") == taint["effect"]:
                taints[index], replaced = taint, True
        if not replaced:
            taints.append(taint)
    return taints


@command(
    "taint",
    short="Update the taints on one or more nodes",
    long=(
        "Update the taints on one or more nodes.\n\n  *  A taint consists of a key, value, and effect. As an argument "
        "here, it is expressed as key=value:effect.\n  *  The key must begin with a letter or number, and may contain "
        "letters, numbers, hyphens, dots, and underscores, up to 253 characters.\n  *  Optionally, the key can begin "
        "with a DNS subdomain prefix and a single '/', like example.com/my-app.\n  *  The value is optional. If "
        "given, it must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and "
        "underscores, up to 63 characters.\n  *  The effect must be NoSchedule, PreferNoSchedule or NoExecute.\n  *  "
        "Currently taint can only apply to node."
    ),
    usage="kubectl taint NODE NAME KEY_1=VAL_1:TAINT_EFFECT_1 ... KEY_N=VAL_N:TAINT_EFFECT_N [options]",
    flags=(
        DRY_RUN,
        SELECTOR,
        Flag(
            "overwrite",
            kind="bool",
            help="If true, allow taints to be overwritten, otherwise reject taint updates "
            "that overwrite existing taints.",
        ),
        Flag("all", kind="bool", help="Select all nodes in the cluster"),
    ),
    examples=examples(
        """
        # Update node 'foo' with a taint with key 'dedicated' and value 'special-user' and effect 'NoSchedule'
        # If a taint with that key and effect already exists, its value is replaced as specified
        kubectl taint nodes foo dedicated=special-user:NoSchedule

        # Remove from node 'foo' the taint with key 'dedicated' and effect 'NoSchedule' if one exists
        kubectl taint nodes foo dedicated:NoSchedule-

        # Remove from node 'foo' all the taints with key 'dedicated'
        kubectl taint nodes foo dedicated-

        # Add a taint with key 'dedicated' on nodes having label myLabel=X
        kubectl taint node -l myLabel=X  dedicated=foo:PreferNoSchedule
        """
    ),
)
def taint(env: Env, parsed: Parsed, out: Output) -> None:
    resources, specs = _split_taint_args(parsed.args)
    if not resources:
        raise CommandError("one or more resources must be specified as <resource> <name>")
    if not specs:
        raise CommandError("at least one taint update is required")
    add = [parse_taint(s) for s in specs if not s.endswith("-")]
    remove = [parse_removal(s) for s in specs if s.endswith("-")]
    info = split_type_name(env, [resources[0]])[0][0]
    if info.kind != "Node":
        raise CommandError(f"invalid resource type {resources[0]}, only node types are supported")
    mode = dry_run_mode(parsed)
    for node in _taint_targets(env, parsed, resources):
        taints = updated_taints(node, add, remove, bool(parsed.get("overwrite")), env.now_ms())
        if mode != "client":
            env.api.patch("Node", "", node["metadata"]["name"], {"spec": {"taints": taints or None}}, "merge",
                          env.ctx(dry_run=mode == "server"))  # fmt: skip
        word = "modified" if add and remove else ("tainted" if add else "untainted")
        out.out(f"node/{node['metadata']['name']} {word}{suffix(mode)}")


def _split_taint_args(args: list[str]) -> tuple[list[str], list[str]]:
    resources: list[str] = []
    specs: list[str] = []
    for arg in args:
        if specs or ":" in arg or "=" in arg or (arg.endswith("-") and resources):
            specs.append(arg)
        else:
            resources.append(arg)
    if len(resources) > 2:
        specs = resources[2:] + specs
        resources = resources[:2]
    return resources, specs


def _taint_targets(env: Env, parsed: Parsed, resources: list[str]) -> list[Obj]:
    if "/" in resources[0]:
        return nodes_named(env, parsed, resources)
    if len(resources) > 1:
        return nodes_named(env, parsed, resources[1:])
    if parsed.get("all") or parsed.get("selector"):
        items, _ = env.api.list("Node", None, str(parsed.get("selector") or "") or None, None, env.ctx())
        return items
    raise CommandError("one or more resources must be specified as <resource> <name>")
