"""``kubectl`` itself: find the verb (and subcommand), parse its flags, run it, render failures as kubectl does."""

from __future__ import annotations

from cluster.core import errors
from cluster.kubectl import hints
from cluster.kubectl.base import COMMANDS, GLOBAL_FLAGS, Command, CommandError, Env, Output, api_error_text
from cluster.kubectl.flags import Flag, FlagError, Parsed, parse
from cluster.kubectl.help import command_help, root_help
from cluster.kubectl.manifests import ManifestError

# Cobra lists (and suggests) kubectl's verbs in registration order, not alphabetically (``set`` before ``get``).
VERB_ORDER = (
    "create", "expose", "run", "set", "explain", "get", "edit", "delete", "rollout", "scale", "autoscale",
    "certificate", "cluster-info", "top", "cordon", "uncordon", "drain", "taint", "describe", "logs", "attach",
    "exec", "port-forward", "proxy", "cp", "auth", "debug", "events", "diff", "apply", "patch", "replace", "wait",
    "kustomize", "label", "annotate", "completion", "alpha", "api-resources", "api-versions", "config", "plugin",
    "version", "options",
)  # fmt: skip


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def ordered_verbs() -> list[str]:
    known = [v for v in VERB_ORDER if v in COMMANDS]
    return known + [v for v in COMMANDS if v not in known]


def suggestions(word: str) -> list[str]:
    """Cobra's "Did you mean this?": case-insensitive distance ≤ 2 or a prefix match, in command order."""
    typed = word.lower()
    return [n for n in ordered_verbs() if _levenshtein(typed, n) <= 2 or n.startswith(typed)]


def _takes_value(flags: tuple[Flag, ...]) -> set[str]:
    long = {f"--{f.name}" for f in flags if f.kind != "bool" and f.no_opt_default is None}
    return long | {f"-{f.short}" for f in flags if f.short and f.kind != "bool" and f.no_opt_default is None}


def _find_verb(argv: list[str], flags: tuple[Flag, ...] = GLOBAL_FLAGS) -> tuple[int, str | None]:
    """Index of the first positional word, skipping flags that may precede it (``kubectl -n dev get po``)."""
    takes_value = _takes_value(flags)
    i = 0
    while i < len(argv):
        tok = argv[i]
        if tok == "--":
            return -1, None
        if tok.startswith("-") and tok != "-":
            i += 2 if tok in takes_value else 1
            continue
        return i, tok
    return -1, None


def unknown_command(verb: str) -> str:
    text = f'error: unknown command "{verb}" for "kubectl"'
    close = suggestions(verb)
    if close:
        text += "\n\nDid you mean this?\n" + "\n".join(f"\t{c}" for c in close)
    return text


def run_kubectl(env: Env, argv: list[str]) -> Output:
    out = Output()
    idx, verb = _find_verb(argv)
    if verb is None:
        if any(tok in ("-h", "--help") for tok in argv) or not argv:
            out.out(root_help())
            return out
        try:
            parse(argv, list(GLOBAL_FLAGS))
        except FlagError as exc:
            out.fail(f"error: {exc}\nSee 'kubectl --help' for usage.")
            return out
        out.out(root_help())
        return out
    cmd = COMMANDS.get(verb) or next((c for c in COMMANDS.values() if verb in c.aliases), None)
    if cmd is None:
        out.fail(unknown_command(verb))
        return out
    tokens = argv[:idx] + argv[idx + 1 :]
    return run_command(env, cmd, tokens, out)


def _descend(cmd: Command, tokens: list[str]) -> tuple[Command, list[str]]:
    """Follow subcommand words (``create service nodeport``) as far as they name a child."""
    while cmd.children():
        j, word = _find_verb(tokens, tuple(cmd.flags) + GLOBAL_FLAGS)
        child = cmd.child(word) if word is not None else None
        if child is None:
            break
        cmd, tokens = child, tokens[:j] + tokens[j + 1 :]
    return cmd, tokens


def wants_help(tokens: list[str]) -> bool:
    for tok in tokens:
        if tok == "--":
            return False
        if tok in ("-h", "--help", "--help=true", "-h=true"):
            return True
    return False


def run_command(env: Env, cmd: Command, tokens: list[str], out: Output) -> Output:
    cmd, tokens = _descend(cmd, tokens)
    if wants_help(tokens):
        out.out(command_help(cmd))
        return out
    if cmd.run is None:
        return _group_without_subcommand(cmd, tokens, out)
    try:
        parsed = parse(tokens, list(cmd.flags) + list(GLOBAL_FLAGS))
    except FlagError as exc:
        out.fail(f"error: {exc}\nSee '{cmd.path} --help' for usage.")
        return out
    return _invoke(env, cmd, parsed, out)


def _group_without_subcommand(cmd: Command, tokens: list[str], out: Output) -> Output:
    """cobra's ``DefaultSubCommandRun``: no subcommand prints the help (exit 1); stray words are an error."""
    words = [t for t in tokens if not t.startswith("-")]
    if words:
        out.fail(f"error: unknown command \"{' '.join(words)}\"\nSee '{cmd.path} -h' for help and examples")
        return out
    out.fail(command_help(cmd))
    return out


def _invoke(env: Env, cmd: Command, parsed: Parsed, out: Output) -> Output:
    from cluster.kubectl.commands.common import SourcedError

    assert cmd.run is not None
    try:
        cmd.run(env, parsed, out)
    except FlagError as exc:
        out.fail(f"error: {exc}\nSee '{cmd.path} --help' for usage.")
    except SourcedError as exc:
        out.fail(exc.text())
        out.hints.extend(hints.for_api_error(exc.exc, env.lang))
    except CommandError as exc:
        out.fail(exc.text(), exc.exit_code)
        out.hints.extend(hints.for_command_error(exc, env.lang))
    except errors.ApiError as exc:
        out.fail(api_error_text(exc))
        out.hints.extend(hints.for_api_error(exc, env.lang))
    except ManifestError as exc:
        out.fail(f"error: {exc}")
        out.hints.extend(hints.for_manifest_error(str(exc), env.lang))
    out.hints[:] = out.hints[:1]
    return out
