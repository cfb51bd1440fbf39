from __future__ import annotations

import pytest

from cluster.core.timefmt import (
    ZERO_TIME_TEXT,
    age,
    describe_time,
    describe_timestamp,
    human_duration,
    parse_rfc3339,
    rfc3339,
    rfc3339_micro,
    short_human_duration,
)

SECOND = 1000
MINUTE = 60 * SECOND
HOUR = 60 * MINUTE
DAY = 24 * HOUR
YEAR = 365 * DAY


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (-2 * SECOND, "<invalid>"),
        (-1999, "0s"),
        (-1 * SECOND, "0s"),
        (0, "0s"),
        (999, "0s"),
        (59 * SECOND, "59s"),
        (60 * SECOND, "60s"),
        (90 * SECOND, "90s"),
        (119 * SECOND + 999, "119s"),
        (120 * SECOND, "2m"),
        (150 * SECOND, "2m30s"),
        (9 * MINUTE + 59 * SECOND, "9m59s"),
        (10 * MINUTE + 30 * SECOND, "10m"),
        (60 * MINUTE, "60m"),
        (179 * MINUTE + 59 * SECOND, "179m"),
        (3 * HOUR, "3h"),
        (3 * HOUR + 30 * MINUTE, "3h30m"),
        (7 * HOUR + 59 * MINUTE, "7h59m"),
        (8 * HOUR, "8h"),
        (24 * HOUR, "24h"),
        (47 * HOUR + 59 * MINUTE, "47h"),
        (2 * DAY, "2d"),
        (2 * DAY + 5 * HOUR, "2d5h"),
        (7 * DAY + 23 * HOUR, "7d23h"),
        (8 * DAY, "8d"),
        (729 * DAY, "729d"),
        (2 * YEAR, "2y"),
        (2 * YEAR + 100 * DAY, "2y100d"),
        (8 * YEAR + 100 * DAY, "8y"),
    ],
)
def test_human_duration_follows_apimachinery_boundaries(ms: int, text: str) -> None:
    assert human_duration(ms) == text


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (-3 * SECOND, "<invalid>"),
        (-SECOND, "0s"),
        (59 * SECOND, "59s"),
        (5 * MINUTE + 59 * SECOND, "5m"),
        (3 * HOUR + 59 * MINUTE, "3h"),
        (2 * DAY + 23 * HOUR, "2d"),
        (400 * DAY, "1y"),
    ],
)
def test_short_human_duration_uses_one_unit(ms: int, text: str) -> None:
    assert short_human_duration(ms) == text


def test_rfc3339_round_trips_with_second_precision() -> None:
    ms = parse_rfc3339("2026-11-25T04:18:53Z")
    assert rfc3339(ms) == "2026-11-25T04:18:53Z"
    assert rfc3339(ms + 999) == "2026-11-25T04:18:53Z"
    assert ms == 1_795_580_333_000


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25T04:18:53.25Z", "2026-11-25T04:18:53.250000Z"),
        ("2026-11-25T13:18:53+09:00", "2026-11-25T04:18:53.000000Z"),
        ("2026-11-24T23:18:53-05:00", "2026-11-25T04:18:53.000000Z"),
    ],
)
def test_parse_rfc3339_accepts_fractions_and_offsets(text: str, expected: str) -> None:
    assert rfc3339_micro(parse_rfc3339(text)) == expected


def test_parse_rfc3339_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="invalid RFC 3339"):
        parse_rfc3339("yesterday")


def test_describe_time_uses_go_rfc1123z_layout() -> None:
    assert describe_time(parse_rfc3339("2026-11-25T03:50:48Z")) == "Wed, 25 Nov 2026 03:50:48 +0000"
    assert describe_timestamp("2026-01-05T09:03:04Z") == "Mon, 05 Jan 2026 09:03:04 +0000"
    assert describe_timestamp(None) == ZERO_TIME_TEXT == "Mon, 01 Jan 0001 00:00:00 +0000"


def test_age_of_missing_timestamp_is_unknown() -> None:
    now = parse_rfc3339("2026-11-25T04:20:00Z")
    assert age(None, now) == "<unknown>"
    assert age("", now) == "<unknown>"
    assert age("2026-11-25T04:17:58Z", now) == "2m2s"
    assert age("2026-11-25T04:20:05Z", now) == "<invalid>"


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0, "1970-01-01T00:00:00Z"),
        (999, "1970-01-01T00:00:00Z"),
        (-1, "1969-12-31T23:59:59Z"),  # truncation goes down, also before the epoch
        (-1000, "1969-12-31T23:59:59Z"),
        (-1001, "1969-12-31T23:59:58Z"),
    ],
)
def test_memoised_rfc3339_truncates_to_the_second_below(ms: int, text: str) -> None:
    assert rfc3339(ms) == text
    assert rfc3339(ms) == text  # served from the memo the second time


def test_memoised_parse_still_rejects_garbage_every_time() -> None:
    for _ in range(2):
        with pytest.raises(ValueError, match="invalid RFC 3339"):
            parse_rfc3339("2026-13-99")
    with pytest.raises(AttributeError):
        parse_rfc3339(5)  # type: ignore[arg-type]  # not a string: fails as it always did, uncached
    assert parse_rfc3339(" 2026-11-25T04:18:53Z ") == parse_rfc3339("2026-11-25T04:18:53Z")
