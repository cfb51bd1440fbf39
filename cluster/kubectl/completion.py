"""Tab completion for the terminal: programs, kubectl verbs and subcommands, flags, resource types, names, files.

``complete(env, line)`` returns the candidates for the word being typed (the
last word, or an empty word after a space), already filtered by that prefix.
It reads the store directly — completion must be instant and must not show
up in the cluster's request trace.
"""

from __future__ import annotations

import shlex

from cluster.kubectl.base import COMMANDS, GLOBAL_FLAGS, Command, Env
from cluster.kubectl.flags import Flag

PROGRAM_NAMES = ("kubectl", "k", "curl", "ls", "cat", "edit", "vi", "vim", "nano", "help", "clear", "history", "echo",
                 "grep", "head", "tail", "wc", "pwd")  # fmt: skip
FILE_PROGRAMS = ("cat", "edit", "vi", "vim", "nano", "ls")
NODE_VERBS = ("cordon", "uncordon", "drain")
POD_VERBS = ("logs", "exec")
TYPED_VERBS = ("get", "describe", "delete", "edit", "label", "annotate", "patch", "scale", "expose", "autoscale",
               "explain", "image", "history", "undo", "pause", "resume", "restart", "status", "taint")  # fmt: skip
OUTPUT_FORMATS = ("json", "yaml", "wide", "name", "jsonpath=", "custom-columns=")


def _tokens(line: str) -> tuple[list[str], str]:
    """Words before the cursor, and the (possibly empty) word being typed."""
    for closing in ("", '"', "'"):
        try:
            words = shlex.split(line + closing)
            break
        except ValueError:
            continue
    else:
        words = line.split()
    if line and not line[-1].isspace() and words:
        return words[:-1], words[-1]
    return words, ""


def _match(prefix: str, candidates: list[str] | set[str] | tuple[str, ...]) -> list[str]:
    return sorted({c for c in candidates if c.startswith(prefix)})


def _files(env: Env, prefix: str) -> list[str]:
    folders = {p.rsplit("/", 1)[0] + "/" for p in env.files if "/" in p}
    return _match(prefix, set(env.files) | folders)


def _kinds(env: Env) -> set[str]:
    return {n for i in env.api.registry.all() for n in (i.plural, i.singular, *i.short_names)}


def _names(env: Env, kind_word: str, namespace: str) -> list[str]:
    info = env.api.registry.resolve(kind_word)
    if info is None:
        return []
    return [o["metadata"]["name"] for o in env.api.store.list(info.kind, namespace if info.namespaced else None)]


def _flag_words(flags: tuple[Flag, ...]) -> list[str]:
    return [f"--{f.name}" for f in flags if f.help] + [f"-{f.short}" for f in flags if f.short and f.help]


def _namespace(env: Env, words: list[str]) -> str:
    for i, word in enumerate(words):
        if word in ("-n", "--namespace") and i + 1 < len(words):
            return words[i + 1]
        if word.startswith("--namespace="):
            return word.split("=", 1)[1]
        if word.startswith("-n") and len(word) > 2:
            return word[2:]
    return env.namespace


def _command_path(words: list[str]) -> tuple[Command | None, list[str]]:
    """The deepest command the words name, and the positional words after it."""
    from cluster.kubectl import commands  # noqa: F401  (registers every verb)

    flags_with_values = {f"--{f.name}" for f in GLOBAL_FLAGS if f.kind != "bool"} | {"-n", "-v"}
    cmd: Command | None = None
    positionals: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            takes = cmd is not None and any(
                word in (f"--{f.name}", f"-{f.short}") and f.kind != "bool" and f.no_opt_default is None
                for f in cmd.flags
            )
            skip = (word in flags_with_values or takes) and "=" not in word
            continue
        child = COMMANDS.get(word) if cmd is None else cmd.child(word)
        if child is not None and not positionals:
            cmd = child
        elif cmd is None:
            return None, [word]
        else:
            positionals.append(word)
    return cmd, positionals


def _value_of_flag(env: Env, flag: str, prefix: str, words: list[str]) -> list[str] | None:
    if flag in ("-f", "--filename", "--patch-file", "--from-file", "--from-env-file"):
        return _files(env, prefix)
    if flag in ("-n", "--namespace"):
        return _match(prefix, [o["metadata"]["name"] for o in env.api.store.list("Namespace")])
    if flag in ("-o", "--output"):
        return _match(prefix, OUTPUT_FORMATS)
    if flag in ("-c", "--container"):
        return []
    return None


def _positional(env: Env, cmd: Command, positionals: list[str], prefix: str, namespace: str) -> list[str]:
    verb = cmd.name
    if verb in NODE_VERBS:
        return _match(prefix, _names(env, "nodes", ""))
    if verb in POD_VERBS and not positionals:
        if "/" in prefix:
            kind, _, part = prefix.partition("/")
            return [f"{kind}/{n}" for n in _match(part, _names(env, kind, namespace))]
        return _match(prefix, _names(env, "pods", namespace))
    if verb == "taint":
        return _match(prefix, ["nodes"] if not positionals else _names(env, "nodes", ""))
    if verb not in TYPED_VERBS:
        return []
    if not positionals:
        if "/" in prefix:
            kind, _, part = prefix.partition("/")
            return [f"{kind}/{n}" for n in _match(part, _names(env, kind, namespace))]
        types = _kinds(env) | ({"all"} if verb in ("get", "delete") else set())
        head, _, last = prefix.rpartition(",")
        return [f"{head},{t}" if head else t for t in _match(last, types)]
    if "," in positionals[0] or "/" in positionals[0] or verb == "explain":
        return []
    return _match(prefix, _names(env, positionals[0], namespace))


def complete(env: Env, line: str) -> list[str]:
    words, prefix = _tokens(line)
    if not words:
        return _match(prefix, PROGRAM_NAMES)
    program = words[0]
    if program in FILE_PROGRAMS:
        return _files(env, prefix)
    if program not in ("kubectl", "k"):
        return []
    rest = words[1:]
    if rest:
        values = _value_of_flag(env, rest[-1], prefix, rest)
        if values is not None and "=" not in rest[-1]:
            return values
    if "=" in prefix and prefix.startswith("-"):
        flag, _, value = prefix.partition("=")
        values = _value_of_flag(env, flag, value, rest)
        return [f"{flag}={v}" for v in values or []]
    cmd, positionals = _command_path(rest)
    if prefix.startswith("-"):
        flags = (cmd.flags if cmd else ()) + GLOBAL_FLAGS
        return _match(prefix, _flag_words(flags))
    if cmd is None and positionals:
        return []
    if cmd is None:
        from cluster.kubectl.main import ordered_verbs

        return _match(prefix, ordered_verbs())
    children = [c.name for c in cmd.children()]
    namespace = _namespace(env, rest)
    if children and not positionals:
        found = _match(prefix, children)
        return found if cmd.run is None else found + _positional(env, cmd, positionals, prefix, namespace)
    return _positional(env, cmd, positionals, prefix, namespace)
