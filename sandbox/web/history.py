"""The terminal history of a sandbox: every line run, with its exit code and simulated time.

It feeds ↑/↓ and ``history`` in the terminal, survives reloads and devices
(it is per sandbox, not per browser), and is what lessons count.
"""

from __future__ import annotations

from cluster.models import CommandRecord

HISTORY_SHOWN = 500  # like bash's HISTSIZE: what ↑ walks through and ``history`` prints
MAX_LINE_STORED = 8192


def history_of(sandbox_id: int, limit: int = HISTORY_SHOWN) -> list[str]:
    """The last ``limit`` lines, oldest first."""
    lines = CommandRecord.objects.filter(sandbox_id=sandbox_id).order_by("-id").values_list("line", flat=True)
    return list(reversed(lines[:limit]))


def command_record(*, sandbox_id: int, line: str, exit_code: int, sim_ms: int) -> CommandRecord:
    return CommandRecord.objects.create(
        sandbox_id=sandbox_id, line=line[:MAX_LINE_STORED], exit_code=exit_code, sim_ms=sim_ms
    )
