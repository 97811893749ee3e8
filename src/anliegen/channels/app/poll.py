"""The in-app poll endpoint: what the app shows of its report (state, owner, the public conversation)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from anliegen.core.models import Case, Direction, Message, MessageKind

from .inbound import problem
from .links import SALT


@require_GET
def poll(request: HttpRequest, brand_slug: str, token: str) -> JsonResponse:
    """The case's state, its owner and the public lines of the conversation, for the app to show in-app."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.CASE_LINK_MAX_AGE)
    except signing.SignatureExpired:
        return problem(410, "expired", "this poll link has expired")
    except signing.BadSignature:
        return problem(404, "not_found", "no such report")
    case = Case.objects.select_related("owner", "brand").filter(pk=data.get("c"), brand__slug=brand_slug).first()
    if case is None or case.reply_token != data.get("t"):
        return problem(404, "not_found", "no such report")
    rows = (
        Message.objects.filter(case=case, kind=MessageKind.MESSAGE)
        .exclude(direction=Direction.INTERNAL)
        .select_related("author_agent")
        .order_by("id")[:200]
    )
    messages = [
        {
            "id": m.pk,
            "from": "agent" if m.direction == Direction.OUT else "user",
            "author": m.author_agent.name if m.author_agent else "",
            "text": m.body_text,
            "at": m.created_at.isoformat(),
        }
        for m in rows
    ]
    return JsonResponse({"state": case.state, "owner": {"name": case.owner.name}, "messages": messages})
