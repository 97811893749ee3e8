"""The periodic look at due promises: remind the owner before, alarm the supervisor after. Idempotent."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import OperationalError, close_old_connections, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from anliegen.base import realtime
from anliegen.core.models import CaseEvent
from anliegen.core.services import authority
from anliegen.integrations import events

from .models import Promise

log = logging.getLogger(__name__)
_last_run = 0.0


@dataclass
class CheckResult:
    reminded: list[int] = field(default_factory=list)
    alarmed: list[int] = field(default_factory=list)


def check_due(now: datetime | None = None) -> CheckResult:
    """Remind and alarm once per promise; two workers running this at once never double a reminder."""
    now = now or timezone.now()
    result = CheckResult()
    soon = now + timedelta(minutes=settings.PROMISE_REMIND_BEFORE_MINUTES)
    open_ = Promise.objects.filter(state=Promise.State.OPEN).annotate(deadline_at=Coalesce("window_end", "due_at"))
    for promise in open_.filter(reminded_at__isnull=True, due_at__lte=soon, deadline_at__gt=now)[:500]:
        if _remind(promise, now):
            result.reminded.append(promise.pk)
    for promise in open_.filter(alarmed_at__isnull=True, deadline_at__lte=now).select_related("case")[:500]:
        if _alarm(promise, now):
            result.alarmed.append(promise.pk)
    if result.reminded or result.alarmed:
        log.info("promises: %s reminded, %s alarmed", len(result.reminded), len(result.alarmed))
    return result


@transaction.atomic
def _remind(promise: Promise, now: datetime) -> bool:
    # The conditional update is the claim: whoever sets reminded_at first sends the reminder.
    if not Promise.objects.filter(pk=promise.pk, reminded_at__isnull=True).update(reminded_at=now):
        return False
    event = {
        "type": "promise.reminder",
        "brand": promise.brand_id,
        "case": promise.case_id,
        "promise": promise.pk,
        "owner": promise.owner_id,
        "due": promise.due_at.isoformat(),
    }
    transaction.on_commit(lambda: realtime.publish(event))
    events.promise_changed(promise, "promise.due")
    return True


@transaction.atomic
def _alarm(promise: Promise, now: datetime) -> bool:
    if not Promise.objects.filter(pk=promise.pk, alarmed_at__isnull=True).update(alarmed_at=now):
        return False
    chiefs = [a.pk for a in authority.supervisors(promise.brand_id)]
    CaseEvent.objects.create(
        case_id=promise.case_id,
        kind=CaseEvent.Kind.PROMISE,
        text=f"promise overdue since {promise.deadline:%Y-%m-%d %H:%M}: supervisors alerted",
        data={"promise": promise.pk, "state": "overdue", "supervisors": chiefs},
    )
    event = {
        "type": "promise.overdue",
        "brand": promise.brand_id,
        "case": promise.case_id,
        "promise": promise.pk,
        "owner": promise.owner_id,
        "supervisors": chiefs,
    }
    transaction.on_commit(lambda: realtime.publish(event))
    return True


def tick(now: datetime | None = None) -> CheckResult | None:
    """Loop-friendly: call it as often as you like; it checks at most once per PROMISE_CHECK_SECONDS."""
    global _last_run
    monotonic = time.monotonic()
    if _last_run and monotonic - _last_run < settings.PROMISE_CHECK_SECONDS:
        return None
    _last_run = monotonic
    return check_due(now)


def overdue() -> Q:
    """Open promises whose deadline has passed (for lists and counts)."""
    return Q(state=Promise.State.OPEN) & (
        Q(window_end__isnull=False, window_end__lte=timezone.now())
        | Q(window_end__isnull=True, due_at__lte=timezone.now())
    )


def run_forever(stop: threading.Event) -> None:
    """A thread body for the worker: check every PROMISE_CHECK_SECONDS until `stop` is set."""
    while not stop.is_set():
        close_old_connections()
        try:
            check_due()
        except OperationalError as exc:
            # A locked SQLite file or a lost connection: nothing was claimed, try on the next round.
            log.warning("promise check failed, retrying: %s", exc)
        stop.wait(settings.PROMISE_CHECK_SECONDS)
