"""``kubectl rollout status``: print the rollout's state, then keep watching until it completes.

Each evaluation follows kubectl's deployment status viewer (K8S_FACTS §3.3);
like kubectl, a message is printed for every change of the deployment the
watch delivers, so lines can repeat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cluster.kubectl.base import CommandError, Env, Output, command
from cluster.kubectl.commands.rollout import ROLLOUT_FLAGS, revision_of, rollout_targets
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples

if TYPE_CHECKING:
    from cluster.apiserver.store import Change

Obj = dict[str, Any]


def status_line(deployment: Obj) -> tuple[str, bool]:
    """(line, finished): a progress message, the success line, or an ``error: …`` line that ends the watch."""
    from cluster.kubectl import printers

    try:
        message, done = printers.rollout_status_message(deployment)
    except printers.RolloutError as exc:
        return f"error: {exc}", True
    return str(message), bool(done)


def _check_revision(deployment: Obj, wanted: int) -> None:
    if wanted <= 0:
        return
    current = revision_of(deployment)
    if current != wanted:
        raise CommandError(f"desired revision ({wanted}) is different from the running revision ({current})")


@command(
    "status",
    parent="rollout",
    short="Show the status of the rollout",
    long=(
        "Show the status of the rollout.\n\n By default 'rollout status' will watch the status of the latest rollout "
        "until it's done. If you don't want to wait for the rollout to finish then you can use --watch=false. Note "
        "that if a new rollout starts in-between, then 'rollout status' will continue watching the latest revision. "
        "If you want to pin to a specific revision and abort if it is rolled over by another revision, use "
        "--revision=N where N is the revision you need to watch for."
    ),
    usage="kubectl rollout status (TYPE NAME | TYPE/NAME) [flags] [options]",
    flags=(
        *ROLLOUT_FLAGS,
        Flag(
            "revision",
            kind="int",
            help="Pin to a specific revision for showing its status. Defaults to 0 (last revision).",
        ),
        Flag(
            "timeout",
            kind="duration",
            default="0s",
            help="The length of time to wait before ending watch, zero means never. Any "
            "other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).",
        ),
        Flag("watch", kind="bool", short="w", default=True, help="Watch the status of the rollout until it's done."),
    ),
    examples=examples(
        """
        # Watch the rollout status of a deployment
        kubectl rollout status deployment/nginx
        """
    ),
)
def rollout_status(env: Env, parsed: Parsed, out: Output) -> None:
    targets = rollout_targets(env, parsed)
    if len(targets) != 1:
        raise CommandError("rollout status is only supported on individual resources and resource collections, "
                           f"but {len(targets)} resources were found")  # fmt: skip
    info, obj = targets[0]
    if info.kind != "Deployment":
        raise CommandError(f"no status viewer has been implemented for {info.kind}"
                           + (f".{info.group}" if info.group else ""))  # fmt: skip
    _check_revision(obj, int(parsed.get("revision") or 0))
    line, done = status_line(obj)
    if line.startswith("error: "):
        out.fail(line)
        return
    out.out(line)
    if done or not parsed.get("watch"):
        return
    out.stream = {
        "type": "rollout-status",
        "kind": "Deployment",
        "namespace": obj["metadata"]["namespace"],
        "name": obj["metadata"]["name"],
        "rv": env.api.store.resource_version,
    }


def rollout_status_update(env: Env, stream: dict[str, Any], changes: list[Change]) -> tuple[list[str], bool]:
    lines: list[str] = []
    for change in changes:
        key = change.key
        if change.resource_version <= int(stream.get("rv") or 0):
            continue
        stream["rv"] = change.resource_version
        if (key.kind, key.namespace, key.name) != (stream["kind"], stream["namespace"], stream["name"]):
            continue
        if change.type == "DELETED":
            return [*lines, "error: object has been deleted"], True
        line, done = status_line(change.obj)
        lines.append(line)
        if done:
            return lines, True
    return lines, False
