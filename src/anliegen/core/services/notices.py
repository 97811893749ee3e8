"""Telling the customer something on their preferred channel, in their language, without oversharing."""

from __future__ import annotations

from django.utils import translation

from anliegen.core.models import Agent, Case, Direction, Message, MessageKind

from . import outbound
from .cases import reply_target
from .confirmations import render
from .verification import identity_for, may_disclose


def tell_customer(
    case: Case,
    template: str,
    subject: str,
    extra: dict | None = None,
    author: Agent | None = None,
    channel: str | None = None,
) -> Message:
    """Render confirmations/<template> and queue it; templates show personal lines only when `disclose`.

    `subject` is a lazy or plain msgid, translated in the case's language.
    """
    channel, address = reply_target(case, channel)
    identity = identity_for(case.contact, channel, address)
    disclose = channel != "portal" and may_disclose(case, channel, identity)
    author = author or case.owner
    text, html = render(case, template, {"disclose": disclose, "author": author, **(extra or {})})
    with translation.override(case.language or case.brand.default_language):
        title = str(subject) % {"subject": case.subject}
    message = Message.objects.create(
        case=case,
        brand=case.brand,
        channel=channel,
        direction=Direction.OUT,
        kind=MessageKind.CONFIRMATION,
        author_agent=author,
        on_behalf_of=case.owner if author.pk != case.owner_id else None,
        subject=title[:250],
        body_text=text,
        body_html=html,
        address=address,
    )
    if channel != "portal":
        outbound.queue(message)
    return message
