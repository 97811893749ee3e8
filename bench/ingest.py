#!/usr/bin/env python3
"""Ingest through the whole pipeline: web form submissions per second, and time to confirmation at 100/s.

    .venv/bin/python bench/ingest.py                                   # SQLite (embedded mode)
    .venv/bin/python bench/ingest.py --database-url postgres://postgres@127.0.0.1:5432/anliegen_bench_ingest

Line 1 (batch): --messages form submissions stored with intake.accept_many (chunks of 200, as a batched listener
does) and processed by the pipeline in batches (intake.worker.drain: parse, identify, thread, route, store, the
confirmation queued) — messages/s from first accept to last processed.
Line 2 (latency): `anliegen worker` runs as its own process (intake loop + task worker, as in production); this
process accepts the submissions on an open-loop schedule (arrival i at start + i/--rate, kept by --senders
threads, so one slow accept does not hold back the next arrivals); each confirmation is handed to a mail backend
that writes the time (deliverylog.py). p50/p99 of hand-over time minus the *planned* arrival time, so a sender
that fell behind counts against the pipeline, not for it; sender_late_* says how late the accepts started,
refused= how many accepts met a locked database (SQLite) and were tried again half a second later.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import smtplib
import socket
import statistics
import subprocess
import sys
import threading
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


def mails(count: int, seed: int, tag: str, domain: str) -> list[tuple[str, bytes]]:
    """(sender, raw mail) from the same generated concerns as the form's, each from its own sender, to the brand."""
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    out = []
    for sid, raw in submissions(count, seed, tag):
        form = json.loads(raw)
        mail = EmailMessage()
        mail["From"] = f"{form['name']} <{form['email']}>"
        mail["To"] = f"service@{domain}"
        mail["Subject"] = form["subject"]
        mail["Date"] = formatdate(localtime=True)
        mail["Message-ID"] = make_msgid(sid, "mail.example")
        mail.set_content(form["text"])
        out.append((form["email"], mail.as_bytes()))
    return out


WORKER_ROLES = {"all": [], "one": ["--one-process"], "intake": ["--no-tasks"], "tasks": ["--no-intake"]}


def latency_line(
    url: str, brand_id: int, rate: float, seconds: float, seed: int, vendor: str, senders: int, channel: str,
    workers: list[str],
) -> str:  # fmt: skip
    from django.db import connection

    from anliegen.core.models import Brand

    domain = Brand.objects.get(pk=brand_id).mail_domain
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
    processes = [_start(["worker", *WORKER_ROLES[role]], env, "worker running") for role in workers]
    try:
        if channel == "smtp":
            # The listener as deployed: a process of its own, answering 250 once the mail is stored.
            port = _free_port()
            processes.append(_start(["smtpd", "--host", "127.0.0.1", "--port", str(port)], env, None))
            _wait_for_port(port)
            items = mails(int(rate * seconds), seed + 1, "live", domain)
            planned, late, refused = open_loop(items, rate, senders, lambda: _smtp_sender(port, domain))
        else:
            items = submissions(int(rate * seconds), seed + 1, "live")
            planned, late, refused = open_loop(items, rate, senders, lambda: _form_sender(brand_id))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(planned.keys() & deliverylog.read(log_path).keys()) < len(items):
            time.sleep(0.2)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(30)
    delivered = deliverylog.read(log_path)
    waits = sorted(delivered[a] - t for a, t in planned.items() if a in delivered)
    q, lq = _percentiles(waits), _percentiles(sorted(late))
    return (
        f"ingest channel={channel} db={vendor} mode=latency arrival_rate={rate:g}/s messages={len(items)}"
        f" workers={'+'.join(workers)} senders={senders} confirmed={len(waits)} p50_ms={q[49] * 1000:.0f} p99_ms={q[98] * 1000:.0f}"
        f" max_ms={(waits[-1] if waits else float('nan')) * 1000:.0f}"
        f" sender_late_p50_ms={lq[49] * 1000:.1f} sender_late_p99_ms={lq[98] * 1000:.1f}"
        f" sender_late_max_ms={(max(late) if late else float('nan')) * 1000:.1f} refused={refused}"
    )


def _start(command: list[str], env: dict, ready: str | None) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "anliegen", *command], env=env, stdout=subprocess.PIPE, start_new_session=True
    )
    if ready is not None:
        started_line = process.stdout.readline()
        if ready.encode() not in started_line:
            # A process that refused to start (an unmigrated database, a broken path) would be measured as zero.
            raise SystemExit(f"anliegen {command[0]} did not start (exit {process.wait(30)}): {started_line!r}")
    return process


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_port(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise SystemExit(f"anliegen smtpd did not listen on port {port}")


def _form_sender(brand_id: int):  # noqa: ANN202 - (send(item), close()) for one sender thread
    from django.db import OperationalError, connection

    from anliegen.intake.accept import accept

    def send(item: tuple[str, bytes]) -> bool:
        try:
            accept("webform", item[0], item[1], {"submission": item[0]}, brand_id)
            return True
        except OperationalError:
            # SQLite's write lock held past the busy timeout: a listener answers 451 and the sending MTA
            # tries again; the wait counts in this arrival's latency.
            return False

    return send, connection.close


def _smtp_sender(port: int, domain: str):  # noqa: ANN202 - one SMTP session per sender thread, as an MTA keeps
    client = smtplib.SMTP("127.0.0.1", port, timeout=60)

    def send(item: tuple[str, bytes]) -> bool:
        try:
            client.sendmail(item[0], [f"service@{domain}"], item[1])
            return True
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:
                return False  # a 4xx (451 while the database is locked): tried again, as an MTA does
            raise

    return send, client.quit


def open_loop(items: list[tuple[str, bytes]], rate: float, senders: int, make_sender) -> tuple[dict, list, int]:  # noqa: ANN001
    """Hand item i over at its planned time start + i/rate, whatever the earlier hand-overs are doing.

    An open-loop schedule: `senders` threads take the arrivals in order, so a hand-over that waits (for SQLite's
    write lock, say) delays only the arrivals its thread would have sent, not the schedule. Returns the planned
    arrival time per sender address (wall clock, the latency's origin), how late each hand-over started and how
    many were refused for the moment (and tried again after 0.5 s).
    """
    start_wall, start = time.time() + 0.2, time.perf_counter() + 0.2
    planned = {_address(item): start_wall + i / rate for i, item in enumerate(items)}
    late: list[float] = []
    refused: list[int] = []
    order = iter(enumerate(items))
    lock = threading.Lock()

    def run() -> None:
        send, close = make_sender()
        try:
            while True:
                with lock:
                    i, item = next(order, (None, None))
                if i is None:
                    return
                delay = start + i / rate - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                late.append(max(-delay, 0.0))
                while not send(item):
                    refused.append(i)
                    time.sleep(0.5)
        finally:
            close()

    threads = [threading.Thread(target=run) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return planned, late, len(refused)


def _address(item: tuple[str, bytes]) -> str:
    """The address the item's confirmation goes to: the mail's sender, or the e-mail typed into the form."""
    return item[0] if "@" in item[0] else json.loads(item[1])["email"]


def _percentiles(values: list[float]) -> list[float]:
    return statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else [float("nan")] * 99


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=SQLITE_URL)
    parser.add_argument("--messages", type=int, default=2000, help="submissions for the batch line")
    parser.add_argument("--rate", type=float, default=100.0, help="arrivals per second for the latency line")
    parser.add_argument("--seconds", type=float, default=20.0, help="how long arrivals go on")
    parser.add_argument("--senders", type=int, default=8, help="threads keeping the latency line's schedule")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--only", choices=["batch", "latency"])
    parser.add_argument(
        "--channel", choices=["webform", "smtp"], default="webform", help="what the latency line's arrivals come by"
    )
    parser.add_argument(
        "--workers",
        default="all",
        help="the latency line's `anliegen worker` processes, comma-separated: all (intake, and tasks in a"
        " second process), one (both in one process: --one-process), intake (--no-tasks) or tasks (--no-intake);"
        " e.g. intake,intake,tasks runs two intake workers",
    )
    args = parser.parse_args(argv)
    os.environ["ANLIEGEN_EMAIL_BACKEND"] = "deliverylog.TimestampBackend"
    benchenv.setup(args.database_url, DATA_DIR)
    from django.db import connection

    if args.only != "latency":
        brand_id = fresh_database(args.database_url)
        print(batch_line(brand_id, args.messages, args.seed, connection.vendor), flush=True)
    if args.only != "batch":
        brand_id = fresh_database(args.database_url)
        line = latency_line(
            args.database_url, brand_id, args.rate, args.seconds, args.seed, connection.vendor, args.senders,
            args.channel, _roles(args.workers),
        )  # fmt: skip
        print(line, flush=True)


def _roles(text: str) -> list[str]:
    roles = [role.strip() for role in text.split(",") if role.strip()]
    unknown = [role for role in roles if role not in WORKER_ROLES]
    if not roles or unknown:
        raise SystemExit(f"--workers takes {', '.join(WORKER_ROLES)} separated by commas, not {text!r}")
    return roles


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
