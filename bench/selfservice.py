#!/usr/bin/env python3
"""Self-service benchmarks: the public status page under many readers, suggestions while typing, incident fan-out.

    .venv/bin/python bench/selfservice.py                          # SQLite file in /tmp/anliegen-bench
    .venv/bin/python bench/selfservice.py --database-url postgres://postgres@127.0.0.1:5432/anliegen_bench

status:  --readers concurrent readers (keep-alive connections) read a brand's status page (German/English,
         with and without a postcode) through `anliegen web`; p50/p95/p99 over --requests requests.
suggest: 8 concurrent writers ask for suggestions with typical form texts; the server's time per answer.
fanout:  --linked cases linked to one incident; one update is told to all of them by the chunk tasks (run in
         this process like a worker would), then delivered; the longest single task says how long the fan-out
         can keep a worker from other work.
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


def prepare(url: str, linked: int) -> tuple[str, int]:
    from django.core.management import call_command

    benchenv.recreate(url)
    call_command("migrate", verbosity=0)
    from anliegen.core.models import Case, Contact, Identity
    from anliegen.runtime import demo
    from anliegen.selfservice import demo as selfservice_demo
    from anliegen.selfservice.services import incidents

    brand, _ = demo.ensure_brand()
    incident = demo.ensure_incident(brand)
    selfservice_demo.load(brand)
    for n in range(3):
        incidents.do_update(incident, None, f"Zwischenstand {n}: der Techniker arbeitet am Verteiler.", f"Update {n}.")
    owner = brand.default_owner
    contacts = Contact.objects.bulk_create(
        (Contact(brand=brand, name=f"Kunde {n}") for n in range(linked)), batch_size=2000
    )
    Identity.objects.bulk_create(
        (Identity(contact=c, brand=brand, kind="email", value=f"kunde{c.pk}@example.org") for c in contacts),
        batch_size=2000,
    )
    Case.objects.bulk_create(
        (Case(brand=brand, contact=c, owner=owner, subject="Kein Signal", preferred_channel="email", incident=incident)
         for c in contacts),
        batch_size=2000,
    )  # fmt: skip
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # the demo's own fan-outs (nobody was linked yet) are not measured
    return brand.slug, incident.pk


def quantiles(latencies: list[float]) -> dict:
    q = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"p50": q[49] * 1000, "p95": q[94] * 1000, "p99": q[98] * 1000}


async def readers(port: int, paths: list[str], clients: int, total: int) -> tuple[dict, float, int]:
    latencies: list[float] = []
    errors = 0
    remaining = total
    ready = asyncio.Event()
    warm = 0

    async def reader(i: int) -> None:
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

    tasks = [asyncio.create_task(reader(i)) for i in range(clients)]
    await ready.wait()
    started = time.perf_counter()
    await asyncio.gather(*tasks)
    return quantiles(latencies), len(latencies) / (time.perf_counter() - started), errors


def bench_status(web: Web, slug: str, clients: int, total: int) -> None:
    paths = [f"/{slug}/status/?lang={lang}" for lang in ("de", "en")]
    paths += [f"/{slug}/status/?lang=de&postcode={code}" for code in ("22529", "22417", "50667", "10115")]
    q, rps, errors = asyncio.run(readers(web.port, paths, clients, total))
    print(f"selfservice bench=status readers={clients} requests={total} rps={rps:.0f} p50_ms={q['p50']:.1f}"
          f" p95_ms={q['p95']:.1f} p99_ms={q['p99']:.1f} errors={errors}", flush=True)  # fmt: skip


def bench_suggest(web: Web, slug: str, total: int) -> None:
    from urllib.parse import quote

    paths = [f"/{slug}/help/suggest/?lang=de&q={quote(t)}" for t in TEXTS]
    q, rps, errors = asyncio.run(readers(web.port, paths, 8, total))
    print(f"selfservice bench=suggest writers=8 requests={total} rps={rps:.0f} p50_ms={q['p50']:.1f}"
          f" p95_ms={q['p95']:.1f} p99_ms={q['p99']:.1f} errors={errors}", flush=True)  # fmt: skip


def bench_fanout(incident_id: int, linked: int) -> None:
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from anliegen.core.models import Incident, Message
    from anliegen.selfservice.models import IncidentNotice
    from anliegen.selfservice.services import incidents

    worker = Worker(queue_names=["*"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="bench", excluded_queue_names=[])  # fmt: skip
    started = time.perf_counter()
    update = incidents.do_update(Incident.objects.get(pk=incident_id), None, "FANOUT-BENCH Der Techniker ist fertig.")
    posted = time.perf_counter() - started
    longest = {"fan_out": 0.0, "deliver_batch": 0.0}
    told_at = None
    while batch := list(DBTaskResult.objects.ready()):
        for result in batch:
            result.claim("bench")
            t = time.perf_counter()
            worker.run_task(result)
            name = result.task_path.rsplit(".", 1)[-1]
            longest[name] = max(longest.get(name, 0.0), time.perf_counter() - t)
            if told_at is None and IncidentNotice.objects.filter(update=update).count() == linked:
                told_at = time.perf_counter() - started
    total = time.perf_counter() - started
    told = IncidentNotice.objects.filter(update=update).count()
    sent = Message.objects.filter(subject__startswith="Neuigkeit", delivery="sent").count() + Message.objects.filter(
        subject__startswith="Update", delivery="sent").count()  # fmt: skip
    print(f"selfservice bench=fanout linked={linked} told={told} sent={sent} post_ms={posted * 1000:.0f}"
          f" told_s={told_at or 0:.1f} total_s={total:.1f} cases_per_s={linked / total:.0f}"
          f" longest_chunk_ms={longest['fan_out'] * 1000:.0f} longest_delivery_ms={longest['deliver_batch'] * 1000:.0f}",
          flush=True)  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=benchenv.sqlite_url(Path(DATA_DIR) / "selfservice.sqlite3"))
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--linked", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--only", choices=("status", "suggest", "fanout"), action="append")
    args = parser.parse_args(argv)
    os.environ.setdefault("ANLIEGEN_EMAIL_BACKEND", "django.core.mail.backends.dummy.EmailBackend")
    benchenv.setup(args.database_url, DATA_DIR)
    slug, incident_id = prepare(args.database_url, args.linked)
    only = args.only or ["status", "suggest", "fanout"]
    if "status" in only or "suggest" in only:
        with Web(args.database_url, os.environ["ANLIEGEN_DATA_DIR"], workers=args.workers) as web:
            if "status" in only:
                bench_status(web, slug, args.readers, args.requests)
            if "suggest" in only:
                bench_suggest(web, slug, max(200, args.requests // 10))
    if "fanout" in only:
        bench_fanout(incident_id, args.linked)


if __name__ == "__main__":
    main()
