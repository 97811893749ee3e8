"""Telling the customer something on their preferred channel, in their language, without oversharing."""

from __future__ import annotations

from django.utils import translation

from anliegen.channels import registry
from anliegen.core.models import Agent, Case, Message, MessageKind

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
    disclose = channel != registry.CASE_PAGE and may_disclose(case, channel, identity)
    author = author or case.owner
    text, html = render(case, template, {"disclose": disclose, "author": author, **(extra or {})})
    with translation.override(case.language or case.brand.default_language):
        title = str(subject) % {"subject": case.subject}
    return outbound.new_message(
        case,
        channel=channel,
        address=address,
        author=author,
        kind=MessageKind.CONFIRMATION,
        subject=title,
        text=text,
        html=html,
    )
