"""Bench scripts run as the user runs them: subprocesses against their own throwaway databases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


def run_script(name: str, *args: str, timeout: int = 300) -> list[str]:
    """Run bench/<name> with args; return its stdout lines (stderr shown on failure)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    done = subprocess.run(
        [sys.executable, str(BENCH / name), *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [line for line in done.stdout.splitlines() if line.strip()]


def fields(line: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in line.split()[1:] if "=" in part)


@pytest.fixture(scope="session")
def postgres_url():
    """A bench database name of the tests' own; skipped when no PostgreSQL server answers."""
    try:
        import psycopg

        psycopg.connect(f"{PG_SERVER}/postgres", connect_timeout=2).close()
    except Exception:  # noqa: BLE001 - any failure means: no server here
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    return f"{PG_SERVER}/anliegen_bench_test_search"
