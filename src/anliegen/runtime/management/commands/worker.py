"""`anliegen worker`: the intake pipeline and the task queue (outbound delivery, periodic jobs), no web."""

from __future__ import annotations

from argparse import ArgumentParser

from django.core.management.base import BaseCommand

from anliegen.runtime import processes


class Command(BaseCommand):
    help = "Process Inbounds and background tasks until stopped; run as many as you like against one database."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--no-intake", action="store_true", help="do not process Inbounds")
        parser.add_argument("--no-tasks", action="store_true", help="do not run background tasks")

    def handle(self, *args: object, **opts: object) -> None:
        processes.check_migrated()
        for warning in processes.scaleout_warnings():
            self.stderr.write(f"Note: {warning}")
        bg = processes.Background(intake=not opts["no_intake"], tasks=not opts["no_tasks"])
        bg.start()
        parts = [name for name, on in (("intake", not opts["no_intake"]), ("tasks", not opts["no_tasks"])) if on]
        self.stdout.write(f"anliegen worker running ({', '.join(parts) or 'nothing'}); Ctrl-C stops it.")
        self.stdout.flush()
        processes.wait_for_stop(bg)
        self.stdout.write("anliegen worker stopped.")
