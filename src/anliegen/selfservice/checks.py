"""The worker's periodic self-service check: resume incident fan-outs whose worker died."""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import OperationalError, close_old_connections

from .services.fanout import resume_stalled

log = logging.getLogger(__name__)


def run_forever(stop: threading.Event) -> None:
    while not stop.is_set():
        close_old_connections()
        try:
            resume_stalled()
        except OperationalError as exc:
            log.warning("incident fan-out check failed, retrying: %s", exc)
        stop.wait(settings.INCIDENT_CHECK_SECONDS)
