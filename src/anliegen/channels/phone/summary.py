"""After the call: the agent's note on the call, and the written summary the customer gets with one click.

The summary says what was agreed (the note), the open promises with their due times, and how to reach the
owner directly (reply address and extension); it goes to the written channel the agent chose or the case prefers
(a spec with `summary`: e-mail or SMS, whichever the customer can be reached on), else it waits on the case page.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anliegen.channels import registry
from anliegen.core.models import Agent, Case, CaseEvent, Message
from anliegen.core.services import authority, contacts, notices
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


def written() -> list[str]:
    """The channels a summary may go by (spec.summary), in registry order: the first the customer has wins."""
    return [s.name for s in registry.specs() if s.summary]


def reachable(case: Case, channel: str) -> bool:
    kind = registry.identity_kind(channel)
    if not (registry.can_send(channel) and kind and contacts.primary(case.contact, kind) is not None):
        return False
    return registry.ready(channel, case.brand_id)  # e.g. texts go from the brand's own SMS number


def summary_channel(case: Case, asked: str = "") -> str | None:
    """The written channel for the summary: the one asked for, else the case's preferred one, e-mail, SMS."""
    if asked:
        if asked not in written():
            raise SummaryError(_("a summary goes by e-mail or SMS"))
        if not reachable(case, asked):
            raise SummaryError(_("the customer has no address for %(channel)s") % {"channel": asked})
        return asked
    preferred = [case.preferred_channel] if case.preferred_channel in written() else []
    return next((ch for ch in [*preferred, *written()] if reachable(case, ch)), None)


@transaction.atomic
def check_send_summary(call: Call, agent: Agent, channel: str = "") -> Message:
    """Send the customer the summary of the call in writing; refused without a note (nothing to confirm).

    A caller known only by their number gets it by SMS; without any address it waits on the case page.
    """
    if not authority.is_member(agent, call.brand_id):
        raise SummaryError(_("you do not work for this brand"))
    if call.message is None:
        raise SummaryError(_("this call is on no case yet"))
    if not call.note.strip():
        raise SummaryError(_("write what was agreed first: the summary tells the customer exactly that"))
    case = call.message.case
    via = summary_channel(case, channel)
    promises = list(case.promises.filter(state=Promise.State.OPEN).order_by("due_at"))
    message = notices.tell_customer(
        case,
        "call_summary",
        gettext_lazy("Our call: %(subject)s"),
        # "simply reply to this mail" where a reply threads (e-mail), and as before where it waits on the case page
        {
            "call": call,
            "note": call.note,
            "promises": promises,
            "by_mail": via is None or registry.spec(via).quotes_external_id,
        },
        author=agent,
        channel=via,
    )
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.NOTE, actor=agent, text="call summary sent",
                             data={"call": call.call_id, "message": message.pk})  # fmt: skip
    return message
