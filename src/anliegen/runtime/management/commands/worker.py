"""`anliegen worker`: the intake pipeline and the task queue (outbound delivery, periodic jobs), no web."""

from __future__ import annotations

import argparse
import os
from argparse import ArgumentParser

from django.core.management.base import BaseCommand

from anliegen.runtime import processes


class Command(BaseCommand):
    help = (
        "Process Inbounds and background tasks until stopped; run as many as you like against one database. "
        "With both, the task worker runs in a second process beside this one (--one-process: threads here)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--no-intake", action="store_true", help="do not process Inbounds")
        parser.add_argument("--no-tasks", action="store_true", help="do not run background tasks")
        parser.add_argument("--one-process", action="store_true", help="run the task worker as threads of this process")
        # Started by another worker as its task process: that one printed the notes already.
        parser.add_argument("--part", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args: object, **opts: object) -> None:
        processes.check_migrated()
        intake, tasks = not opts["no_intake"], not opts["no_tasks"]
        if not opts["part"]:
            for warning in processes.scaleout_warnings():
                self.stderr.write(f"Note: {warning}")
        bg = processes.Background(intake=intake, tasks=tasks, tasks_process=intake and not opts["one_process"])
        if opts["part"]:
            bg.parent = os.getppid()
        bg.start()
        parts = [name for name, on in (("intake", intake), ("tasks", tasks)) if on]
        where = " (tasks in a second process)" if bg.task_process is not None else ""
        self.stdout.write(f"anliegen worker running ({', '.join(parts) or 'nothing'}){where}; Ctrl-C stops it.")
        self.stdout.flush()
        processes.wait_for_stop(bg)
        self.stdout.write("anliegen worker stopped.")
