"""Load models for an HTTP benchmark: closed loop, a burst of simultaneous requests, Poisson arrivals.

closed:  N clients, each sends its next request when the last one is answered. The server is saturated; the
         latency is mostly the wait behind the other N-1 requests in flight (queueing, not service time).
burst:   N requests sent at the same moment on N open connections ("50 phones ring at once"), --rounds times
         with a pause between rounds; the latency of the last answered is N x the service time on one core.
poisson: requests arrive at random (exponential gaps) at a fixed rate, whether or not earlier ones were
         answered; each arrival takes an idle keep-alive connection (a new one when all are busy). The latency
         is measured from the moment the request was due, so a server falling behind shows as latency (no
         coordinated omission); a rate the server cannot sustain shows as a growing backlog.

`request(conn) -> (status, body)` is one request on a Connection (httpclient.py). Every model returns the
latencies in seconds, the statuses and the bodies' `reason` counts.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
from collections import Counter
from collections.abc import Awaitable, Callable

from httpclient import Connection

Request = Callable[[Connection, random.Random], Awaitable[tuple[int, bytes]]]


class Tally:
    def __init__(self) -> None:
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()
        self.reasons: Counter = Counter()
        self.started = time.perf_counter()
        self.elapsed = 0.0

    def add(self, seconds: float, status: int, body: bytes) -> None:
        self.latencies.append(seconds)
        self.statuses[status] += 1
        if status == 200 and body[:1] == b"{":
            self.reasons[json.loads(body).get("reason", "")] += 1

    def done(self) -> Tally:
        self.elapsed = time.perf_counter() - self.started
        return self

    def line(self) -> str:
        q = statistics.quantiles(self.latencies, n=100) if len(self.latencies) > 1 else [self.latencies[0]] * 99
        errors = sum(n for s, n in self.statuses.items() if s != 200)
        mix = ",".join(f"{k}:{v}" for k, v in sorted(self.reasons.items()))
        return (
            f"requests={len(self.latencies)} rps={len(self.latencies) / self.elapsed:.0f} p50_ms={q[49] * 1000:.1f}"
            f" p95_ms={q[94] * 1000:.1f} p99_ms={q[98] * 1000:.1f} max_ms={max(self.latencies) * 1000:.1f}"
            f" errors={errors} answers={mix}"
        )


async def _warm(port: int, request: Request, count: int) -> list[Connection]:
    conns = [Connection("127.0.0.1", port) for _ in range(count)]
    rng = random.Random(0)
    await asyncio.gather(*(request(c, rng) for c in conns))
    return conns


async def closed(port: int, request: Request, clients: int, total: int) -> Tally:
    conns = await _warm(port, request, clients)
    tally, left = Tally(), [total]

    async def client(conn: Connection, rng: random.Random) -> None:
        while left[0] > 0:
            left[0] -= 1
            started = time.perf_counter()
            status, body = await request(conn, rng)
            tally.add(time.perf_counter() - started, status, body)

    await asyncio.gather(*(client(c, random.Random(i)) for i, c in enumerate(conns)))
    return _close(conns, tally.done())


async def burst(port: int, request: Request, size: int, rounds: int, pause: float) -> Tally:
    conns = await _warm(port, request, size)
    tally = Tally()

    async def one(conn: Connection, rng: random.Random, due: float) -> None:
        status, body = await request(conn, rng)
        tally.add(time.perf_counter() - due, status, body)

    for r in range(rounds):
        await asyncio.sleep(pause)
        due = time.perf_counter()
        await asyncio.gather(*(one(c, random.Random(r * size + i), due) for i, c in enumerate(conns)))
    tally.started += pause * rounds  # the pauses are not the server's time
    return _close(conns, tally.done())


async def poisson(port: int, request: Request, rate: float, seconds: float, seed: int = 1) -> Tally:
    idle = await _warm(port, request, 8)
    opened = list(idle)
    tally, rng, tasks = Tally(), random.Random(seed), []

    async def one(due: float) -> None:
        conn = idle.pop() if idle else Connection("127.0.0.1", port)
        if conn not in opened:
            opened.append(conn)
        status, body = await request(conn, rng)
        tally.add(time.perf_counter() - due, status, body)
        idle.append(conn)

    start = time.perf_counter()
    due = start
    while due - start < seconds:
        due += rng.expovariate(rate)
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(due)))
    await asyncio.gather(*tasks)
    tally.started = start
    return _close(opened, tally.done())


def _close(conns: list[Connection], tally: Tally) -> Tally:
    for conn in conns:
        if conn.writer is not None:
            conn.writer.close()
    return tally
