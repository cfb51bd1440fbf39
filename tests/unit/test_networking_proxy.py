"""kube-proxy's choice of endpoint: random per connection (iptables), in turn (IPVS), sticky with ClientIP."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from cluster.networking.backends import Backend
from cluster.networking.proxy import (
    affinity_seconds,
    choose,
    draw,
    iptables_probability,
    mode_of,
    pick_random,
    pick_round_robin,
)

BACKENDS = [Backend(f"10.244.1.{i}", 80, "default", f"web-{i}", "worker-1") for i in range(1, 4)]
SALT = 12345


@pytest.mark.parametrize(
    ("i", "n", "expected"),
    [(0, 3, "0.3333333333"), (1, 3, "0.5000000000"), (0, 2, "0.5000000000"), (0, 4, "0.2500000000")],
)
def test_iptables_rule_probabilities_are_one_over_n_minus_i(i: int, n: int, expected: str) -> None:
    assert iptables_probability(i, n) == expected


def test_draws_are_deterministic_and_uniform() -> None:
    values = [draw(SALT, seq, 0) for seq in range(20_000)]
    assert values == [draw(SALT, seq, 0) for seq in range(20_000)]
    assert all(0 <= v < 1 for v in values)
    assert abs(sum(values) / len(values) - 0.5) < 0.01
    assert draw(SALT, 1, 0) != draw(SALT + 1, 1, 0)


def test_iptables_mode_spreads_connections_evenly_but_at_random() -> None:
    picks = [pick_random(BACKENDS, SALT, seq).pod for seq in range(30_000)]
    counts = Counter(picks)
    # 10,000 expected each; 5 standard deviations (~82 connections each) of a binomial is a generous bound.
    assert all(abs(counts[b.pod] - 10_000) < 410 for b in BACKENDS)
    repeats = sum(1 for a, b in itertools.pairwise(picks) if a == b)
    assert 9_000 < repeats < 11_000  # random: about 1/3 of consecutive connections hit the same pod


def test_ipvs_mode_takes_endpoints_strictly_in_turn() -> None:
    config = {"mode": "ipvs"}
    picks = [
        choose(config, "default/web:80", BACKENDS, client_ip="192.168.49.1", now_ms=0, salt=SALT).pod for _ in range(7)
    ]
    assert picks == ["web-1", "web-2", "web-3", "web-1", "web-2", "web-3", "web-1"]
    assert config["rr"] == {"default/web:80": 7}


def test_round_robin_cursor_survives_a_shrinking_endpoint_list() -> None:
    backend, cursor = pick_round_robin(BACKENDS[:2], 5)
    assert (backend.pod, cursor) == ("web-2", 6)


def test_choose_counts_connections_and_defaults_to_iptables() -> None:
    config: dict[str, object] = {}
    choose(config, "default/web:80", BACKENDS, client_ip="192.168.49.1", now_ms=0, salt=SALT)
    choose(config, "default/web:80", BACKENDS, client_ip="192.168.49.1", now_ms=0, salt=SALT)
    assert config["seq"] == 2
    assert mode_of(config) == "iptables"
    assert "rr" not in config


def test_client_ip_affinity_pins_a_client_until_the_timeout_after_its_last_connection() -> None:
    config: dict[str, object] = {}
    first = choose(config, "c", BACKENDS, client_ip="192.168.49.1", now_ms=0, salt=SALT, affinity_s=10800)
    later = [
        choose(config, "c", BACKENDS, client_ip="192.168.49.1", now_ms=t * 1000, salt=SALT, affinity_s=10800)
        for t in range(1, 50)
    ]
    assert {b.address for b in later} == {first.address}
    others = {
        choose(config, "c", BACKENDS, client_ip=f"203.0.113.{i}", now_ms=0, salt=SALT, affinity_s=10800).address
        for i in range(30)
    }
    assert len(others) == 3  # other clients still spread over every endpoint
    after = [
        choose(config, "c", BACKENDS, client_ip="192.168.49.1", now_ms=49_000 + 10_801_000 + i, salt=SALT,
               affinity_s=10800).address
        for i in range(40)
    ]  # fmt: skip
    assert len(set(after)) == 1  # expired once, then pinned again to whatever it got


def test_affinity_falls_back_when_the_pinned_endpoint_is_gone() -> None:
    config: dict[str, object] = {}
    first = choose(config, "c", BACKENDS, client_ip="1.2.3.4", now_ms=0, salt=SALT, affinity_s=60)
    rest = [b for b in BACKENDS if b.address != first.address]
    again = choose(config, "c", rest, client_ip="1.2.3.4", now_ms=1, salt=SALT, affinity_s=60)
    assert again in rest


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ({}, None),
        ({"sessionAffinity": "None"}, None),
        ({"sessionAffinity": "ClientIP"}, 10800),
        ({"sessionAffinity": "ClientIP", "sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 60}}}, 60),
    ],
)
def test_affinity_seconds_reads_the_service(spec: dict[str, object], expected: int | None) -> None:
    assert affinity_seconds({"spec": spec}) == expected
