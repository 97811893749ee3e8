"""The periodic look at running clocks: alarm the owner and the supervisors once when a stage is at risk or late."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, OperationalError, close_old_connections, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from anliegen.base import realtime
from anliegen.core.models import CaseEvent, CaseState
from anliegen.core.services import authority

from . import clocks
from .models import STAGES, Alarm, Clock

log = logging.getLogger(__name__)
DONE_FIELD = {"confirm": "confirmed_at", "answer": "answered_at", "resolve": "resolved_at"}


@dataclass
class SweepResult:
    started: int = 0
    advanced: int = 0
    alarms: list[tuple[int, str, str]] = field(default_factory=list)  # (case, stage, level)


def sweep(now: datetime | None = None) -> SweepResult:
    """Start clocks, record progress, then alarm; idempotent, and two workers never double an alarm."""
    now = now or timezone.now()
    result = SweepResult(started=clocks.start_missing(), advanced=clocks.advance())
    for stage in STAGES:
        for level in Alarm.Level.values:
            for clock in _candidates(stage, level, now):
                if _raise(clock, stage, level, now):
                    result.alarms.append((clock.case_id, stage, level))
    if result.alarms:
        log.info("service levels: %s alarms", len(result.alarms))
    return result


def _candidates(stage: str, level: str, now: datetime):  # noqa: ANN202 - a Clock queryset
    already = Alarm.objects.filter(case=OuterRef("case_id"), stage=stage, level=level)
    # Only an open case is the team's turn; a case waiting for the customer does not alarm.
    qs = Clock.objects.filter(running=True, case__state=CaseState.OPEN, **{f"{DONE_FIELD[stage]}__isnull": True})
    if level == Alarm.Level.RISK:
        qs = qs.filter(**{f"{stage}_risk__lte": now, f"{stage}_due__gt": now})
    else:
        qs = qs.filter(**{f"{stage}_due__lte": now})
    return qs.filter(~Exists(already)).select_related("case")[:500]


def _raise(clock: Clock, stage: str, level: str, now: datetime) -> bool:
    case = clock.case
    told = [case.owner_id] + [a.pk for a in authority.supervisors(case.brand_id) if a.pk != case.owner_id]
    try:
        with transaction.atomic():
            # The unique row is the claim: whoever inserts it first raises the alarm.
            Alarm.objects.create(case=case, stage=stage, level=level, at=now, told=told)
            due = clock.due(stage)
            CaseEvent.objects.create(
                case=case,
                kind=CaseEvent.Kind.NOTE,
                text=f"service level {stage} {level}: due {timezone.localtime(due):%Y-%m-%d %H:%M}; owner and supervisors alerted",
                data={"sla": stage, "level": level, "due": due.isoformat(), "told": told},
            )
            event = {
                "type": f"sla.{level}",
                "brand": case.brand_id,
                "case": case.pk,
                "subject": case.subject,
                "stage": stage,
                "owner": case.owner_id,
                "agents": told,
            }
            transaction.on_commit(lambda: realtime.publish(event))
    except IntegrityError:
        return False
    return True


def run_forever(stop: threading.Event) -> None:
    """A thread body for the worker: sweep every SLA_CHECK_SECONDS until `stop` is set."""
    while not stop.is_set():
        close_old_connections()
        try:
            sweep()
        except OperationalError as exc:
            log.warning("service-level sweep failed, retrying: %s", exc)
        stop.wait(settings.SLA_CHECK_SECONDS)
