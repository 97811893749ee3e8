#!/usr/bin/env python3
"""p50/p95 latency of the desk over HTTP: inbox, team queue, case page and search, 32 agents at once.

    .venv/bin/python bench/generate.py --cases 1000000            # once: the data set in anliegen_bench
    .venv/bin/python bench/desk.py                                 # starts `anliegen web --workers 2` itself

Every client is a different signed-in agent with its own keep-alive connection. `--think 0` (default) sends the next
request as soon as the last answer came (saturation: latency then includes queueing behind the other 31); `--think 1`
lets each agent click once a second (what 32 busy agents do). One line per benchmark on stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402
import vocabulary as v  # noqa: E402
from httpclient import Connection  # noqa: E402
from server import Web  # noqa: E402

DATA_DIR = "/tmp/anliegen-bench"
BENCHES = ("inbox", "queue", "case", "search")


def search_queries(seed: int) -> list[str]:
    """What agents type: a topic word, a customer's surname, a word and a place, an address fragment."""
    rng = random.Random(f"{seed}-queries")
    words = ["Rechnung", "Zählerstand", "Router", "Umzug", "Kündigung", "Abschlag", "Heizung", "Signal", "invoice"]
    words += ["meter reading", "broadband", "cancellation", "Fernseher schwarz", "Techniker", "Gutschrift"]
    queries = []
    for _ in range(200):
        kind = rng.random()
        if kind < 0.35:
            queries.append(rng.choice(words))
        elif kind < 0.65:
            queries.append(rng.choice(v.LAST["de"] + v.LAST["en"]))
        elif kind < 0.9:
            queries.append(f"{rng.choice(words)} {rng.choice(v.CITIES + v.STREETS)}")
        else:
            queries.append(f"{rng.choice(v.FIRST['de']).lower()}.{rng.choice(v.LAST['de']).lower()}")
    return queries


def sign_in(clients: int) -> list[tuple[str, int, list[int]]]:
    """(session cookie, brand, sample of the brand's case ids) for `clients` different agents (not supervisors)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from anliegen.core.models import Case, Membership

    store = import_module(settings.SESSION_ENGINE).SessionStore
    memberships = list(Membership.objects.filter(role="agent").select_related("agent__user").order_by("agent_id"))
    by_brand: dict[int, list] = {}
    for m in memberships:
        by_brand.setdefault(m.brand_id, []).append(m)
    brands = sorted(by_brand)
    top = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
    rng = random.Random(7)
    sample = rng.sample(range(1, top + 1), min(top, 20000))
    cases: dict[int, list[int]] = {}
    for cid, bid in Case.objects.filter(pk__in=sample).values_list("id", "brand_id"):
        cases.setdefault(bid, []).append(cid)
    out = []
    for i in range(clients):
        brand = brands[i % len(brands)]
        member = by_brand[brand][(i // len(brands)) % len(by_brand[brand])]
        user = member.agent.user
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        out.append((session.session_key, brand, sorted(cases.get(brand, []))))
    return out


def web_cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) `anliegen web` (pid) and its web processes have used so far (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for process in [str(pid), *Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]:
        fields = Path(f"/proc/{process}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / tick


async def loop_lag(lags: list[float], stop: asyncio.Event, every: float = 0.005) -> None:
    """How late this process's event loop wakes a 5 ms sleep: time the client itself adds to every latency."""
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(every)
        lags.append(time.perf_counter() - started - every)


def path_for(bench: str, rng: random.Random, case_ids: list[int], queries: list[str]) -> str:
    if bench == "inbox":
        return "/desk/"
    if bench == "queue":
        return "/desk/queue/"
    if bench == "case":
        return f"/desk/cases/{rng.choice(case_ids)}/"
    from urllib.parse import urlencode

    return "/desk/search/?" + urlencode({"q": rng.choice(queries)})


async def run_bench(bench: str, web: Web, agents: list, total: int, think: float, queries: list[str]) -> dict:
    port = web.port
    latencies: list[float] = []
    lags: list[float] = []
    errors: dict[int, int] = {}
    remaining = total
    warm = 0
    all_warm = asyncio.Event()

    async def client(i: int, cookie: str, case_ids: list[int]) -> None:
        nonlocal remaining, errors
        from django.conf import settings

        conn = Connection("127.0.0.1", port, {settings.SESSION_COOKIE_NAME: cookie})
        rng = random.Random(f"{bench}-{i}")
        nonlocal warm
        for _ in range(3):  # warm the connection, the worker and the caches; not measured
            await conn.get(path_for(bench, rng, case_ids, queries))
        warm += 1
        if warm == len(agents):
            all_warm.set()
        # Measure the steady state: nobody starts before everyone's warm-up burst has been served.
        await all_warm.wait()
        await asyncio.sleep(rng.uniform(0, think))  # arrivals spread out, not 32 at the same instant
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            status, _ = await conn.get(path_for(bench, rng, case_ids, queries))
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors[status] = errors.get(status, 0) + 1
            if think:
                await asyncio.sleep(rng.expovariate(1 / think))
        await conn.close()

    tasks = [asyncio.create_task(client(i, cookie, ids)) for i, (cookie, _, ids) in enumerate(agents)]
    await all_warm.wait()
    started, cpu_started = time.perf_counter(), web_cpu_seconds(web.proc.pid)
    stop = asyncio.Event()
    probe = asyncio.create_task(loop_lag(lags, stop))
    await asyncio.gather(*tasks)
    elapsed, cpu = time.perf_counter() - started, web_cpu_seconds(web.proc.pid) - cpu_started
    stop.set()
    await probe
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    lag = statistics.quantiles(lags, n=100, method="inclusive")
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50": q[49], "p95": q[94], "p99": q[98],
            "errors": errors, "server_cpu": cpu / len(latencies), "lag_p99": lag[98], "lag_max": max(lags)}  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=benchenv.DEFAULT_URL)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=1000, help="measured requests per benchmark")
    parser.add_argument("--think", type=float, default=0.0, help="mean seconds between one agent's requests")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--pool", type=int, default=0, help="PostgreSQL connection pool size per web process (0: none)")
    parser.add_argument("--only", choices=BENCHES, action="append", help="run only these benchmarks")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    benchenv.setup(args.database_url, DATA_DIR)
    from django.db import connection

    from anliegen.core.models import Case

    agents = sign_in(args.clients)
    cases = Case.objects.count()
    queries = search_queries(args.seed)
    pool = {"ANLIEGEN_DB_POOL": str(args.pool)} if args.pool else {}
    # The client's own objects (Django, the sessions) never move again: a collection of the oldest generation
    # would otherwise walk them all in the middle of a measurement and delay every answer waiting to be read.
    gc.collect()
    gc.freeze()
    with Web(args.database_url, os.environ["ANLIEGEN_DATA_DIR"], workers=args.workers, **pool) as web:
        for bench in args.only or BENCHES:
            r = asyncio.run(run_bench(bench, web, agents, args.requests, args.think, queries))
            print(
                f"desk bench={bench} db={connection.vendor} cases={cases} clients={args.clients}"
                f" think_s={args.think:g} workers={args.workers} pool={args.pool} requests={r['requests']} rps={r['rps']:.0f}"
                f" p50_ms={r['p50'] * 1000:.1f} p95_ms={r['p95'] * 1000:.1f} p99_ms={r['p99'] * 1000:.1f}"
                f" server_cpu_ms={r['server_cpu'] * 1000:.1f} client_lag_p99_ms={r['lag_p99'] * 1000:.1f}"
                f" client_lag_max_ms={r['lag_max'] * 1000:.1f} errors={sum(r['errors'].values())}"
                + (" statuses=" + ",".join(f"{k}:{n}" for k, n in sorted(r["errors"].items())) if r["errors"] else ""),
                flush=True,
            )


if __name__ == "__main__":
    main()
