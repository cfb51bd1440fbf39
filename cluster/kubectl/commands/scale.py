"""``kubectl scale``: GET, then a merge patch of ``spec.replicas`` on the scale subresource."""

from __future__ import annotations

from cluster.core import errors
from cluster.kubectl.base import CommandError, Env, Output, command, namespace_of
from cluster.kubectl.commands.common import DRY_RUN, FILENAME, OUTPUT, SELECTOR, split_type_name, suffix, dry_run_mode
from cluster.kubectl.flags import Flag, Parsed

SCALABLE = {"Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"}


@command(
    "scale",
    short="Set a new size for a deployment, replica set, or replication controller",
    usage="kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]",
    flags=(Flag("replicas", kind="int", default=-1, help="The new desired number of replicas. Required."),
           Flag("current-replicas", kind="int", default=-1, help="Precondition for current size."),
           Flag("resource-version", help="Precondition for resource version."),
           Flag("all", kind="bool", help="Select all resources in the namespace of the specified resource types"),
           SELECTOR, FILENAME, OUTPUT, DRY_RUN),
    examples="  # Scale a deployment named 'web' to 3\n  kubectl scale --replicas=3 deployment/web",
)
def scale(env: Env, parsed: Parsed, out: Output) -> None:
    replicas = int(parsed.get("replicas"))
    if replicas < 0:
        raise CommandError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0", usage_of="kubectl scale")
    targets = split_type_name(env, parsed.args)
    if not targets:
        raise CommandError("You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'")
    namespace = namespace_of(env, parsed)
    mode = dry_run_mode(parsed)
    for info, name in targets:
        if info.kind not in SCALABLE:
            raise CommandError(f'no scaler has been implemented for {{"{info.group}" "{info.kind}"}}')
        if name is None:
            raise CommandError("resource(s) were provided, but no name was specified")
        try:
            current = env.api.get(info.kind, namespace, name, env.ctx())
        except errors.ApiError as exc:
            if exc.reason == "NotFound":
                raise CommandError(f"no objects passed to scale {exc.message}") from None
            raise
        expected = int(parsed.get("current-replicas"))
        if expected >= 0 and int(current.get("spec", {}).get("replicas", 1)) != expected:
            raise CommandError(f"Expected replicas to be {expected}, was {current['spec'].get('replicas', 1)}")
        if mode != "client":
            env.api.patch(info.kind, namespace, name, {"spec": {"replicas": replicas}}, "merge",
                          env.ctx(dry_run=mode == "server"), subresource="scale")
        out.out(f"{info.kubectl_prefix}/{name} scaled{suffix(mode)}")
