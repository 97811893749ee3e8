"""Asking once after a case is solved, recording the answer, and opening a follow-up on a poor one."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, OperationalError, close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anliegen.base import realtime
from anliegen.core.models import Agent, Case, CaseEvent, CaseState, Team
from anliegen.core.services import authority, cases, notices

from . import links
from .models import LOW_SCORE, FollowUp, Survey

log = logging.getLogger(__name__)
QUESTION_SUBJECT = _("How did we do? %(subject)s")


def solved_without_survey(now: datetime):  # noqa: ANN201 - a Case queryset
    """Cases solved lately (not closed by a merge, not from before the question existed) that were not asked."""
    since = now - timedelta(days=settings.CSAT_ASK_WITHIN_DAYS)
    return Case.objects.filter(
        state=CaseState.SOLVED, updated_at__gte=since, merged_into__isnull=True, survey__isnull=True
    ).select_related("brand", "owner", "contact")


def offer_due(now: datetime | None = None, limit: int = 200) -> list[int]:
    """Ask every lately solved case once; two workers at once ask once (the survey row is the claim)."""
    now = now or timezone.now()
    asked = []
    for case in solved_without_survey(now).order_by("updated_at")[:limit]:
        if ask(case, now) is not None:
            asked.append(case.pk)
    return asked


def ask(case: Case, now: datetime | None = None) -> Survey | None:
    now = now or timezone.now()
    channel, _address = cases.reply_target(case)
    try:
        with transaction.atomic():
            survey = Survey.objects.create(case=case, brand=case.brand, agent=case.owner, channel=channel, asked_at=now)
            scores = [(score, links.rate_url(survey, score)) for score in range(1, 6)]
            notices.tell_customer(
                case, "csat_question", QUESTION_SUBJECT, {"scores": scores, "rate_url": links.rate_url(survey)}
            )
    except IntegrityError:
        return None
    return survey


@transaction.atomic
def do_answer(survey: Survey, score: int, comment: str | None = None, now: datetime | None = None) -> Survey:
    """Record (or correct) the customer's answer; a poor score opens one follow-up for a supervisor."""
    now = now or timezone.now()
    survey = Survey.objects.select_for_update().select_related("case").get(pk=survey.pk)
    survey.score = score
    if comment is not None:
        survey.comment = comment.strip()[:4000]
    survey.answered_at = survey.answered_at or now
    survey.save(update_fields=["score", "comment", "answered_at"])
    if score <= LOW_SCORE and not FollowUp.objects.filter(survey=survey).exists():
        _follow_up(survey)
    return survey


def supervisor_for(case: Case) -> Agent | None:
    """The lead of a team the owner is in, else the brand's first supervisor."""
    team = Team.objects.filter(brand_id=case.brand_id, members=case.owner_id, lead__isnull=False).first()
    if team is not None and team.lead_id != case.owner_id:
        return team.lead
    chiefs = authority.supervisors(case.brand_id)
    return next((a for a in chiefs if a.pk != case.owner_id), chiefs[0] if chiefs else None)


def _follow_up(survey: Survey) -> FollowUp:
    case = survey.case
    chief = supervisor_for(case)
    follow_up = FollowUp.objects.create(survey=survey, brand_id=survey.brand_id, supervisor=chief)
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.NOTE,
        text=f"customer rated {survey.score}/5: follow-up for {chief.name if chief else 'the supervisors'}",
        data={"csat": survey.score, "follow_up": follow_up.pk, "supervisor": chief.pk if chief else None},
    )
    event = {
        "type": "csat.low",
        "brand": case.brand_id,
        "case": case.pk,
        "subject": case.subject,
        "score": survey.score,
        "agents": [chief.pk] if chief else [],
    }
    transaction.on_commit(lambda: realtime.publish(event))
    return follow_up


@transaction.atomic
def do_finish(follow_up: FollowUp, agent: Agent, outcome: str) -> None:
    if follow_up.done_at is not None:
        return
    follow_up.done_at, follow_up.done_by, follow_up.outcome = timezone.now(), agent, outcome.strip()[:300]
    follow_up.save(update_fields=["done_at", "done_by", "outcome"])
    CaseEvent.objects.create(
        case_id=follow_up.survey.case_id,
        kind=CaseEvent.Kind.NOTE,
        actor=agent,
        text=f"rating follow-up done: {follow_up.outcome}",
        data={"follow_up": follow_up.pk},
    )


def run_forever(stop: threading.Event) -> None:
    """A thread body for the worker: ask lately solved cases every CSAT_CHECK_SECONDS until `stop` is set."""
    while not stop.is_set():
        close_old_connections()
        try:
            offer_due()
        except OperationalError as exc:
            log.warning("satisfaction questions failed, retrying: %s", exc)
        stop.wait(settings.CSAT_CHECK_SECONDS)
