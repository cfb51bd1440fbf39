"""The kubectl emulator's command model: one registry of verbs, one way to run and report them.

Commands run against an ``Env`` (the sandbox's API server, its files, the
current namespace) and return an ``Output`` instead of printing, so the
browser terminal, the ``manage.py sandbox exec`` CLI and lessons share them.
Verbs with subcommands (``create deployment``, ``rollout status``, ``config
view``) are registered under their parent's path, the way cobra nests them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cluster.apiserver.context import RequestContext
from cluster.core import errors
from cluster.kubectl.flags import Flag, FlagError, Parsed

if TYPE_CHECKING:
    from cluster.apiserver.server import ApiServer
    from cluster.core.kinds import KindInfo


class CommandError(Exception):
    """A client-side failure: printed as ``error: <message>`` (exit 1).

    ``usage_of`` adds kubectl's ``See '<command> -h' for help and examples``
    line (``cmdutil.UsageErrorf``); ``raw`` prints the message as it is.
    """

    def __init__(
        self, message: str, *, usage_of: str = "", exit_code: int = 1, hint: str = "", raw: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.usage_of = usage_of
        self.exit_code = exit_code
        self.hint = hint
        self.raw = raw

    def text(self) -> str:
        text = self.message if self.raw or self.message.startswith("error: ") else f"error: {self.message}"
        if self.usage_of:
            text += f"\nSee '{self.usage_of} -h' for help and examples"
        return text


@dataclass
class Env:
    """Everything a command may touch: the API server, simulated time, the sandbox's files, the context.

    ``client`` names the pod a program runs "inside" (``kubectl exec … -- curl``)
    so the curl hook can route the request from that pod; None on the learner's machine.
    """

    api: ApiServer
    now_ms: Callable[[], int]
    files: dict[str, str] = field(default_factory=dict)
    namespace: str = "default"
    stdin: str | None = None
    lang: str = "en"
    actor: str = "kubectl"
    context_name: str = "kubesandbox"
    files_changed: set[str] = field(default_factory=set)
    history: list[str] = field(default_factory=list)
    client: dict[str, str] | None = None
    # Whether stdout is the terminal (False when it goes down a pipe or into a file), as ``isatty(1)`` tells a
    # program: ``ls`` prints one name per line when it is not.
    tty: bool = True

    def ctx(self, **overrides: Any) -> RequestContext:
        return RequestContext(actor=self.actor, component="kubectl", **overrides)


@dataclass
class Output:
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    exit_code: int = 0
    hints: list[str] = field(default_factory=list)
    # For streaming commands (get -w, logs -f, rollout status): what to keep watching (JSON-able).
    stream: dict[str, Any] | None = None
    # Side requests for the page (open the editor, switch namespace, clear the screen).
    effects: list[dict[str, Any]] = field(default_factory=list)
    # Every line in the order it was written, tagged "stdout"/"stderr" (a terminal interleaves them).
    lines: list[tuple[str, str]] = field(default_factory=list)

    def out(self, text: str) -> None:
        self.stdout.append(text)
        self.lines.append(("stdout", text))

    def err(self, text: str) -> None:
        self.stderr.append(text)
        self.lines.append(("stderr", text))

    def out_lines(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.out(text)

    def err_lines(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.err(text)

    def fail(self, text: str, exit_code: int = 1) -> None:
        self.err(text)
        self.exit_code = exit_code

    def drop_stdout(self) -> None:
        self.stdout = []
        self.lines = [line for line in self.lines if line[0] != "stdout"]

    @property
    def text(self) -> str:
        """Everything printed, interleaved as a terminal shows it."""
        if len(self.lines) == len(self.stdout) + len(self.stderr):
            return "\n".join(text for _, text in self.lines)
        return "\n".join(self.stdout + self.stderr)


Runner = Callable[[Env, Parsed, Output], None]


@dataclass(frozen=True)
class Command:
    """One cobra command: ``parent`` is the path below ``kubectl`` (``"create service"`` for ``nodeport``)."""

    name: str
    run: Runner | None
    short: str
    usage: str
    flags: tuple[Flag, ...] = ()
    aliases: tuple[str, ...] = ()
    examples: str = ""
    long: str = ""
    parent: str = ""

    @property
    def key(self) -> str:
        return f"{self.parent} {self.name}".strip()

    @property
    def path(self) -> str:
        return f"kubectl {self.key}"

    def children(self) -> list[Command]:
        return list(SUBCOMMANDS.get(self.key, {}).values())

    def child(self, word: str) -> Command | None:
        for sub in self.children():
            if word == sub.name or word in sub.aliases:
                return sub
        return None


# Top-level verbs in kubectl's registration order (cobra suggests in this order), and nested ones by parent path.
COMMANDS: dict[str, Command] = {}
SUBCOMMANDS: dict[str, dict[str, Command]] = {}


def command(
    name: str,
    *,
    short: str,
    usage: str,
    flags: tuple[Flag, ...] = (),
    aliases: tuple[str, ...] = (),
    examples: str = "",
    long: str = "",
    parent: str = "",
) -> Callable[[Runner], Runner]:
    def register(fn: Runner) -> Runner:
        add_command(Command(name, fn, short, usage, flags, aliases, examples, long, parent))
        return fn

    return register


def add_command(cmd: Command) -> Command:
    if cmd.parent:
        SUBCOMMANDS.setdefault(cmd.parent, {})[cmd.name] = cmd
    else:
        COMMANDS[cmd.name] = cmd
    return cmd


def group(
    name: str,
    *,
    short: str,
    usage: str,
    long: str = "",
    examples: str = "",
    parent: str = "",
    aliases: tuple[str, ...] = (),
) -> Command:
    """A command that only holds subcommands (``rollout``, ``config``, ``create service``)."""
    return add_command(Command(name, None, short, usage, (), aliases, examples, long, parent))


# Flags every kubectl command accepts (a subset of the real global flags).
GLOBAL_FLAGS: tuple[Flag, ...] = (
    Flag("namespace", short="n", help="If present, the namespace scope for this CLI request"),
    Flag("context", help="The name of the kubeconfig context to use"),
    Flag("kubeconfig", help="Path to the kubeconfig file to use for CLI requests."),
    Flag("v", kind="int", short="v", help="number for the log level verbosity"),
    Flag(
        "request-timeout", default="0", help="The length of time to wait before giving up on a single server request."
    ),
    Flag("help", kind="bool", short="h", help="help for this command"),
)


def api_error_text(exc: errors.ApiError, *, verb: str = "", source: str = "") -> str:
    """How kubectl prints a server error (K8S_FACTS §2.1): Invalid is special-cased from its causes."""
    if exc.reason == "Invalid" and exc.details.get("causes"):
        name = exc.details.get("name", "")
        kind = exc.details.get("kind", "")
        seen: list[str] = []
        for cause in exc.details["causes"]:
            line = f"{cause['field']}: {cause['message']}" if cause.get("field") else cause["message"]
            if line not in seen:
                seen.append(line)
        prefix = f'The {kind} "{name}" is invalid: '
        if len(seen) == 1:
            return prefix + seen[0]
        return prefix + "\n" + "\n".join(f"* {line}" for line in seen)
    message = exc.message
    if verb and source:
        message = f'error when {verb} "{source}": {message}'
    if exc.reason and exc.reason not in ("Unknown",):
        return f"Error from server ({exc.reason}): {message}"
    return f"Error from server: {message}"


def flag_error_text(exc: FlagError, command_path: str) -> str:
    return f"error: {exc}\nSee '{command_path} --help' for usage."


def resolve_kind(env: Env, name: str) -> KindInfo:
    """``po`` / ``pods`` / ``deployments.apps`` / ``deployments.v1.apps`` → the kind, or kubectl's error."""
    typed = name
    parts = name.split(".")
    if len(parts) >= 3 and re.fullmatch(r"v\d+((alpha|beta)\d+)?", parts[1]):
        name = ".".join([parts[0], *parts[2:]])
    info = env.api.registry.resolve(name) if name else None
    if info is None:
        from cluster.kubectl.hints import resource_typo

        known = sorted({n for i in env.api.registry.all() for n in (i.plural, i.singular, *i.short_names)})
        hint = resource_typo(typed, known, env.lang)
        raise CommandError(f'the server doesn\'t have a resource type "{typed}"', hint=hint)
    return info


def namespace_of(env: Env, parsed: Parsed) -> str:
    return str(parsed.get("namespace") or env.namespace or "default")


MISSING_RESOURCES = (
    "You must provide one or more resources by argument or filename.\n"
    "Example resource specifications include:\n"
    "   '-f rsrc.yaml'\n"
    "   '--filename=rsrc.json'\n"
    "   '<resource> <name>'\n"
    "   '<resource>'"
)
