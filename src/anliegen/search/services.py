"""The one search service: ranked cases for a query, with safe highlighted snippets, within the agent's brands."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from types import ModuleType

from django.db import connection
from django.utils.safestring import SafeString

from anliegen.core.models import Agent, Case, CaseState, Membership

from . import highlight, query

# Scores are tiered so a hit in a case's subject always ranks above a hit only in a message body;
# within a tier the engine's relevance (0..1) orders. A direct case reference beats everything.
REFERENCE_SCORE = 3.0
CONTACT_TIER = 2.0
MIN_QUERY = 2


@dataclass(frozen=True)
class Hit:
    case_id: int
    subject: str
    state: str
    state_label: str
    owner: str
    brand: str
    contact: str
    updated_at: datetime
    source: str  # "reference", "subject", "message" or "contact": where the query matched
    snippet: SafeString
    score: float


@dataclass
class _Candidate:
    score: float
    source: str
    message_id: int | None = None
    matched: str = ""


def brand_ids_of(agent_or_brand_ids: Agent | Iterable[int]) -> list[int]:
    if isinstance(agent_or_brand_ids, Agent):
        return list(Membership.objects.filter(agent=agent_or_brand_ids).values_list("brand_id", flat=True))
    return [int(b) for b in agent_or_brand_ids]


def _backend() -> ModuleType:
    if connection.vendor == "postgresql":
        from . import postgres

        return postgres
    from . import sqlite

    return sqlite


def search(agent_or_brand_ids: Agent | Iterable[int], text: str, limit: int = 20) -> list[Hit]:
    """Cases of the given brands (or of the agent's brands) matching text, best first, at most `limit`."""
    brands = brand_ids_of(agent_or_brand_ids)
    text = query.clean(text)
    if not brands or not query.words(text):
        return []
    found = _references(brands, text)
    if len(text) < MIN_QUERY:
        return _render(brands, list(found.items()), _backend(), "", text)
    backend = _backend()
    engine_query = backend.prepare(text)
    if engine_query:
        subjects = backend.subject_hits(brands, engine_query, limit)
        _keep(found, ((cid, _Candidate(s, "subject")) for cid, s in subjects))
    if len(text) >= 3:
        _keep(found, _contact_cases(backend, brands, text, limit, engine_query))
    # Body hits rank below every subject and contact hit: with a full page of those they could not be shown.
    if engine_query and len(found) < limit:
        hits = backend.message_hits(brands, engine_query, limit * 3)
        _keep(found, ((cid, _Candidate(s, "message", mid)) for cid, mid, s in hits))
    ranked = sorted(found.items(), key=lambda kv: (-kv[1].score, -kv[0]))[:limit]
    return _render(brands, ranked, backend, engine_query, text)


def _keep(found: dict[int, _Candidate], candidates: Iterable[tuple[int, _Candidate]]) -> None:
    for case_id, candidate in candidates:
        if case_id not in found or candidate.score > found[case_id].score:
            found[case_id] = candidate


def _references(brands: list[int], text: str) -> dict[int, _Candidate]:
    qs = Case.objects.filter(brand_id__in=brands)
    number, token = query.case_number(text), query.reply_token(text)
    if number is not None:
        qs = qs.filter(pk=number)
    elif token is not None:
        qs = qs.filter(reply_token=token)
    else:
        return {}
    return {pk: _Candidate(REFERENCE_SCORE, "reference") for pk in qs.values_list("pk", flat=True)[:1]}


def _contact_cases(
    backend: ModuleType, brands: list[int], text: str, limit: int, prepared: object
) -> list[tuple[int, _Candidate]]:
    contacts = {cid: (sim, matched) for cid, sim, matched in backend.contact_hits(brands, text, limit, prepared)}
    if not contacts:
        return []
    rows = (
        Case.objects.filter(contact_id__in=list(contacts), brand_id__in=brands)
        .order_by("-updated_at")
        .values_list("pk", "contact_id")[: limit * 2]
    )
    return [
        (pk, _Candidate(CONTACT_TIER + min(contacts[cid][0], 1.0) * 0.99, "contact", matched=contacts[cid][1]))
        for pk, cid in rows
    ]


SHOWN = ("pk", "subject", "state", "updated_at", "owner__name", "brand__name", "contact_id", "contact__name")


def _render(
    brands: list[int], ranked: list[tuple[int, _Candidate]], backend: ModuleType, engine_query: str, text: str
) -> list[Hit]:
    ids = [cid for cid, _ in ranked]
    # The brand filter again: nothing outside the agent's brands leaves this function, whatever a backend returned.
    # Only the shown columns as dicts: 50 cases with their owner, brand and contact as model instances cost
    # ~25 ms (every JSON column of three joined rows decoded per row), as plain values ~2 ms.
    cases = Case.objects.filter(pk__in=ids, brand_id__in=brands).values(*SHOWN)
    by_id = {c["pk"]: c for c in cases}
    labels = {value: str(label) for value, label in CaseState.choices}
    subjects = [cid for cid, c in ranked if c.source == "subject"]
    messages = [c.message_id for _, c in ranked if c.source == "message" and c.message_id]
    subject_marks = backend.subject_snippets(subjects, engine_query) if engine_query else {}
    message_marks = backend.message_snippets(messages, engine_query) if engine_query else {}
    hits = []
    for cid, cand in ranked:
        case = by_id.get(cid)
        if case is None:
            continue
        if cand.source == "subject" and cid in subject_marks:
            snippet = highlight.to_html(subject_marks[cid])
        elif cand.source == "message" and cand.message_id in message_marks:
            snippet = highlight.to_html(message_marks[cand.message_id])
        elif cand.source == "contact":
            snippet = highlight.mark_substring(cand.matched, text)
        else:
            snippet = highlight.plain(case["subject"])
        hits.append(
            Hit(
                case_id=cid,
                subject=case["subject"],
                state=case["state"],
                state_label=labels.get(case["state"], case["state"]),
                owner=case["owner__name"],
                brand=case["brand__name"],
                contact=case["contact__name"] or f"#{case['contact_id']}",  # as Contact.__str__
                updated_at=case["updated_at"],
                source=cand.source,
                snippet=snippet,
                score=cand.score,
            )
        )
    return hits
