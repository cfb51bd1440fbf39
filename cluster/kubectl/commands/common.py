"""Pieces most verbs share: common flags, resource arguments, dry-run, sending and confirming objects."""

from __future__ import annotations

from typing import Any

from cluster.core import errors
from cluster.core.kinds import KindInfo
from cluster.kubectl.base import CommandError, Env, Output, api_error_text, namespace_of, resolve_kind
from cluster.kubectl.flags import Flag, Parsed

DRY_RUN = Flag(
    "dry-run", default="none", no_opt_default="unchanged",
    help='Must be "none", "server", or "client". If client strategy, only print the object that would be sent, '
    "without sending it. If server strategy, submit server-side request without persisting the resource.",
)  # fmt: skip
OUTPUT = Flag(
    "output", short="o",
    help="Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, "
    "jsonpath, jsonpath-as-json, jsonpath-file).",
)  # fmt: skip
FILENAME = Flag("filename", kind="stringSlice", short="f", help="Filename, directory, or URL to files to use.")
SELECTOR = Flag(
    "selector", short="l",
    help="Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l "
    "key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.",
)  # fmt: skip
ALL_NAMESPACES = Flag(
    "all-namespaces", kind="bool", short="A",
    help="If present, list the requested object(s) across all namespaces. Namespace in current context is ignored "
    "even if specified with --namespace.",
)  # fmt: skip
VALIDATE = Flag(
    "validate", default="strict", no_opt_default="strict",
    help='Must be one of: strict (or true), warn, ignore (or false). "true" or "strict" will use a schema to '
    'validate the input and fail the request if invalid. "warn" will warn about unknown or duplicate fields '
    'without blocking the request, and "false" or "ignore" will not perform any schema validation, silently '
    "dropping any unknown or duplicate fields.",
)  # fmt: skip
RECURSIVE = Flag(
    "recursive", kind="bool", short="R",
    help="Process the directory used in -f, --filename recursively. Useful when you want to manage related "
    "manifests organized within the same directory.",
)  # fmt: skip
ALLOW_MISSING = Flag(
    "allow-missing-template-keys", kind="bool", default=True,
    help="If true, ignore any errors in templates when a field or map key is missing in the template. Only applies "
    "to golang and jsonpath output formats.",
)  # fmt: skip
SHOW_MANAGED = Flag(
    "show-managed-fields",
    kind="bool",
    help="If true, keep the managedFields when printing objects in JSON or YAML format.",
)


def field_manager(default: str) -> Flag:
    return Flag("field-manager", default=default, help="Name of the manager used to track field ownership.")


FIELD_MANAGER = field_manager("kubectl-create")


def dry_run_mode(parsed: Parsed) -> str:
    value = str(parsed.get("dry-run") or "none")
    if value in ("unchanged", "true"):
        # kubectl 1.32 treats a bare --dry-run as client (with a deprecation warning).
        return "client"
    if value == "false":
        return "none"
    if value not in ("none", "client", "server"):
        raise CommandError(f'Invalid dry-run value ({value}). Must be "none", "server", or "client".')
    return value


def field_validation(parsed: Parsed) -> str:
    value = str(parsed.get("validate") or "strict").lower()
    mapping = {"strict": "Strict", "true": "Strict", "warn": "Warn", "ignore": "Ignore", "false": "Ignore"}
    if value not in mapping:
        raise CommandError(
            f'invalid - validate option "{value}"; must be one of: strict (or true), warn, ignore (or false)'
        )
    return mapping[value]


def suffix(mode: str) -> str:
    return {"client": " (dry run)", "server": " (server dry run)"}.get(mode, "")


def _combined(env: Env, args: list[str]) -> list[tuple[KindInfo, str | None]]:
    out: list[tuple[KindInfo, str | None]] = []
    for arg in args:
        if "/" not in arg:
            raise CommandError(
                "there is no need to specify a resource type as a separate argument when passing arguments in "
                "resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource "
                "resource/<resource_name>'"
            )
        kind, _, name = arg.partition("/")
        if not kind or not name or "/" in name:
            raise CommandError("arguments in resource/name form must have a single resource and name")
        out.append((resolve_kind(env, kind), name))
    return out


def split_type_name(env: Env, args: list[str]) -> list[tuple[KindInfo, str | None]]:
    """``pods web`` / ``pod/web deploy/x`` / ``po,svc`` / ``po,svc web`` → (kind, name or None) pairs."""
    if not args:
        return []
    if any("/" in a for a in args):
        return _combined(env, args)
    kinds = [resolve_kind(env, k) for k in args[0].split(",") if k]
    if not kinds:
        raise CommandError(f'the server doesn\'t have a resource type "{args[0]}"')
    names = args[1:]
    if not names:
        return [(k, None) for k in kinds]
    return [(k, n) for k in kinds for n in names]


def object_namespace(env: Env, parsed: Parsed, info: KindInfo) -> str:
    return namespace_of(env, parsed) if info.namespaced else ""


def enforce_namespace(obj: dict[str, Any], parsed: Parsed) -> dict[str, Any]:
    """kubectl writes ``metadata.namespace`` into generated objects only when ``-n`` was given."""
    if parsed.has("namespace") and parsed.get("namespace"):
        obj["metadata"]["namespace"] = parsed.get("namespace")
    return obj


def send_create(
    env: Env,
    obj: dict[str, Any],
    parsed: Parsed,
    out: Output,
    source: str = "",
    manager: str = "kubectl-create",
    verb: str = "created",
) -> dict[str, Any]:
    """POST one object honouring --dry-run; prints ``kind.group/name created`` unless -o was asked."""
    from cluster.kubectl.printing import print_object_or_line

    mode = dry_run_mode(parsed)
    info = env.api.registry.by_api_version(str(obj.get("apiVersion", "")), str(obj.get("kind", "")))
    if info is None and mode == "client" and env.api.registry.has(str(obj.get("kind", ""))):
        info = env.api.registry.get(str(obj.get("kind")))  # another version of a served kind: printed only
    if info is None:
        raise no_match_error(obj, source)
    namespace = namespace_of(env, parsed)
    if parsed.get("save-config"):
        from cluster.kubectl.commands.apply import with_annotation

        obj = with_annotation(obj)
    if mode == "client":
        created = obj
    else:
        ctx = env.ctx(dry_run=mode == "server", field_validation=field_validation(parsed), field_manager=manager)
        try:
            created = env.api.create(obj, ctx, namespace=namespace if info.namespaced else None)
        except errors.ApiError as exc:
            if source:
                raise SourcedError(exc, "creating", source) from None
            raise
        print_warnings(ctx.warnings, out)
    print_object_or_line(
        env, info, created, parsed, out, f"{verb}{suffix(mode)}", typed=mode == "client" and not source
    )
    return created


def print_warnings(warnings: list[str], out: Output) -> None:
    for warning in warnings:
        out.err(f"Warning: {warning}")


def no_match_error(obj: dict[str, Any], source: str) -> CommandError:
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    name, ns = (meta or {}).get("name", ""), (meta or {}).get("namespace", "")
    return CommandError(
        f'resource mapping not found for name: "{name}" namespace: "{ns}" from "{source}": no matches for kind '
        f'"{obj.get("kind")}" in version "{obj.get("apiVersion")}"\nensure CRDs are installed first'
    )


def get_object(env: Env, info: KindInfo, namespace: str, name: str) -> dict[str, Any]:
    return env.api.get(info.kind, namespace if info.namespaced else "", name, env.ctx())


class SourcedError(Exception):
    """An API error about one object of a file: ``error when creating "web.yaml": …``."""

    def __init__(self, exc: errors.ApiError, verb: str, source: str) -> None:
        super().__init__(exc.message)
        self.exc, self.verb, self.source = exc, verb, source

    def text(self) -> str:
        if self.exc.reason == "Invalid" and self.exc.details.get("causes"):
            return api_error_text(self.exc)
        return api_error_text(self.exc, verb=self.verb, source=self.source)
