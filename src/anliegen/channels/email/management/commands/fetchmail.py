"""`anliegen fetchmail`: collect the brands' mail from their IMAP mailboxes, with IDLE where offered."""

from __future__ import annotations

import signal
import threading

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Fetch mail from every active IMAP mailbox; store it, then mark it read (or move it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="fetch what is there now, then exit")
        parser.add_argument("--mailbox", type=int, action="append", default=[], help="only this mailbox id")

    def handle(self, *args: object, **options: object) -> None:
        from anliegen.channels.email.fetch import NETWORK_ERRORS, Poller, start
        from anliegen.channels.email.models import Mailbox

        boxes = Mailbox.objects.filter(active=True)
        if options["mailbox"]:
            boxes = boxes.filter(pk__in=options["mailbox"])
        boxes = list(boxes.select_related("brand"))
        if not boxes:
            raise CommandError(_("No active IMAP mailbox is configured."))
        if options["once"]:
            failed = False
            for box in boxes:
                poller = Poller(box)
                try:
                    count = poller.run_once()
                    self.stdout.write(_("%(box)s: %(n)d new") % {"box": box, "n": count})
                except NETWORK_ERRORS as exc:
                    failed = True
                    self.stderr.write(f"{box}: {type(exc).__name__}: {exc}")
                finally:
                    poller.close()
            if failed:
                raise CommandError(_("Some mailboxes could not be read."))
            return
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        threads = start(stop, boxes)
        self.stdout.write(_("Watching %(n)d mailbox(es).") % {"n": len(threads)})
        stop.wait()
        for thread in threads:
            thread.join(timeout=10)
