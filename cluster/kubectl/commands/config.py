"""``kubectl config``: the sandbox's one kubeconfig context, and switching its namespace.

The terminal has a single context (``env.context_name``) pointing at the
sandbox's API server; ``set-context --current --namespace=dev`` changes
``env.namespace`` and tells the page through a ``namespace`` effect.
"""

from __future__ import annotations

from cluster.kubectl.base import CommandError, Env, Output, command, group
from cluster.kubectl.commands.info import CONTROL_PLANE
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples

USER = "learner"

group(
    "config",
    short="Modify kubeconfig files",
    long=(
        'Modify kubeconfig files using subcommands like "kubectl config set current-context my-context".\n\n The '
        "loading order follows these rules:\n\n  1.  If the --kubeconfig flag is set, then only that file is loaded. "
        "The flag may only be set once and no merging takes place.\n  2.  If $KUBECONFIG environment variable is set, "
        "then it is used as a list of paths (normal path delimiting rules for your system). These paths are merged. "
        "When a value is modified, it is modified in the file that defines the stanza. When a value is created, it is "
        "created in the first file that exists. If no files in the chain exist, then it creates the last file in the "
        "list.\n  3.  Otherwise, ${HOME}/.kube/config is used and no merging takes place."
    ),
    usage="kubectl config SUBCOMMAND [options]",
)


def _namespace_field(env: Env) -> str:
    return "" if env.namespace == "default" else env.namespace


@command(
    "view",
    parent="config",
    short="Display merged kubeconfig settings or a specified kubeconfig file",
    long="Display merged kubeconfig settings or a specified kubeconfig file.\n\n You can use --output jsonpath={...} "
    "to extract specific values using a jsonpath expression.",
    usage="kubectl config view [flags] [options]",
    flags=(
        Flag("minify", kind="bool", help="Remove all information not used by current-context from the output"),
        Flag("raw", kind="bool", help="Display raw byte data and sensitive data"),
        Flag(
            "output",
            short="o",
            default="yaml",
            help="Output format. One of: (json, yaml, name, go-template, "
            "go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file).",
        ),
    ),
    examples=examples(
        """
        # Show merged kubeconfig settings
        kubectl config view

        # Get the password for the e2e user
        kubectl config view -o jsonpath='{.users[?(@.name == "e2e")].user.password}'
        """
    ),
)
def config_view(env: Env, parsed: Parsed, out: Output) -> None:
    from cluster.kubectl.printing import render_objects

    context: dict[str, str] = {"cluster": env.context_name, "user": USER}
    if _namespace_field(env):
        context["namespace"] = env.namespace
    secret = "REDACTED" if not parsed.get("raw") else "c2FuZGJveA=="
    data = {
        "apiVersion": "v1",
        "clusters": [{"cluster": {"certificate-authority-data": "DATA+OMITTED", "server": CONTROL_PLANE},
                      "name": env.context_name}],
        "contexts": [{"context": context, "name": env.context_name}],
        "current-context": env.context_name,
        "kind": "Config",
        "preferences": {},
        "users": [{"name": USER, "user": {"token": secret}}],
    }  # fmt: skip
    out.out(render_objects(str(parsed.get("output") or "yaml"), [data]))


@command(
    "current-context",
    parent="config",
    short="Display the current-context",
    usage="kubectl config current-context [options]",
    examples=examples(
        """
        # Display the current-context
        kubectl config current-context
        """
    ),
)
def current_context(env: Env, parsed: Parsed, out: Output) -> None:
    out.out(env.context_name)


@command(
    "get-contexts",
    parent="config",
    short="Describe one or many contexts",
    long="Display one or many contexts from the kubeconfig file.",
    usage="kubectl config get-contexts [(-o|--output=)name)] [options]",
    flags=(
        Flag(
            "no-headers",
            kind="bool",
            help="When using the default or custom-column output format, don't print headers (default print headers).",
        ),
        Flag("output", short="o", help="Output format. One of: (name)."),
    ),
    examples=examples(
        """
        # List all the contexts in your kubeconfig file
        kubectl config get-contexts

        # Describe one context in your kubeconfig file
        kubectl config get-contexts my-context
        """
    ),
)
def get_contexts(env: Env, parsed: Parsed, out: Output) -> None:
    from cluster.kubectl.printers.tabwriter import table_writer

    for name in parsed.args:
        if name != env.context_name:
            raise CommandError(f"context {name} not found")
    if parsed.get("output") == "name":
        out.out(env.context_name)
        return
    rows = [] if parsed.get("no-headers") else ["CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE"]
    rows.append(f"*\t{env.context_name}\t{env.context_name}\t{USER}\t{_namespace_field(env)}")
    writer = table_writer()
    writer.write("".join(row + "\n" for row in rows))
    out.out(str(writer.flush()).rstrip("\n"))


@command(
    "get-clusters",
    parent="config",
    short="Display clusters defined in the kubeconfig",
    usage="kubectl config get-clusters [options]",
)
def get_clusters(env: Env, parsed: Parsed, out: Output) -> None:
    out.out("NAME")
    out.out(env.context_name)


@command(
    "use-context",
    parent="config",
    aliases=("use",),
    short="Set the current-context in a kubeconfig file",
    usage="kubectl config use-context CONTEXT_NAME [options]",
    examples=examples(
        """
        # Use the context for the minikube cluster
        kubectl config use-context minikube
        """
    ),
)
def use_context(env: Env, parsed: Parsed, out: Output) -> None:
    if len(parsed.args) != 1:
        raise CommandError("Unexpected args: " + str(parsed.args), usage_of="kubectl config use-context")
    if parsed.args[0] != env.context_name:
        raise CommandError(f'no context exists with the name: "{parsed.args[0]}"')
    out.out(f'Switched to context "{env.context_name}".')


@command(
    "set-context",
    parent="config",
    short="Set a context entry in kubeconfig",
    long="Set a context entry in kubeconfig.\n\n Specifying a name that already exists will merge new fields on top "
    "of existing values for those fields.",
    usage="kubectl config set-context [NAME | --current] [--cluster=cluster_nickname] [--user=user_nickname] "
    "[--namespace=namespace] [options]",
    flags=(
        Flag("current", kind="bool", help="Modify the current context"),
        Flag("cluster", help="cluster for the context entry in kubeconfig"),
        Flag("user", help="user for the context entry in kubeconfig"),
    ),
    examples=examples(
        """
        # Set the user field on the gce context entry without touching other values
        kubectl config set-context gce --user=cluster-admin
        """
    ),
)
def set_context(env: Env, parsed: Parsed, out: Output) -> None:
    if parsed.get("current") and parsed.args:
        raise CommandError("you cannot specify both a context name and --current")
    if not parsed.get("current") and not parsed.args:
        raise CommandError("you must specify a non-empty context name or --current")
    name = env.context_name if parsed.get("current") else str(parsed.args[0])
    if name != env.context_name:
        raise CommandError(f'the sandbox has a single context "{env.context_name}"; use '
                           "`kubectl config set-context --current --namespace=<ns>`")  # fmt: skip
    if parsed.has("namespace"):
        env.namespace = str(parsed.get("namespace") or "default")
        out.effects.append({"type": "namespace", "namespace": env.namespace})
    out.out(f'Context "{name}" modified.')
