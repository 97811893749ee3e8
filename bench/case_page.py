#!/usr/bin/env python3
"""The desk's case page in process: CPU and statements per view, on the generated data set.

    .venv/bin/python bench/case_page.py                      # 300 views of different cases (first views, mostly)
    .venv/bin/python bench/case_page.py --mode again         # ten cases viewed again and again
    .venv/bin/python bench/case_page.py --statements         # statements per view instead of CPU

Django's test client with a signed-in agent (b1a2: an agent of brand 1, not a supervisor) against the bench
database, whole requests through the middleware. CPU is the thread's own time, so the database's time and
other processes' load count less than in wall time; compare two checkouts by running this with each one's `src`
on PYTHONPATH, interleaved, and compare means.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402


def case_ids(agent: object, seed: int) -> list[int]:
    """The agent's brands' cases among a random sample, in random order (as desk.py samples them)."""
    from anliegen.core.models import Case

    brands = list(agent.memberships.values_list("brand_id", flat=True))
    rng = random.Random(seed)
    top = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
    sample = rng.sample(range(1, top + 1), min(top, 20000))
    ids = sorted(Case.objects.filter(pk__in=sample, brand_id__in=brands).values_list("id", flat=True))
    rng.shuffle(ids)
    return ids


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=benchenv.DEFAULT_URL)
    parser.add_argument("--agent", default="b1a2")
    parser.add_argument("--views", type=int, default=300)
    parser.add_argument("--mode", choices=("first", "again"), default="first")
    parser.add_argument("--statements", action="store_true", help="count statements per view instead of CPU")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    benchenv.setup(args.database_url, "/tmp/anliegen-bench")
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from anliegen.core.models import Agent

    settings.ALLOWED_HOSTS = ["*"]
    agent = Agent.objects.select_related("user").get(user__username=args.agent)
    ids = case_ids(agent, args.seed)
    views = [ids[i % 10] for i in range(args.views)] if args.mode == "again" else ids[: args.views]
    client = Client()
    client.force_login(agent.user)
    for case_id in ids[-20:] + (ids[:10] if args.mode == "again" else []):  # imports, templates, caches
        assert client.get(f"/desk/cases/{case_id}/").status_code == 200
    cpu, statements = [], []
    for case_id in views:
        started = time.thread_time()
        with CaptureQueriesContext(connection) if args.statements else nullcontext() as queries:
            status = client.get(f"/desk/cases/{case_id}/").status_code
        cpu.append(time.thread_time() - started)
        statements.append(len(queries) if queries is not None else 0)
        assert status == 200, status
    cpu.sort()
    line = f"case_page mode={args.mode} views={len(cpu)}"
    if args.statements:
        line += f" statements_min={min(statements)} statements_max={max(statements)}"
    else:
        line += f" cpu_mean_ms={1000 * sum(cpu) / len(cpu):.2f} cpu_p50_ms={1000 * cpu[len(cpu) // 2]:.2f}"
    print(line, flush=True)


if __name__ == "__main__":
    main()
