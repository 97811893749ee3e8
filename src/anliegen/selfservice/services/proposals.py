"""Detection on a brand's cases: bursts become proposals with evidence; accepting one opens the incident."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from anliegen.core.models import Agent, Brand, Case

from ..models import IncidentProposal
from . import detection, incidents

REPEAT = timedelta(hours=3)  # an open proposal for the same key within this time is updated, not repeated


def _events(brand: Brand, since: datetime, until: datetime) -> list[tuple[int, datetime, str]]:
    """(case id, time, subject and first message) of new cases not linked to an incident."""
    rows = Case.objects.filter(brand=brand, created_at__gte=since, created_at__lt=until).values_list(
        "pk", "created_at", "subject", "incident_id"
    )
    from anliegen.core.models import Message

    first = dict(
        Message.objects.filter(case__brand=brand, case__created_at__gte=since, direction="in")
        .order_by("case_id", "id")
        .values_list("case_id", "body_text")
    )
    return [(pk, at, f"{subject}\n{first.get(pk, '')[:2000]}") for pk, at, subject, linked in rows if not linked]


def detect(brand: Brand, now: datetime | None = None) -> list[IncidentProposal]:
    """Look at the last hour of the brand's new cases against the four weeks before; record proposals."""
    now = now or timezone.now()
    history = _events(brand, now - timedelta(weeks=detection.HISTORY_WEEKS), now - detection.WINDOW)
    window = _events(brand, now - detection.WINDOW, now)
    baseline = detection.Baseline((at, text) for _pk, at, text in history)
    bursts = detection.find_bursts([(pk, text) for pk, _at, text in window], now, baseline)
    made = []
    for burst in bursts:
        key = f"area:{burst.area}" if burst.area else burst.key
        with transaction.atomic():
            proposal = IncidentProposal.objects.filter(
                brand=brand, key=key, state=IncidentProposal.State.OPEN, created_at__gte=now - REPEAT
            ).first()
            if proposal is None:
                proposal = IncidentProposal(brand=brand, key=key)
            proposal.area, proposal.words = burst.area, burst.words
            proposal.case_ids = sorted(set(proposal.case_ids) | set(burst.events))
            proposal.observed, proposal.expected = burst.observed, round(burst.expected, 2)
            proposal.save()
        made.append(proposal)
    return made


@transaction.atomic
def do_accept(proposal: IncidentProposal, agent: Agent, title: str, description: str) -> object:
    incident = incidents.do_open(
        proposal.brand, agent, title=title, description=description,
        areas=[proposal.area] if proposal.area else [], keywords=proposal.words[:3],
    )  # fmt: skip
    for case in Case.objects.filter(pk__in=proposal.case_ids, brand=proposal.brand, incident__isnull=True):
        incidents.do_link(case, incident, agent, why="linked with the detected incident")
    proposal.state, proposal.incident = IncidentProposal.State.ACCEPTED, incident
    proposal.save(update_fields=["state", "incident", "updated_at"])
    return incident


def do_dismiss(proposal: IncidentProposal) -> None:
    proposal.state = IncidentProposal.State.DISMISSED
    proposal.save(update_fields=["state", "updated_at"])
