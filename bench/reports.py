#!/usr/bin/env python3
"""Time of each report figure on the bench data set, for a brand's last quarter and for every brand's two years.

    .venv/bin/python bench/generate.py --cases 1000000                 # once: cases and messages
    .venv/bin/python bench/reports.py                                   # derives the rest once, then times

The generated data has cases and messages only; the first run derives what reports read besides: each case's
service-level clock (one INSERT … SELECT over the messages, as the sweep would record it), a satisfaction survey
for a third of the solved cases, a promise for every tenth case and contact-form visits. One line per figure and
scope on stdout: the best of --repeat runs, in milliseconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402

FIGURES = ("cases", "promises", "channel_mix", "daily", "backlog", "incidents", "deflection", "csat", "csat_scores")


def _seconds(vendor: str, later: str, earlier: str) -> str:
    if vendor == "postgresql":
        return f"CAST(EXTRACT(EPOCH FROM ({later} - {earlier})) AS integer)"
    return f"CAST(ROUND((julianday({later}) - julianday({earlier})) * 86400) AS integer)"


def _plus(vendor: str, column: str, minutes: int) -> str:
    if vendor == "postgresql":
        return f"{column} + interval '{minutes} minutes'"
    return f"strftime('%Y-%m-%d %H:%M:%f', {column}, '+{minutes} minutes')"


def prepare() -> str:
    """Derive clocks, surveys, promises and form visits from the generated cases (once per data set)."""
    from django.db import connection, transaction

    from anliegen.core.models import Case
    from anliegen.sla.models import Clock

    clocks = Clock.objects.count()
    if clocks and clocks >= Case.objects.count():
        return "prepared=already"
    vendor = connection.vendor
    if clocks:  # a few from desk benchmarks' page views (the sweep's work, done here for all at once)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sla_clock")
    started = time.monotonic()
    first = {
        "confirmed": "MIN(CASE WHEN m.kind = 'confirmation' AND m.direction = 'out' THEN m.created_at END)",
        "answered": "MIN(CASE WHEN m.kind = 'message' AND m.direction = 'out' AND m.author_agent_id IS NOT NULL"
        " THEN m.created_at END)",
        "answers": "COUNT(CASE WHEN m.kind = 'message' AND m.direction = 'out' AND m.author_agent_id IS NOT NULL"
        " THEN 1 END)",
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO sla_clock (case_id, brand_id, owner_id, channel, opened_at, confirm_due, confirm_risk,
                    answer_due, answer_risk, resolve_due, resolve_risk, confirmed_at, answered_at, resolved_at,
                    confirm_seconds, answer_seconds, resolve_seconds, human_answers, running)
                SELECT x.id, x.brand_id, x.owner_id, x.preferred_channel, x.created_at,
                       {_plus(vendor, "x.created_at", 10)}, {_plus(vendor, "x.created_at", 8)},
                       {_plus(vendor, "x.created_at", 480)}, {_plus(vendor, "x.created_at", 384)},
                       {_plus(vendor, "x.created_at", 4800)}, {_plus(vendor, "x.created_at", 3840)},
                       x.confirmed, x.answered, x.resolved,
                       {_seconds(vendor, "x.confirmed", "x.created_at")}, {_seconds(vendor, "x.answered", "x.created_at")},
                       {_seconds(vendor, "x.resolved", "x.created_at")}, x.answers, x.resolved IS NULL
                  FROM (SELECT c.id, c.brand_id, c.owner_id, c.preferred_channel, c.created_at,
                               {first["confirmed"]} AS confirmed, {first["answered"]} AS answered,
                               {first["answers"]} AS answers,
                               CASE WHEN c.state IN ('solved', 'closed') THEN c.updated_at END AS resolved
                          FROM core_case c JOIN core_message m ON m.case_id = c.id
                         GROUP BY c.id, c.brand_id, c.owner_id, c.preferred_channel, c.created_at, c.state,
                                  c.updated_at) x"""
        )
        clocks = cursor.rowcount
        cursor.execute(
            f"""INSERT INTO csat_survey (case_id, brand_id, agent_id, channel, asked_at, score, comment, answered_at)
                SELECT id, brand_id, owner_id, preferred_channel, updated_at,
                       CASE WHEN id % 4 <> 0 THEN id % 5 + 1 END, '',
                       CASE WHEN id % 4 <> 0 THEN {_plus(vendor, "updated_at", 60)} END
                  FROM core_case WHERE state IN ('solved', 'closed') AND id % 3 = 0"""
        )
        surveys = cursor.rowcount
        cursor.execute(
            f"""INSERT INTO promises_promise (case_id, brand_id, owner_id, kind, currency, text, due_at, window_end,
                    state, evidence, reason, created_at, closed_at, amount_cents)
                SELECT id, brand_id, owner_id, CASE WHEN id % 20 = 0 THEN 'callback' ELSE 'credit' END, 'EUR', '',
                       {_plus(vendor, "created_at", 1440)}, NULL,
                       CASE WHEN id % 7 = 0 THEN 'broken' ELSE 'kept' END, '', '', created_at,
                       CASE WHEN id % 7 = 0 THEN NULL ELSE {_plus(vendor, "created_at", 1000)} END, 1000
                  FROM core_case WHERE id % 10 = 0"""
        )
        promises = cursor.rowcount
        cursor.execute(
            """INSERT INTO selfservice_deflection (brand_id, visit, outcome, created_at, updated_at)
               SELECT brand_id, 'bench-' || id, CASE WHEN id % 3 = 0 THEN 'solved' ELSE 'sent' END,
                      created_at, created_at
                 FROM core_case WHERE id % 5 = 0"""
        )
        visits = cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return (
        f"prepared clocks={clocks} surveys={surveys} promises={promises} visits={visits}"
        f" seconds={time.monotonic() - started:.1f}"
    )


def scopes() -> dict[str, object]:
    from django.db.models import Max, Min

    from anliegen.core.models import Brand, Membership
    from anliegen.reports.scope import Scope
    from anliegen.sla.models import Clock

    span = Clock.objects.aggregate(first=Min("opened_at"), last=Max("opened_at"))
    end = span["last"] + timedelta(seconds=1)
    brands = tuple(Brand.objects.order_by("pk").values_list("pk", flat=True))
    one = brands[:1]
    agent = Membership.objects.filter(brand_id=one[0], role="agent").values_list("agent_id", flat=True).first()
    quarter = Scope(one, end - timedelta(days=90), end, now=end)
    return {
        "brand_quarter": quarter,
        "agent_quarter": replace(quarter, agent_id=agent),
        "channel_quarter": replace(quarter, channel="email"),
        "all_brands_all_time": Scope(brands, span["first"], end, now=end),
    }


def _runner(figures: object, name: str, scope: object) -> object:
    if name == "breakdown_agent":
        return lambda: figures.breakdown(scope, "agent")
    figure = getattr(figures, name)
    return lambda: figure(scope)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=benchenv.DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    benchenv.setup(args.database_url)
    from django.db import connection

    from anliegen.core.models import Case
    from anliegen.reports import figures

    print(prepare(), flush=True)
    cases = Case.objects.count()
    for scope_name, scope in scopes().items():
        for name in (*FIGURES, "breakdown_agent"):
            run = _runner(figures, name, scope)
            best = float("inf")
            for _ in range(args.repeat):
                started = time.perf_counter()
                run()
                best = min(best, time.perf_counter() - started)
            print(
                f"report figure={name} scope={scope_name} db={connection.vendor} cases={cases} ms={best * 1000:.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
