"""Chat actions: the visitor leaves an address or asks for the transcript; an agent writes a line."""

from __future__ import annotations

import contextlib

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from anliegen.core.models import Agent, Case, CaseState, Message, MessageKind
from anliegen.core.services import case_updates, contacts, outbound

from .inbound import ChatRefused
from .models import Conversation
from .outbound import deliver_now


def history(conversation: Conversation, limit: int = 200) -> list[dict]:
    """The lines the visitor sees again on return: theirs and the agents', never notes or confirmations."""
    if not conversation.case_id:
        return []
    rows = (
        Message.objects.filter(case_id=conversation.case_id, kind=MessageKind.MESSAGE, channel__in=["chat", "email"])
        .exclude(direction="internal")
        .select_related("author_agent")
        .order_by("-id")[:limit]
    )
    from .outbound import frame

    return [frame(m) for m in reversed(rows)]


@transaction.atomic
def leave_email(conversation: Conversation, address: str, name: str = "") -> None:
    try:
        validate_email(address)
    except ValidationError as exc:
        raise ChatRefused("bad_email", "not an e-mail address") from exc
    conversation.email = address.strip()[:254]
    conversation.name = name.strip()[:160] or conversation.name
    Conversation.objects.filter(pk=conversation.pk).update(email=conversation.email, name=conversation.name)
    case = Case.objects.select_related("contact").filter(pk=conversation.case_id).first()
    if case is not None and not contacts.primary(case.contact, "email"):
        # Unverified: it is where the visitor asked the rest to go, not proof of who they are. Another contact's
        # address is not linked (the contacts stay apart); the rest still goes there.
        with contextlib.suppress(contacts.ContactError):
            contacts.check_add_identity(case.contact, "email", conversation.email)


@transaction.atomic
def send_transcript(conversation: Conversation) -> Message:
    if not conversation.email:
        raise ChatRefused("no_email", "leave an e-mail address first")
    case = Case.objects.select_related("owner", "brand").filter(pk=conversation.case_id).first()
    if case is None:
        raise ChatRefused("nothing_yet", "nothing written yet")
    with translation.override(case.language or case.brand.default_language):
        lines = [f"{line['author'] or _('You')}: {line['text']}" for line in history(conversation)]
        subject = _("Your chat with %(brand)s") % {"brand": case.brand.name}
        intro = _("Here is your chat with %(owner)s. Answer this mail to continue by e-mail.") % {
            "owner": case.owner.name
        }
    return outbound.new_message(
        case,
        channel="email",
        address=conversation.email,
        author=case.owner,
        kind=MessageKind.CONFIRMATION,
        subject=subject,
        text=intro + "\n\n" + "\n".join(lines) + "\n",
    )


def agent_says(agent: Agent, case: Case, text: str) -> Message:
    """An agent's chat line: recorded like any reply (the case stays open), pushed the moment it commits."""
    text = text.strip()
    if not text:
        raise ChatRefused("empty", "an empty message")
    with transaction.atomic():
        message = case_updates.reply(case, agent, text, "chat", CaseState.OPEN)
        if message.channel == "chat":
            transaction.on_commit(lambda: deliver_now(message.pk))
    return message
