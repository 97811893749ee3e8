"""The long-lived parts of a running installation: web server, intake worker, task worker, SMTP listener.

`anliegen serve` runs all of them in one process; `anliegen web` and `anliegen worker` run a part each.
Signal handling stays in the main thread: handlers only set flags, every loop checks its flag.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import uvicorn
from django.conf import settings
from django.db import close_old_connections, connections

log = logging.getLogger(__name__)


def _guarded(name: str, body: Callable[[], None], stop: threading.Event) -> Callable[[], None]:
    """Run `body` until `stop` is set; a crash is logged and the loop restarts after a pause."""

    def loop() -> None:
        while not stop.is_set():
            try:
                body()
            except Exception:  # noqa: BLE001 - one bad batch must not end the worker for good
                log.exception("%s crashed; restarting in 1 s", name)
                stop.wait(1)
            else:
                if not stop.is_set():
                    stop.wait(0.1)
        connections.close_all()

    return loop


class TaskWorker:
    """django-tasks-db's own worker loop (outbound delivery, retries, periodic jobs) in a thread."""

    def __init__(self, interval: float = 0.1) -> None:
        from django_tasks_db.management.commands.db_worker import Worker

        worker_id = f"{socket.gethostname()}-{os.getpid()}-{threading.get_ident() % 100000}"[:64]
        self.worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )

    def run(self) -> None:
        self.worker.running = True
        self.worker.run()

    def stop(self) -> None:
        self.worker.running = False


def scaleout_warnings() -> list[str]:
    """What keeps separate `web`/`worker` processes from acting as one installation, in plain words."""
    found = []
    if not settings.REDIS_URL:
        found.append(
            "REDIS_URL is not set: live desk updates reach only websockets of the same process. "
            "Use `anliegen serve` on a single machine."
        )
    if not settings.IS_POSTGRES:
        found.append("DATABASE_URL is not PostgreSQL: SQLite serves one machine only.")
    if not settings.BASE_URL_SET:
        found.append(
            f"ANLIEGEN_BASE_URL is not set: links in mail (case pages) say {settings.BASE_URL}. "
            "Set it to the public address, the same on every machine."
        )
    if not os.environ.get("ANLIEGEN_SECRET_KEY"):
        found.append(
            "ANLIEGEN_SECRET_KEY is not set: the key is read from the data directory, so every machine "
            "needs the same one or sessions and case links break."
        )
    return found


def check_migrated() -> None:
    """Separate processes never migrate on their own (several would race); they refuse an old schema."""
    from django.core.management.base import CommandError
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    if pending:
        raise CommandError(f"the database lacks {pending} migration(s): run `anliegen migrate` once, then start again")


def start_smtpd(host: str, port: int) -> Any | None:
    """Start the inbound SMTP listener of the e-mail channel; None when this build has none."""
    try:
        from anliegen.channels.email import smtpd
    except ImportError:
        log.warning("inbound SMTP is not available in this build (anliegen.channels.email.smtpd is missing)")
        return None
    try:
        return smtpd.start(host, port)
    except OSError as exc:
        # A taken port must not keep the desk from starting; the banner says SMTP is off.
        log.error("inbound SMTP could not listen on %s:%s (%s); continuing without it", host, port, exc)
        return None


class TaskProcess:
    """The task worker (delivery, periodic jobs) as `anliegen worker --no-intake`, started and stopped with us.

    One interpreter runs one thread at a time: beside the intake loop in one process, delivery waited for the
    pipeline's CPU (bench/README.md, fifth round); in a process of its own it runs on the other core.
    """

    def __init__(self, env: dict[str, str] | None = None) -> None:
        self.env = env
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "anliegen", "worker", "--no-intake", "--part"]
        self.process = subprocess.Popen(command, env=self.env, stdout=subprocess.PIPE)  # noqa: S603 - our own

    def wait_ready(self) -> None:
        """Until it has started (its first line), so a worker that says it runs also delivers."""
        out = self.process.stdout if self.process is not None else None
        for line in iter(out.readline if out is not None else bytes, b""):
            if b"worker running" in line:
                return
        log.error("the task worker process did not start")

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # it finishes the delivery it is in, as a thread would
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            log.warning("the task worker process did not stop in time; killed")
            self.process.kill()
            self.process.wait()


class Background:
    """The worker threads of one process; `stop()` ends them and waits for running work to finish.

    `tasks_process`: the task worker runs as a process of its own (TaskProcess) instead of threads here.
    """

    def __init__(self, *, intake: bool = True, tasks: bool = True, tasks_process: bool = False) -> None:
        self.stop_event = threading.Event()
        self.threads: list[threading.Thread] = []
        self.task_workers: list[TaskWorker] = []
        self.want_intake = intake
        self.want_tasks = tasks and not tasks_process
        self.task_process = TaskProcess(_child_env()) if tasks and tasks_process else None
        self.parent: int | None = None  # the worker this is the task process of (TaskProcess)

    def start(self) -> None:
        from anliegen.core.services import delivery
        from anliegen.intake.worker import run_forever

        close_old_connections()
        if self.task_process is not None:
            self.task_process.start()  # it warms up beside this one
        if self.want_intake or self.want_tasks:
            from anliegen.intake.warmup import warm_up

            warm_up()  # the one-off imports before the first message, not in its confirmation
        if self.task_process is not None:
            self.task_process.wait_ready()
        if self.want_intake:
            self._spawn("intake", _guarded("intake worker", lambda: run_forever(self.stop_event), self.stop_event))
        if self.want_tasks:
            if delivery.tasks_use_database():
                worker = TaskWorker()
                self.task_workers.append(worker)
                self._spawn("tasks", _guarded("task worker", worker.run, self.stop_event))
            else:
                log.info("tasks run by their configured backend; no database task worker here")
            self._start_periodic()

    def _start_periodic(self) -> None:
        """Periodic checks (abandoned deliveries, promises coming due) run beside the task worker, a thread each."""
        from anliegen.core.services.delivery import run_forever as sweep_deliveries

        self._spawn("delivery", _guarded("delivery sweep", lambda: sweep_deliveries(self.stop_event), self.stop_event))
        try:
            from anliegen.promises.checks import run_forever as check_promises
        except ImportError:
            log.info("no promise checks in this build")
            return
        self._spawn("promises", _guarded("promise checks", lambda: check_promises(self.stop_event), self.stop_event))
        from anliegen.selfservice.checks import run_forever as check_fanouts

        self._spawn(
            "fanouts", _guarded("incident fan-out checks", lambda: check_fanouts(self.stop_event), self.stop_event)
        )
        from anliegen.sla.alarms import run_forever as sweep_service_levels

        self._spawn(
            "sla", _guarded("service-level sweep", lambda: sweep_service_levels(self.stop_event), self.stop_event)
        )
        from anliegen.csat.services import run_forever as ask_satisfaction

        self._spawn(
            "csat", _guarded("satisfaction questions", lambda: ask_satisfaction(self.stop_event), self.stop_event)
        )
        from anliegen.privacy.retention import run_forever as purge_expired

        self._spawn("retention", _guarded("retention", lambda: purge_expired(self.stop_event), self.stop_event))

    def _spawn(self, name: str, target: Callable[[], None]) -> None:
        thread = threading.Thread(target=target, name=f"anliegen-{name}", daemon=True)
        thread.start()
        self.threads.append(thread)

    def stop(self, timeout: float = 15.0) -> None:
        self.stop_event.set()
        for worker in self.task_workers:
            worker.stop()
        from anliegen.intake import wakeup

        wakeup.wake()
        deadline = time.monotonic() + timeout
        if self.task_process is not None:
            self.task_process.stop(timeout)
        for thread in self.threads:
            thread.join(max(0.0, deadline - time.monotonic()))
            if thread.is_alive():
                log.warning("%s did not stop in time", thread.name)

    def alive(self) -> bool:
        threads = all(t.is_alive() for t in self.threads)
        # A task process whose worker was killed stops too, instead of running on unsupervised.
        parent = self.parent is None or os.getppid() == self.parent
        return threads and parent and (self.task_process is None or self.task_process.alive())


def _child_env() -> dict[str, str]:
    # Links in its mail point where this installation's web server is, also when `serve` chose the address.
    return {**os.environ, "ANLIEGEN_BASE_URL": settings.BASE_URL} if not settings.BASE_URL_SET else dict(os.environ)


class _QuietServer(uvicorn.Server):
    """uvicorn without its own signal handlers: the process owner decides when to stop."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


@contextlib.contextmanager
def stop_signals(on_stop: Callable[[int], None]) -> Iterator[None]:
    """Route SIGINT/SIGTERM to `on_stop` while inside; a second Ctrl-C forces the exit."""
    calls: list[int] = []

    def handle(sig: int, frame: FrameType | None) -> None:
        calls.append(sig)
        if len(calls) > 1 and sig == signal.SIGINT:
            raise KeyboardInterrupt
        on_stop(sig)

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def uvicorn_options(access_log: bool = False, log_level: str = "warning") -> dict[str, Any]:
    """Options every web process shares; Django and Channels have no lifespan protocol, hence "off"."""
    # WhiteNoise warns when the collected-files directory is missing; the finders serve the files anyway.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    access_log = access_log or settings.ACCESS_LOG
    return {
        "lifespan": "off",
        "access_log": access_log,
        # uvicorn sets its access logger to this level too: at "warning" the access lines (info) were dropped.
        "log_level": "info" if access_log else log_level,
        "ws": "websockets-sansio" if _has_sansio() else "auto",
        "proxy_headers": True,
    }


def web_config(host: str, port: int, *, access_log: bool = False, log_level: str = "warning") -> uvicorn.Config:
    options = uvicorn_options(access_log, log_level)
    from anliegen.asgi import application

    return uvicorn.Config(application, host=host, port=port, **options)


def _has_sansio() -> bool:
    try:
        from uvicorn.protocols.websockets import websockets_sansio_impl  # noqa: F401
    except ImportError:
        return False
    return True


def run_web(
    config: uvicorn.Config,
    on_started: Callable[[], None] | None = None,
    bg: Background | None = None,
    sockets: list[socket.socket] | None = None,
) -> int:
    """Serve HTTP and websockets in an event loop owned by this thread until SIGINT/SIGTERM; exit code.
    `sockets`: already listening sockets to accept from instead of binding the config's host and port."""
    server = _QuietServer(config)

    def request_stop(sig: int) -> None:
        log.info("stopping (%s)", signal.Signals(sig).name)
        server.should_exit = True

    async def main() -> None:
        from anliegen.base.realtime import bind_server_loop

        bind_server_loop(asyncio.get_running_loop())
        watcher = asyncio.create_task(_announce(server, on_started))
        try:
            await server.serve(sockets)
        finally:
            watcher.cancel()

    from anliegen.runtime import web_warmup

    web_warmup.warm_up()
    connections.close_all()  # the loop thread must not hold connections opened for setup
    try:
        with stop_signals(request_stop):
            asyncio.run(main())
    except KeyboardInterrupt:
        log.warning("forced exit")
    except SystemExit as exc:  # uvicorn exits when it cannot bind the port
        return int(exc.code or 1)
    finally:
        if bg is not None:
            bg.stop()
    return 0 if server.started else 1


async def _announce(server: uvicorn.Server, on_started: Callable[[], None] | None) -> None:
    while not server.started:
        await asyncio.sleep(0.05)
    if on_started is not None:
        on_started()


def wait_for_stop(bg: Background) -> None:
    """Block the main thread until SIGINT/SIGTERM, then stop the background threads."""
    stop = threading.Event()
    with stop_signals(lambda sig: stop.set()):
        try:
            while not stop.wait(0.5):
                if not bg.alive():
                    log.error("a worker thread or process ended unexpectedly; stopping")
                    break
        except KeyboardInterrupt:
            log.warning("forced exit")
    bg.stop()
