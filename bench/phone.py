#!/usr/bin/env python3
"""Phone: the routing query under concurrent callers, and call events ingested per second.

    .venv/bin/python bench/phone.py                         # on the bench database made by generate.py
    .venv/bin/python bench/phone.py --only events --database-url sqlite:////tmp/anliegen-bench/phone.sqlite3

Line `route`: `anliegen web --workers N` serves the routing query (/channels/phone/route/<brand>.<token>/?from=...) to
--clients asyncio clients with keep-alive connections, back to back; callers are drawn from the generated
contacts' phone numbers (known callers with and without an open case) and one in five is an unknown number.
Line `events`: --calls calls of three Zammad events each (newCall, answer, hangup) posted one after the other
through the HTTP door in this process (Django's test client: middleware, token check, intake.accept, the
pipeline at once, as the view does), each call from its own number; events/s from first to last.
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
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402
from httpclient import Connection  # noqa: E402
from server import Web  # noqa: E402

DATA_DIR = "/tmp/anliegen-bench"
BENCHES = ("route", "events")


def lines_for_brands() -> dict[int, tuple[str, str]]:
    """brand id -> (slug, token) of its phone line, made when missing."""
    from anliegen.channels.phone.models import PhoneLine
    from anliegen.core.models import Brand

    out = {}
    for brand in Brand.objects.order_by("id"):
        line, _ = PhoneLine.objects.get_or_create(brand=brand)
        out[brand.pk] = (brand.slug, line.token)
    return out


def callers(count: int, seed: int) -> list[tuple[int, str]]:
    from anliegen.core.models import Identity

    rng = random.Random(seed)
    top = Identity.objects.filter(kind="phone").order_by("-id").values_list("id", flat=True).first() or 0
    ids = rng.sample(range(1, top + 1), min(top, count * 4)) if top else []
    known = list(Identity.objects.filter(kind="phone", pk__in=ids).values_list("brand_id", "value")[:count])
    brands = sorted({b for b, _ in known}) or [1]
    unknown = [(rng.choice(brands), f"+49151{rng.randrange(10**7, 10**8)}") for _ in range(max(1, count // 5))]
    return known + unknown


async def route_bench(port: int, lines: dict, numbers: list, clients: int, total: int) -> dict:
    latencies: list[float] = []
    errors: dict[int, int] = {}
    remaining = total

    async def client(i: int) -> None:
        nonlocal remaining
        rng = random.Random(i)
        conn = Connection("127.0.0.1", port)
        for _ in range(3):  # warm-up, not measured
            brand, number = rng.choice(numbers)
            slug, token = lines[brand]
            await conn.get(f"/channels/phone/route/{slug}.{token}/", {"from": number})
        while remaining > 0:
            remaining -= 1
            brand, number = rng.choice(numbers)
            slug, token = lines[brand]
            started = time.perf_counter()
            status, _body = await conn.get(f"/channels/phone/route/{slug}.{token}/", {"from": number})
            latencies.append(time.perf_counter() - started)
            if status != 200:
                errors[status] = errors.get(status, 0) + 1
        await conn.close()

    started = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    q = statistics.quantiles(latencies, n=100)
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, "p50": q[49], "p95": q[94], "p99": q[98],
            "errors": errors}


def events_bench(calls: int, seed: int) -> dict:
    from django.test import Client

    from anliegen.core.models import Agent, Brand, Membership

    brand = Brand.objects.order_by("id").first()
    slug, token = lines_for_brands()[brand.pk]
    agent = Agent.objects.filter(memberships__brand=brand).exclude(extension="").first()
    if agent is None:
        agent = Membership.objects.filter(brand=brand).first().agent
        agent.extension = "200"
        agent.save(update_fields=["extension"])
    client = Client()
    url = f"/hooks/phone/{slug}.{token}/?format=zammad"
    rng = random.Random(seed)
    errors = 0
    started = time.perf_counter()
    for n in range(calls):
        number = f"49160{rng.randrange(10**7, 10**8)}"
        base = {"from": number, "to": "4940123456", "direction": "in", "callId": f"bench-{seed}-{n}"}
        for event in (
            {"event": "newCall", "user[]": agent.name},
            {"event": "answer", "answeringNumber": agent.extension},
            {"event": "hangup", "answeringNumber": agent.extension, "cause": "normalClearing"},
        ):
            response = client.post(url, urlencode({**base, **event}), content_type="application/x-www-form-urlencoded")
            errors += response.status_code != 200
    elapsed = time.perf_counter() - started
    return {"events": calls * 3, "seconds": elapsed, "rate": calls * 3 / elapsed, "errors": errors}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=benchenv.DEFAULT_URL)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=5000, help="measured routing queries")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--calls", type=int, default=300, help="calls (three events each) for the ingest line")
    parser.add_argument("--only", choices=BENCHES, action="append")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    if not benchenv.is_postgres(args.database_url) and not Path(args.database_url.split("///", 1)[-1]).exists():
        benchenv.setup(args.database_url, DATA_DIR)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from anliegen.runtime import demo

        demo.ensure_brand()
    else:
        benchenv.setup(args.database_url, DATA_DIR)
    from django.conf import settings
    from django.db import connection

    from anliegen.core.models import Case

    settings.ALLOWED_HOSTS = ["*"]
    cases = Case.objects.count()
    for bench in args.only or BENCHES:
        if bench == "route":
            lines = lines_for_brands()
            numbers = callers(2000, args.seed)
            with Web(args.database_url, os.environ["ANLIEGEN_DATA_DIR"], workers=args.workers) as web:
                r = asyncio.run(route_bench(web.port, lines, numbers, args.clients, args.requests))
            print(
                f"phone bench=route db={connection.vendor} cases={cases} clients={args.clients} workers={args.workers}"
                f" requests={r['requests']} rps={r['rps']:.0f} p50_ms={r['p50'] * 1000:.1f}"
                f" p95_ms={r['p95'] * 1000:.1f} p99_ms={r['p99'] * 1000:.1f} errors={sum(r['errors'].values())}",
                flush=True,
            )
        else:
            r = events_bench(args.calls, args.seed)
            print(
                f"phone bench=events db={connection.vendor} cases={cases} events={r['events']}"
                f" seconds={r['seconds']:.2f} rate={r['rate']:.1f}/s errors={r['errors']}",
                flush=True,
            )


if __name__ == "__main__":
    main()
