"""The intake worker loop: claim waiting Inbounds in batches and run them through the pipeline."""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import OperationalError, close_old_connections

from anliegen.base.writes import Conflict

from . import wakeup
from .pipeline import process_batch

log = logging.getLogger(__name__)


def run_forever(stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()
    size = Size(settings.INTAKE_BATCH_SIZE, settings.INTAKE_BATCH_SECONDS)
    log.info("intake worker started (batch %s, %s s)", settings.INTAKE_BATCH_SIZE, settings.INTAKE_BATCH_SECONDS)
    while not stop.is_set():
        close_old_connections()
        limit, started = size.limit, time.monotonic()
        try:
            done = process_batch(limit=limit)
        except (OperationalError, Conflict) as exc:
            # A locked SQLite file, a lost PostgreSQL connection, a batch the database kept rolling back for
            # another transaction: nothing was kept, try again.
            log.warning("intake batch failed, retrying: %s", exc)
            done = []
        size.took(len(done), time.monotonic() - started)
        if len(done) < limit:
            wakeup.wait(settings.INTAKE_POLL_SECONDS if done else max(settings.INTAKE_POLL_SECONDS, 0.2))


class Size:
    """How many items the next batch claims: as many as its last batches ran in `seconds`, up to `most`.

    A backlog then goes in batches of about `seconds` each, so the first of them are confirmed (and SQLite's
    write lock is free again) after that long instead of after `most` items; 0 seconds: always `most`.
    """

    def __init__(self, most: int, seconds: float) -> None:
        self.most, self.seconds = most, seconds
        self.limit = most

    def took(self, items: int, seconds: float) -> None:
        if not self.seconds or items < self.limit or seconds <= 0:
            return  # a short batch says nothing about the rate
        fits = int(self.seconds * items / seconds)
        self.limit = max(1, min(self.most, fits, 2 * self.limit))


def drain() -> int:
    """Process everything waiting now, then return how many Inbounds were handled."""
    total = 0
    while done := process_batch():
        total += len(done)
    return total
