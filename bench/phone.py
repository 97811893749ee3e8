#!/usr/bin/env python3
"""Phone: the routing query under concurrent callers, and call events ingested per second.

    .venv/bin/python bench/phone.py                         # on the bench database made by generate.py
    .venv/bin/python bench/phone.py --only events --database-url sqlite:////tmp/anliegen-bench/phone.sqlite3

Lines `route`: `anliegen web --workers N` serves the routing query (/channels/phone/route/<brand>.<token>/?from=...)
to asyncio clients in this process (keep-alive connections, little CPU: `client_cpu_s`) under each --load model of
loadmodels.py: closed loop (--clients back to back), burst (--clients calls ringing at once, --rounds times),
poisson<rate> (random arrivals at that rate for --seconds). Callers are drawn from the generated contacts' phone
numbers (known callers with and without an open case) and one in five is an unknown number; `answers=` counts
the reasons answered (owner, deputy, best, nobody_free, closed).
Line `events`: --calls calls of three Zammad events each (newCall, answer, hangup) posted one after the other
through the HTTP door in this process (Django's test client: middleware, token check, intake.accept, the
pipeline at once, as the view does), each call from its own number; events/s from first to last.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402
import loadmodels  # noqa: E402
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


def route_request(lines: dict, numbers: list) -> loadmodels.Request:
    async def request(conn: Connection, rng: random.Random) -> tuple[int, bytes]:
        brand, number = rng.choice(numbers)
        slug, token = lines[brand]
        return await conn.get(f"/channels/phone/route/{slug}.{token}/", {"from": number})

    return request


def group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) of every process in the web server's process group, from /proc."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 of stat: the process group
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def route_models(web: Web, request: loadmodels.Request, args: argparse.Namespace) -> list[tuple[str, object]]:
    """(load model label, Tally) for each model asked for, one after the other."""
    out, port = [], web.port
    for model in args.load:
        cpu, server_cpu = time.process_time(), group_cpu(web.proc.pid)
        if model == "closed":
            label = f"load=closed clients={args.clients}"
            tally = asyncio.run(loadmodels.closed(port, request, args.clients, args.requests))
        elif model == "burst":
            label = f"load=burst size={args.clients} rounds={args.rounds}"
            tally = asyncio.run(loadmodels.burst(port, request, args.clients, args.rounds, 0.5))
        else:
            rate = float(model.removeprefix("poisson"))
            label = f"load=poisson rate={rate:g}/s seconds={args.seconds:g}"
            tally = asyncio.run(loadmodels.poisson(port, request, rate, args.seconds))
        served = (group_cpu(web.proc.pid) - server_cpu) * 1000 / max(len(tally.latencies), 1)
        out.append((f"{label} {tally.line()} server_cpu_ms_per_query={served:.2f}"
                    f" client_cpu_s={time.process_time() - cpu:.2f}", tally))  # fmt: skip
    return out


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
    parser.add_argument("--requests", type=int, default=5000, help="closed loop: measured routing queries")
    parser.add_argument(
        "--load", nargs="+", default=["closed", "burst", "poisson50", "poisson100"],
        help="load models, in order: closed, burst, poisson<rate per second> (see loadmodels.py)",
    )  # fmt: skip
    parser.add_argument("--rounds", type=int, default=20, help="burst: rounds of --clients calls at once")
    parser.add_argument("--seconds", type=float, default=15.0, help="poisson: seconds of arrivals per rate")
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
                results = route_models(web, route_request(lines, numbers), args)
            for label, _tally in results:
                print(
                    f"phone bench=route db={connection.vendor} cases={cases} workers={args.workers} {label}"
                    f" loadavg={os.getloadavg()[0]:.1f}",
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
