#!/usr/bin/env python3
"""The public status page (page, postcode lookup, Atom feed, badge) under many readers, through `anliegen web`.

    .venv/bin/python bench/status.py                       # 200 readers: closed loop, then open loop
    .venv/bin/python bench/status.py --database-url postgres://postgres@127.0.0.1:5432/anliegen_bench_status

closed: every reader sends its next request when the answer arrives (saturation: latency = queueing,
        readers / throughput).
open:   every reader reloads on its own after an exponential pause of mean --interval seconds (Poisson arrivals,
        readers / interval per second in all); latency counts from the moment the request was due, so a late
        answer also delays what the reader would have sent next (no coordinated omission).
Each mode runs once with plain GETs and once as a browser reload does (If-None-Match from the last answer,
304 while nothing changed). The readers run in --procs separate processes (not the server's), keep-alive
connections; the server's load average is printed with every line.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402
from httpclient import Connection  # noqa: E402
from server import Web  # noqa: E402

DATA_DIR = "/tmp/anliegen-bench"


def prepare(url: str) -> str:
    """The demo brand with its TV incident, three updates, a resolved incident in the history, and its articles."""
    from django.core.management import call_command

    benchenv.recreate(url)
    call_command("migrate", verbosity=0)
    from anliegen.runtime import demo
    from anliegen.selfservice import demo as selfservice_demo
    from anliegen.selfservice.services import incidents

    brand, _ = demo.ensure_brand()
    incident = demo.ensure_incident(brand)
    selfservice_demo.load(brand)
    for n in range(3):
        incidents.do_update(incident, None, f"Zwischenstand {n}: der Techniker arbeitet am Verteiler.", f"Update {n}.")
    old = incidents.do_open(brand, None, title="Störung E-Mail", description="Der Mailserver antwortet langsam.")
    incidents.do_close(old, None, "Behoben.", "Fixed.")
    return brand.slug


def paths_for(slug: str) -> list[str]:
    base = f"/{slug}/status/"
    paths = [f"{base}?lang={lang}" for lang in ("de", "en")]
    paths += [f"{base}?lang=de&postcode={code}" for code in ("22529", "22417", "50667", "10115")]
    return paths + [f"{base}feed.atom?lang=de", f"{base}badge.svg?lang=en"]


async def readers(
    port: int, paths: list[str], count: int, seed: int, args: dict
) -> tuple[list[float], int, int, float]:
    latencies: list[float] = []
    errors = not_modified = 0
    deadline_n = args["requests"]
    ready = asyncio.Event()
    warm = 0
    stop_at, began = [0.0], [0.0]

    async def reader(i: int) -> None:
        nonlocal errors, not_modified, warm, deadline_n
        conn = Connection("127.0.0.1", port)
        rng = random.Random(seed * 10_000 + i)
        etags: dict[str, str] = {}
        for path in paths:  # connect, and learn each page's ETag as a reader who has seen it once
            await conn.get(path)
            etags[path] = conn.headers.get("etag", "")
        warm += 1
        if warm == count:
            began[0] = time.perf_counter()
            stop_at[0] = began[0] + args["seconds"]
            ready.set()
        await ready.wait()
        due = time.perf_counter() + (rng.expovariate(1 / args["interval"]) if args["open"] else 0)
        while True:
            if args["open"]:
                if due > stop_at[0]:
                    break
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
            elif deadline_n <= 0:
                break
            deadline_n -= 1
            path = rng.choice(paths)
            headers = {"If-None-Match": etags[path]} if args["revalidate"] and etags[path] else None
            started = due if args["open"] else time.perf_counter()
            status, _ = await conn.request("GET", path, headers=headers)
            latencies.append(time.perf_counter() - started)
            not_modified += status == 304
            errors += status not in (200, 304)
            if args["open"]:
                due += rng.expovariate(1 / args["interval"])
        await conn.close()

    await asyncio.gather(*(reader(i) for i in range(count)))
    return latencies, errors, not_modified, time.perf_counter() - began[0]  # measured part only


def share(job: tuple) -> tuple[list[float], int, int, float]:
    port, paths, count, seed, args = job
    return asyncio.run(readers(port, paths, count, seed, args))


def run(port: int, paths: list[str], total_readers: int, procs: int, args: dict) -> dict:
    counts = [total_readers // procs + (i < total_readers % procs) for i in range(procs)]
    per_proc = dict(args, requests=args["requests"] // procs)
    load_before = os.getloadavg()[0]
    with multiprocessing.get_context("spawn").Pool(procs) as pool:
        results = pool.map(share, [(port, paths, n, i, per_proc) for i, n in enumerate(counts)])
    latencies = [lat for r in results for lat in r[0]]
    seconds = max(r[3] for r in results)
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {
        "requests": len(latencies),
        "rps": len(latencies) / seconds,
        "p50": q[49] * 1000,
        "p95": q[94] * 1000,
        "p99": q[98] * 1000,
        "errors": sum(r[1] for r in results),
        "not_modified": sum(r[2] for r in results),
        "load": f"{load_before:.2f}/{os.getloadavg()[0]:.2f}",
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=benchenv.sqlite_url(Path(DATA_DIR) / "status.sqlite3"))
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--requests", type=int, default=20_000, help="closed loop: requests in all")
    parser.add_argument("--interval", type=float, default=2.0, help="open loop: mean seconds between reloads")
    parser.add_argument("--seconds", type=float, default=20.0, help="open loop: how long")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--procs", type=int, default=2, help="load generator processes")
    parser.add_argument("--only", choices=("closed", "open"), action="append")
    args = parser.parse_args(argv)
    benchenv.setup(args.database_url, DATA_DIR)
    slug = prepare(args.database_url)
    paths = paths_for(slug)
    with Web(args.database_url, os.environ["ANLIEGEN_DATA_DIR"], workers=args.workers) as web:
        for mode in args.only or ["closed", "open"]:
            for revalidate in (False, True):
                settings = {"open": mode == "open", "revalidate": revalidate, "requests": args.requests,
                            "interval": args.interval, "seconds": args.seconds}  # fmt: skip
                r = run(web.port, paths, args.readers, args.procs, settings)
                model = f"interval_s={args.interval} seconds={args.seconds}" if mode == "open" else "think_s=0"
                print(f"status bench={mode} readers={args.readers} {model} revalidate={int(revalidate)}"
                      f" workers={args.workers} requests={r['requests']} rps={r['rps']:.0f} p50_ms={r['p50']:.1f}"
                      f" p95_ms={r['p95']:.1f} p99_ms={r['p99']:.1f} not_modified={r['not_modified']}"
                      f" errors={r['errors']} load={r['load']}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
