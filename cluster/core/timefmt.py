"""Timestamps and durations, formatted exactly as Kubernetes and kubectl print them.

Objects carry RFC 3339 strings with second precision (``2026-11-25T04:18:53Z``);
``get`` prints ages with apimachinery's ``HumanDuration`` (``90s``, ``2m30s``,
``60m``, ``2d5h`` - never ``1m`` or ``1h``, K8S_FACTS §6.3); ``describe`` prints
instants in Go's RFC 1123Z layout. Everything here converts *given* simulated
milliseconds: ``datetime`` is used only as a calendar, never as a clock.

Simplification: kubectl renders ``describe`` times in the viewer's local time
zone; the sandbox always renders UTC (``+0000``).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$"
)
# What Go prints for a zero time.Time in the RFC 1123Z layout.
ZERO_TIME_TEXT = "Mon, 01 Jan 0001 00:00:00 +0000"


def _datetime(ms: int) -> datetime:
    return _EPOCH + timedelta(milliseconds=ms)


def rfc3339(ms: int) -> str:
    """``2026-11-25T04:18:53Z``: metav1.Time's wire form (sub-second part truncated)."""
    return _rfc3339_second(ms // 1000)


@lru_cache(maxsize=4096)
def _rfc3339_second(second: int) -> str:
    # Every write stamps "now"; thousands of writes share a second, so formatting is memoised.
    return _datetime(second * 1000).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc3339_micro(ms: int) -> str:
    """``2026-11-25T04:18:53.123000Z``: metav1.MicroTime's wire form (``eventTime``)."""
    return _datetime(ms).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_rfc3339(text: str) -> int:
    """Milliseconds since the epoch for an RFC 3339 timestamp (``Z`` or ``±hh:mm``, optional fraction)."""
    # Controllers re-read the same few timestamps on every sync: parsing is memoised (a malformed one is not).
    return _parse_cached(text) if isinstance(text, str) else _parse(text)


@lru_cache(maxsize=4096)
def _parse_cached(text: str) -> int:
    return _parse(text)


def _parse(text: str) -> int:
    match = _RFC3339.match(text.strip())
    if match is None:
        raise ValueError(f"invalid RFC 3339 timestamp: {text!r}")
    year, month, day, hour, minute, second = (int(g) for g in match.group(1, 2, 3, 4, 5, 6))
    fraction = (match.group(7) or "").ljust(3, "0")[:3]
    moment = datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    ms = int((moment - _EPOCH) // timedelta(milliseconds=1)) + int(fraction)
    if match.group(9):
        offset_ms = (int(match.group(10)) * 60 + int(match.group(11))) * 60_000
        ms -= offset_ms if match.group(9) == "+" else -offset_ms
    return ms


def _trunc_div(value: int, unit: int) -> int:
    """Integer division truncating toward zero, like Go's ``Duration / Duration``."""
    quotient = abs(value) // unit
    return quotient if value >= 0 else -quotient


def human_duration(ms: int) -> str:
    """apimachinery ``duration.HumanDuration``: the AGE column (K8S_FACTS §6.3).

    Up to two seconds of negative skew print as ``0s``; more is ``<invalid>``.
    """
    seconds = _trunc_div(ms, 1000)
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 120:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        rest = seconds % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d" if rest == 0 else f"{hours // 24}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        rest = (hours // 24) % 365
        years = hours // 24 // 365
        return f"{years}y" if rest == 0 else f"{years}y{rest}d"
    return f"{hours // 24 // 365}y"


def short_human_duration(ms: int) -> str:
    """apimachinery ``duration.ShortHumanDuration``: one unit only (``59s``, ``5m``, ``3h``, ``2d``, ``1y``)."""
    seconds = _trunc_div(ms, 1000)
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m"
    hours = seconds // 3600
    if hours < 24:
        return f"{hours}h"
    if hours < 24 * 365:
        return f"{hours // 24}d"
    return f"{hours // 24 // 365}y"


def describe_time(ms: int) -> str:
    """Go's ``time.RFC1123Z`` layout as ``kubectl describe`` prints it: ``Wed, 25 Nov 2026 03:50:48 +0000``."""
    return _datetime(ms).strftime("%a, %d %b %Y %H:%M:%S +0000")


def describe_timestamp(text: str | None) -> str:
    """``describe_time`` of an RFC 3339 field; a missing one prints as Go's zero time."""
    if not text:
        return ZERO_TIME_TEXT
    return describe_time(parse_rfc3339(text))


def since(timestamp: str | None, now_ms: int) -> str:
    """``translateTimestampSince``: HumanDuration from ``timestamp`` to now; ``<unknown>`` when unset."""
    if not timestamp:
        return "<unknown>"
    return human_duration(now_ms - parse_rfc3339(timestamp))


def age(creation_rfc3339: str | None, now_ms: int) -> str:
    """The AGE cell for an object created at ``creation_rfc3339``."""
    return since(creation_rfc3339, now_ms)
