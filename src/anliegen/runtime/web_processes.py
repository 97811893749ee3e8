"""`anliegen web --workers N`: N web processes on one port, on Linux each accepting from a listening socket of its own.

uvicorn's own workers share one listening socket, and a process woken for a new connection accepts every one
waiting: 32 agents' kept-alive connections opened at once could all land on one process while the other idled.
With SO_REUSEPORT every process has its own socket of the same address and the kernel spreads new connections
over them. BSD and macOS accept the option but hand every connection to one socket, so elsewhere the processes
share one socket as before.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess

from anliegen.runtime import processes

log = logging.getLogger(__name__)

BACKLOG = 2048  # uvicorn's default
STOP_TIMEOUT = 30.0  # seconds a process has to finish its requests after SIGTERM before it is killed


def kernel_balances() -> bool:
    return sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")


def bind(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    """A listening socket on host:port, as uvicorn binds one (IPv6 when the host has a colon)."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((host, port))
        # Listening before any process serves: a connection made meanwhile waits in its socket's queue instead
        # of going to the only socket listening yet.
        sock.listen(BACKLOG)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


class Listeners:
    """The sockets the web processes accept from: one each (SO_REUSEPORT) or one for all."""

    def __init__(self, host: str, port: int, *, reuse_port: bool) -> None:
        self.host, self.reuse_port = host, reuse_port
        # Bound without SO_REUSEPORT first: a port already in use fails here, also when its holder set the
        # option (a second `anliegen web` on the same port would otherwise quietly get half the connections).
        self.shared: socket.socket | None = bind(host, port, reuse_port=False)
        self.port: int = self.shared.getsockname()[1]
        if reuse_port:
            self.shared.close()
            self.shared = None

    def for_process(self) -> socket.socket:
        return self.shared if self.shared is not None else bind(self.host, self.port, reuse_port=True)

    def handed_over(self, sock: socket.socket) -> None:
        """The process holds its own descriptor now; a copy left here would take its share of connections
        after that process ended, and nobody would accept them."""
        if sock is not self.shared:
            sock.close()

    def close(self) -> None:
        if self.shared is not None:
            self.shared.close()


def _serve(sock: socket.socket, host: str, port: int, access_log: bool, ready: Connection) -> None:
    """One web process (spawned: a fresh interpreter with the parent's environment)."""
    import django

    django.setup()
    config = processes.web_config(host, port, access_log=access_log)
    code = processes.run_web(config, on_started=lambda: ready.send(os.getpid()), sockets=[sock])
    sys.exit(code)


@dataclass
class _Child:
    process: BaseProcess
    ready: Connection
    started: bool = False

    def check_started(self) -> bool:
        if not self.started and self.ready.poll():
            try:
                self.ready.recv()
            except EOFError:  # the process ended before it served
                return False
            self.started = True
        return self.started


class Supervisor:
    """Starts the web processes, replaces one that ends, and stops them all on SIGINT/SIGTERM."""

    def __init__(self, host: str, port: int, workers: int, *, access_log: bool, reuse_port: bool) -> None:
        self.listeners = Listeners(host, port, reuse_port=reuse_port)
        self.host, self.workers, self.access_log = host, workers, access_log
        self.context = multiprocessing.get_context("spawn")  # never fork a process holding database connections
        self.children: list[_Child] = []
        self.stop = threading.Event()

    def _start_one(self) -> _Child:
        reader, writer = self.context.Pipe(duplex=False)
        sock = self.listeners.for_process()
        process = self.context.Process(
            target=_serve, args=(sock, self.host, self.listeners.port, self.access_log, writer), name="anliegen-web"
        )
        process.start()
        self.listeners.handed_over(sock)
        writer.close()
        return _Child(process, reader)

    def run(self, on_started: Callable[[], None] | None = None) -> int:
        from django.db import connections

        connections.close_all()
        announced = False
        code = 0
        with processes.stop_signals(lambda sig: self.stop.set()):
            try:
                self.children = [self._start_one() for _ in range(self.workers)]
                while not self.stop.wait(0.2):
                    code = self._replace_ended()
                    if code:
                        break
                    if not announced and all(child.check_started() for child in self.children):
                        announced = True
                        if on_started is not None:
                            on_started()
            except OSError as exc:  # a socket for a replacement could not be bound
                log.error("could not listen on %s:%s (%s); stopping", self.host, self.listeners.port, exc)
                code = 1
            except KeyboardInterrupt:
                log.warning("forced exit")
            finally:
                self._stop_all()
                self.listeners.close()
        return code

    def _replace_ended(self) -> int:
        """Start a new process for one that ended; an exit code when one could not start at all."""
        for i, child in enumerate(self.children):
            if child.process.is_alive():
                continue
            if not child.check_started():
                code = child.process.exitcode
                log.error("a web process could not start (exit code %s); stopping", code)
                return code if code and code > 0 else 1  # killed by a signal: negative
            log.warning("web process %s ended (exit code %s); starting another", child.process.pid,
                        child.process.exitcode)  # fmt: skip
            self.children[i] = self._start_one()
        return 0

    def _stop_all(self) -> None:
        for child in self.children:
            if child.process.is_alive() and child.process.pid is not None:
                os.kill(child.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for child in self.children:
            child.process.join(max(0.0, deadline - time.monotonic()))
            if child.process.is_alive():
                log.warning("web process %s did not stop in time; killing it", child.process.pid)
                child.process.kill()
                child.process.join()


def serve(host: str, port: int, workers: int, *, access_log: bool, on_started: Callable[[], None] | None) -> int:
    """Run `workers` web processes on host:port until SIGINT/SIGTERM; the exit code."""
    try:
        supervisor = Supervisor(host, port, workers, access_log=access_log, reuse_port=kernel_balances())
    except OSError as exc:
        log.error("could not listen on %s:%s (%s)", host, port, exc)
        return 1
    return supervisor.run(on_started)
