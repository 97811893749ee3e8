"""`anliegen promises check [--loop]`: remind owners of promises due soon, alarm supervisors of overdue ones."""

from __future__ import annotations

import threading
from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError

from anliegen.promises import checks


class Command(BaseCommand):
    help = "Promise ledger jobs. `check` reminds and alarms once per promise; safe to run from cron every minute."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("action", choices=["check"])
        parser.add_argument("--loop", action="store_true", help="keep checking every PROMISE_CHECK_SECONDS")

    def handle(self, *args: object, **opts: object) -> None:
        if opts["action"] != "check":
            raise CommandError(f"unknown action {opts['action']!r}")
        if opts["loop"]:
            stop = threading.Event()
            try:
                checks.run_forever(stop)
            except KeyboardInterrupt:
                stop.set()
            return
        result = checks.check_due()
        self.stdout.write(f"{len(result.reminded)} reminded, {len(result.alarmed)} alarmed")
