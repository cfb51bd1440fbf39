"""``kubectl create -f``: POST every object of the given manifests (``create deployment`` & co. live beside)."""

from __future__ import annotations

from cluster.kubectl.base import CommandError, Env, Output, command
from cluster.kubectl.commands.common import (
    DRY_RUN,
    FIELD_MANAGER,
    FILENAME,
    OUTPUT,
    RECURSIVE,
    VALIDATE,
    SourcedError,
    send_create,
)
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples
from cluster.kubectl.printing import check_format

SAVE_CONFIG = Flag(
    "save-config", kind="bool",
    help="If true, the configuration of current object will be saved in its annotation. Otherwise, the annotation "
    "will be unchanged. This flag is useful when you want to perform kubectl apply on this object in the future.",
)  # fmt: skip
CREATE_FLAGS = (
    FILENAME, OUTPUT, DRY_RUN, VALIDATE, FIELD_MANAGER, SAVE_CONFIG, RECURSIVE,
    Flag("edit", kind="bool", help="Edit the API resource before creating"),
    Flag("selector", short="l", help="Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l "
         "key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints."),
)  # fmt: skip


@command(
    "create",
    short="Create a resource from a file or from stdin",
    long="Create a resource from a file or from stdin.\n\n JSON and YAML formats are accepted.",
    usage="kubectl create -f FILENAME [options]",
    flags=CREATE_FLAGS,
    examples=examples(
        """
        # Create a pod using the data in pod.json
        kubectl create -f ./pod.json

        # Create a pod based on the JSON passed into stdin
        cat pod.json | kubectl create -f -

        # Edit the data in registry.yaml in JSON then create the resource using the edited data
        kubectl create -f registry.yaml --edit -o json
        """
    ),
)
def create(env: Env, parsed: Parsed, out: Output) -> None:
    from cluster.kubectl import hints
    from cluster.kubectl.commands.sources import read_sources, report_unreadable
    from cluster.kubectl.manifests import ManifestError

    if parsed.args:
        raise CommandError(f"Unexpected args: [{' '.join(parsed.args)}]", usage_of="kubectl create")
    if parsed.get("edit"):
        raise CommandError("--edit is not available in this sandbox; open the file with `edit FILE` instead")
    check_format(parsed)
    unreadable: list[CommandError | ManifestError] = []
    for source in read_sources(env, parsed, "create", unreadable):
        for doc in source.documents:
            try:
                send_create(env, doc, parsed, out, source=source.name)
            except SourcedError as exc:
                out.fail(exc.text())
                out.hints.extend(hints.for_api_error(exc.exc, env.lang))
            except CommandError as exc:
                out.fail(exc.text())
                out.hints.extend(hints.for_command_error(exc, env.lang))
    report_unreadable(env, out, unreadable)  # after the readable files were sent, as kubectl reports them
