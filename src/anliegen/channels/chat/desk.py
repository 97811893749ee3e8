"""The agent's chats: every live conversation of their brands, theirs first, each answerable from one page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from anliegen.core.models import Case
from anliegen.desk import scope

from .models import Conversation
from .services import history

RECENT = timedelta(hours=12)


@dataclass
class Panel:
    conversation: Conversation
    case: Case
    lines: list[dict]
    mine: bool


def _panels(agent: object, conversations: list[Conversation]) -> list[Panel]:
    cases = {c.pk: c for c in Case.objects.select_related("owner").filter(pk__in=[v.case_id for v in conversations])}
    panels = [
        Panel(v, cases[v.case_id], history(v, 50), cases[v.case_id].owner_id == agent.pk)
        for v in conversations
        if v.case_id in cases
    ]
    return sorted(panels, key=lambda p: (not p.mine, -p.conversation.last_seen_at.timestamp()))


@require_GET
@scope.agent_required
def chats(request: HttpRequest) -> HttpResponse:
    since = timezone.now() - RECENT
    conversations = list(
        Conversation.objects.filter(brand_id__in=scope.brand_ids(request.agent), case__isnull=False)
        .filter(last_seen_at__gte=since)
        .order_by("-last_seen_at")[:50]
    )
    return render(request, "desk/chats.html", {"panels": _panels(request.agent, conversations)})


@require_GET
@scope.agent_required
def chat_panel(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = Conversation.objects.filter(
        pk=conversation_id, brand_id__in=scope.brand_ids(request.agent), case__isnull=False
    ).first()
    if conversation is None:
        raise Http404
    return render(request, "desk/_chat_panel.html", {"panel": _panels(request.agent, [conversation])[0]})
