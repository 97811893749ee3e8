#!/usr/bin/env python3
"""Ingest through the whole pipeline: web form submissions per second, and time to confirmation at 100/s.

    .venv/bin/python bench/ingest.py                                   # SQLite (embedded mode)
    .venv/bin/python bench/ingest.py --database-url postgres://postgres@127.0.0.1:5432/anliegen_bench_ingest

Line 1 (batch): --messages form submissions stored with intake.accept_many (chunks of 200, as a batched listener
does) and processed by the pipeline in batches (intake.worker.drain: parse, identify, thread, route, store, the
confirmation queued) — messages/s from first accept to last processed.
Line 2 (latency): `anliegen worker` runs as its own process (intake loop + task worker, as in production); this
process accepts one submission at a time at --rate per second; each confirmation is handed to a mail backend that
writes the time (deliverylog.py). p50/p99 of hand-over time minus accept time.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402
import deliverylog  # noqa: E402
import generate  # noqa: E402
import rows  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
SQLITE_URL = "sqlite:////tmp/anliegen-bench/ingest.sqlite3"
DATA_DIR = "/tmp/anliegen-bench"


def submissions(count: int, seed: int, tag: str) -> list[tuple[str, bytes]]:
    """(submission id, raw JSON) like the web form stores them; every sender distinct, German and English."""
    spec = rows.Spec(count, messages_per_case=1, brands=1, seed=seed)
    out = []
    for made in rows.case_rows(spec):
        case, message = made.case, made.messages[0]
        name = message[8].rsplit("\n", 1)[-1]
        raw = {"name": name, "email": f"kunde-{tag}-{case[0]}@mail.example", "subject": case[4], "text": message[8]}
        out.append((f"{tag}-{case[0]}", json.dumps(raw).encode()))
    return out


def batch_line(brand_id: int, count: int, seed: int, vendor: str) -> str:
    from django.db.models import Count

    from anliegen.core.models import Message
    from anliegen.intake.accept import accept_many
    from anliegen.intake.models import Inbound
    from anliegen.intake.worker import drain

    items = [("webform", sid, raw, {"submission": sid}, brand_id) for sid, raw in submissions(count, seed, "batch")]
    started = time.perf_counter()
    for start in range(0, len(items), 200):
        accept_many(items[start : start + 200])
    accepted = time.perf_counter()
    processed = drain()
    done = time.perf_counter()
    queued = Message.objects.filter(kind="confirmation", delivery="queued").count()
    states = dict(Inbound.objects.values_list("state").annotate(n=Count("id")))
    return (
        f"ingest channel=webform db={vendor} mode=batch messages={processed} seconds={done - started:.2f}"
        f" rate={processed / (done - started):.1f}/s accept_s={accepted - started:.2f} pipeline_s={done - accepted:.2f}"
        f" confirmations_queued={queued} states={','.join(f'{k}:{v}' for k, v in sorted(states.items()))}"
    )


def latency_line(url: str, brand_id: int, rate: float, seconds: float, seed: int, vendor: str) -> str:
    from django.db import connection

    from anliegen.intake.accept import accept

    log_path = f"{DATA_DIR}/delivery-{os.getpid()}.log"
    Path(log_path).unlink(missing_ok=True)
    env = dict(
        os.environ, DATABASE_URL=url, ANLIEGEN_DATA_DIR=os.environ["ANLIEGEN_DATA_DIR"], ANLIEGEN_LOG_LEVEL="WARNING",
        ANLIEGEN_EMAIL_BACKEND="deliverylog.TimestampBackend",
        # The bench's modules (the mail backend) before the caller's path: the worker runs the same code as this.
        PYTHONPATH=os.pathsep.join(p for p in (str(BENCH_DIR), os.environ.get("PYTHONPATH", "")) if p),
        **{deliverylog.LOG_ENV: log_path},
    )  # fmt: skip
    connection.close()
    worker = subprocess.Popen(
        [sys.executable, "-m", "anliegen", "worker"], env=env, stdout=subprocess.PIPE, start_new_session=True
    )
    try:
        started_line = worker.stdout.readline()
        if b"worker running" not in started_line:
            # A worker that refused to start (an unmigrated database, a broken path) would be measured as zero.
            raise SystemExit(f"anliegen worker did not start (exit {worker.wait(30)}): {started_line!r}")
        items = submissions(int(rate * seconds), seed + 1, "live")
        arrivals: dict[str, float] = {}
        started = time.perf_counter()
        for i, (sid, raw) in enumerate(items):
            delay = started + i / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            arrivals[json.loads(raw)["email"]] = time.time()
            accept("webform", sid, raw, {"submission": sid}, brand_id)
        behind = time.perf_counter() - started - len(items) / rate
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(arrivals.keys() & deliverylog.read(log_path).keys()) < len(items):
            time.sleep(0.2)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
    delivered = deliverylog.read(log_path)
    waits = sorted(delivered[a] - t for a, t in arrivals.items() if a in delivered)
    q = statistics.quantiles(waits, n=100, method="inclusive") if len(waits) > 1 else [float("nan")] * 99
    return (
        f"ingest channel=webform db={vendor} mode=latency arrival_rate={rate:g}/s messages={len(items)}"
        f" confirmed={len(waits)} p50_ms={q[49] * 1000:.0f} p99_ms={q[98] * 1000:.0f}"
        f" max_ms={(waits[-1] if waits else float('nan')) * 1000:.0f} sender_lag_s={max(behind, 0):.2f}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=SQLITE_URL)
    parser.add_argument("--messages", type=int, default=2000, help="submissions for the batch line")
    parser.add_argument("--rate", type=float, default=100.0, help="arrivals per second for the latency line")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long arrivals go on")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--only", choices=["batch", "latency"])
    args = parser.parse_args(argv)
    os.environ["ANLIEGEN_EMAIL_BACKEND"] = "deliverylog.TimestampBackend"
    benchenv.setup(args.database_url, DATA_DIR)
    from django.db import connection

    if args.only != "latency":
        brand_id = fresh_database(args.database_url)
        print(batch_line(brand_id, args.messages, args.seed, connection.vendor), flush=True)
    if args.only != "batch":
        brand_id = fresh_database(args.database_url)
        line = latency_line(args.database_url, brand_id, args.rate, args.seconds, args.seed, connection.vendor)
        print(line, flush=True)


def fresh_database(url: str) -> int:
    """A new empty database with one brand and four agents; returns the brand id."""
    from django.core.management import call_command
    from django.db import connection

    from anliegen.core.models import Brand

    connection.close()
    benchenv.recreate(url)
    call_command("migrate", verbosity=0)
    generate.create_team(rows.Spec(1, brands=1, agents_per_brand=4))
    return Brand.objects.get().pk


if __name__ == "__main__":
    main()
