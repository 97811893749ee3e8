#!/usr/bin/env python3
"""Desk search in process: wall and CPU time and statements per search, by query kind, on the generated data set.

    .venv/bin/python bench/search.py                          # 14 queries for agent b1a2, 5 repetitions
    .venv/bin/python bench/search.py --dump after.json        # also write every query's results (case ids, sources)
    .venv/bin/python bench/search.py --desk --repeat 1 --dump all.json   # desk.py's 200 queries, for every brand

Calls `services.search` as the desk view does (no HTTP, no templates), so the figures are the search itself: the
database's time shows as wall minus CPU. Compare two checkouts by running this with each one's `src` on PYTHONPATH,
one after the other, and compare the dumps (the same results for the same query).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402

# What agents type: topic words, surnames, address fragments, a word and a place.
QUERIES = {
    "topic": ["Rechnung", "Zählerstand", "Router", "Kündigung", "Gutschrift"],
    "contact": ["Müller", "Schmidt", "Smith", "jonas.becker"],
    "word+place": ["Rechnung Hamburg", "Umzug Bremen", "Techniker Kiel", "Heizung Hauptstraße", "broadband Lübeck"],
}


def _quantile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def measure(agent: object, queries: dict[str, list[str]], repeat: int) -> dict[str, dict[str, list[float]]]:
    from django.db import connection, reset_queries

    from anliegen.search.services import search

    by_kind: dict[str, dict[str, list[float]]] = {}
    for _ in range(repeat):
        for kind, texts in queries.items():
            got = by_kind.setdefault(kind, {"wall": [], "cpu": [], "statements": []})
            for text in texts:
                reset_queries()
                wall, cpu = time.perf_counter(), time.process_time()
                search(agent, text)
                got["wall"].append((time.perf_counter() - wall) * 1000)
                got["cpu"].append((time.process_time() - cpu) * 1000)
                got["statements"].append(len(connection.queries))
    return by_kind


def dump(agents: list, queries: list[str], path: str) -> None:
    from anliegen.search.services import search

    out = {}
    for agent in agents:
        for text in queries:
            out[f"{agent.mailbox} {text}"] = [[h.case_id, h.source, str(h.snippet)] for h in search(agent, text)]
    Path(path).write_text(json.dumps(out, ensure_ascii=False, indent=0, sort_keys=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=benchenv.DEFAULT_URL)
    parser.add_argument("--agent", default="b1a2")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--desk", action="store_true", help="desk.py's 200 queries, and one agent of every brand")
    parser.add_argument("--dump", help="write every query's results to this JSON file")
    args = parser.parse_args()
    benchenv.setup(args.database_url)
    from django.conf import settings
    from django.db import connection

    from anliegen.core.models import Agent

    settings.DEBUG = True  # connection.queries counts the statements
    agents = [Agent.objects.get(mailbox=args.agent)]
    queries = QUERIES
    if args.desk:
        import desk

        agents = [Agent.objects.get(mailbox=f"b{b}a2") for b in range(1, 11) if Agent.objects.filter(mailbox=f"b{b}a2")]
        queries = {"desk": sorted(set(desk.search_queries(42)))}
    measure(agents[0], queries, 1)  # warm: connection, stemmers, caches
    wall_all, cpu_all = [], []
    for agent in agents:
        for kind, got in measure(agent, queries, args.repeat).items():
            wall_all += got["wall"]
            cpu_all += got["cpu"]
            print(
                f"search kind={kind} agent={agent.mailbox} n={len(got['wall'])} p50_ms={_quantile(got['wall'], 50):.1f}"
                f" p95_ms={_quantile(got['wall'], 95):.1f} cpu_mean_ms={statistics.mean(got['cpu']):.1f}"
                f" statements_mean={statistics.mean(got['statements']):.1f} statements_max={max(got['statements'])}"
            )
    print(
        f"search kind=all db={connection.vendor} n={len(wall_all)} p50_ms={_quantile(wall_all, 50):.1f}"
        f" p95_ms={_quantile(wall_all, 95):.1f} cpu_mean_ms={statistics.mean(cpu_all):.1f}"
    )
    if args.dump:
        dump(agents, [t for texts in queries.values() for t in texts], args.dump)


if __name__ == "__main__":
    main()
