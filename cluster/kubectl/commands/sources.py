"""``-f FILE|DIR|-``: reading manifests from the sandbox's files or stdin, the way kubectl's builder does."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cluster.kubectl.base import CommandError, Env, Output
from cluster.kubectl.flags import Parsed
from cluster.kubectl.manifests import ManifestError, load_documents, validate_type_meta

MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class Source:
    name: str
    documents: list[dict[str, Any]]


def read_sources(
    env: Env, parsed: Parsed, verb: str = "apply", failed: list[CommandError | ManifestError] | None = None
) -> list[Source]:
    """Load every ``-f`` argument: a sandbox file, ``-`` (stdin) or a folder of manifests.

    With ``failed`` (kubectl's ``ContinueOnError`` builders: apply, create), a file that cannot be read or decoded
    is reported there and the others are still used; otherwise the first such file stops the command.
    """
    names: list[str] = list(parsed.get("filename") or [])
    if not names:
        raise CommandError("must specify one of -f and -k")
    sources: list[Source] = []
    validate = str(parsed.get("validate") or "strict").lower() not in ("false", "ignore")
    for name in names:
        for path, text in expand_path(env, name, recursive=bool(parsed.get("recursive"))):
            try:
                docs = [_normalized(doc, path) for doc in load_documents(text, path)]
                if validate:
                    validate_type_meta(docs, path)
            except (CommandError, ManifestError) as exc:
                if failed is None:
                    raise
                failed.append(exc)
                continue
            sources.append(Source(path, docs))
    if not any(source.documents for source in sources) and not failed:
        raise CommandError(f"no objects passed to {verb}")
    return sources


def report_unreadable(env: Env, out: Output, failed: list[CommandError | ManifestError]) -> None:
    """The files a ``ContinueOnError`` command could not decode, reported after the others were sent."""
    from cluster.kubectl import hints

    for problem in failed:
        if isinstance(problem, ManifestError):
            out.fail(f"error: {problem}")
            out.hints.extend(hints.for_manifest_error(str(problem), env.lang))
        else:
            out.fail(problem.text())
            out.hints.extend(hints.for_command_error(problem, env.lang))


def _normalized(doc: dict[str, Any], path: str) -> dict[str, Any]:
    """``metadata: null`` reads as empty metadata; anything else that is not a map cannot be decoded."""
    from cluster.kubectl.manifests import _go_type

    meta = doc.get("metadata")
    if meta is None and "metadata" in doc:
        doc = {**doc, "metadata": {}}
    elif meta is not None and not isinstance(meta, dict):
        raise CommandError(
            f'unable to decode "{path}": json: cannot unmarshal {_go_type(meta)} into Go struct field '
            "Object.metadata of type map[string]interface {}"
        )
    return doc


def expand_path(env: Env, name: str, *, recursive: bool = False) -> list[tuple[str, str]]:
    if name == "-":
        return [("STDIN", env.stdin or "")]
    if name.startswith(("http://", "https://")):
        raise CommandError(
            f'unable to read URL "{name}", server reported 0 , status code=0: the sandbox has no internet access; '
            "paste the manifest into the editor instead"
        )
    key = name.strip()
    if key.startswith(("~/", "/home/learner/")):
        key = key.split("/", 1)[1] if key.startswith("~/") else key[len("/home/learner/") :]
    while key.startswith("./"):
        key = key[2:]
    key = key.lstrip("/")
    if key in env.files:
        return [(name, env.files[key])]
    folder = key.rstrip("/") + "/" if key not in ("", ".") else ""
    inside = sorted(
        p
        for p in env.files
        if p.startswith(folder) and p.endswith(MANIFEST_SUFFIXES) and (recursive or "/" not in p[len(folder) :])
    )
    if inside or any(p.startswith(folder) for p in env.files):
        return [(folder + p[len(folder) :], env.files[p]) for p in inside]
    raise CommandError(f'the path "{name}" does not exist')
