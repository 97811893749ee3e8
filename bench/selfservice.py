#!/usr/bin/env python3
"""Help-article suggestions while a customer types, through `anliegen web` (the status page: status.py; an
incident update told to its linked cases: fanout.py).

    .venv/bin/python bench/selfservice.py                          # SQLite file in /tmp/anliegen-bench
    .venv/bin/python bench/selfservice.py --database-url postgres://postgres@127.0.0.1:5432/anliegen_bench_selfservice

8 concurrent writers (keep-alive connections) ask the demo brand for suggestions with typical form texts,
--requests in all; p50/p95/p99 of the answers. ANLIEGEN_ARTICLE_RANKER chooses the ranker measured.
"""

from __future__ import annotations

import argparse
import asyncio
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
TEXTS = [
    "Mein Fernseher ist schwarz, kein Signal seit acht Uhr, ich wohne in 22529 Hamburg",
    "Frage zu meiner Rechnung, die Gutschrift fehlt",
    "Internet ist langsam und die Online-Lampe am Router ist rot",
    "How do I change the wifi password on my router",
    "I am moving house next month, can I take my contract along",
    "Sendersuchlauf funktioniert nicht, es fehlen Sender",
]


def prepare(url: str) -> str:
    """The demo brand with its incident and its help articles."""
    from django.core.management import call_command

    benchenv.recreate(url)
    call_command("migrate", verbosity=0)
    from anliegen.runtime import demo
    from anliegen.selfservice import demo as selfservice_demo

    brand, _ = demo.ensure_brand()
    demo.ensure_incident(brand)
    selfservice_demo.load(brand)
    return brand.slug


def quantiles(latencies: list[float]) -> dict:
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"p50": q[49] * 1000, "p95": q[94] * 1000, "p99": q[98] * 1000}


async def writers(port: int, paths: list[str], clients: int, total: int) -> tuple[dict, float, int]:
    latencies: list[float] = []
    errors = 0
    remaining = total
    ready = asyncio.Event()
    warm = 0

    async def writer(i: int) -> None:
        nonlocal remaining, errors, warm
        conn = Connection("127.0.0.1", port)
        rng = random.Random(i)
        await conn.get(rng.choice(paths))  # connect and warm; not measured
        warm += 1
        if warm == clients:
            ready.set()
        await ready.wait()
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            status, _ = await conn.get(rng.choice(paths))
            latencies.append(time.perf_counter() - started)
            errors += status != 200
        await conn.close()

    tasks = [asyncio.create_task(writer(i)) for i in range(clients)]
    await ready.wait()
    started = time.perf_counter()
    await asyncio.gather(*tasks)
    return quantiles(latencies), len(latencies) / (time.perf_counter() - started), errors


def bench_suggest(web: Web, slug: str, total: int) -> None:
    from urllib.parse import quote

    paths = [f"/{slug}/help/suggest/?lang=de&q={quote(t)}" for t in TEXTS]
    q, rps, errors = asyncio.run(writers(web.port, paths, 8, total))
    print(f"selfservice bench=suggest writers=8 requests={total} rps={rps:.0f} p50_ms={q['p50']:.1f}"
          f" p95_ms={q['p95']:.1f} p99_ms={q['p99']:.1f} errors={errors}", flush=True)  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=benchenv.sqlite_url(Path(DATA_DIR) / "selfservice.sqlite3"))
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    args = parser.parse_args(argv)
    os.environ.setdefault("ANLIEGEN_EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
    benchenv.setup(args.database_url, DATA_DIR)
    slug = prepare(args.database_url)
    with Web(args.database_url, os.environ["ANLIEGEN_DATA_DIR"], workers=args.workers) as web:
        bench_suggest(web, slug, args.requests)


if __name__ == "__main__":
    main()
