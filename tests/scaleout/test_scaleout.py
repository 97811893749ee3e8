"""Scale-out mode: two web and two worker processes on one PostgreSQL and one Redis behave as one installation."""

from __future__ import annotations

import asyncio
import json
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
import websockets

from .conftest import HERE, Cluster
from .web_client import Browser

pytestmark = [pytest.mark.scaleout, pytest.mark.slow]
PASSWORD = "scale-pass-123"


def sql(cluster: Cluster, query: str, *params: object) -> list[tuple]:
    import psycopg

    with psycopg.connect(cluster.database_url) as conn:
        return conn.execute(query, params).fetchall()


def prepare(cluster: Cluster, *args: str) -> dict:
    return json.loads(cluster.run(str(HERE / "prepare_db.py"), *args).strip().splitlines()[-1])


async def _listen_then_submit(cluster: Cluster, subject: str) -> dict:
    port_b = cluster.ports["web_b"]
    session = Browser(f"http://127.0.0.1:{port_b}").login("sam", PASSWORD)
    headers = {"Cookie": f"sessionid={session}"}
    async with websockets.connect(
        f"ws://127.0.0.1:{port_b}/ws/desk/", additional_headers=headers, origin=f"http://127.0.0.1:{port_b}"
    ) as ws:
        customer = Browser(f"http://127.0.0.1:{cluster.ports['web_a']}")
        form = {
            "name": "Jana Krüger",
            "email": "jana@example.org",
            "subject": subject,
            "text": "Kein Signal seit 20 Uhr.",
        }
        status, url, page = await asyncio.to_thread(customer.post, "/scale/contact/", form)
        assert status == 200 and "/thanks/" in url, page[:2000]
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            event = json.loads(await asyncio.wait_for(ws.recv(), timeout=deadline - time.monotonic()))
            if event.get("type") == "case.created" and event.get("subject") == subject:
                return event
    raise AssertionError("web B's websocket never heard of the case created through web A")


def _burst(url: str, n: int) -> None:
    with ThreadPoolExecutor(n) as pool:
        statuses = list(pool.map(lambda _: urllib.request.urlopen(url, timeout=30).status, range(n)))
    assert statuses == [200] * n


def _wait_all_done(cluster: Cluster, ids: list[int], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        (waiting,) = sql(cluster, "SELECT count(*) FROM intake_inbound WHERE id = ANY(%s) AND state = 'received'", ids)[
            0
        ]
        (queued,) = sql(cluster, "SELECT count(*) FROM core_message WHERE delivery = 'queued'")[0]
        if waiting == 0 and queued == 0:
            return
        time.sleep(0.5)
    raise AssertionError(f"{waiting} Inbounds still waiting, {queued} messages still queued")


def test_two_webs_two_workers_one_installation(cluster: Cluster) -> None:
    started = time.monotonic()
    brand_id = prepare(cluster, "brand", PASSWORD)["brand"]
    cluster.web("web_a")
    cluster.web("web_b")
    cluster.start("worker_1", "worker", ready="worker running")
    cluster.start("worker_2", "worker", ready="worker running")

    print(f"processes up after {time.monotonic() - started:.1f} s")
    # 1. A form posted through web A reaches the agent's websocket served by web B (Redis channel layer).
    event = asyncio.run(_listen_then_submit(cluster, "Fernseher schwarz – Scale-out"))
    assert event["brand"] == brand_id and event["owner"]

    print(f"websocket event after {time.monotonic() - started:.1f} s")
    # A burst of concurrent page views must not leave database connections behind in the web process.
    # Workers keep one connection per thread (intake, tasks, delivery sweep, promise and fan-out checks); a web
    # process keeps one per request thread: the burst may open at most web A's, never one per request.
    count = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
    (before,) = sql(cluster, count)[0]
    _burst(f"http://127.0.0.1:{cluster.ports['web_a']}/scale/contact/", 40)
    (connections,) = sql(cluster, count)[0]
    assert connections <= before + 1, f"{connections} connections open after the burst ({before} before it)"
    # 2. A flood accepted at once is processed exactly once while both workers race for it.
    count = 200
    ids = prepare(cluster, "flood", str(brand_id), str(count))["ids"]
    assert len(set(ids)) == count
    _wait_all_done(cluster, ids)
    print(f"flood of {count} done after {time.monotonic() - started:.1f} s")
    rows = sql(cluster, "SELECT state, attempts, case_id FROM intake_inbound WHERE id = ANY(%s)", ids)
    assert sorted({(state, attempts) for state, attempts, _ in rows}) == [("done", 1)], rows[:5]
    case_ids = [case_id for *_, case_id in rows]
    assert len(set(case_ids)) == count and None not in case_ids
    per_inbound = sql(
        cluster,
        "SELECT inbound_id, count(*) FROM core_message WHERE inbound_id = ANY(%s) GROUP BY inbound_id",
        ids,
    )
    assert len(per_inbound) == count and {n for _, n in per_inbound} == {1}
    confirmations = sql(
        cluster,
        "SELECT case_id, count(*) FROM core_message WHERE case_id = ANY(%s) AND kind = 'confirmation' GROUP BY case_id",
        case_ids,
    )
    assert len(confirmations) == count and {n for _, n in confirmations} == {1}
    # Two task workers raced over the deliveries too: every customer got exactly one mail.
    mails = sql(
        cluster,
        "SELECT recipients, count(*) FROM channel_email_capturedmail WHERE recipients LIKE 'kunde%%' "
        "GROUP BY recipients",
    )
    assert len(mails) == count and {n for _, n in mails} == {1}
    # Both task workers took part, and neither logged a crash.
    workers = sql(
        cluster, "SELECT DISTINCT jsonb_array_elements_text(worker_ids::jsonb) FROM django_tasks_database_dbtaskresult"
    )
    assert len(workers) == 2, workers
    for name in ("worker_1", "worker_2"):
        assert "Traceback" not in cluster.log(name), cluster.log(name)
