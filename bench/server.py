"""Start `anliegen web` (or worker) for a benchmark on a free loopback port, and stop exactly that process group."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def env_for(database_url: str, data_dir: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ, DATABASE_URL=database_url, ANLIEGEN_DATA_DIR=data_dir, ANLIEGEN_LOG_LEVEL="WARNING")
    env.update(extra)
    return env


class Web:
    """`python -m anliegen web` with N uvicorn worker processes, the way production runs it."""

    def __init__(self, database_url: str, data_dir: str, workers: int = 2, **extra_env: str) -> None:
        self.port = free_port()
        cmd = [sys.executable, "-m", "anliegen", "web", "--port", str(self.port), "--workers", str(workers)]
        # The server's log goes to a file: a pipe nobody reads would fill and stall the server.
        self.log = Path(data_dir) / f"web-{self.port}.log"
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                cmd, env=env_for(database_url, data_dir, **extra_env), cwd=ROOT, start_new_session=True,
                stdout=subprocess.DEVNULL, stderr=log,
            )  # fmt: skip
        self._wait()

    def _wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("anliegen web exited: " + self.log.read_text()[-2000:])
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("anliegen web did not start listening")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def __enter__(self) -> Web:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
