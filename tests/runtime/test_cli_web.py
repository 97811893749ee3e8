"""`anliegen web --workers N`: every process serves a share of the connections; SIGTERM to the parent stops all."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .test_cli_serve import embedded_env, free_port, wait_for

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the processes' sockets from /proc"),
]

CONNECTIONS = 32


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def socket_inodes(port: int, state: str) -> set[str]:
    """Inodes of the sockets on local `port` in `state` (/proc/net/tcp: 01 established, 0A listening)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == state:
                inodes.add(fields[9])
    return inodes


def held_by(pid: int, inodes: set[str]) -> set[str]:
    held = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in inodes:
            held.add(target[8:-1])
    return held


def ask(conn: socket.socket) -> bytes:
    """One request on a kept-alive connection; the answer's head (the redirect has an empty body)."""
    conn.sendall(b"GET /favicon.ico HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = conn.recv(4096)
        assert chunk, head
        head += chunk
    return head


def test_each_web_process_serves_a_share_of_kept_alive_connections(tmp_path):
    env = embedded_env(tmp_path / "var")
    migrate = [sys.executable, "-m", "anliegen", "migrate", "--verbosity", "0"]
    assert subprocess.run(migrate, env=env, capture_output=True, timeout=300, check=False).returncode == 0
    port, log_path = free_port(), tmp_path / "web.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "anliegen", "web", "--port", str(port), "--workers", "2"],
            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    conns: list[socket.socket] = []
    try:
        wait_for(lambda: "listening on" in log_path.read_text() or proc.poll() is not None, 120, "the web processes")
        assert proc.poll() is None, log_path.read_text()
        # All at once, as 32 agents' browsers (or a proxy's upstream pool) open them: the connections queue
        # up before any process accepts.
        conns = [socket.create_connection(("127.0.0.1", port), timeout=10) for _ in range(CONNECTIONS)]
        for conn in conns:
            assert ask(conn).startswith(b"HTTP/1.1 301"), log_path.read_text()
        listening, accepted = socket_inodes(port, "0A"), socket_inodes(port, "01")
        web = {pid: held_by(pid, listening) for pid in children(proc.pid) if held_by(pid, listening)}
        # A listening socket each, and none left in the parent where connections could wait for nobody.
        assert len(web) == 2 and all(len(held) == 1 for held in web.values()), web
        assert len(set.union(*web.values())) == 2 and not held_by(proc.pid, listening), web
        shares = {pid: len(held_by(pid, accepted)) for pid in web}
        assert sum(shares.values()) == CONNECTIONS, shares
        # Spread by the kernel's hash: one process with fewer than 4 of 32 happens about once in 200,000 runs.
        assert min(shares.values()) >= 4, shares
        for conn in conns:  # still kept alive: a second request on each
            assert ask(conn).startswith(b"HTTP/1.1 301")

        proc.send_signal(signal.SIGTERM)  # to the parent only, as a service manager stops it
        assert proc.wait(timeout=60) == 0, log_path.read_text()
        assert not [pid for pid in shares if Path(f"/proc/{pid}").exists()], log_path.read_text()
    finally:
        for conn in conns:
            conn.close()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the web processes too, whatever failed above
        proc.wait()
