"""Who should take this call: the case owner, their deputy, the best available agent, or an honest wait.

No menu tree: the caller's number says who they are, their open case says who knows their concern.
Available means on shift (online), not on leave and free on the phone (not ringing, on a call or in wrap-up).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from anliegen.core.models import Agent, Brand, Case, CaseState, Contact, Identity, Incident, Presence
from anliegen.core.models.case import OPEN_STATES
from anliegen.core.services import answer_time
from anliegen.core.services.authority import covers

from . import presence, waits
from .models import PhoneState
from .numbers import e164


@dataclass
class Route:
    action: str  # connect | queue | closed
    reason: str  # owner | deputy | best | nobody_free | closed
    brand: Brand
    number: str = ""
    agent: Agent | None = None
    owner: Agent | None = None  # the case owner, also when someone else answers for them
    case: Case | None = None
    contact: Contact | None = None
    language: str = "de"
    incident: Incident | None = None
    wait: waits.Estimate | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def extension(self) -> str:
        return self.agent.extension if self.agent else ""


def route(brand: Brand, caller: str, region: str = "DE") -> Route:
    number, _problem = e164(caller, region)
    contact, case = _caller(brand, number)
    language = (contact.language if contact else "") or (case.language if case else "") or brand.default_language
    answer = Route("queue", "nobody_free", brand, number=number, contact=contact, case=case, language=language)
    answer.incident = _incident(brand, case)
    if not answer_time.in_service_hours(brand, timezone.now()):
        answer.action, answer.reason = "closed", "closed"
        return answer
    if case is not None:
        answer.owner = case.owner
        owner, deputy = case.owner, case.owner.deputy
        free = _free([owner.pk] + ([deputy.pk] if deputy else []))
        if owner.pk in free and owner.presence == Presence.ONLINE and not owner.on_leave:
            return _connect(answer, owner, "owner")
        if deputy is not None and deputy.pk in free and _on_shift(deputy) and _member(deputy, brand):
            return _connect(answer, deputy, "deputy")
    best = _best(brand, case, language)
    if best is not None:
        return _connect(answer, best, "best")
    answer.wait = waits.for_brand(brand)
    return answer


def _connect(answer: Route, agent: Agent, reason: str) -> Route:
    answer.action, answer.reason, answer.agent = "connect", reason, agent
    return answer


def _caller(brand: Brand, number: str) -> tuple[Contact | None, Case | None]:
    if not number:
        return None, None
    identity = Identity.objects.filter(brand=brand, kind="phone", value=number).select_related("contact").first()
    if identity is None:
        return None, None
    contact = identity.contact
    case = (
        Case.objects.filter(contact=contact, state__in=[CaseState.OPEN, CaseState.WAITING], merged_into__isnull=True)
        .select_related("owner__deputy")
        .order_by("-updated_at")
        .first()
    )
    return contact, case


def _free(agent_ids: list[int]) -> set[int]:
    states = presence.states(agent_ids)
    return {a for a, s in states.items() if s == PhoneState.AVAILABLE}


def _on_shift(agent: Agent) -> bool:
    return agent.presence == Presence.ONLINE and not agent.on_leave


def _member(agent: Agent, brand: Brand) -> bool:
    return agent.memberships.filter(brand=brand).exists()


def _best(brand: Brand, case: Case | None, language: str) -> Agent | None:
    """The free agent whose authority covers the case's needs, who speaks the language, with the least load."""
    online = list(
        Agent.objects.filter(memberships__brand=brand, presence=Presence.ONLINE, on_leave=False).exclude(extension="")
    )
    free = _free([a.pk for a in online])
    pool = [a for a in online if a.pk in free]
    if not pool:
        return None
    needs = case.needs if case is not None else {}
    for keep in (lambda a: covers(a.authority, needs or {}), lambda a: language in (a.languages or [])):
        narrowed = [a for a in pool if keep(a)]
        pool = narrowed or pool
    if len(pool) == 1:
        return pool[0]
    loads = dict(
        Case.objects.filter(owner__in=pool, state__in=OPEN_STATES)
        .values_list("owner_id")
        .annotate(n=Count("id"))
        .values_list("owner_id", "n")
    )
    return min(pool, key=lambda a: (loads.get(a.pk, 0) / max(a.capacity, 1), loads.get(a.pk, 0), a.pk))


def _incident(brand: Brand, case: Case | None) -> Incident | None:
    """The case's own active incident, else one of the brand's active public incidents that affects everyone."""
    now = timezone.now()
    active = Incident.objects.filter(brand=brand, state=Incident.State.ACTIVE, starts_at__lte=now).filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now)
    )
    if case is not None and case.incident_id:
        found = active.filter(pk=case.incident_id).first()
        if found is not None:
            return found
    for incident in active.filter(public=True).order_by("-starts_at")[:5]:
        if not incident.regions:
            return incident
    return None
