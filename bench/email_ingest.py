"""Throughput of live mail: SMTP clients → `anliegen smtpd` (in-thread) → pipeline worker → confirmation queued.

Usage: email_ingest.py MAIL_DIR [WORK_DIR] [--sessions 8] [--lmtp]    (DATABASE_URL=... for PostgreSQL)
Every mail is one SMTP transaction from outside the product; concurrent sessions share group commits.
Prints accept rate (250 answered: stored), end-to-end rate (processed, confirmation queued) and latency.
"""

from __future__ import annotations

import argparse
import os
import queue
import smtplib
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import email_common  # noqa: E402


def _sender(host: str, port: int, jobs: queue.Queue, latencies: list[float], errors: list[str]) -> None:
    client = smtplib.SMTP(host, port, timeout=60)
    while True:
        try:
            raw = jobs.get_nowait()
        except queue.Empty:
            break
        started = time.perf_counter()
        try:
            client.sendmail("customer@example.org", ["service@brand.example"], raw)
            latencies.append(time.perf_counter() - started)
        except smtplib.SMTPException as exc:
            errors.append(str(exc))
    client.quit()


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else 0.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("mail_dir")
    ap.add_argument("work_dir", nargs="?", default="/tmp/bench/anliegen-ingest")
    ap.add_argument("--sessions", type=int, default=8)
    a = ap.parse_args()
    kind = email_common.setup_django(Path(a.work_dir), os.environ.get("DATABASE_URL", ""))
    from django.db.models import F

    from anliegen.channels.email import smtpd
    from anliegen.core.models import Message, MessageKind
    from anliegen.intake.models import Inbound, InboundState
    from anliegen.intake.worker import run_forever

    email_common.create_brand()
    raws = [
        p.read_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n") for p in sorted(Path(a.mail_dir).glob("*.eml"))
    ]
    server = smtpd.start("127.0.0.1", 0)
    stop = threading.Event()
    worker = threading.Thread(target=run_forever, args=(stop,), daemon=True)
    worker.start()
    jobs: queue.Queue = queue.Queue()
    for raw in raws:
        jobs.put(raw)
    latencies: list[float] = []
    errors: list[str] = []
    started = time.perf_counter()
    senders = [
        threading.Thread(target=_sender, args=(server.host, server.port, jobs, latencies, errors))
        for _ in range(a.sessions)
    ]
    for t in senders:
        t.start()
    for t in senders:
        t.join()
    accepted = time.perf_counter() - started
    while Inbound.objects.filter(state=InboundState.RECEIVED).exists():
        time.sleep(0.05)
    total = time.perf_counter() - started
    stop.set()
    worker.join(10)
    server.stop()
    processed = Inbound.objects.exclude(state=InboundState.RECEIVED)
    delays = [
        d.total_seconds()
        for d in processed.annotate(d=F("processed_at") - F("received_at")).values_list("d", flat=True)
        if d is not None
    ]
    n = Inbound.objects.count()
    confirmations = Message.objects.filter(kind=MessageKind.CONFIRMATION, delivery=Message.Delivery.QUEUED).count()
    print(
        f"errors={len(errors)} batches={server.writer.batches} smtp_p50={_percentile(latencies, 0.5) * 1000:.0f}ms "
        f"smtp_p99={_percentile(latencies, 0.99) * 1000:.0f}ms arrival_to_confirmation_p50={_percentile(delays, 0.5):.2f}s "
        f"p99={_percentile(delays, 0.99):.2f}s",
        file=sys.stderr,
    )
    print(
        f"ingest=smtp db={kind} sessions={a.sessions} messages={n} confirmations_queued={confirmations} "
        f"accept_seconds={accepted:.2f} accept_rate={n / accepted:.1f}/s seconds={total:.2f} rate={n / total:.1f}/s"
    )


if __name__ == "__main__":
    main()
