"""The worker's periodic self-service checks: resume incident fan-outs whose worker died, detect bursts."""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import OperationalError, close_old_connections

from .services.fanout import resume_stalled

log = logging.getLogger(__name__)


def detect_all() -> int:
    from anliegen.core.models import Brand

    from .services.proposals import detect

    return sum(len(detect(brand)) for brand in Brand.objects.all())


def run_forever(stop: threading.Event) -> None:
    last_detection = 0.0
    while not stop.is_set():
        close_old_connections()
        try:
            resume_stalled()
            if (
                settings.INCIDENT_DETECT_SECONDS
                and time.monotonic() - last_detection >= settings.INCIDENT_DETECT_SECONDS
            ):
                last_detection = time.monotonic()
                detect_all()
        except OperationalError as exc:
            log.warning("self-service check failed, retrying: %s", exc)
        stop.wait(settings.INCIDENT_CHECK_SECONDS)
