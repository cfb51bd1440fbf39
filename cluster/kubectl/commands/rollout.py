"""``kubectl rollout history|undo|pause|resume|restart`` for Deployments (K8S_FACTS §3.3).

History and undo read the ReplicaSets the deployment controls (by label
selector, then by controller ``ownerReference``), as kubectl's polymorphic
helpers do; undo sends the same JSON patch of ``/spec/template`` and
``/metadata/annotations``. ``rollout status`` lives in ``rollout_status``.
"""

from __future__ import annotations

from typing import Any

from cluster.core.kinds import KindInfo
from cluster.core.labels import selector_string
from cluster.core.objects import clone
from cluster.core.timefmt import rfc3339
from cluster.kubectl.base import MISSING_RESOURCES, CommandError, Env, Output, command, group, namespace_of
from cluster.kubectl.commands.common import DRY_RUN, FILENAME, OUTPUT, SELECTOR, dry_run_mode, split_type_name, suffix
from cluster.kubectl.flags import Flag, Parsed
from cluster.kubectl.help import examples
from cluster.kubectl.printing import check_format, print_object_or_line

Obj = dict[str, Any]
REVISION = "deployment.kubernetes.io/revision"
HASH_LABEL = "pod-template-hash"
# Annotations a rollback never copies from the ReplicaSet (kubectl's annotationsToSkip).
SKIPPED_ANNOTATIONS = (
    "kubectl.kubernetes.io/last-applied-configuration",
    REVISION,
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
)
ROLLOUT_FLAGS = (FILENAME, SELECTOR, Flag("recursive", kind="bool", short="R", help="Process the directory used in "
                 "-f, --filename recursively. Useful when you want to manage related manifests organized within the "
                 "same directory."))  # fmt: skip
MANAGER = Flag("field-manager", default="kubectl-rollout", help="Name of the manager used to track field ownership.")

group(
    "rollout",
    short="Manage the rollout of a resource",
    long="Manage the rollout of one or many resources.\n        \n Valid resource types include:\n\n  *  deployments\n"
    "  *  daemonsets\n  *  statefulsets",
    usage="kubectl rollout SUBCOMMAND [options]",
    examples=examples(
        """
        # Rollback to the previous deployment
        kubectl rollout undo deployment/abc

        # Check the rollout status of a daemonset
        kubectl rollout status daemonset/foo

        # Restart a deployment
        kubectl rollout restart deployment/abc

        # Restart deployments with the 'app=nginx' label
        kubectl rollout restart deployment --selector=app=nginx
        """
    ),
)


def rollout_targets(env: Env, parsed: Parsed) -> list[tuple[KindInfo, Obj]]:
    """The objects named by ``TYPE NAME``, ``TYPE/NAME``, ``TYPE -l sel`` or ``-f FILE``."""
    if parsed.get("filename"):
        from cluster.kubectl.commands.get import targets

        pairs = targets(env, parsed)
    else:
        pairs = split_type_name(env, parsed.args)
    if not pairs:
        raise CommandError(MISSING_RESOURCES)
    namespace = namespace_of(env, parsed)
    found: list[tuple[KindInfo, Obj]] = []
    for info, name in pairs:
        if name is None:
            if not parsed.get("selector") and not parsed.get("filename"):
                raise CommandError("resource(s) were provided, but no name was specified")
            items, _ = env.api.list(info.kind, namespace, parsed.get("selector") or None, None, env.ctx())
            found += [(info, obj) for obj in items]
        else:
            found.append((info, env.api.get(info.kind, namespace if info.namespaced else "", name, env.ctx())))
    return found


def revision_of(obj: Obj) -> int:
    try:
        return int(((obj.get("metadata") or {}).get("annotations") or {}).get(REVISION, ""))
    except ValueError:
        return -1


def owned_replicasets(env: Env, deployment: Obj) -> list[Obj]:
    meta = deployment["metadata"]
    selector = selector_string((deployment.get("spec") or {}).get("selector")) or None
    items, _ = env.api.list("ReplicaSet", meta.get("namespace", ""), selector, None, env.ctx())
    uid = meta.get("uid")
    return [rs for rs in items if any(r.get("controller") and r.get("uid") == uid for r in _refs(rs))]


def _refs(obj: Obj) -> list[Obj]:
    return list(obj["metadata"].get("ownerReferences") or [])


def _deployments_only(info: KindInfo, obj: Obj, message: str) -> None:
    if info.kind != "Deployment":
        raise CommandError(message.format(kind=info.kind, ref=info.resource_ref, name=obj["metadata"]["name"]))


@command(
    "history",
    parent="rollout",
    short="View rollout history",
    long="View previous rollout revisions and configurations.",
    usage="kubectl rollout history (TYPE NAME | TYPE/NAME) [flags] [options]",
    flags=(
        *ROLLOUT_FLAGS,
        OUTPUT,
        Flag("revision", kind="int", help="See the details, including podTemplate of the revision specified"),
    ),
    examples=examples(
        """
        # View the rollout history of a deployment
        kubectl rollout history deployment/abc

        # View the details of daemonset revision 3
        kubectl rollout history daemonset/abc --revision=3
        """
    ),
)
def rollout_history(env: Env, parsed: Parsed, out: Output) -> None:
    from cluster.kubectl import printers

    for info, obj in rollout_targets(env, parsed):
        _deployments_only(info, obj, 'no history viewer has been implemented for "{kind}"')
        replicasets = owned_replicasets(env, obj)
        revision = int(parsed.get("revision") or 0)
        try:
            if revision > 0:
                text = printers.rollout_history_revision(obj, replicasets, revision)
            else:
                text = printers.rollout_history(obj, replicasets)
        except printers.RolloutError as exc:
            raise CommandError(str(exc)) from None
        out.out(str(text).removesuffix("\n"))


def _rollback_target(deployment: Obj, replicasets: list[Obj], to_revision: int) -> Obj:
    """``deploymentRevision``: the RS of ``to_revision``, or the second newest revision when it is 0."""
    if to_revision < 0:
        raise CommandError(f"unable to find specified revision {to_revision} in history")
    by_revision = sorted(((revision_of(rs), rs) for rs in replicasets if revision_of(rs) >= 0), key=lambda p: p[0])
    if to_revision > 0:
        for revision, rs in by_revision:
            if revision == to_revision:
                return rs
        raise CommandError(f"unable to find specified revision {to_revision} in history")
    if len(by_revision) < 2:
        raise CommandError(f'no rollout history found for deployment "{deployment["metadata"]["name"]}"')
    return by_revision[-2][1]


def _without_hash(template: Obj) -> Obj:
    template = clone(template)
    labels = (template.get("metadata") or {}).get("labels")
    if isinstance(labels, dict):
        labels.pop(HASH_LABEL, None)
    return template


def _rollback_patch(deployment: Obj, rs: Obj) -> list[Obj]:
    current = (deployment["metadata"].get("annotations")) or {}
    annotations = {k: v for k, v in current.items() if k in SKIPPED_ANNOTATIONS}
    annotations.update(
        {k: v for k, v in (rs["metadata"].get("annotations") or {}).items() if k not in SKIPPED_ANNOTATIONS}
    )
    template = _without_hash((rs.get("spec") or {}).get("template") or {})
    op = "replace" if "annotations" in deployment["metadata"] else "add"
    return [
        {"op": "replace", "path": "/spec/template", "value": template},
        {"op": op, "path": "/metadata/annotations", "value": annotations},
    ]


@command(
    "undo",
    parent="rollout",
    short="Undo a previous rollout",
    long="Roll back to a previous rollout.",
    usage="kubectl rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]",
    flags=(
        *ROLLOUT_FLAGS,
        OUTPUT,
        DRY_RUN,
        Flag("to-revision", kind="int", help="The revision to rollback to. Default to 0 (last revision)."),
    ),
    examples=examples(
        """
        # Roll back to the previous deployment
        kubectl rollout undo deployment/abc

        # Roll back to daemonset revision 3
        kubectl rollout undo daemonset/abc --to-revision=3

        # Roll back to the previous deployment with dry-run
        kubectl rollout undo --dry-run=server deployment/abc
        """
    ),
)
def rollout_undo(env: Env, parsed: Parsed, out: Output) -> None:
    check_format(parsed)
    mode = dry_run_mode(parsed)
    to_revision = int(parsed.get("to-revision") or 0)
    for info, obj in rollout_targets(env, parsed):
        _deployments_only(info, obj, 'no rollbacker has been implemented for "{kind}"')
        if (obj.get("spec") or {}).get("paused"):
            raise CommandError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout "
                               "resume' and try again")  # fmt: skip
        rs = _rollback_target(obj, owned_replicasets(env, obj), to_revision)
        if _without_hash(rs["spec"]["template"]) == _without_hash(obj["spec"]["template"]):
            verb = f"skipped rollback (current template already matches revision {to_revision or revision_of(rs)})"
            print_object_or_line(env, info, obj, parsed, out, verb)
            continue
        result = obj
        if mode != "client":
            result = env.api.patch("Deployment", obj["metadata"]["namespace"], obj["metadata"]["name"],
                                   _rollback_patch(obj, rs), "json", env.ctx(dry_run=mode == "server"))  # fmt: skip
        print_object_or_line(env, info, result, parsed, out, f"rolled back{suffix(mode)}")


def _toggle(env: Env, parsed: Parsed, out: Output, action: str) -> None:
    check_format(parsed)
    failures: list[str] = []
    for info, obj in rollout_targets(env, parsed):
        name = obj["metadata"]["name"]
        if info.kind != "Deployment":
            failures.append(f'error: {info.resource_ref} "{name}" {action.rstrip("ed")}ing is not supported')
            continue
        paused = bool((obj.get("spec") or {}).get("paused"))
        if paused == (action == "paused"):
            failures.append(
                f'error: {info.resource_ref} "{name}" ' + ("is already paused" if paused else "is not paused")
            )
            continue
        ctx = env.ctx(field_manager=str(parsed.get("field-manager") or "kubectl-rollout"))
        result = env.api.patch("Deployment", obj["metadata"]["namespace"], name,
                               {"spec": {"paused": action == "paused"}}, "strategic", ctx)  # fmt: skip
        print_object_or_line(env, info, result, parsed, out, action)
    if failures:
        out.fail(failures[0] if len(failures) == 1 else "error: [" + ", ".join(failures) + "]")


@command(
    "pause",
    parent="rollout",
    short="Mark the provided resource as paused",
    long="Mark the provided resource as paused.\n\n Paused resources will not be reconciled by a controller. Use "
    '"kubectl rollout resume" to resume a paused resource. Currently only deployments support being paused.',
    usage="kubectl rollout pause RESOURCE [options]",
    flags=(*ROLLOUT_FLAGS, OUTPUT, MANAGER),
    examples=examples(
        """
        # Mark the nginx deployment as paused
        # Any current state of the deployment will continue its function; new updates
        # to the deployment will not have an effect as long as the deployment is paused
        kubectl rollout pause deployment/nginx
        """
    ),
)
def rollout_pause(env: Env, parsed: Parsed, out: Output) -> None:
    _toggle(env, parsed, out, "paused")


@command(
    "resume",
    parent="rollout",
    short="Resume a paused resource",
    long="Resume a paused resource.\n\n Paused resources will not be reconciled by a controller. By resuming a "
    "resource, we allow it to be reconciled again. Currently only deployments support being resumed.",
    usage="kubectl rollout resume RESOURCE [options]",
    flags=(*ROLLOUT_FLAGS, OUTPUT, MANAGER),
    examples=examples(
        """
        # Resume an already paused deployment
        kubectl rollout resume deployment/nginx
        """
    ),
)
def rollout_resume(env: Env, parsed: Parsed, out: Output) -> None:
    _toggle(env, parsed, out, "resumed")


@command(
    "restart",
    parent="rollout",
    short="Restart a resource",
    long="Restart a resource.\n\n        Resource rollout will be restarted.",
    usage="kubectl rollout restart RESOURCE [options]",
    flags=(*ROLLOUT_FLAGS, OUTPUT, MANAGER),
    examples=examples(
        """
        # Restart a deployment
        kubectl rollout restart deployment/nginx

        # Restart deployments with the app=nginx label
        kubectl rollout restart deployment --selector=app=nginx
        """
    ),
)
def rollout_restart(env: Env, parsed: Parsed, out: Output) -> None:
    check_format(parsed)
    stamp = rfc3339(env.now_ms())
    failures: list[str] = []
    for info, obj in rollout_targets(env, parsed):
        name = obj["metadata"]["name"]
        if info.kind != "Deployment":
            failures.append(f'error: {info.resource_ref} "{name}" restarting is not supported')
            continue
        if (obj.get("spec") or {}).get("paused"):
            failures.append(f'error: {info.resource_ref} "{name}" can\'t restart paused deployment (run rollout '
                            "resume first)")  # fmt: skip
            continue
        annotations = ((obj["spec"].get("template") or {}).get("metadata") or {}).get("annotations") or {}
        if annotations.get("kubectl.kubernetes.io/restartedAt") == stamp:
            failures.append(f"failed to create patch for {name}: if restart has already been triggered within the past "
                            "second, please wait before attempting to trigger another")  # fmt: skip
            continue
        patch = {"spec": {"template": {"metadata": {"annotations": {"kubectl.kubernetes.io/restartedAt": stamp}}}}}
        ctx = env.ctx(field_manager=str(parsed.get("field-manager") or "kubectl-rollout"))
        result = env.api.patch("Deployment", obj["metadata"]["namespace"], name, patch, "strategic", ctx)
        print_object_or_line(env, info, result, parsed, out, "restarted")
    if failures:
        out.fail(failures[0] if len(failures) == 1 else "error: [" + ", ".join(failures) + "]")
