"""`anliegen smtpd`: run the SMTP (or LMTP) listener that stores incoming mail for the brands."""

from __future__ import annotations

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Receive mail for the brands' domains over SMTP or LMTP and store it before answering 250."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=settings.SMTPD_HOST, help="address to listen on")
        parser.add_argument("--port", type=int, default=settings.SMTPD_PORT, help="port to listen on")
        parser.add_argument("--lmtp", action="store_true", help="speak LMTP (for delivery from Postfix/Exim)")
        parser.add_argument("--with-worker", action="store_true", help="also process the stored mail in this process")

    def handle(self, *args: object, **options: object) -> None:
        from anliegen.channels.email import smtpd

        stop = threading.Event()
        server = smtpd.start(options["host"], options["port"], lmtp=bool(options["lmtp"]))
        worker = None
        if options["with_worker"]:
            from anliegen.intake.worker import run_forever

            worker = threading.Thread(target=run_forever, args=(stop,), name="intake-worker", daemon=True)
            worker.start()
        kind = "LMTP" if options["lmtp"] else "SMTP"
        self.stdout.write(f"{kind} listening on {server.host}:{server.port} (max {settings.MAIL_MAX_BYTES} bytes)")
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        stop.wait()
        server.stop()
        if worker is not None:
            worker.join(timeout=30)
        self.stdout.write("stopped")
