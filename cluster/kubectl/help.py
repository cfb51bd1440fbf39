"""``kubectl --help`` and ``kubectl <verb> --help`` texts, laid out like kubectl 1.32's templates.

Sections come in kubectl's order (description, Aliases, Examples, Available
Commands, Options, Usage); options are sorted by name and show their default
the way pflag prints it (``=false``, ``=''``, ``=[]``, ``=-1``).
"""

from __future__ import annotations

from cluster.kubectl.base import COMMANDS, Command
from cluster.kubectl.flags import Flag

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Basic Commands (Beginner)", ("create", "expose", "run", "set")),
    ("Basic Commands (Intermediate)", ("explain", "get", "edit", "delete")),
    ("Deploy Commands", ("rollout", "scale", "autoscale")),
    ("Cluster Management Commands", ("certificate", "cluster-info", "top", "cordon", "uncordon", "drain", "taint")),
    ("Troubleshooting and Debugging Commands", ("describe", "logs", "attach", "exec", "port-forward", "proxy", "cp")),
    ("Advanced Commands", ("diff", "apply", "patch", "replace", "wait", "kustomize")),
    ("Settings Commands", ("label", "annotate", "completion")),
    ("Other Commands", ("api-resources", "api-versions", "config", "plugin", "version")),
)
GLOBAL_FOOTER = 'Use "kubectl options" for a list of global command-line options (applies to all commands).'


def _listing(commands: list[Command]) -> list[str]:
    """cobra pads command names to the longest one (at least 11) plus three spaces."""
    width = max([11, *(len(c.name) for c in commands)])
    return [f"  {c.name.ljust(width)}   {c.short}" for c in commands]


def root_help() -> str:
    lines = [
        "kubectl controls the Kubernetes cluster manager.",
        "",
        " Find more information at: https://kubernetes.io/docs/reference/kubectl/",
        "",
    ]
    width = max([11, *(len(n) for n in COMMANDS)])
    for title, names in GROUPS:
        present = [COMMANDS[n] for n in names if n in COMMANDS]
        if not present:
            continue
        lines.append(f"{title}:")
        lines += [f"  {c.name.ljust(width)}   {c.short}" for c in present]
        lines.append("")
    lines += [
        "Usage:",
        "  kubectl [flags] [options]",
        "",
        'Use "kubectl <command> --help" for more information about a given command.',
        GLOBAL_FOOTER,
    ]
    return "\n".join(lines)


def _default_text(flag: Flag) -> str:
    value = flag.initial()
    if flag.kind == "bool":
        return "true" if value else "false"
    if flag.kind in ("int", "duration"):
        return str(value)
    if flag.kind in ("stringArray", "stringSlice"):
        return "[" + ",".join(str(v) for v in value) + "]"
    return f"'{value}'"


def flag_lines(flags: list[Flag]) -> list[str]:
    lines = ["Options:"]
    for flag in sorted(flags, key=lambda f: f.name):
        head = f"    -{flag.short}, --{flag.name}" if flag.short else f"    --{flag.name}"
        lines += [f"{head}={_default_text(flag)}:", f"\t{flag.help}", ""]
    return lines


def command_help(cmd: Command) -> str:
    lines = [(cmd.long or cmd.short + ".").rstrip(), ""]
    if cmd.aliases:
        lines += ["Aliases:", ", ".join((cmd.name, *cmd.aliases)), ""]
    if cmd.examples:
        lines += ["Examples:", cmd.examples.rstrip("\n"), ""]
    children = sorted(cmd.children(), key=lambda c: c.name)
    if children:
        lines += ["Available Commands:", *_listing(children), ""]
    visible = [f for f in cmd.flags if f.help and not f.name.startswith("_")]
    if visible:
        lines += flag_lines(visible)
    lines += ["Usage:", f"  {cmd.usage}", ""]
    if children:
        lines.append(f'Use "{cmd.path} <command> --help" for more information about a given command.')
    lines.append(GLOBAL_FOOTER)
    return "\n".join(lines)


def examples(text: str) -> str:
    """kubectl indents examples by two spaces, blank lines included (``templates.Examples``)."""
    import re
    import textwrap

    joined = re.sub(r"\\\n\s*", "", textwrap.dedent(text).strip("\n"))  # a trailing backslash continues a line
    return "\n".join("  " + line for line in joined.splitlines())
