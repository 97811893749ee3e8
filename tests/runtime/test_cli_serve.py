"""`anliegen serve` as a newcomer runs it: one process, banner, pages, SMTP in, live desk, captured confirmation, Ctrl-C."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import smtplib
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
import websockets

from tests.scaleout.web_client import Browser

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def embedded_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANLIEGEN_", "DJANGO_"))}
    for name in ("DATABASE_URL", "REDIS_URL"):
        env.pop(name, None)
    env.update(ANLIEGEN_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1")
    return env


@contextlib.contextmanager
def serving(data_dir: Path, log_path: Path, *args: str):
    """`anliegen serve` on free ports until the banner is out; yields the process, the ports and the log."""
    port, smtp_port = free_port(), free_port()
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "anliegen", "serve", "--port", str(port), "--smtp-port", str(smtp_port), *args],
            env=embedded_env(data_dir),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        # Generous: the demo cases go through the whole pipeline first, and CI machines are shared.
        wait_for(lambda: "Press Ctrl-C to stop" in log_path.read_text() or proc.poll() is not None, 300, "the banner")
        assert proc.poll() is None, log_path.read_text()
        yield proc, port, smtp_port
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.fixture
def served(tmp_path):
    with serving(tmp_path / "var", tmp_path / "serve.log") as (proc, port, smtp_port):
        yield proc, port, smtp_port, tmp_path / "serve.log", tmp_path / "var"


def get(port: int, path: str) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
        return response.status


def captured_to(db: Path, address: str) -> list[tuple[str, bytes]]:
    with sqlite3.connect(db, timeout=10) as conn:
        rows = conn.execute(
            "SELECT subject, raw FROM channel_email_capturedmail WHERE recipients LIKE ?", (f"%{address}%",)
        ).fetchall()
    return [(subject, bytes(raw)) for subject, raw in rows]


async def _listen_while_mailing(port: int, smtp_port: int) -> dict:
    session = Browser(f"http://127.0.0.1:{port}").login("lena", "lena-demo")
    async with websockets.connect(
        f"ws://127.0.0.1:{port}/ws/desk/",
        additional_headers={"Cookie": f"sessionid={session}"},
        origin=f"http://127.0.0.1:{port}",
    ) as ws:
        mail = EmailMessage()
        mail["From"] = "Jana Krüger <jana.krueger@example.org>"
        mail["To"] = "service@kabelwelle.example"
        mail["Subject"] = "Fernseher schwarz"
        mail["Message-ID"] = "<serve-smoke-1@example.org>"
        mail.set_content("Seit heute Abend ist mein Fernseher schwarz, bitte helfen Sie mir.")
        with smtplib.SMTP("127.0.0.1", smtp_port, timeout=10) as smtp:
            smtp.send_message(mail)
        while True:
            event = json.loads(await asyncio.wait_for(ws.recv(), timeout=20))
            if event.get("type") == "case.created":
                return event


def test_serve_runs_everything_in_one_process_and_stops_on_ctrl_c(served):
    proc, port, smtp_port, log_path, data_dir = served
    banner = log_path.read_text()
    for expected in (
        f"http://127.0.0.1:{port}/desk/",
        f"http://127.0.0.1:{port}/kabelwelle/contact/",
        f"127.0.0.1:{smtp_port}",
        str(data_dir),
        "lena-demo",
        "sarah-demo",
        "captured in the desk outbox",
    ):
        assert expected in banner, banner
    assert get(port, "/") == 200
    assert get(port, "/desk/login/") == 200
    assert get(port, "/static/anliegen/htmx.min.js") == 200

    # A demo agent's desk hears about the case the mail makes: worker thread -> in-memory layer -> websocket.
    event = asyncio.run(_listen_while_mailing(port, smtp_port))
    assert event["subject"] == "Fernseher schwarz"

    # Intake worker thread -> case and confirmation; task worker thread -> captured outbox.
    db = data_dir / "anliegen.sqlite3"
    captured = wait_for(lambda: captured_to(db, "jana.krueger@example.org"), 30, "the captured confirmation")
    assert len(captured) == 1
    raw = captured[0][1]
    assert b"@kabelwelle.example" in raw
    assert b"Auto-Submitted: auto-replied" in raw
    # Without ANLIEGEN_BASE_URL the case link points where this server listens, not to the default port.
    confirmation = message_from_bytes(raw, policy=policy.default)
    text = confirmation.get_body(("plain",)).get_content()
    assert f"http://127.0.0.1:{port}/c/" in text, text
    assert re.search(r" [+-]\d{4}$", str(confirmation["Date"])) and "-0000" not in str(confirmation["Date"])

    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=15) == 0
    assert time.monotonic() - started < 10
    assert "Anliegen stopped." in log_path.read_text()


def users_in(db: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(db, timeout=10) as conn:
        return conn.execute("SELECT username, is_superuser FROM auth_user").fetchall()


def test_serve_without_demo_makes_no_login(tmp_path):
    data_dir, log_path = tmp_path / "var", tmp_path / "serve.log"
    with serving(data_dir, log_path, "--no-demo") as (proc, port, _):
        banner = log_path.read_text()
        assert "-demo" not in banner and "sarah" not in banner, banner
        assert "No agent yet: run `anliegen setup`" in banner
        assert get(port, "/desk/login/") == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
    assert users_in(data_dir / "anliegen.sqlite3") == []
