"""What the widget shows before the first message: who will answer, the honest wait, known problems."""

from __future__ import annotations

from datetime import timedelta
from statistics import median

from django.db.models import Min, OuterRef, Subquery
from django.utils import timezone

from anliegen.core.models import Agent, Brand, Case, Direction, Message, MessageKind, Presence
from anliegen.routing.owners import choose_owner
from anliegen.selfservice import services as selfservice

from .models import Conversation

WAIT_SAMPLE = 30  # recent chat cases the wait is measured on
WAIT_WINDOW = timedelta(days=14)


def initials(name: str) -> str:
    parts = [p for p in name.split() if p[:1].isalpha()]
    return "".join(p[0] for p in (parts[:1] + parts[-1:] if len(parts) > 1 else parts)).upper()


def greeting(brand: Brand, conversation: Conversation | None, language: str, topic: str = "") -> dict:
    """`topic` is what the visitor's page is about (its title): help articles are matched on it."""
    owner = _likely_owner(brand, conversation, language)
    online = Agent.objects.filter(memberships__brand=brand, presence=Presence.ONLINE).exists()
    return {
        "brand": brand.name,
        "owner": {"name": owner.name, "initials": initials(owner.name)} if owner else None,
        "online": online,
        "wait_seconds": wait_seconds(brand) if online else None,
        "incidents": incidents(brand),
        "articles": articles(brand, topic, language),
    }


def _likely_owner(brand: Brand, conversation: Conversation | None, language: str) -> Agent | None:
    if conversation is not None and conversation.case_id:
        case = Case.objects.select_related("owner").filter(pk=conversation.case_id).first()
        if case is not None:
            return case.owner
    # The same choice routing makes for a new case now (it may differ by the time the visitor writes).
    choice = choose_owner(brand, language=language)
    return choice.agent if choice else None


def wait_seconds(brand: Brand) -> int | None:
    """Median time to an agent's first chat line over the brand's recent chat cases; None without a sample.

    Measured, never promised from nothing: with fewer than three answered chats the widget names no wait.
    """
    first_answer = (
        Message.objects.filter(case=OuterRef("pk"), direction=Direction.OUT, kind=MessageKind.MESSAGE)
        .values("case")
        .annotate(at=Min("created_at"))
        .values("at")
    )
    since = timezone.now() - WAIT_WINDOW
    rows = (
        Case.objects.filter(brand=brand, preferred_channel="chat", created_at__gte=since)
        .annotate(answered=Subquery(first_answer))
        .filter(answered__isnull=False)
        .order_by("-created_at")
        .values_list("created_at", "answered")[:WAIT_SAMPLE]
    )
    waits = [(answered - created).total_seconds() for created, answered in rows]
    return int(median(waits)) if len(waits) >= 3 else None


def incidents(brand: Brand) -> list[dict]:
    return [{"title": i.title, "text": i.description[:300]} for i in selfservice.active_incidents(brand)[:3]]


def articles(brand: Brand, text: str, language: str, limit: int = 3) -> list[dict]:
    """Published help articles about the page (or the line being typed), with their public address."""
    text = text.strip()[:300]
    if not text:
        return []
    found = selfservice.matching_articles(brand, text, language=language, limit=limit)
    return [{"title": m.article.title, "url": selfservice.article_url(m.article)} for m in found]
