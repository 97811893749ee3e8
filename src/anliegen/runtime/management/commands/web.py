"""`anliegen web`: only the web server (HTTP + websockets), for running many behind a proxy."""

from __future__ import annotations

import sys
from argparse import ArgumentParser

from django.core.management.base import BaseCommand

from anliegen.runtime import processes, web_processes


class Command(BaseCommand):
    help = "Run the ASGI web server without workers (scale-out mode: start `anliegen worker` separately)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port (default: 8000)")
        parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes (default: 1)")
        parser.add_argument("--access-log", action="store_true", help="log every HTTP request")

    def handle(self, *args: object, **opts: object) -> None:
        host, port, workers = str(opts["host"]), int(opts["port"]), int(opts["workers"])
        processes.check_migrated()
        for warning in processes.scaleout_warnings():
            self.stderr.write(f"Note: {warning}")
        started = f"anliegen web listening on http://{host}:{port}/"
        if workers > 1:
            code = web_processes.serve(
                host, port, workers, access_log=bool(opts["access_log"]),
                on_started=lambda: self._print(f"{started} ({workers} processes)"),
            )  # fmt: skip
        else:
            config = processes.web_config(host, port, access_log=bool(opts["access_log"]))
            code = processes.run_web(config, on_started=lambda: self._print(started))
        if code:
            sys.exit(code)

    def _print(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()
