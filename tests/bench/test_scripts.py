"""Every benchmark runs at a tiny size and prints its result lines."""

from __future__ import annotations

import os

import pytest

from .conftest import fields, run_script


@pytest.mark.slow
def test_desk_bench_tiny_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'desk.sqlite3'}"
    run_script("generate.py", "--cases", "60", "--brands", "2", "--agents-per-brand", "3", "--database-url", url)
    lines = run_script("desk.py", "--database-url", url, "--clients", "2", "--requests", "6", "--workers", "1")
    assert [fields(line)["bench"] for line in lines] == ["inbox", "queue", "case", "search"]
    for line in lines:
        result = fields(line)
        assert result["errors"] == "0", line
        assert int(result["requests"]) == 6 and float(result["p95_ms"]) > 0
        assert float(result["server_cpu_ms"]) > 0 and float(result["client_lag_p99_ms"]) >= 0
    # The same pages in process: CPU, statements and the collector's time per page.
    lines = run_script("desk_cpu.py", "--database-url", url, "--requests", "5", "--warm", "2", "--agents", "2",
                       "--only", "inbox", "--only", "queue")  # fmt: skip
    assert [fields(line)["page"] for line in lines] == ["inbox", "queue"]
    for line in lines:
        result = fields(line)
        assert result["statuses"] == "200:5" and float(result["queries"]) > 0 and float(result["cpu_ms"]) > 0, line


@pytest.mark.slow
def test_raw_insert_tiny_sqlite(tmp_path):
    [line] = run_script(
        "raw_insert.py", "--units", "40", "--batch", "20", "--database-url", f"sqlite:///{tmp_path / 'raw.sqlite3'}"
    )
    assert fields(line)["method"] == "insert" and fields(line)["units"] == "40"


@pytest.mark.slow
def test_raw_insert_tiny_postgres(postgres_url):
    lines = run_script("raw_insert.py", "--units", "40", "--batch", "20", "--database-url", postgres_url)
    assert [fields(line)["method"] for line in lines] == ["insert", "copy"]
    assert all(float(fields(line)["units_per_s"]) > 0 for line in lines)


@pytest.mark.slow
def test_ingest_tiny(tmp_path):
    url = f"sqlite:///{tmp_path / 'ingest.sqlite3'}"
    batch, latency = run_script(
        "ingest.py", "--database-url", url, "--messages", "20", "--rate", "20", "--seconds", "1"
    )
    assert fields(batch)["mode"] == "batch" and fields(batch)["messages"] == "20"
    assert fields(batch)["confirmations_queued"] == "20"
    result = fields(latency)
    assert result["mode"] == "latency" and result["messages"] == "20" and result["confirmed"] == "20"
    # Measured from the planned arrival (open loop), with the sender's own lateness beside it.
    assert result["senders"] == "8" and float(result["sender_late_max_ms"]) >= float(result["sender_late_p50_ms"]) >= 0


@pytest.mark.slow
def test_ingest_latency_over_smtp_tiny(tmp_path):
    """Mail at a planned rate through `anliegen smtpd` and `anliegen worker`: each confirmation handed over once."""
    url = f"sqlite:///{tmp_path / 'ingest.sqlite3'}"
    (latency,) = run_script(
        "ingest.py", "--database-url", url, "--only", "latency", "--channel", "smtp", "--rate", "10", "--seconds", "1",
        "--workers", "intake,tasks",
    )  # fmt: skip
    result = fields(latency)
    assert result["channel"] == "smtp" and result["messages"] == "10" and result["confirmed"] == "10"
    assert result["workers"] == "intake+tasks"  # delivery in a process of its own still hands every one over
    assert float(result["p99_ms"]) >= float(result["p50_ms"]) > 0


@pytest.mark.slow
def test_compare_runs_anliegen_on_generated_mail(tmp_path):
    import subprocess
    import sys

    from .conftest import BENCH, ROOT

    done = subprocess.run(
        [sys.executable, str(BENCH / "compare"), "--mails", "30", "--skip", "rt", "--skip", "django-helpdesk",
         "--work", str(tmp_path)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    header, row = done.stdout.splitlines()[:2]
    assert header.startswith("peer | db | messages")
    cells = dict(zip(header.split(" | "), row.split(" | "), strict=True))
    assert cells["peer"] == "anliegen" and 25 <= int(cells["messages"]) <= 30
    assert cells["replies_new_ticket"] != "-"  # scored by the shared thread_check.py


@pytest.mark.slow
def test_chat_bench_tiny():
    lines = run_script("chat.py", "--conversations", "5", "--answers", "2")
    rounds = [fields(line).get("round") for line in lines]
    assert rounds == ["first", "follow_up", "agent_answer", None]
    first = fields(lines[0])
    assert first["lines"] == "5" and first["agent_seen"] == "5" and float(first["lines_per_s"]) > 0
    assert fields(lines[2])["answers"] == "2" and int(fields(lines[3])["sockets_open"]) == 6


@pytest.mark.slow
def test_ingest_runs_its_worker_on_the_callers_python_path(tmp_path, monkeypatch):
    """The worker is the code under test too: a checkout's path must reach it, not only the bench's modules."""
    marker = tmp_path / "worker-saw-the-path"
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(
        f"import sys\nif sys.argv[1:2] == ['worker']:\n    open({str(marker)!r}, 'w').close()\n"
    )
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (str(site), os.environ.get("PYTHONPATH", "")) if p))
    url = f"sqlite:///{tmp_path / 'ingest.sqlite3'}"
    (latency,) = run_script("ingest.py", "--database-url", url, "--only", "latency", "--rate", "10", "--seconds", "1")
    assert fields(latency)["confirmed"] == "10"
    assert marker.exists()


def test_reports_bench_tiny_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'reports.sqlite3'}"
    run_script("generate.py", "--cases", "80", "--brands", "2", "--agents-per-brand", "3", "--database-url", url)
    prepared, *lines = run_script("reports.py", "--database-url", url, "--repeat", "1")
    assert prepared.startswith("prepared clocks=80 ")
    assert {fields(line)["figure"] for line in lines} >= {"cases", "promises", "backlog", "csat", "breakdown_agent"}
    assert all(float(fields(line)["ms"]) > 0 and fields(line)["cases"] == "80" for line in lines)


@pytest.mark.slow
def test_selfservice_bench_tiny_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'selfservice.sqlite3'}"
    [line] = run_script("selfservice.py", "--database-url", url, "--requests", "16", "--workers", "1")
    result = fields(line)
    assert result["bench"] == "suggest" and result["requests"] == "16" and result["errors"] == "0", line
