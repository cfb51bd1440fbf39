"""``--help`` for every verb, in kubectl's layout; where kubectl is installed, checked against its own text."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from cluster.kubectl import commands  # noqa: F401  (registers every verb)
from cluster.kubectl.base import COMMANDS, SUBCOMMANDS, Command
from tests.unit.test_kubectl_support import Session

KUBECTL = shutil.which("kubectl")


def all_commands() -> list[Command]:
    return list(COMMANDS.values()) + [c for children in SUBCOMMANDS.values() for c in children.values()]


def test_root_help_lists_the_verbs_in_kubectls_groups() -> None:
    text = Session().run("kubectl --help").stdout[0]
    assert text.startswith("kubectl controls the Kubernetes cluster manager.\n")
    order = [
        text.index(f"\n  {verb} ") for verb in ("create", "get", "rollout", "cordon", "describe", "apply", "label")
    ]
    assert order == sorted(order)
    assert "  create          Create a resource from a file or from stdin\n" in text
    assert text.endswith('Use "kubectl options" for a list of global command-line options (applies to all commands).')


@pytest.mark.parametrize("cmd", all_commands(), ids=lambda c: c.key)
def test_every_command_has_kubectl_shaped_help(cmd: Command) -> None:
    out = Session().run(f"kubectl {cmd.key} --help")
    assert out.exit_code == 0
    text = out.stdout[0]
    assert f"\nUsage:\n  {cmd.usage}\n" in text
    assert text.endswith("(applies to all commands).")
    for flag in cmd.flags:
        if flag.help:
            head = f"    -{flag.short}, --{flag.name}=" if flag.short else f"    --{flag.name}="
            assert head in text


def test_group_without_subcommand_prints_help_and_fails() -> None:
    out = Session().run("kubectl rollout")
    assert out.exit_code == 1
    assert "Available Commands:\n  history       View rollout history\n" in out.stderr[0]


def real_help(args: str) -> str:
    assert KUBECTL is not None
    home = os.environ.get("TMPDIR", "/tmp")
    result = subprocess.run([KUBECTL, *args.split(), "--help"], capture_output=True, text=True, timeout=30,
                            env={"HOME": home, "PATH": os.environ.get("PATH", "")}, check=False)  # fmt: skip
    return result.stdout


@pytest.mark.skipif(KUBECTL is None, reason="kubectl is not installed")
@pytest.mark.parametrize(
    "verb",
    ["create deployment", "create namespace", "create service nodeport", "run", "expose", "scale", "rollout status",
     "rollout undo", "cordon", "drain", "taint", "label", "annotate", "patch", "delete", "get", "logs", "apply"],
)  # fmt: skip
def test_help_pieces_are_kubectls_own(verb: str) -> None:
    real = real_help(verb)
    ours = Session().run(f"kubectl {verb} --help").stdout[0]
    assert ours.split("\n\n")[0] == real.split("\n\n")[0]  # the description's first paragraph
    usage = ours.split("Usage:\n")[1].splitlines()[0]
    assert usage == real.split("Usage:\n")[1].splitlines()[0]
    real_lines = set(real.splitlines())
    examples = ours.split("Examples:\n")[1].split("\n\n")[0].splitlines() if "Examples:\n" in ours else []
    assert [line for line in examples if line not in real_lines] == []
    option_heads = [line for line in ours.splitlines() if line.startswith("    -") and line.endswith(":")]
    assert [head for head in option_heads if head not in real_lines] == []
