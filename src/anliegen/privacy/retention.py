"""Retention: the periodic worker deletes raw payloads and closed cases older than each brand's periods."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import OperationalError, close_old_connections, transaction
from django.utils import timezone

from anliegen.audit import services as audit
from anliegen.core.models import Attachment, Case, CaseState
from anliegen.intake.models import Inbound, InboundState

from .erasure import delete_files
from .models import RetentionPolicy

log = logging.getLogger(__name__)
CHUNK = 500


def purge(now: datetime | None = None) -> dict[int, dict[str, int]]:
    """{brand id: {"raw": n, "cases": n}} of what this run deleted; idempotent, in chunks of CHUNK rows."""
    now = now or timezone.now()
    done: dict[int, dict[str, int]] = {}
    for policy in RetentionPolicy.objects.select_related("brand"):
        counts = {"raw": 0, "cases": 0}
        if policy.raw_payload_days:
            counts["raw"] = _raw(policy.brand_id, now - timedelta(days=policy.raw_payload_days))
        if policy.closed_case_days:
            counts["cases"] = _cases(policy.brand_id, now - timedelta(days=policy.closed_case_days))
        if counts["raw"] or counts["cases"]:
            audit.record(None, audit.Action.RETENTION, policy.brand, counts, via="worker")
            done[policy.brand_id] = counts
    if done:
        log.info("retention: %s", done)
    return done


def _raw(brand_id: int, before: datetime) -> int:
    # Not-yet-processed Inbounds keep their payload whatever their age: intake still needs it.
    qs = Inbound.objects.filter(brand_id=brand_id, received_at__lt=before).exclude(state=InboundState.RECEIVED)
    return qs.exclude(raw=b"").update(raw=b"", meta={}, traceback="")


def _cases(brand_id: int, before: datetime) -> int:
    deleted = 0
    closed = Case.objects.filter(brand_id=brand_id, state=CaseState.CLOSED, updated_at__lt=before)
    while ids := list(closed.values_list("pk", flat=True)[:CHUNK]):
        with transaction.atomic():
            delete_files(list(Attachment.objects.filter(message__case_id__in=ids)))
            Case.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
    return deleted


def run_forever(stop: threading.Event) -> None:
    """A thread body for the worker: purge every RETENTION_CHECK_SECONDS until `stop` is set."""
    while not stop.is_set():
        close_old_connections()
        try:
            purge()
        except OperationalError as exc:
            log.warning("retention run failed, retrying: %s", exc)
        stop.wait(settings.RETENTION_CHECK_SECONDS)
