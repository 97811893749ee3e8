#!/usr/bin/env python3
"""CPU, wall time and queries per desk page in process: the WSGI handler the web processes run, without HTTP.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anliegen_bench .venv/bin/python bench/desk_cpu.py \
        --only inbox --only queue --requests 300

Signs in one agent like desk.py does (a session in the database, not a supervisor), then sends each page through
Django's WSGI handler — the whole middleware stack, session and user load, the view, the templates — as
`anliegen web` does behind a2wsgi, after the tree's own web warm-up where it has one (runtime/web_warmup.py). CPU time is this process's (`time.process_time`: what the page costs a web
process's core); wall time adds the database's answer. The first `--warm` requests of each page are not measured.
Run it with PYTHONPATH pointing at another tree to compare two trees on the same data, interleaved.
`--profile DIR` writes a pyinstrument HTML profile per page (measured requests only).
Line: `desk_cpu page= requests= cpu_ms= wall_ms= cpu_best_block_ms= p50_wall_ms= p95_wall_ms= max_wall_ms= queries= sql_ms= gc_ms=
gc_runs= gc_full= gc_full_max_ms= statuses=` (gc: the cyclic collector's time per request, its runs, and the
runs over the oldest generation, which walk every object the process holds).
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402

BLOCK = 25  # requests per block: the least CPU a block took is the figure least disturbed by other work
PAGES = ("inbox", "queue", "case", "search", "done", "queue_brand")


class Counter:
    """Statements and their wall time, through Django's execute wrapper."""

    def __init__(self) -> None:
        self.queries = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):  # noqa: ANN001, ANN204 - Django's wrapper signature
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries += 1
            self.seconds += time.perf_counter() - started


class GcClock:
    """Time spent in the cyclic garbage collector (gc.callbacks), all generations."""

    def __init__(self) -> None:
        self.reset()
        self._started = 0.0
        gc.callbacks.append(self._hook)

    def reset(self) -> None:
        self.seconds = 0.0
        self.collections = 0
        self.full: list[float] = []  # each oldest-generation collection's seconds

    def _hook(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        took = time.perf_counter() - self._started
        self.seconds += took
        self.collections += 1
        if info["generation"] == 2:
            self.full.append(took)


def environ_for(path: str, cookie: str) -> dict:
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }


def path_for(page: str, rng: random.Random, case_ids: list[int], queries: list[str], brand: int) -> str:
    from desk import path_for as desk_path

    if page == "done":
        return "/desk/?show=done"
    if page == "queue_brand":
        return f"/desk/queue/?brand={brand}"
    return desk_path(page, rng, case_ids, queries)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL") or benchenv.DEFAULT_URL)
    parser.add_argument("--only", choices=PAGES, action="append", help="these pages (default: inbox and queue)")
    parser.add_argument("--requests", type=int, default=300, help="measured requests per page")
    parser.add_argument("--warm", type=int, default=30, help="requests per page before measuring")
    parser.add_argument("--agents", type=int, default=8, help="different agents, taken in turn")
    parser.add_argument("--profile", help="directory for a pyinstrument profile per page")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    benchenv.setup(args.database_url)
    from desk import search_queries, sign_in
    from django.conf import settings
    from django.core.wsgi import get_wsgi_application
    from django.db import connection

    import anliegen.asgi  # noqa: F401 - the web processes' connection settings (kept-alive connections)

    app = get_wsgi_application()
    agents = sign_in(args.agents)
    try:  # what the tree's web processes do before they serve, where it has it
        from anliegen.runtime import web_warmup
    except ImportError:
        web_warmup = None
    if web_warmup is not None:
        web_warmup.warm_up()
    queries = search_queries(args.seed)
    counter, gc_clock = Counter(), GcClock()
    statuses: dict[int, int] = {}

    def start_response(status: str, headers: list, exc_info: object = None) -> None:
        code = int(status.split()[0])
        statuses[code] = statuses.get(code, 0) + 1

    def one(path: str, cookie: str) -> None:
        response = app(environ_for(path, cookie), start_response)
        try:
            for _chunk in response:
                pass
        finally:
            if hasattr(response, "close"):
                response.close()

    with connection.execute_wrapper(counter):
        for page in args.only or ("inbox", "queue"):
            rng = random.Random(f"{page}-{args.seed}")
            cookies = [f"{settings.SESSION_COOKIE_NAME}={key}" for key, _brand, _ids in agents]

            def request(i: int, page: str = page, rng: random.Random = rng, cookies: list = cookies) -> None:
                _key, brand, ids = agents[i % len(agents)]
                one(path_for(page, rng, ids, queries, brand), cookies[i % len(cookies)])

            for i in range(args.warm):
                request(i)
            statuses.clear()
            counter.queries, counter.seconds = 0, 0.0
            gc_clock.reset()
            profiler = None
            if args.profile:
                from pyinstrument import Profiler

                profiler = Profiler(interval=0.0005)
                profiler.start()
            walls, blocks = [], []
            cpu_started = block_started = time.process_time()
            for i in range(args.requests):
                started = time.perf_counter()
                request(i)
                walls.append(time.perf_counter() - started)
                if (i + 1) % BLOCK == 0:
                    now = time.process_time()
                    blocks.append((now - block_started) / BLOCK)
                    block_started = now
            cpu = time.process_time() - cpu_started
            if profiler is not None:
                profiler.stop()
                Path(args.profile).mkdir(parents=True, exist_ok=True)
                Path(args.profile, f"{page}.html").write_text(profiler.output_html())
                Path(args.profile, f"{page}.txt").write_text(profiler.output_text(unicode=False, show_all=False))
            n = args.requests
            q = statistics.quantiles(walls, n=100, method="inclusive")
            print(
                f"desk_cpu page={page} requests={n} cpu_ms={cpu / n * 1000:.2f} wall_ms={sum(walls) / n * 1000:.2f}"
                f" cpu_best_block_ms={min(blocks, default=0) * 1000:.2f} p50_wall_ms={q[49] * 1000:.2f} p95_wall_ms={q[94] * 1000:.2f} max_wall_ms={max(walls) * 1000:.2f}"
                f" queries={counter.queries / n:.2f} sql_ms={counter.seconds / n * 1000:.2f}"
                f" gc_ms={gc_clock.seconds / n * 1000:.3f} gc_runs={gc_clock.collections} gc_full={len(gc_clock.full)}"
                f" gc_full_max_ms={max(gc_clock.full, default=0) * 1000:.1f}"
                f" statuses={','.join(f'{k}:{v}' for k, v in sorted(statuses.items()))}",
                flush=True,
            )


if __name__ == "__main__":
    main()
