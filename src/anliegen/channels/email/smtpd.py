"""The SMTP/LMTP listener: accept mail for the brands' domains, store it durably, only then answer 250.

Sessions hand their message to one writer thread, which stores everything that queued up meanwhile in a
single transaction (group commit) and then releases every waiting session with its own reply.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, connections

from .inbound import BrandDomains, Item, items_for, store

log = logging.getLogger(__name__)

TEMPFAIL = "451 4.3.0 Temporary storage failure, please try again later"
NO_DOMAIN = "550 5.1.2 We do not accept mail for this domain"
TOO_BIG = "552 5.3.4 Message too big"


@dataclass
class _Job:
    items: list[Item]
    done: Callable[[str], None]
    ids: list[int] = field(default_factory=list)


class GroupWriter:
    """One thread that stores queued messages in batches: one commit for every session waiting right now."""

    def __init__(self, max_batch: int = 200) -> None:
        self.max_batch = max_batch
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="smtpd-writer", daemon=True)
        self.batches = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=30)

    def submit(self, items: list[Item], done: Callable[[str], None]) -> None:
        self._queue.put(_Job(items, done))

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                break
            batch = [job]
            while len(batch) < self.max_batch:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    self._queue.put(None)  # stop after this batch
                    break
                batch.append(more)
            self._write(batch)
        connections.close_all()  # this thread's connections end with it

    def _write(self, batch: list[_Job]) -> None:
        flat = [item for job in batch for item in job.items]
        try:
            close_old_connections()
            accepted = store_items(flat)
        except Exception as exc:  # noqa: BLE001 - the sender keeps the mail and retries; nothing is lost
            log.warning("could not store %d message(s), answering 451: %s", len(batch), exc)
            if isinstance(exc, DatabaseError):
                connection.close()
            for job in batch:
                job.done(TEMPFAIL)
            return
        self.batches += 1
        position = 0
        for job in batch:
            ids = accepted[position : position + len(job.items)]
            position += len(job.items)
            job.done(f"250 2.0.0 Ok: stored as {','.join(str(i) for i in ids)}")


def store_items(items: list[Item]) -> list[int]:
    return [a.inbound_id for a in store(items)]


class Handler:
    """aiosmtpd handler: RCPT checks the domain, DATA waits for the durable store before it answers."""

    def __init__(self, writer: GroupWriter, lmtp: bool = False) -> None:
        self.writer = writer
        self.lmtp = lmtp
        self.domains = BrandDomains()
        # One thread owns the lookups' database connection, so it can be closed when the server stops.
        self._lookups = ThreadPoolExecutor(max_workers=1, thread_name_prefix="smtpd-lookup")

    def _brand_id(self, address: str) -> int | None:
        try:
            return self.domains.brand_id(address)
        finally:
            close_old_connections()

    def close(self) -> None:
        self._lookups.submit(connections.close_all).result(timeout=10)
        self._lookups.shutdown()

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        loop = asyncio.get_running_loop()
        try:
            brand_id = await loop.run_in_executor(self._lookups, self._brand_id, address)
        except DatabaseError as exc:
            log.warning("brand lookup failed, answering 451: %s", exc)
            return TEMPFAIL
        if brand_id is None:
            return NO_DOMAIN
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        brands = getattr(envelope, "brand_ids", [])
        brands.append(brand_id)
        envelope.brand_ids = brands
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        if len(raw) > settings.MAIL_MAX_BYTES:
            return self._answer(TOO_BIG, envelope)
        peer = session.peer[0] if isinstance(session.peer, tuple) else str(session.peer or "")
        items = items_for(
            raw, list(envelope.rcpt_tos), list(envelope.brand_ids), mail_from=envelope.mail_from or "", peer=peer
        )
        loop = asyncio.get_running_loop()
        future: asyncio.Future[str] = loop.create_future()

        def done(status: str) -> None:
            loop.call_soon_threadsafe(_resolve, future, status)

        self.writer.submit(items, done)
        return self._answer(await future, envelope)

    def _answer(self, status: str, envelope: Envelope) -> str:
        # LMTP answers DATA once per recipient (RFC 2033); the message is stored once for all of them.
        return "\r\n".join([status] * len(envelope.rcpt_tos)) if self.lmtp else status


def _resolve(future: asyncio.Future[str], status: str) -> None:
    if not future.done():
        future.set_result(status)


class _Controller(Controller):
    """aiosmtpd's threaded controller, speaking LMTP when asked and able to bind port 0."""

    def __init__(self, handler: Handler, lmtp: bool, **kwargs: object) -> None:
        self.lmtp = lmtp
        super().__init__(handler, **kwargs)

    def factory(self) -> SMTP:
        return (LMTP if self.lmtp else SMTP)(self.handler, **self.SMTP_kwargs)

    async def _bind(self) -> asyncio.AbstractServer:
        server = await self.loop.create_server(self._factory_invoker, host=self.hostname, port=self.port)
        self.port = server.sockets[0].getsockname()[1]
        return server

    def _create_server(self) -> asyncio.Future:
        return self._bind()

    def _trigger_server(self) -> None:
        if not self.lmtp:
            super()._trigger_server()
            return
        import socket

        with socket.create_connection((self.hostname, self.port), 1.0) as sock:
            sock.sendall(b"QUIT\r\n")
            sock.recv(1024)


class MailServer:
    """A running listener: `.port` is where it listens, `.stop()` ends it after storing what it accepted."""

    def __init__(self, controller: _Controller, writer: GroupWriter) -> None:
        self.controller, self.writer = controller, writer

    @property
    def host(self) -> str:
        return self.controller.hostname

    @property
    def port(self) -> int:
        return self.controller.port

    def stop(self) -> None:
        self.controller.stop()
        self.writer.stop()
        self.controller.handler.close()


def start(host: str | None = None, port: int | None = None, lmtp: bool = False) -> MailServer:
    """Start the listener in a background thread (used by `anliegen smtpd` and `anliegen serve`)."""
    from anliegen.intake.warmup import warm_up

    warm_up()  # before the first connection: what its mail's processing would otherwise import
    writer = GroupWriter()
    writer.start()
    controller = _Controller(
        Handler(writer, lmtp=lmtp),
        lmtp=lmtp,
        hostname=host or settings.SMTPD_HOST,
        port=settings.SMTPD_PORT if port is None else port,
        data_size_limit=settings.MAIL_MAX_BYTES,
        decode_data=False,
        enable_SMTPUTF8=True,
        server_hostname=getattr(settings, "SMTPD_SERVER_NAME", None) or None,
        ident="Anliegen",
    )
    try:
        controller.start()
    except Exception:
        writer.stop()
        raise
    # The command that started the listener says so (once); this is for debugging only.
    log.debug("%s listening on %s:%s", "LMTP" if lmtp else "SMTP", controller.hostname, controller.port)
    return MailServer(controller, writer)
