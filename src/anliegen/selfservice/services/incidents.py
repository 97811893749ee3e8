"""Supervisors' incident actions: open, post an update, close, link and unlink cases, solve linked cases in bulk."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anliegen.audit import services as audit
from anliegen.core import roles
from anliegen.core.models import Agent, Brand, Case, CaseEvent, CaseState, Incident, Membership
from anliegen.core.models.case import OPEN_STATES
from anliegen.integrations import events

from ..models import IncidentUpdate
from . import fanout, status_cache

SUPERVISING = (Membership.Role.SUPERVISOR, Membership.Role.ADMIN)


class IncidentError(ValueError):
    """A request the incident cannot take; the message is shown to the agent."""


def may_manage(agent: Agent, brand_id: int) -> bool:
    """Only a brand's supervisors and admins open, update and close its incidents."""
    return roles.has(agent, brand_id, roles.SUPERVISOR)


def normalise_areas(raw: str | list[str]) -> list[str]:
    """Postcode prefixes and region names from a comma/line separated list: trimmed, unique, in order."""
    items = raw if isinstance(raw, list) else raw.replace("\n", ",").replace(";", ",").split(",")
    seen: list[str] = []
    for item in items:
        value = " ".join(str(item).split())[:60]
        if value and value.lower() not in (s.lower() for s in seen):
            seen.append(value)
    return seen


@transaction.atomic
def do_open(
    brand: Brand,
    agent: Agent | None,
    *,
    title: str,
    description: str,
    title_en: str = "",
    description_en: str = "",
    product: str = "",
    areas: list[str] | None = None,
    keywords: list[str] | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> Incident:
    incident = Incident.objects.create(
        brand=brand,
        title=title,
        description=description,
        title_en=title_en,
        description_en=description_en,
        product=product,
        regions=normalise_areas(areas or []),
        keywords=[k.strip() for k in keywords or [] if k.strip()],
        starts_at=starts_at or timezone.now(),
        ends_at=ends_at,
    )
    opened = IncidentUpdate.objects.create(
        incident=incident,
        kind=IncidentUpdate.Kind.OPENED,
        text=description,
        text_en=description_en,
        author=agent,
        fanout_done_at=timezone.now(),  # nobody is linked yet: the confirmation tells new cases
    )
    _post_publicly(opened)
    status_cache.changed(brand.pk)
    return incident


def check_open(brand: Brand, agent: Agent, **fields: object) -> Incident:
    if not may_manage(agent, brand.pk):
        raise IncidentError(_("Only supervisors of this brand open incidents."))
    return do_open(brand, agent, **fields)  # type: ignore[arg-type]


@transaction.atomic
def do_update(
    incident: Incident, agent: Agent | None, text: str, text_en: str = "", **changes: object
) -> IncidentUpdate:
    """Post a public update and tell every linked case once (in the background, through the task queue)."""
    if incident.state != Incident.State.ACTIVE:
        raise IncidentError(_("This incident is closed; open a new one if the problem is back."))
    for name in ("ends_at", "regions", "product", "title", "title_en"):
        if name in changes and changes[name] is not None:
            setattr(incident, name, normalise_areas(changes[name]) if name == "regions" else changes[name])
    incident.save()
    return _announce(incident, IncidentUpdate.Kind.UPDATE, agent, text, text_en)


@transaction.atomic
def do_close(incident: Incident, agent: Agent | None, text: str, text_en: str = "") -> IncidentUpdate:
    """Mark the incident resolved and tell everyone linked; the owners then may solve their cases in bulk."""
    if incident.state != Incident.State.ACTIVE:
        raise IncidentError(_("This incident is already closed."))
    now = timezone.now()
    incident.state = Incident.State.RESOLVED
    incident.resolved_at = now
    if not incident.ends_at or incident.ends_at > now:
        incident.ends_at = now
    incident.save()
    return _announce(incident, IncidentUpdate.Kind.RESOLVED, agent, text, text_en)


def _announce(incident: Incident, kind: str, agent: Agent | None, text: str, text_en: str) -> IncidentUpdate:
    """The update is told to every linked case (in the background), posted publicly and shown on the status page."""
    update = IncidentUpdate.objects.create(incident=incident, kind=kind, text=text, text_en=text_en, author=agent)
    fanout.start(update)
    _post_publicly(update)
    status_cache.changed(incident.brand_id)
    return update


def _post_publicly(update: IncidentUpdate) -> None:
    """Passive customers learn of it where they are: on the brand's X account and Facebook page."""
    from anliegen.channels.social.proactive import publish_update

    publish_update(update)


def check_manage(incident: Incident, agent: Agent) -> None:
    if not may_manage(agent, incident.brand_id):
        raise IncidentError(_("Only supervisors of this brand update and close incidents."))


@transaction.atomic
def do_link(case: Case, incident: Incident, agent: Agent | None, why: str = "") -> None:
    if case.brand_id != incident.brand_id:
        raise IncidentError(_("The incident belongs to another brand."))
    if case.incident_id == incident.pk:
        return
    Case.objects.filter(pk=case.pk).update(incident=incident)
    case.incident = incident
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.INCIDENT,
        actor=agent,
        text=why or f"linked to incident {incident.pk}",
        data={"incident": incident.pk, "linked": True},
    )
    if agent is not None:  # a person's decision (by hand, in bulk, accepting a detected incident); intake's is not
        audit.record(agent, audit.Action.CASE_INCIDENT, case, {"incident": incident.pk})


@transaction.atomic
def do_unlink(case: Case, agent: Agent | None) -> None:
    if not case.incident_id:
        return
    old = case.incident_id
    Case.objects.filter(pk=case.pk).update(incident=None)
    case.incident = None
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.INCIDENT,
        actor=agent,
        text=f"unlinked from incident {old}",
        data={"incident": old, "linked": False},
    )
    if agent is not None:
        audit.record(agent, audit.Action.CASE_INCIDENT_OFF, case, {"incident": old})


@transaction.atomic
def do_solve_linked(incident: Incident, agent: Agent) -> int:
    """The owner's bulk action after closing: solve their own open cases linked to the resolved incident."""
    if incident.state != Incident.State.RESOLVED:
        raise IncidentError(_("Cases are solved in bulk only once the incident is closed."))
    cases = list(Case.objects.filter(incident=incident, owner=agent, state__in=OPEN_STATES))
    ids = [case.pk for case in cases]
    Case.objects.filter(pk__in=ids).update(state=CaseState.SOLVED, updated_at=timezone.now())
    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=pk, kind=CaseEvent.Kind.STATE, actor=agent, text=f"solved with incident {incident.pk}")
        for pk in ids
    )
    changed = [(case, {"from": case.state, "to": CaseState.SOLVED, "incident": incident.pk}) for case in cases]
    audit.record_each(agent, audit.Action.CASE_STATE, changed)
    for case in Case.objects.filter(pk__in=ids):
        events.case_solved(case)
    return len(ids)


def active_incidents(brand: Brand | int, postcode: str = "") -> list[Incident]:
    """The brand's public active incidents, those affecting `postcode` only when one is given."""
    brand_id = brand if isinstance(brand, int) else brand.pk
    now = timezone.now()
    found = [
        i
        for i in Incident.objects.filter(brand_id=brand_id, state=Incident.State.ACTIVE, public=True).order_by(
            "-starts_at"
        )
        if i.starts_at <= now
    ]
    if postcode:
        found = [i for i in found if affects(i, postcode)]
    return found


def affects(incident: Incident, postcode: str) -> bool:
    """Whether a postcode lies in the incident's area (a postcode prefix listed, or no area: everywhere)."""
    prefixes = [r.replace(" ", "") for r in incident.regions if r.replace(" ", "").isdigit()]
    if not incident.regions:
        return True
    code = postcode.strip().replace(" ", "")
    return any(code.startswith(p) for p in prefixes)
