"""Durations as lesson files write them (``30s``, ``1m30s``, ``500ms``) in integer milliseconds."""

from __future__ import annotations

import re

_PART = re.compile(r"(\d+)(ms|s|m|h)")
_UNITS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000}


def parse_duration(text: object) -> int:
    """``"1m30s"`` → 90000; a bare number means seconds. Raises ValueError on anything else."""
    if isinstance(text, bool):
        raise ValueError(f"not a duration: {text!r}")
    if isinstance(text, int | float):
        return int(text * 1000)
    value = str(text).strip()
    if not value or _PART.sub("", value):
        raise ValueError(f'not a duration: "{value}" (write e.g. 30s, 2m, 1m30s or 500ms)')
    return sum(int(n) * _UNITS[unit] for n, unit in _PART.findall(value))
