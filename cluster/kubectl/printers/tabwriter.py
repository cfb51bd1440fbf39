"""Go's ``text/tabwriter``, the elastic-tabstop algorithm behind every kubectl table.

Alignment is not "pad each column to its widest cell": a column is a *block of
consecutive lines* that all have a tab-terminated cell at that index, and a line
with fewer cells ends the block. ``describe`` output depends on exactly that
(a ``Containers:`` line restarts alignment below it; the pod ``Conditions``
rows and ``Volumes:`` share one block), so the recursion is reproduced as-is.

kubectl uses two configurations: tables (minwidth 6, padding 3, and the
``RememberWidths`` flag of the fork kubectl vendors, so ``get -w`` rows never
shrink) and ``describe`` (minwidth 0, padding 2). Padding is always spaces, so
the tab width never matters; widths are counted in characters (runes).
Simplification: ``\\v``/``\\f`` and the 0xff escape character are treated as text.
"""

from __future__ import annotations

Line = list[str]


class TabWriter:
    """Buffer text, then ``flush()`` it aligned; optionally remember widths across flushes."""

    def __init__(self, minwidth: int, padding: int, *, remember_widths: bool = False) -> None:
        self.minwidth = minwidth
        self.padding = padding
        self.remember_widths = remember_widths
        self._buffer: list[str] = []
        self._max_widths: list[int] = []

    def write(self, text: str) -> None:
        self._buffer.append(text)

    def reset_widths(self) -> None:
        """kubectl's ``SetRememberedWidths(nil)`` between resource groups."""
        self._max_widths = []

    def flush(self) -> str:
        text = "".join(self._buffer)
        self._buffer = []
        if not text:
            return ""
        raw_lines = text.split("\n")
        trailing_partial = raw_lines[-1] != ""
        if not trailing_partial:
            raw_lines.pop()
        lines = [raw.split("\t") for raw in raw_lines]
        out: list[str] = []
        self._format(lines, [], 0, len(lines), out)
        rendered = "\n".join(out)
        return rendered if trailing_partial else rendered + "\n"

    def _format(self, lines: list[Line], widths: list[int], line0: int, line1: int, out: list[str]) -> None:
        column = len(widths)
        this = line0
        while this < line1:
            if column >= len(lines[this]) - 1:
                this += 1
                continue
            self._write_lines(lines, widths, line0, this, out)
            line0 = this
            width = self.minwidth
            while this < line1 and column < len(lines[this]) - 1:
                width = max(width, len(lines[this][column]) + self.padding)
                this += 1
            width = self._remembered(widths, width)
            self._format(lines, [*widths, width], line0, this, out)
            line0 = this
        self._write_lines(lines, widths, line0, line1, out)

    def _remembered(self, widths: list[int], width: int) -> int:
        if not self.remember_widths:
            return width
        column = len(widths)
        if len(self._max_widths) < column:
            self._max_widths.extend(widths[len(self._max_widths) :])
        if column == len(self._max_widths):
            self._max_widths.append(width)
            return width
        if self._max_widths[column] > width:
            return self._max_widths[column]
        self._max_widths[column] = width
        return width

    @staticmethod
    def _write_lines(lines: list[Line], widths: list[int], line0: int, line1: int, out: list[str]) -> None:
        for line in lines[line0:line1]:
            parts = [cell.ljust(widths[j]) if j < len(widths) else cell for j, cell in enumerate(line)]
            out.append("".join(parts))


def table_writer() -> TabWriter:
    """cli-runtime ``GetNewTabWriter``: minwidth 6, padding 3, RememberWidths."""
    return TabWriter(6, 3, remember_widths=True)


def describe_writer() -> TabWriter:
    """kubectl describe's ``tabbedString``: minwidth 0, padding 2."""
    return TabWriter(0, 2)


def tabbed(text: str, *, minwidth: int = 0, padding: int = 2) -> str:
    """Align ``text`` in one flush (describe-style by default)."""
    writer = TabWriter(minwidth, padding)
    writer.write(text)
    return writer.flush()
