"""What the routing query reads while the phone rings, in one SQL round trip, and what it may keep for seconds.

One statement finds the caller's identity, their newest open case, its owner and the owner's deputy with their
phone presence, and the brand's agents on shift who could take the call (for the case where neither owner nor
deputy is free): no model is built, rows are read as tuples. What changes slowly is kept in the cache for a few
seconds and dropped at once when this process changes it (signals.py): the phone line and its brand
(PHONE_LINE_CACHE_SECONDS), the brand's active incidents (5 s) and the agents' open-case counts
(PHONE_LOAD_CACHE_SECONDS). Another process's change shows within those seconds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from anliegen.core.models import Agent, Brand, Case, Contact, Identity, Incident, Membership, Presence
from anliegen.core.models.case import OPEN_STATES

from . import presence, signatures
from .models import AgentPhone, PhoneLine, PhoneState

INCIDENT_SECONDS = 5


@dataclass
class Person:
    """An agent as routing sees them: enough to decide and to announce, nothing more."""

    pk: int
    name: str
    extension: str
    on_shift: bool  # online and not on leave
    languages: list = field(default_factory=list)
    authority: dict = field(default_factory=dict)
    capacity: int = 40
    free: bool = True  # free on the phone: not ringing, on a call, in wrap-up or away
    member: bool = False  # works for the brand asked about

    def __str__(self) -> str:
        return self.name


@dataclass
class Caller:
    contact_id: int | None = None
    contact_language: str = ""
    case_id: int | None = None
    case_language: str = ""
    needs: dict = field(default_factory=dict)
    incident_id: int | None = None
    owner_id: int | None = None
    deputy_id: int | None = None
    agents: dict[int, Person] = field(default_factory=dict)  # owner, deputy and the brand's agents on shift


@dataclass(frozen=True)
class Line:
    brand: Brand
    token: str
    twilio_auth_token: str
    sip_domain: str


def _sql() -> str:
    t = {
        m.__name__: m._meta.db_table
        for m in (Identity, Contact, Case, Agent, Membership, AgentPhone)
    }  # fmt: skip
    # The caller (0 or 1 row) joined to every candidate (owner, deputy, the brand's agents on shift): one row per
    # candidate, at least one row. Parameters in order: the open states, brand, number, brand, online, on leave.
    return f"""
WITH caller AS (
  SELECT i.contact_id, ct.language AS contact_language, c.id AS case_id, c.language AS case_language,
         c.needs, c.incident_id, c.owner_id, o.deputy_id
  FROM {t["Identity"]} i
  JOIN {t["Contact"]} ct ON ct.id = i.contact_id
  LEFT JOIN {t["Case"]} c ON c.id = (
    SELECT c2.id FROM {t["Case"]} c2
    WHERE c2.contact_id = i.contact_id AND c2.state IN (%s, %s) AND c2.merged_into_id IS NULL
    ORDER BY c2.updated_at DESC LIMIT 1)
  LEFT JOIN {t["Agent"]} o ON o.id = c.owner_id
  WHERE i.brand_id = %s AND i.kind = 'phone' AND i.value = %s
  ORDER BY i.id LIMIT 1
),
members AS (SELECT agent_id FROM {t["Membership"]} WHERE brand_id = %s),
candidates AS (
  SELECT a.id, a.name, a.extension, a.presence, a.on_leave, a.languages, a.authority, a.capacity,
         p.state, p.since, a.id IN (SELECT agent_id FROM members) AS member
  FROM {t["Agent"]} a LEFT JOIN {t["AgentPhone"]} p ON p.agent_id = a.id
  WHERE a.id IN (SELECT owner_id FROM caller UNION SELECT deputy_id FROM caller)
     OR (a.presence = %s AND a.on_leave = %s AND a.extension <> '' AND a.id IN (SELECT agent_id FROM members))
)
SELECT caller.*, candidates.*
FROM (SELECT 1 AS one) base LEFT JOIN caller ON 1 = 1 LEFT JOIN candidates ON 1 = 1
"""  # noqa: S608 - table names from the models, every value a parameter


_statement: list[str] = []


def _json(value: object, default: object) -> object:
    if isinstance(value, str):
        value = json.loads(value)
    return default if value is None else value


def _moment(value: object) -> datetime | None:
    if isinstance(value, str):  # SQLite hands a joined column back as text
        value = parse_datetime(value)
    if isinstance(value, datetime) and timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def _fetch(sql: str, params: list) -> list[tuple]:
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    # A prepared statement: planning the query took longer (~0.6 ms) than running it (~0.2 ms). Django's own
    # cursors bind on the client, so this one is psycopg's server-side cursor on Django's connection.
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchall()


def caller(brand_id: int, number: str) -> Caller:
    """The caller's case, its owner and deputy, and the candidates; one query (none of it for no number)."""
    if not _statement:
        _statement.append(_sql())
    params = [*OPEN_STATES, brand_id, number or "", brand_id, Presence.ONLINE, False]
    rows = _fetch(_statement[0], params)
    found = Caller()
    now = timezone.now()
    for row in rows:
        (contact_id, contact_lang, case_id, case_lang, needs, incident_id, owner_id, deputy_id) = row[:8]
        if contact_id is not None and found.contact_id is None:
            found.contact_id, found.contact_language = contact_id, contact_lang or ""
            found.case_id, found.case_language = case_id, case_lang or ""
            found.needs, found.incident_id = _json(needs, {}), incident_id
            found.owner_id, found.deputy_id = owner_id, deputy_id
        agent_id, name, extension, presence_, on_leave, languages, authority, capacity, state, since, member = row[8:]
        if agent_id is None:
            continue
        phone = presence.effective(state, _moment(since), now) if state else PhoneState.AVAILABLE
        found.agents[agent_id] = Person(
            agent_id, name, extension or "", presence_ == Presence.ONLINE and not on_leave,
            _json(languages, []), _json(authority, {}), capacity or 0, phone == PhoneState.AVAILABLE, bool(member),
        )  # fmt: skip
    return found


def line(key: str) -> Line | None:
    """The line named by `<brand slug>.<token>`; the token is compared in constant time."""
    slug, _dot, token = key.partition(".")
    held = cache.get(line_key(slug))
    if held is None:
        row = PhoneLine.objects.select_related("brand").filter(brand__slug=slug).first()
        held = Line(row.brand, row.token, row.twilio_auth_token, row.sip_domain) if row else False
        cache.set(line_key(slug), held, settings.PHONE_LINE_CACHE_SECONDS)
    if not held or not signatures.token_matches(token, held.token):
        return None
    return held


def line_key(slug: str) -> str:
    return f"phone.line.{slug}"


def loads(brand_id: int) -> dict[int, int]:
    """Open cases per agent of the brand (of all their brands, as their load is), kept a few seconds."""
    key = loads_key(brand_id)
    found = cache.get(key)
    if found is None:
        members = Membership.objects.filter(brand_id=brand_id).values("agent_id")
        found = dict(
            Case.objects.filter(owner_id__in=members, state__in=OPEN_STATES)
            .values_list("owner_id")
            .annotate(n=Count("id"))
            .values_list("owner_id", "n")
        )
        cache.set(key, found, settings.PHONE_LOAD_CACHE_SECONDS)
        cache.set(LOADED_BRANDS, {*(cache.get(LOADED_BRANDS) or ()), brand_id}, None)
    return found


LOADED_BRANDS = "phone.loads.brands"


def loads_key(brand_id: int) -> str:
    return f"phone.loads.{brand_id}"


@dataclass(frozen=True)
class ActiveIncident:
    pk: int
    title: str
    title_en: str
    public: bool
    regions: list
    starts_at: datetime
    ends_at: datetime | None


def incidents(brand_id: int) -> list[ActiveIncident]:
    """The brand's incidents in state active, newest first (whether each runs now is checked by the reader)."""
    key = incidents_key(brand_id)
    found = cache.get(key)
    if found is None:
        rows = Incident.objects.filter(brand_id=brand_id, state=Incident.State.ACTIVE).order_by("-starts_at", "-pk")
        fields = ("pk", "title", "title_en", "public", "regions", "starts_at", "ends_at")
        found = [ActiveIncident(*values) for values in rows.values_list(*fields)]
        cache.set(key, found, INCIDENT_SECONDS)
    return found


def incidents_key(brand_id: int) -> str:
    return f"phone.incidents.{brand_id}"
