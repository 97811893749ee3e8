"""Erlang C: how long a caller waits in a queue served by N agents (M/M/N), from offered traffic in Erlangs.

A = arrival rate x average handling time. The probability that a caller has to wait at all is
C(N, A) = (A^N / N! * N / (N - A)) / (sum_{k<N} A^k / k! + A^N / N! * N / (N - A)), and the average wait
of all callers (average speed of answer) is C(N, A) * h / (N - A). Computed with the stable recurrence on
Erlang B (B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1))), so hundreds of agents do not overflow.
"""

from __future__ import annotations

import math


def erlang_b(n: int, a: float) -> float:
    b = 1.0
    for k in range(1, n + 1):
        b = a * b / (k + a * b)
    return b


def wait_probability(n: int, a: float) -> float:
    """C(N, A): the share of callers who wait at all; 1 when the agents cannot keep up (A >= N)."""
    if n <= 0 or a >= n:
        return 1.0
    if a <= 0:
        return 0.0
    b = erlang_b(n, a)
    return n * b / (n - a * (1 - b))


def average_wait(n: int, a: float, handling_seconds: float) -> float:
    """Average speed of answer in seconds over all callers; infinite when the queue only grows."""
    if n <= 0 or a >= n:
        return math.inf
    return wait_probability(n, a) * handling_seconds / (n - a)


def service_level(n: int, a: float, handling_seconds: float, target_seconds: float) -> float:
    """The share of callers answered within `target_seconds`."""
    if n <= 0 or a >= n:
        return 0.0
    return 1 - wait_probability(n, a) * math.exp(-(n - a) * target_seconds / handling_seconds)
