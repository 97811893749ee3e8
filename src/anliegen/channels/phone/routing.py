"""Who should take this call: the case owner, their deputy, the best available agent, or an honest wait.

No menu tree: the caller's number says who they are, their open case says who knows their concern.
Available means on shift (online), not on leave and free on the phone (not ringing, on a call or in wrap-up).
Everything is read in one query (lookup.py); the line, the incidents and the agents' loads come from the cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

from anliegen.core.models import Brand
from anliegen.core.services import answer_time
from anliegen.core.services.authority import covers

from . import lookup, waits
from .lookup import ActiveIncident, Person
from .numbers import e164


@dataclass
class Route:
    action: str  # connect | queue | closed
    reason: str  # owner | deputy | best | nobody_free | closed
    brand: Brand
    number: str = ""
    agent: Person | None = None
    owner: Person | None = None  # the case owner, also when someone else answers for them
    case_id: int | None = None
    contact_id: int | None = None
    language: str = "de"
    incident: ActiveIncident | None = None
    wait: waits.Estimate | None = None
    callback: dict | None = None  # the booking offered when queued (booking.offer)
    notes: list[str] = field(default_factory=list)

    @property
    def extension(self) -> str:
        return self.agent.extension if self.agent else ""

    @property
    def incident_title(self) -> str:
        if self.incident is None:
            return ""
        return (self.language == "en" and self.incident.title_en) or self.incident.title


def route(brand: Brand, caller: str, region: str = "DE") -> Route:
    number, _problem = e164(caller, region)
    found = lookup.caller(brand.pk, number)
    language = found.contact_language or found.case_language or brand.default_language
    answer = Route(
        "queue", "nobody_free", brand, number=number, contact_id=found.contact_id, case_id=found.case_id,
        language=language,
    )  # fmt: skip
    now = timezone.now()
    answer.incident = _incident(brand.pk, found.incident_id, now)
    if not answer_time.in_service_hours(brand, now):
        answer.action, answer.reason = "closed", "closed"
        return answer
    agents = found.agents
    if found.case_id is not None:
        owner, deputy = agents.get(found.owner_id), agents.get(found.deputy_id)
        answer.owner = owner
        if owner is not None and _available(owner):
            return _connect(answer, owner, "owner")
        if deputy is not None and _available(deputy) and deputy.member:
            return _connect(answer, deputy, "deputy")
    best = _best(brand.pk, [a for a in agents.values() if a.member and _available(a)], found.needs, language)
    if best is not None:
        return _connect(answer, best, "best")
    answer.wait = waits.for_brand(brand)
    return answer


def _available(agent: Person) -> bool:
    return agent.on_shift and agent.free and bool(agent.extension)


def _connect(answer: Route, agent: Person, reason: str) -> Route:
    answer.action, answer.reason, answer.agent = "connect", reason, agent
    return answer


def _best(brand_id: int, pool: list[Person], needs: dict, language: str) -> Person | None:
    """The free agent whose authority covers the case's needs, who speaks the language, with the least load."""
    if not pool:
        return None
    for keep in (lambda a: covers(a.authority, needs or {}), lambda a: language in (a.languages or [])):
        narrowed = [a for a in pool if keep(a)]
        pool = narrowed or pool
    if len(pool) == 1:
        return pool[0]
    loads = lookup.loads(brand_id)
    return min(pool, key=lambda a: (loads.get(a.pk, 0) / max(a.capacity, 1), loads.get(a.pk, 0), a.pk))


def _incident(brand_id: int, own: int | None, now: object) -> ActiveIncident | None:
    """The case's own active incident, else the brand's newest active public incident that affects everyone."""
    running = [i for i in lookup.incidents(brand_id) if i.starts_at <= now and (i.ends_at is None or i.ends_at > now)]
    if own is not None:
        for incident in running:
            if incident.pk == own:
                return incident
    for incident in running:
        if incident.public and not incident.regions:
            return incident
    return None
