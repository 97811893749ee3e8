"""An agent's changes to a case (reply, note, state, owner, send again), each announced to every desk of the brand."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from anliegen.base.parsed import ParsedAttachment
from anliegen.core.models import Agent, Case, Message

from . import cases, outbound


def announce(case: Case, message: Message | None = None) -> None:
    """Tell every desk of the brand that the case changed, once the change is committed."""
    from anliegen.base import realtime

    event = {
        "type": "case.updated",
        "case": case.pk,
        "brand": case.brand_id,
        "owner": case.owner_id,
        "subject": case.subject,
        "message": message.pk if message else None,
    }
    transaction.on_commit(lambda: realtime.publish(event))


@transaction.atomic
def reply(
    case: Case,
    agent: Agent,
    text: str,
    channel: str | None,
    new_state: str,
    attachments: list[ParsedAttachment] | None = None,
) -> Message:
    message = cases.do_reply(case, agent, text, channel=channel, attachments=attachments, new_state=new_state)
    announce(case, message)
    return message


@transaction.atomic
def note(case: Case, agent: Agent, text: str) -> Message:
    message = cases.do_note(case, agent, text)
    announce(case, message)
    return message


@transaction.atomic
def change_state(case: Case, agent: Agent, state: str) -> None:
    cases.do_change_state(case, agent, state)
    announce(case)


@transaction.atomic
def reassign(case: Case, agent: Agent, new_owner: Agent, note_text: str) -> Message | None:
    message = cases.do_reassign(case, agent, new_owner, note_text)
    announce(case, message)
    return message


@transaction.atomic
def retry(message: Message) -> None:
    """Send a failed or stuck message again now; never one a sender holds, so nothing is sent twice."""
    locked = Message.objects.select_for_update().get(pk=message.pk)
    if locked.sending_now:
        raise cases.CaseError(_("This message is being sent right now."))
    if not locked.can_send_again:
        raise cases.CaseError(_("Only a failed or stuck message can be sent again."))
    outbound.retry_now(locked)
    message.delivery = locked.delivery
    announce(message.case, message)
