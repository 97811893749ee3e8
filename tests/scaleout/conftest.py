"""Scale-out fixtures: a fresh PostgreSQL database, a private Redis database, and `anliegen` processes on it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

# A database number nothing else here uses; flushed before and after.
REDIS_DB = int(os.environ.get("ANLIEGEN_SCALEOUT_REDIS_DB", "13"))
HERE = Path(__file__).parent


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "scaleout: runs web and worker processes against PostgreSQL and Redis")


def scaleout_skip_reason() -> str:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        return "scale-out test needs DATABASE_URL=postgres://… (PostgreSQL)"
    if not os.environ.get("REDIS_URL"):
        return "scale-out test needs REDIS_URL=redis://…"
    return ""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def with_path(url: str, path: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


@dataclass
class Cluster:
    env: dict[str, str]
    database_url: str
    tmp: Path
    procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)

    def log(self, name: str) -> str:
        path = self.tmp / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def run(self, *args: str, timeout: float = 300) -> str:
        done = subprocess.run(
            [sys.executable, *args], env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )
        assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def start(self, name: str, *args: str, ready: str) -> None:
        with (self.tmp / f"{name}.log").open("w") as log:
            self.procs[name] = subprocess.Popen(
                [sys.executable, "-m", "anliegen", *args], env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + 60
        while ready not in self.log(name):
            proc = self.procs[name]
            assert proc.poll() is None, f"{name} ended:\n{self.log(name)}"
            assert time.monotonic() < deadline, f"{name} did not start:\n{self.log(name)}"
            time.sleep(0.1)

    def web(self, name: str) -> None:
        self.ports[name] = free_port()
        self.start(name, "web", "--port", str(self.ports[name]), ready="listening on")

    def stop_all(self) -> dict[str, int | None]:
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
        codes: dict[str, int | None] = {}
        for name, proc in self.procs.items():
            try:
                codes[name] = proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                codes[name] = None
        return codes


def _admin_connect(database_url: str):
    import psycopg

    return psycopg.connect(with_path(database_url, "/postgres"), autocommit=True)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    reason = scaleout_skip_reason()
    if reason and os.environ.get("ANLIEGEN_REQUIRE_SCALEOUT"):
        pytest.fail(reason)  # CI asked for this test: a skip would hide a broken setup
    if reason:
        pytest.skip(reason)
    import redis

    base_url = os.environ["DATABASE_URL"]
    name = f"anliegen_scaleout_{os.getpid()}"
    redis_url = with_path(os.environ["REDIS_URL"], f"/{REDIS_DB}")
    redis_client = redis.Redis.from_url(redis_url)
    redis_client.flushdb()
    with _admin_connect(base_url) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    database_url = with_path(base_url, f"/{name}")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ANLIEGEN_", "DJANGO_"))}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        ANLIEGEN_DATA_DIR=str(tmp_path / "var"),
        ANLIEGEN_SECRET_KEY=f"scaleout-{uuid.uuid4().hex}",
        ANLIEGEN_INTAKE_BATCH="10",  # small batches so both workers get a share of the flood
        ANLIEGEN_FORM_RATE_LIMIT="1000/h",
        PYTHONUNBUFFERED="1",
    )
    c = Cluster(env=env, database_url=database_url, tmp=tmp_path)
    try:
        c.run("-m", "anliegen", "migrate", "--verbosity", "0")
        yield c
    finally:
        codes = c.stop_all()
        redis_client.flushdb()
        with _admin_connect(base_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        unclean = {n: code for n, code in codes.items() if code != 0}
        assert not unclean, f"processes did not stop cleanly on SIGINT: {unclean}\n" + "\n".join(
            f"--- {n}\n{c.log(n)[-3000:]}" for n in unclean
        )
