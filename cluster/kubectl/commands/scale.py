"""``kubectl scale``: GET, then a merge patch of ``spec.replicas`` on the scale subresource."""

from __future__ import annotations

from typing import Any

from cluster.core import errors
from cluster.core.kinds import KindInfo
from cluster.kubectl.base import MISSING_RESOURCES, CommandError, Env, Output, command, namespace_of
from cluster.kubectl.commands.common import DRY_RUN, FILENAME, OUTPUT, SELECTOR, dry_run_mode, split_type_name, suffix
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples
from cluster.kubectl.printing import check_format, print_object_or_line

SCALABLE = {"Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"}


def _from_files(env: Env, parsed: Parsed) -> list[tuple[KindInfo, dict[str, Any]]]:
    """``-f FILE``: the objects the manifests name, read from the server (their replicas in the file do not count)."""
    from cluster.kubectl.commands.sources import read_sources

    found: list[tuple[KindInfo, dict[str, Any]]] = []
    for source in read_sources(env, parsed, "scale"):
        for doc in source.documents:
            info = env.api.registry.by_api_version(str(doc.get("apiVersion", "")), str(doc.get("kind", "")))
            if info is None:
                raise CommandError(f'no matches for kind "{doc.get("kind")}" in version "{doc.get("apiVersion")}"')
            meta = doc.get("metadata") or {}
            namespace = str(meta.get("namespace") or namespace_of(env, parsed)) if info.namespaced else ""
            found.append((info, env.api.get(info.kind, namespace, str(meta.get("name", "")), env.ctx())))
    return found


def _targets(env: Env, parsed: Parsed) -> list[tuple[KindInfo, dict[str, Any]]]:
    if parsed.get("filename"):
        if parsed.args:
            raise CommandError(f"Unexpected args: [{' '.join(parsed.args)}]", usage_of="kubectl scale")
        return _from_files(env, parsed)
    pairs = split_type_name(env, parsed.args)
    if not pairs:
        raise CommandError(MISSING_RESOURCES)
    namespace = namespace_of(env, parsed)
    found: list[tuple[KindInfo, dict[str, Any]]] = []
    for info, name in pairs:
        if name is None:
            if not (parsed.get("all") or parsed.get("selector")):
                raise CommandError("resource(s) were provided, but no name was specified")
            items, _ = env.api.list(info.kind, namespace, parsed.get("selector") or None, None, env.ctx())
            found += [(info, obj) for obj in items]
            continue
        try:
            found.append((info, env.api.get(info.kind, namespace, name, env.ctx())))
        except errors.ApiError as exc:
            if exc.reason == "NotFound":
                raise CommandError(f"no objects passed to scale {exc.message}") from None
            raise
    return found


@command(
    "scale",
    short="Set a new size for a deployment, replica set, or replication controller",
    long=(
        "Set a new size for a deployment, replica set, replication controller, or stateful set.\n\n Scale also allows "
        "users to specify one or more preconditions for the scale action.\n\n If --current-replicas or "
        "--resource-version is specified, it is validated before the scale is attempted, and it is guaranteed that "
        "the precondition holds true when the scale is sent to the server."
    ),
    usage="kubectl scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | "
    "TYPE NAME) [options]",
    flags=(
        Flag("replicas", kind="int", default=0, help="The new desired number of replicas. Required."),
        Flag(
            "current-replicas",
            kind="int",
            default=-1,
            help="Precondition for current size. Requires that the "
            "current size of the resource match this value in order to scale. -1 (default) for no condition.",
        ),
        Flag(
            "resource-version",
            help="Precondition for resource version. Requires that the current resource version "
            "match this value in order to scale.",
        ),
        Flag("all", kind="bool", help="Select all resources in the namespace of the specified resource types"),
        SELECTOR,
        FILENAME,
        OUTPUT,
        DRY_RUN,
    ),
    examples=examples(
        """
        # Scale a replica set named 'foo' to 3
        kubectl scale --replicas=3 rs/foo

        # Scale a resource identified by type and name specified in "foo.yaml" to 3
        kubectl scale --replicas=3 -f foo.yaml

        # If the deployment named mysql's current size is 2, scale mysql to 3
        kubectl scale --current-replicas=2 --replicas=3 deployment/mysql

        # Scale multiple replication controllers
        kubectl scale --replicas=5 rc/example1 rc/example2 rc/example3
        """
    ),
)
def scale(env: Env, parsed: Parsed, out: Output) -> None:
    if not parsed.has("replicas"):
        raise CommandError('required flag(s) "replicas" not set')
    replicas = int(parsed.get("replicas"))
    if replicas < 0:
        raise CommandError("The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0",
                           usage_of="kubectl scale")  # fmt: skip
    check_format(parsed)
    mode = dry_run_mode(parsed)
    for info, current in _targets(env, parsed):
        name = current["metadata"]["name"]
        if info.kind not in SCALABLE:
            raise CommandError(
                f'cannot scale {info.kind} "{name}": no scale subresource (only deployments, replica '
                "sets, replication controllers and stateful sets can be scaled)"
            )
        expected = int(parsed.get("current-replicas"))
        actual = int((current.get("spec") or {}).get("replicas", 1))
        if expected >= 0 and actual != expected:
            raise CommandError(f"Expected replicas to be {expected}, was {actual}")
        version = str(parsed.get("resource-version") or "")
        if version and version != current["metadata"].get("resourceVersion"):
            raise CommandError(
                f"Expected resource version to be {version}, was {current['metadata'].get('resourceVersion')}"
            )
        result = current
        if mode != "client":
            result = env.api.patch(info.kind, current["metadata"].get("namespace", ""), name,
                                   {"spec": {"replicas": replicas}}, "merge", env.ctx(dry_run=mode == "server"),
                                   subresource="scale")  # fmt: skip
        print_object_or_line(env, info, result, parsed, out, f"scaled{suffix(mode)}")
