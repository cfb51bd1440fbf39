"""``kubectl explain TYPE[.FIELD…]``: field documentation from the sandbox's schemas (``cluster.core.schema``)."""

from __future__ import annotations

from cluster.kubectl.base import CommandError, Env, Output, command, resolve_kind
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples


@command(
    "explain",
    short="Get documentation for a resource",
    long=(
        "Describe fields and structure of various resources.\n\n This command describes the fields associated with "
        "each supported API resource. Fields are identified via a simple JSONPath identifier:\n\n        "
        "<type>.<fieldName>[.<fieldName>]\n        \n Information about each field is retrieved from the server in "
        'OpenAPI format.\n\nUse "kubectl api-resources" for a complete list of supported resources.'
    ),
    usage="kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [--output=plaintext|"
    "plaintext-openapiv2] [options]",
    flags=(
        Flag(
            "recursive",
            kind="bool",
            help="When true, print the name of all the fields recursively. Otherwise, "
            "print the available fields with their description.",
        ),
        Flag("api-version", help="Use given api-version (group/version) of the resource."),
        Flag(
            "output",
            short="o",
            default="plaintext",
            help="Format in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2).",
        ),
    ),
    examples=examples(
        """
        # Get the documentation of the resource and its fields
        kubectl explain pods

        # Get all the fields in the resource
        kubectl explain pods --recursive

        # Get the explanation for deployment in supported api versions
        kubectl explain deployments --api-version=apps/v1

        # Get the documentation of a specific field of a resource
        kubectl explain pods.spec.containers
        """
    ),
)
def explain(env: Env, parsed: Parsed, out: Output) -> None:
    from cluster.core import schema

    if not parsed.args:
        raise CommandError('You must specify the type of resource to explain. Use "kubectl api-resources" for a '
                           "complete list of supported resources.")  # fmt: skip
    if len(parsed.args) > 1:
        raise CommandError("We accept only this format: explain RESOURCE\nSee 'kubectl explain -h' for help and "
                           "examples", raw=False)  # fmt: skip
    resource, _, path = str(parsed.args[0]).partition(".")
    info = resolve_kind(env, resource)
    api_version = str(parsed.get("api-version") or "") or None
    try:
        text = schema.explain(info.kind, path, recursive=bool(parsed.get("recursive")), api_version=api_version)
    except KeyError:
        raise CommandError(f'couldn\'t find resource for "{info.api_version}, Kind={info.kind}"') from None
    except schema.ExplainError as exc:
        raise CommandError(str(exc)) from None
    out.out(str(text).removesuffix("\n"))
