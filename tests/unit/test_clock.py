import pytest

from cluster.engine.clock import SimClock, parse_duration_ms


def test_clock_scales_and_pauses_without_jumps() -> None:
    clock = SimClock(sim_ms=1_000, wall_ms=0)
    assert clock.now(500) == 1_500
    fast = clock.with_speed(500, 10.0)
    assert fast.now(500) == 1_500
    assert fast.now(600) == 2_500
    paused = fast.pause(600)
    assert paused.now(10_000) == 2_500
    assert paused.wall_at(3_000) is None
    playing = paused.play(10_000)
    assert playing.now(10_100) == 3_500
    assert playing.wall_at(4_500) == 10_200


def test_advance_moves_simulated_time_only() -> None:
    clock = SimClock(sim_ms=0, wall_ms=0, paused=True).advance(50, 30_000)
    assert clock.now(10_000) == 30_000


def test_speed_bounds() -> None:
    with pytest.raises(ValueError, match=r"between 0\.25x and 50x"):
        SimClock(0, 0).with_speed(0, 100)


@pytest.mark.parametrize(
    ("text", "ms"), [("30s", 30_000), ("5m", 300_000), ("1h30m", 5_400_000), ("250ms", 250), ("2", 2_000)]
)
def test_parse_duration(text: str, ms: int) -> None:
    assert parse_duration_ms(text) == ms


@pytest.mark.parametrize("text", ["", "5x", "m5", "1h 5m"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration_ms(text)
