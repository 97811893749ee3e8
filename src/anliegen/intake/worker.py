"""The intake worker loop: claim waiting Inbounds in batches and run them through the pipeline."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import OperationalError, close_old_connections

from anliegen.base.writes import Conflict

from . import wakeup
from .pipeline import process_batch

log = logging.getLogger(__name__)


def run_forever(stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    log.info("intake worker started (batch %s)", settings.INTAKE_BATCH_SIZE)
    while not stop.is_set():
        close_old_connections()
        try:
            done = process_batch()
        except (OperationalError, Conflict) as exc:
            # A locked SQLite file, a lost PostgreSQL connection, a batch the database kept rolling back for
            # another transaction: nothing was kept, try again.
            log.warning("intake batch failed, retrying: %s", exc)
            done = []
        if len(done) < settings.INTAKE_BATCH_SIZE:
            wakeup.wait(settings.INTAKE_POLL_SECONDS if done else max(settings.INTAKE_POLL_SECONDS, 0.2))


def drain() -> int:
    """Process everything waiting now, then return how many Inbounds were handled."""
    total = 0
    while done := process_batch():
        total += len(done)
    return total
