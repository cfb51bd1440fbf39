"""The browser terminal's side of the server: run a line, keep a stream going, complete, save a ``kubectl edit``.

Every line runs through ``cluster.services.sandbox_exec`` with the sandbox's
files, its history, the page's language and the terminal's current namespace;
the line is recorded (``CommandRecord``) and files it wrote are stored. The
kubectl emulator's optional parts — ``complete`` (Tab), ``stream_update``
(``get -w``, ``rollout status``, ``logs -f``) and ``edit_save`` (``kubectl
edit``) — are looked up when used, so the terminal keeps working without them.
"""

from __future__ import annotations

import logging
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cluster import protocol, services
from cluster.apiserver.store import Change
from cluster.engine.actions import ObjKey
from cluster.kubectl.base import Env, Output
from cluster.models import Sandbox
from cluster.persistence import clock_of
from cluster.sim import SimCluster
from sandbox.web.diagnostics import diagnose
from sandbox.web.files import files_of, files_store
from sandbox.web.history import command_record, history_of
from sandbox.web.snapshot import cluster_read

log = logging.getLogger(__name__)
Message = dict[str, Any]
StreamUpdate = Callable[[Env, dict[str, Any], list[Change]], tuple[list[str], bool]]
INTERNAL_ERROR = "error: the sandbox could not run this command (an internal error, now logged); please try again"


@dataclass
class TerminalRun:
    """What one line produced: the ``terminal.output`` message and what the consumer must keep."""

    message: Message
    exit_code: int
    stream: dict[str, Any] | None = None
    namespace: str | None = None  # set when the line switched the current namespace
    stderr: list[str] = field(default_factory=list)


def _env(cluster: SimCluster, *, files: dict[str, str], lang: str, namespace: str) -> Env:
    return Env(api=cluster.api, now_ms=lambda: cluster.now_ms, files=files, namespace=namespace, lang=lang)


def _sim_now(sandbox_id: int) -> int:
    sb = Sandbox.objects.get(pk=sandbox_id)
    return clock_of(sb).now(services.wall_ms())


def _failed(stderr: str) -> Output:
    output = Output(exit_code=1)
    output.err(stderr)
    return output


def _exec(sandbox_id: int, line: str, *, lang: str, namespace: str) -> Output:
    history = history_of(sandbox_id)
    if line.strip():
        history.append(line)
    try:
        output: Output = services.sandbox_exec(
            sandbox_id, line, files=files_of(sandbox_id), lang=lang, namespace=namespace, history=history
        )
    except Sandbox.DoesNotExist:
        raise
    except Exception:
        log.exception("terminal line failed in sandbox %s: %r", sandbox_id, line)
        return _failed(INTERNAL_ERROR)
    return output


def terminal_run(*, sandbox_id: int, command_id: str, line: str, lang: str, namespace: str) -> TerminalRun:
    """Run one terminal line and record it; never raises for bad input."""
    output = _exec(sandbox_id, line, lang=lang, namespace=namespace)
    if line.strip():
        command_record(sandbox_id=sandbox_id, line=line, exit_code=output.exit_code, sim_ms=_sim_now(sandbox_id))
    changed: set[str] = getattr(output, "files_changed", set())
    if changed:
        files_store(sandbox_id=sandbox_id, files=getattr(output, "files", {}), changed=changed)
    switched = next((str(e["namespace"]) for e in output.effects if e.get("type") == "namespace"), None)
    message = protocol.terminal_output(
        command_id,
        stdout=output.stdout,
        stderr=output.stderr,
        hints=output.hints,
        exit_code=output.exit_code,
        done=output.stream is None,
        effects=output.effects,
    )
    return TerminalRun(message, output.exit_code, output.stream, switched, list(output.stderr))


# -- streams (get -w, rollout status, logs -f) -----------------------------------------------------------------
def _stream_functions() -> tuple[StreamUpdate | None, Callable[[dict[str, Any]], None] | None]:
    try:
        from cluster.kubectl.stream import stop_stream, stream_update
    except ImportError:
        return None, None
    return stream_update, stop_stream


def changes_of(events: list[Message]) -> list[Change]:
    """Watch events as the store's ``Change`` records, which ``stream_update`` reads."""
    return [Change(e["event"], int(e["rv"]), ObjKey.of(e["object"]), e["object"]) for e in events]


def terminal_stream_update(
    *, sandbox_id: int, stream: dict[str, Any], events: list[Message], lang: str, namespace: str
) -> tuple[list[str], bool]:
    """New lines of a running stream after a batch of watch events, and whether it has finished."""
    update, _ = _stream_functions()
    if update is None:
        return [], True

    def read(sb: Sandbox, cluster: SimCluster) -> tuple[list[str], bool]:
        return update(_env(cluster, files={}, lang=lang, namespace=namespace), stream, changes_of(events))

    try:
        return cluster_read(sandbox_id, read)
    except Exception:
        log.exception("stream update failed in sandbox %s", sandbox_id)
        return [], True


def terminal_stream_stop(stream: dict[str, Any]) -> None:
    _, stop = _stream_functions()
    if stop is not None:
        stop(stream)


# -- Tab completion --------------------------------------------------------------------------------------------
def terminal_complete(*, sandbox_id: int, line: str, lang: str, namespace: str) -> list[str]:
    """Candidates for the word before the cursor (the kubectl emulator's ``complete``, else programs/files)."""
    files = files_of(sandbox_id)
    try:
        from cluster.kubectl.completion import complete
    except ImportError:
        return _complete_basic(line, files)

    def read(sb: Sandbox, cluster: SimCluster) -> list[str]:
        return list(complete(_env(cluster, files=files, lang=lang, namespace=namespace), line))

    try:
        return cluster_read(sandbox_id, read)
    except Exception:
        log.exception("completion failed in sandbox %s for %r", sandbox_id, line)
        return []


def _complete_basic(line: str, files: dict[str, str]) -> list[str]:
    """Without the emulator's completion: program names for the first word, file names after it."""
    from cluster.kubectl import programs  # noqa: F401  (registers the programs)
    from cluster.kubectl.shell import PROGRAMS

    words = line.split(" ")
    word = words[-1]
    pool = sorted(n for n in PROGRAMS if not n.startswith("_")) if len(words) == 1 else sorted(files)
    return [name for name in pool if name.startswith(word)]


# -- kubectl edit ----------------------------------------------------------------------------------------------
def edit_object_save(
    *, sandbox_id: int, command_id: str, kind: str, namespace: str, name: str, text: str, lang: str
) -> Message:
    """Save the editor of ``kubectl edit`` as kubectl does when its editor closes; a ``terminal.output``."""
    try:
        from cluster.kubectl.commands.edit import edit_save
    except ImportError:
        output = _failed("error: kubectl edit is not available in this sandbox yet")
    else:

        def operation(cluster: SimCluster) -> Output:
            return edit_save(_env(cluster, files={}, lang=lang, namespace=namespace), kind, namespace, name, text)

        try:
            output = services.sandbox_run(sandbox_id, operation)
        except Exception:
            log.exception("kubectl edit save failed in sandbox %s", sandbox_id)
            output = _failed(INTERNAL_ERROR)
    return protocol.terminal_output(
        command_id,
        stdout=output.stdout,
        stderr=output.stderr,
        hints=output.hints,
        exit_code=output.exit_code,
        effects=output.effects,
    )


# -- the editor's Apply button -------------------------------------------------------------------------------------
def file_apply(
    *, sandbox_id: int, command_id: str, path: str, lang: str, namespace: str
) -> tuple[TerminalRun, Message]:
    """``kubectl apply -f PATH`` exactly as typed in the terminal, plus where the editor should mark errors."""
    line = f"kubectl apply -f {shlex.quote(path)}"
    run = terminal_run(sandbox_id=sandbox_id, command_id=command_id, line=line, lang=lang, namespace=namespace)
    diagnostics: list[Message] = []
    if run.exit_code:
        diagnostics = diagnose(files_of(sandbox_id).get(path, ""), path, run.stderr)
    return run, protocol.apply_result(path, run.exit_code, diagnostics)
