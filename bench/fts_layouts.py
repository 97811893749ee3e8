#!/usr/bin/env python3
"""Stored tsvector column (what search uses) against an expression GIN index, on the generated data set.

    .venv/bin/python bench/fts_layouts.py                 # on anliegen_bench (bench/generate.py first)

For case subjects both layouts can use the case's own language (both indexed with the brand, as search does); the
expression index is built for the run and dropped after. Each query is run the way search runs it (match, rank,
top 50, scoped to one brand), --repeat times per layout; one line per layout with p50/p95 and the index size. (Messages cannot have an expression index in their
case's language at all: the language lives in another table, which an index expression cannot read.)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402

WORDS = ["Rechnung", "Zählerstand", "Router", "Umzug", "Kündigung", "invoice", "meter", "Heizung", "Signal", "Abschlag"]
EXPR = "to_tsvector(search_config(language), coalesce(subject, ''))"
LAYOUTS = {
    "stored_column": ("search_tsv", "search_case_brand_recent_tsv_idx"),
    "expression_index": (EXPR, "bench_case_subject_expr_idx"),
}
QUERY = """SELECT id, ts_rank({vec}, q, 32) AS r FROM core_case,
             (SELECT websearch_to_tsquery('german', %(w)s) || websearch_to_tsquery('english', %(w)s) AS q) tsq
            WHERE {vec} @@ q AND brand_id = %(brand)s ORDER BY r DESC, id DESC LIMIT 50"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=benchenv.DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with psycopg.connect(args.database_url, autocommit=True) as db:
        cases = db.execute("SELECT count(*) FROM core_case").fetchone()[0]
        started = time.perf_counter()
        db.execute("SET maintenance_work_mem = '256MB'")
        db.execute(
            f"CREATE INDEX IF NOT EXISTS bench_case_subject_expr_idx ON core_case USING gin (brand_id, ({EXPR}))"
        )
        build = time.perf_counter() - started
        db.execute("ANALYZE core_case")
        try:
            for layout, (vec, index) in LAYOUTS.items():
                times = []
                for _ in range(args.repeat):
                    for i, word in enumerate(WORDS):
                        t = time.perf_counter()
                        db.execute(QUERY.format(vec=vec), {"w": word, "brand": i % 10 + 1}).fetchall()
                        times.append(time.perf_counter() - t)
                size = db.execute("SELECT pg_relation_size(%s::regclass)", [index]).fetchone()[0]
                q = statistics.quantiles(times, n=100, method="inclusive")
                print(
                    f"fts layout={layout} table=core_case rows={cases} queries={len(times)} p50_ms={q[49] * 1000:.1f}"
                    f" p95_ms={q[94] * 1000:.1f} index_mb={size / 1e6:.0f}"
                    + (f" build_s={build:.0f}" if layout == "expression_index" else ""),
                    flush=True,
                )
        finally:
            db.execute("DROP INDEX IF EXISTS bench_case_subject_expr_idx")


if __name__ == "__main__":
    main()
