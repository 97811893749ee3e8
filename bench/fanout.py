#!/usr/bin/env python3
"""One incident update told to 10,000 linked cases through the task queue, while the desk and intake keep working.

    .venv/bin/python bench/fanout.py                                                          # SQLite
    .venv/bin/python bench/fanout.py --database-url postgres://postgres@127.0.0.1:5432/anliegen_bench_fanout

`anliegen worker` (intake loop and task worker, as in production) and `anliegen web` run as their own processes;
mail goes to deliverylog.TimestampBackend (the hand-over time of every mail). This process posts one update to
an incident with --linked cases linked, then until every case's mail is handed over: an agent loads the inbox
(/desk/) every --think seconds, and a customer sends a web form message every second (its confirmation goes
through the same worker and queue as the fan-out). The same two probes run --before seconds before the update,
so the lines compare the desk and a confirmation with and without a fan-out going on.

Line `fanout`: notices/messages/distinct cases (exactly once: all three equal --linked, duplicates=0), seconds to
the last notice and to the last hand-over, deliveries/s. Lines `fanout_probe`: inbox p50/p95/max and time from a
web form to its confirmation, before and during.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402
import deliverylog  # noqa: E402
from httpclient import Connection  # noqa: E402
from selfservice import prepare  # noqa: E402
from server import Web  # noqa: E402

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = "/tmp/anliegen-bench"
MARK = "FANOUT-BENCH"


def session_cookie(slug: str) -> tuple[str, str]:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from anliegen.core.models import Brand

    user = Brand.objects.get(slug=slug).default_owner.user
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return settings.SESSION_COOKIE_NAME, session.session_key


class Probes:
    """The inbox reader (its own thread and event loop) and the web form sender (this thread), tagged by phase."""

    def __init__(self, port: int, cookie: tuple[str, str], think: float, brand_id: int) -> None:
        self.port, self.cookie, self.think, self.brand_id = port, cookie, think, brand_id
        self.phase = "before"
        self.inbox: dict[str, list[float]] = {"before": [], "during": [], "after": []}
        self.errors = 0
        self.forms: dict[str, tuple[str, float]] = {}  # address -> (phase, accepted at)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._read()), daemon=True)

    async def _read(self) -> None:
        conn = Connection("127.0.0.1", self.port, dict([self.cookie]))
        await conn.get("/desk/")  # warm
        while not self.stop.is_set():
            phase, started = self.phase, time.perf_counter()
            status, _ = await conn.get("/desk/")
            self.inbox[phase].append(time.perf_counter() - started)
            self.errors += status != 200
            await asyncio.sleep(self.think)
        await conn.close()

    def send_form(self, n: int) -> None:
        from anliegen.intake.accept import accept

        address = f"probe-{n}@mail.example"
        raw = json.dumps({"name": f"Probe {n}", "email": address, "subject": "Frage zur Rechnung",
                          "text": f"Guten Tag, ich habe eine Frage zu meiner Rechnung Nummer {n}."}).encode()  # fmt: skip
        self.forms[address] = (self.phase, time.time())
        accept("webform", f"probe-{n}", raw, {"submission": f"probe-{n}"}, self.brand_id)

    def line(self, phase: str, delivered: dict[str, float]) -> str:
        inbox = sorted(self.inbox[phase])
        waits = sorted(delivered[a] - t for a, (p, t) in self.forms.items() if p == phase and a in delivered)
        sent = sum(p == phase for p, _ in self.forms.values())

        def q(values: list[float], n: int) -> str:
            if len(values) < 2:
                return "nan"
            return f"{statistics.quantiles(values, n=100, method='inclusive')[n - 1] * 1000:.0f}"

        return (f"fanout_probe phase={phase} inbox_requests={len(inbox)} inbox_p50_ms={q(inbox, 50)}"
                f" inbox_p95_ms={q(inbox, 95)} inbox_max_ms={inbox[-1] * 1000 if inbox else float('nan'):.0f}"
                f" forms={sent} confirmed={len(waits)} confirm_p50_ms={q(waits, 50)}"
                f" confirm_max_ms={waits[-1] * 1000 if waits else float('nan'):.0f}")  # fmt: skip


def start_worker(url: str, log_path: str) -> subprocess.Popen:
    env = dict(
        os.environ, DATABASE_URL=url, ANLIEGEN_LOG_LEVEL="WARNING", ANLIEGEN_EMAIL_BACKEND="deliverylog.TimestampBackend",
        PYTHONPATH=os.pathsep.join(p for p in (str(BENCH_DIR), os.environ.get("PYTHONPATH", "")) if p),
        **{deliverylog.LOG_ENV: log_path},
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-m", "anliegen", "worker"], env=env, stdout=subprocess.PIPE, start_new_session=True
    )
    if b"worker running" not in worker.stdout.readline():
        raise SystemExit(f"anliegen worker did not start (exit {worker.wait(30)})")
    return worker


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=benchenv.sqlite_url(Path(DATA_DIR) / "fanout.sqlite3"))
    parser.add_argument("--linked", type=int, default=10_000)
    parser.add_argument("--before", type=float, default=10.0, help="seconds of probes before the update")
    parser.add_argument("--think", type=float, default=0.2, help="seconds between the agent's inbox loads")
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args(argv)
    benchenv.setup(args.database_url, DATA_DIR)
    from django.db import connection

    from anliegen.core.models import Incident, Message
    from anliegen.selfservice.models import IncidentNotice, IncidentUpdate
    from anliegen.selfservice.services import incidents

    vendor = "postgresql" if benchenv.is_postgres(args.database_url) else "sqlite"
    slug, incident_id = prepare(args.database_url, args.linked)
    cookie = session_cookie(slug)
    incident = Incident.objects.get(pk=incident_id)
    log_path = f"{DATA_DIR}/fanout-delivery-{os.getpid()}.log"
    Path(log_path).unlink(missing_ok=True)
    connection.close()
    worker = start_worker(args.database_url, log_path)
    try:
        with Web(args.database_url, os.environ["ANLIEGEN_DATA_DIR"], workers=1) as web:
            probes = Probes(web.port, cookie, args.think, incident.brand_id)
            probes.thread.start()
            n = 0
            for n in range(int(args.before)):
                probes.send_form(n)
                time.sleep(1)
            load = os.getloadavg()[0]
            probes.phase = "during"
            started = time.time()
            update = incidents.do_update(incident, None, f"{MARK} Der Techniker ist fertig.", f"{MARK} Fixed.")
            posted = time.time() - started
            told_at = None
            delivered: dict[str, float] = {}
            while time.time() - started < args.timeout:
                n += 1
                probes.send_form(n)
                time.sleep(1)
                if told_at is None and IncidentUpdate.objects.filter(pk=update.pk, fanout_done_at__isnull=False):
                    told_at = time.time() - started
                delivered = deliverylog.read(log_path)
                if told_at is not None and sum(a.startswith("kunde") for a in delivered) >= args.linked:
                    break
            probes.phase = "after"
            probes.stop.set()
            probes.thread.join(10)
            time.sleep(3)  # the last forms' confirmations
            delivered = deliverylog.read(log_path)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(30)
    customers = sorted(t for a, t in delivered.items() if a.startswith("kunde"))
    with open(log_path, encoding="utf-8") as log:
        handed = sum(1 for line in log if "\tkunde" in line)  # every hand-over, a second one to the same case too
    messages = Message.objects.filter(body_text__contains=MARK)
    last = (customers[-1] - started) if customers else float("nan")
    print(f"fanout db={vendor} linked={args.linked} notices={IncidentNotice.objects.filter(update=update).count()}"
          f" messages={messages.count()} cases={messages.values('case').distinct().count()}"
          f" handed_over={handed} duplicates={handed - len(customers)} post_ms={posted * 1000:.0f}"
          f" told_s={told_at or float('nan'):.1f} delivered_s={last:.1f} deliveries_per_s={len(customers) / last:.0f}"
          f" load={load:.2f}/{os.getloadavg()[0]:.2f}", flush=True)  # fmt: skip
    for phase in ("before", "during"):
        print(probes.line(phase, delivered), flush=True)
    print(f"fanout_probe inbox_errors={probes.errors}", flush=True)


if __name__ == "__main__":
    main()
