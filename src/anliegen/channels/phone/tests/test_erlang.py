"""Erlang C against a worked textbook example and against a brute-force solution of the M/M/N chain."""

from __future__ import annotations

import math

import pytest

from anliegen.channels.phone import erlang

pytestmark = pytest.mark.nodb


def brute_force_wait_probability(n: int, a: float, states: int = 4000) -> float:
    """Solve the birth-death chain of an M/M/N queue directly (truncated far out): P(all N agents busy)."""
    # Unnormalised stationary weights: p(k) = p(k-1) * A / min(k, N).
    weights = [1.0]
    for k in range(1, states):
        weights.append(weights[-1] * a / min(k, n))
    return sum(weights[n:]) / sum(weights)


def test_worked_example_ten_erlangs():
    # The common worked example: 100 calls in 30 minutes, 3 minutes handling time -> A = 10 Erlangs.
    # With 11 agents 68.2% of callers wait, the average wait is 122.8 s and 39.1% are answered in 20 s.
    a = 100 * 180 / 1800
    assert a == 10
    assert erlang.wait_probability(11, a) == pytest.approx(0.6821, abs=5e-4)
    assert erlang.average_wait(11, a, 180) == pytest.approx(122.8, abs=0.1)
    assert erlang.service_level(11, a, 180, 20) == pytest.approx(0.3896, abs=5e-4)
    # Three more agents: 17.4% wait and 88.8% are answered within 20 seconds.
    assert erlang.wait_probability(14, a) == pytest.approx(0.1741, abs=5e-4)
    assert erlang.service_level(14, a, 180, 20) == pytest.approx(0.8884, abs=5e-4)


def test_single_agent_is_the_m_m_1_queue():
    # With one agent C(1, A) = A (utilisation), the mean wait is A/(1-A) * h.
    assert erlang.wait_probability(1, 0.5) == pytest.approx(0.5)
    assert erlang.average_wait(1, 0.5, 120) == pytest.approx(120)


@pytest.mark.parametrize(("n", "a"), [(2, 1.5), (5, 3.2), (11, 10), (30, 25.5), (100, 92)])
def test_agrees_with_brute_force(n, a):
    assert erlang.wait_probability(n, a) == pytest.approx(brute_force_wait_probability(n, a), rel=1e-9)


def test_overload_and_no_traffic():
    assert erlang.wait_probability(3, 3) == 1.0
    assert erlang.average_wait(3, 4, 180) == math.inf
    assert erlang.average_wait(0, 0.1, 180) == math.inf
    assert erlang.wait_probability(3, 0) == 0.0
    assert erlang.service_level(3, 4, 180, 20) == 0.0


def test_hundreds_of_agents_do_not_overflow():
    assert 0 < erlang.wait_probability(500, 480) < 1
