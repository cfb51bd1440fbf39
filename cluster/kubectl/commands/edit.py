"""``kubectl edit``: open an object in the page's YAML editor, then save it the way kubectl does.

``kubectl edit deploy/web`` returns an ``edit-object`` effect carrying the YAML
(with kubectl's comment header); when the learner saves, the page calls
``edit_save``, which computes a strategic merge patch from the live object to
the edited one and sends it: ``deployment.apps/web edited``, ``Edit
cancelled, no changes made.``, or the editor reopens with the failures listed
in comments, as kubectl reopens ``$EDITOR``.

Like kubectl, the patch is the difference between the copy that was opened and
the edited text, so changes made meanwhile by controllers (status, annotations)
are left alone. The opened copy travels in the effect (``original``) and is also
remembered per process (keyed by the object's uid). Simplification: if neither
is available, only what the edit adds or changes relative to the live object is
sent — removing a field then needs ``original``.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from cluster.core import errors
from cluster.core.kinds import KindInfo
from cluster.core.objects import clone
from cluster.kubectl.base import MISSING_RESOURCES, CommandError, Env, Output, api_error_text, command, namespace_of
from cluster.kubectl.commands.common import FILENAME, OUTPUT, SHOW_MANAGED, field_manager, split_type_name
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples
from cluster.kubectl.manifests import ManifestError, load_documents

HEADER = (
    "# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
    "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
    "# reopened with the relevant failures.\n"
    "#\n"
)
SERVER_FIELDS = ("resourceVersion", "generation", "uid", "creationTimestamp", "managedFields", "selfLink")
Obj = dict[str, Any]
_OPENED: OrderedDict[tuple[str, str, str, str], str] = OrderedDict()
_OPENED_LIMIT = 128


def editable_yaml(obj: Obj, problems: list[str] | None = None) -> str:
    from cluster.kubectl import printers

    shown = clone(obj)
    shown.get("metadata", {}).pop("managedFields", None)
    notes = "".join(f"# {line}\n" if line else "#\n" for line in problems or [])
    return HEADER + notes + str(printers.to_yaml(shown))


def _effect(info: KindInfo, obj: Obj, text: str, original: str | None = None) -> dict[str, Any]:
    meta = obj.get("metadata") or {}
    return {
        "type": "edit-object",
        "kind": info.kind,
        "namespace": meta.get("namespace", ""),
        "name": meta.get("name", ""),
        "yaml": text,
        "original": original if original is not None else text,
    }


def _remember(obj: Obj, text: str) -> None:
    meta = obj["metadata"]
    key = (obj["kind"], meta.get("namespace", ""), meta["name"], meta.get("uid", ""))
    _OPENED[key] = text
    _OPENED.move_to_end(key)
    while len(_OPENED) > _OPENED_LIMIT:
        _OPENED.popitem(last=False)


@command(
    "edit",
    short="Edit a resource on the server",
    long=(
        "Edit a resource from the default editor.\n\n The edit command allows you to directly edit any API resource "
        "you can retrieve via the command-line tools. In the sandbox the object opens in the page's YAML editor; "
        "saving applies your changes, closing the editor without saving cancels the edit."
    ),
    usage="kubectl edit (RESOURCE/NAME | -f FILENAME) [options]",
    flags=(
        FILENAME,
        OUTPUT,
        SHOW_MANAGED,
        field_manager("kubectl-edit"),
        Flag(
            "save-config",
            kind="bool",
            help="If true, the configuration of current object will be saved in its "
            "annotation. Otherwise, the annotation will be unchanged.",
        ),
        Flag("validate", default="strict", help="Must be one of: strict (or true), warn, ignore (or false)."),
        Flag(
            "subresource",
            help="If specified, edit will operate on the subresource of the requested object. Must "
            "be one of [status]. This flag is beta and may change in the future.",
        ),
    ),
    examples=examples(
        """
        # Edit the service named 'registry'
        kubectl edit svc/registry

        # Edit the deployment 'mydeployment' in YAML and save the modified config in its annotation
        kubectl edit deployment/mydeployment -o yaml --save-config
        """
    ),
)
def edit(env: Env, parsed: Parsed, out: Output) -> None:
    if parsed.get("filename"):
        from cluster.kubectl.commands.get import targets

        pairs = targets(env, parsed)
    else:
        pairs = split_type_name(env, parsed.args)
    if not pairs:
        raise CommandError(MISSING_RESOURCES)
    if len(pairs) > 1 or pairs[0][1] is None:
        raise CommandError("the sandbox editor opens one object at a time; name it as TYPE/NAME")
    info, name = pairs[0]
    obj = env.api.get(info.kind, namespace_of(env, parsed) if info.namespaced else "", str(name), env.ctx())
    text = editable_yaml(obj)
    _remember(obj, text)
    out.effects.append(_effect(info, obj, text))


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def _opened_object(live: Obj, original: str | None) -> Obj | None:
    meta = live["metadata"]
    key = (live["kind"], meta.get("namespace", ""), meta["name"], meta.get("uid", ""))
    text = original if original is not None else _OPENED.get(key)
    if text is None:
        return None
    try:
        docs = load_documents(_strip_comments(text), "original")
    except ManifestError:
        return None
    return docs[0] if len(docs) == 1 else None


def _patch_for(info: KindInfo, opened: Obj | None, live: Obj, edited: Obj) -> Obj:
    """opened → edited, as kubectl computes it; without the opened copy, only what edited adds or changes."""
    from cluster.core.patch import create_strategic_patch, create_three_way_patch

    baseline = clone(opened if opened is not None else live)
    baseline.pop("status", None)
    candidate = clone(edited)
    candidate.pop("status", None)
    for meta in (baseline.setdefault("metadata", {}), candidate.setdefault("metadata", {})):
        for key in SERVER_FIELDS:
            meta.pop(key, None)
    if opened is None:
        three_way: Obj = create_three_way_patch(None, candidate, baseline, info.kind)
        return three_way
    patch: Obj = create_strategic_patch(baseline, candidate, info.kind)
    return patch


def _reopen(out: Output, info: KindInfo, live: Obj, text: str, problems: list[str], original: str | None) -> Output:
    body = _strip_comments(text).strip("\n") + "\n"
    notes = "".join(f"# {line}\n" if line else "#\n" for line in problems)
    out.effects.append(_effect(info, live, HEADER + notes + body, original))
    out.exit_code = 1
    return out


def edit_save(env: Env, kind: str, namespace: str, name: str, text: str, *, original: str | None = None) -> Output:
    """Apply the editor's text to ``kind namespace/name`` as ``kubectl edit`` does when the editor closes.

    ``original`` is the text the editor was opened with (the effect's ``original``); without it the copy
    remembered by ``kubectl edit`` in this process is used, or else the live object.
    """
    from cluster.kubectl import hints

    out = Output()
    info = env.api.registry.get(kind)
    try:
        live = env.api.get(kind, namespace if info.namespaced else "", name, env.ctx())
    except errors.ApiError as exc:
        out.fail(api_error_text(exc))
        return out
    body = _strip_comments(text)
    if not body.strip():
        out.out("Edit cancelled, no changes made.")
        return out
    try:
        docs = load_documents(body, "edited file")
    except ManifestError as exc:
        out.err(f"error: {exc}")
        out.hints.extend(hints.for_manifest_error(str(exc), env.lang))
        return _reopen(out, info, live, text, [f"The edited file had a syntax error: {exc}", ""], original)
    edited = docs[0] if len(docs) == 1 else None
    if edited is None or (edited.get("kind"), edited.get("apiVersion"), (edited.get("metadata") or {}).get("name")) != (
        live.get("kind"),
        live.get("apiVersion"),
        name,
    ):
        out.fail("error: At least one of apiVersion, kind and name was changed")
        return out
    patch = _patch_for(info, _opened_object(live, original), live, edited)
    if not patch:
        out.out("Edit cancelled, no changes made.")
        return out
    try:
        env.api.patch(kind, namespace if info.namespaced else "", name, patch, "strategic",
                      env.ctx(field_manager="kubectl-edit"))  # fmt: skip
    except errors.ApiError as exc:
        out.err(f'error: {info.resource_ref} "{name}" is invalid' if exc.reason == "Invalid" else api_error_text(exc))
        out.hints.extend(hints.for_api_error(exc, env.lang))
        causes = [f"* {c.get('field')}: {c.get('message')}" if c.get("field") else f"* {c.get('message')}"
                  for c in exc.causes()] or [f"* {exc.message}"]  # fmt: skip
        problems = [f'{info.resource_ref} "{name}" was not valid:', *causes, ""]
        return _reopen(out, info, live, text, problems, original)
    out.out(f"{info.kubectl_prefix}/{name} edited")
    return out
