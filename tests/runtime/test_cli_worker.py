"""`anliegen worker` on its own: refuses an unmigrated database, processes what web processes stored, stops on SIGINT."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from .test_cli_serve import embedded_env, wait_for

pytestmark = pytest.mark.slow

ACCEPT = """
import json
from anliegen.runtime import demo
from anliegen.intake.accept import accept_many
brand, _ = demo.ensure_brand()
raw = json.dumps({"name": "Jana Krüger", "email": "jana@example.org", "subject": "Kein Signal",
                  "text": "Seit heute Abend ist der Fernseher schwarz."}).encode()
# Stored as a batched listener stores (a form post itself is processed within its request).
(accepted,) = accept_many([("webform", "worker-test-1", raw, {"submission": "worker-test-1"}, brand.pk)], eager=False)
print(accepted.inbound_id)
"""


def anliegen(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "anliegen", *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )


def state_of(db: Path, inbound_id: int) -> tuple[str, int]:
    with sqlite3.connect(db, timeout=10) as conn:
        return conn.execute("SELECT state, attempts FROM intake_inbound WHERE id = ?", (inbound_id,)).fetchone()


def captured(db: Path) -> int:
    with sqlite3.connect(db, timeout=10) as conn:
        return conn.execute("SELECT count(*) FROM channel_email_capturedmail").fetchone()[0]


def children_of(pid: int) -> list[int]:
    return [int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]


def test_worker_refuses_an_unmigrated_database(tmp_path):
    done = anliegen(embedded_env(tmp_path / "var"), "worker")
    assert done.returncode == 1
    assert "run `anliegen migrate` once" in done.stderr


def test_worker_processes_stored_inbounds_and_stops_on_sigint(tmp_path):
    env = embedded_env(tmp_path / "var")
    assert anliegen(env, "migrate", "--verbosity", "0").returncode == 0
    stored = anliegen(env, "shell", "-c", ACCEPT)
    assert stored.returncode == 0, stored.stderr
    inbound_id = int(stored.stdout.strip().splitlines()[-1])
    db = tmp_path / "var" / "anliegen.sqlite3"
    assert state_of(db, inbound_id) == ("received", 0)  # nobody processes it without a worker

    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "anliegen", "worker"], env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_for(lambda: state_of(db, inbound_id)[0] != "received", 30, "the intake worker")
        assert state_of(db, inbound_id) == ("done", 1), log_path.read_text()
        wait_for(lambda: captured(db) == 1, 30, "the task worker to deliver the confirmation")
        children = children_of(proc.pid)
        assert len(children) == 1, children  # the task worker, in a process of its own
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0, log_path.read_text()
        assert not any(Path(f"/proc/{pid}").exists() for pid in children)  # stopped with it
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert "anliegen worker stopped." in log_path.read_text()
    assert "(tasks in a second process)" in log_path.read_text()
