"""After the call: the agent's note on the call, and the written summary the customer gets with one click.

The summary says what was agreed (the note), the open promises with their due times, and how to reach the
owner directly (reply address and extension); it goes to the case's written channel (e-mail, else the case page).
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anliegen.core.models import Agent, CaseEvent, Message
from anliegen.core.services import authority, notices
from anliegen.promises.models import Promise

from . import calls, presence
from .models import Call, PhoneState
from .record import describe

NOTE_LIMIT = 4000


class SummaryError(ValueError):
    """A note or summary that cannot be saved or sent; the message is shown to the agent."""


@transaction.atomic
def check_note(call: Call, agent: Agent, text: str) -> Call:
    """Save the call note (shown on the case under the call) and end the agent's wrap-up."""
    if not authority.is_member(agent, call.brand_id):
        raise SummaryError(_("you do not work for this brand"))
    text = (text or "").strip()
    if len(text) > NOTE_LIMIT:
        raise SummaryError(_("keep the note under %(n)d characters") % {"n": NOTE_LIMIT})
    call = Call.objects.select_for_update(of=("self",)).select_related("message__case", "agent").get(pk=call.pk)
    call.note = text
    call.save(update_fields=["note", "updated_at"])
    if call.message is not None:
        case = call.message.case
        line = describe(call, calls.summarise(call.events), call.agent, case.language or case.brand.default_language)
        Message.objects.filter(pk=call.message_id).update(body_text=f"{line}\n\n{text}" if text else line)
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, actor=agent, text="call note",
                                 data={"call": call.call_id})  # fmt: skip
    presence.do_set_state(agent, PhoneState.AVAILABLE, only_from=(PhoneState.WRAP_UP,))
    return call


@transaction.atomic
def check_send_summary(call: Call, agent: Agent) -> Message:
    """Send the customer the summary of the call in writing; refused without a note (nothing to confirm)."""
    if not authority.is_member(agent, call.brand_id):
        raise SummaryError(_("you do not work for this brand"))
    if call.message is None:
        raise SummaryError(_("this call is on no case yet"))
    if not call.note.strip():
        raise SummaryError(_("write what was agreed first: the summary tells the customer exactly that"))
    case = call.message.case
    promises = list(case.promises.filter(state=Promise.State.OPEN).order_by("due_at"))
    message = notices.tell_customer(
        case,
        "call_summary",
        gettext_lazy("Our call: %(subject)s"),
        {"call": call, "note": call.note, "promises": promises},
        author=agent,
    )
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, actor=agent, text="call summary sent",
                             data={"call": call.call_id, "message": message.pk})  # fmt: skip
    return message
