"""Chat: lines/s through the pipeline and agent-visible latency with N open visitor sockets on one web process.

    python bench/chat.py --conversations 1000 --database-url postgres://postgres@127.0.0.1:5432/anliegen_bench

One `anliegen web` process (in-memory channel layer); an asyncio client opens N visitor sockets (hello each),
one agent socket of the brand, then every conversation sends its first line (a new case through the whole
pipeline) and a follow-up. Measured: lines/s until every ack came back, and per line the time from the
visitor's send until the agent's socket shows it (p50/p99); then the agent answers M conversations and the
time until each visitor's socket shows the answer; the web process's resident memory with N sockets open.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402
from server import Web  # noqa: E402

ORIGIN = "https://www.chatbench.example"  # the brand's site, listed in its chat setup


def prepare(url: str, data_dir: str) -> tuple[str, str]:
    """A fresh database with one brand and three online agents; a session cookie for one of them."""
    benchenv.recreate(url)
    # The web process's data directory, whatever the caller's environment says: its key signs the session.
    os.environ["ANLIEGEN_DATA_DIR"] = data_dir
    benchenv.setup(url, data_dir)
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from anliegen.channels.chat.models import ChatSetup
    from anliegen.core.setup import create_agent, create_brand

    call_command("migrate", verbosity=0)
    brand = create_brand("chatbench", "Chat Bench", "chatbench.example")
    agents = [
        create_agent(
            brand, f"agent{n}", f"Agent Nummer{n}", benchenv.BENCH_PASSWORD, languages=["de", "en"], capacity=10_000
        )
        for n in range(3)
    ]
    ChatSetup.objects.create(brand=brand, origins=[ORIGIN])
    brand.default_owner = agents[0]
    brand.save(update_fields=["default_owner"])
    user = agents[0].user
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return brand.slug, f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def rss_mb(pid: int) -> float:
    """Resident memory of the web process and its children (uvicorn may fork), in MB."""
    total = 0
    pids = [pid] + [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


async def line(round_name: str, i: int, visitor: object, sent: dict[str, float], refused: list[dict]) -> None:
    """One visitor line, until its ack (the pipeline has run and the owner is known) or its refusal, counted."""
    text = f"{round_name} Zeile von Besucher {i}"
    sent[text] = time.perf_counter()
    await visitor.send(json.dumps({"type": "message", "id": f"{round_name}-{i}", "text": text}))
    while True:
        frame = json.loads(await visitor.recv())
        if frame.get("type") == "ack":
            return
        if frame.get("type") == "error":
            refused.append(frame)  # the visitor is told to try again; the bench reports how many were
            del sent[text]
            return


async def run(base: str, slug: str, cookie: str, conversations: int, answers: int, web_pid: int) -> list[str]:
    import websockets

    origin = ORIGIN
    ws = base.replace("http://", "ws://")
    agent = await websockets.connect(
        f"{ws}/ws/desk/chat/", origin=base, additional_headers={"Cookie": cookie}, max_size=None
    )
    seen: dict[str, float] = {}
    conv_of: dict[int, int] = {}  # conversation id -> visitor index, from what the agent sees

    async def agent_reader() -> None:
        async for raw in agent:
            frame = json.loads(raw)
            if frame.get("type") == "chat.message" and frame.get("from") == "visitor":
                seen[frame["text"]] = time.perf_counter()
                conv_of[frame["conversation"]] = int(frame["text"].rsplit(" ", 1)[1])

    reader = asyncio.create_task(agent_reader())
    opened = time.perf_counter()
    visitors = []
    for start in range(0, conversations, 100):  # in waves: a thousand handshakes at once only measure the backlog
        wave = [
            websockets.connect(f"{ws}/ws/chat/{slug}/", origin=origin, max_size=None)
            for _ in range(start, min(start + 100, conversations))
        ]
        visitors += await asyncio.gather(*wave)
    for v in visitors:
        await v.send(json.dumps({"type": "hello", "lang": "de"}))
    await asyncio.gather(*(v.recv() for v in visitors))
    open_seconds = time.perf_counter() - opened
    memory = rss_mb(web_pid)
    results = []
    for round_name in ("first", "follow_up"):
        sent: dict[str, float] = {}
        refused: list[dict] = []
        began = time.perf_counter()
        await asyncio.gather(*(line(round_name, i, v, sent, refused) for i, v in enumerate(visitors)))
        elapsed = time.perf_counter() - began
        deadline = time.perf_counter() + 30
        while len([t for t in sent if t in seen]) < len(sent) and time.perf_counter() < deadline:
            await asyncio.sleep(0.05)
        latency = [(seen[t] - sent[t]) * 1000 for t in sent if t in seen]
        results.append(
            f"chat round={round_name} conversations={conversations} lines={len(sent)} seconds={elapsed:.2f}"
            f" lines_per_s={len(sent) / elapsed:.1f} agent_seen={len(latency)}"
            f" agent_p50_ms={pct(latency, 0.5):.0f} agent_p99_ms={pct(latency, 0.99):.0f} refused={len(refused)}"
        )
    reader.cancel()
    # The agent answers: the time until that visitor's socket shows it.
    ids = sorted(conv_of)
    lags = []
    for conversation_id in ids[:answers]:
        visitor = visitors[conv_of[conversation_id]]
        began = time.perf_counter()
        await agent.send(json.dumps({"type": "say", "conversation": conversation_id, "text": "Antwort"}))
        while json.loads(await visitor.recv()).get("type") != "message":
            pass
        lags.append((time.perf_counter() - began) * 1000)
    results.append(
        f"chat round=agent_answer answers={len(lags)} visitor_p50_ms={pct(lags, 0.5):.0f}"
        f" visitor_p99_ms={pct(lags, 0.99):.0f} mean_ms={statistics.fmean(lags) if lags else 0:.0f}"
    )
    results.append(f"chat sockets_open={len(visitors) + 1} open_seconds={open_seconds:.1f} web_rss_mb={memory:.0f}")
    await asyncio.gather(*(v.close() for v in visitors), agent.close())
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--conversations", type=int, default=1000)
    parser.add_argument("--answers", type=int, default=100, help="agent answers timed to the visitor")
    parser.add_argument("--database-url", default=None, help="default: a throwaway SQLite file")
    args = parser.parse_args(argv)
    data_dir = tempfile.mkdtemp(prefix="anliegen-chat-bench-")
    url = args.database_url or benchenv.sqlite_url(Path(data_dir) / "chat.sqlite3")
    slug, cookie = prepare(url, data_dir)
    limits = {  # one client address opens every socket: the per-IP limits would measure themselves
        "ANLIEGEN_CHAT_CONNECT_RATE": "1000000/m",
        "ANLIEGEN_CHAT_MESSAGE_RATE": "1000000/m",
        "ANLIEGEN_CHAT_IP_MESSAGE_RATE": "1000000/m",
    }
    web = Web(url, data_dir, workers=1, **limits)
    try:
        base = f"http://127.0.0.1:{web.port}"
        lines = asyncio.run(
            run(base, slug, cookie, args.conversations, min(args.answers, args.conversations), web.proc.pid)
        )
    finally:
        web.stop()
    for line in lines:
        print(line, flush=True)


if __name__ == "__main__":
    main()
