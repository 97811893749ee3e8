"""What agents do to a case: reply, add a note, change the state, hand it to someone else."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from anliegen.audit import services as audit
from anliegen.base.parsed import ParsedAttachment
from anliegen.channels import registry
from anliegen.core.models import Agent, Case, CaseEvent, CaseState, Direction, Message, MessageKind
from anliegen.integrations import events

from . import contacts, outbound


class CaseError(ValueError):
    """A request an agent made that the case cannot take; the message is shown to the agent."""


def reply_target(case: Case, channel: str | None = None) -> tuple[str, str]:
    """(channel, address) a reply goes to: the asked-for channel, else the customer's preferred one."""
    channel = registry.answering(channel or case.preferred_channel or registry.FALLBACK)
    kind = registry.identity_kind(channel)
    identity = contacts.primary(case.contact, kind) if kind and registry.can_send(channel) else None
    if identity is None and channel != registry.FALLBACK:
        channel = registry.FALLBACK
        identity = contacts.primary(case.contact, registry.identity_kind(channel))
    if identity is None:
        # No address to send to: the reply still shows on the customer's case page.
        return registry.CASE_PAGE, ""
    return channel, identity.value


@transaction.atomic
def do_reply(
    case: Case,
    agent: Agent,
    text: str,
    html: str = "",
    channel: str | None = None,
    attachments: list[ParsedAttachment] | None = None,
    external_id: str = "",
    new_state: str | None = CaseState.WAITING,
    send: bool = True,
) -> Message:
    """Record an agent's reply and queue it on the customer's channel; `send=False` records history only."""
    channel, address = reply_target(case, channel)
    if send and (reason := registry.refusal(channel, case, address)):
        raise CaseError(reason)
    if send and registry.spec(channel).public:
        # Posted as plain text, as the channel's public-reply rules pass it (the continuation link appended).
        text, html = registry.prepare_public(channel, case, agent, text, address), ""
    message = outbound.new_message(
        case,
        channel=channel,
        address=address,
        author=agent,
        kind=MessageKind.MESSAGE,
        subject=case.subject,
        text=text,
        html=html,
        attachments=attachments,
        send=send,
        external_id=external_id[:250],
    )
    fields = {"updated_at": timezone.now()}
    if new_state and case.state != new_state:
        fields["state"] = new_state
        audit.record(agent, audit.Action.CASE_STATE, case, {"from": case.state, "to": new_state, "why": "reply"})
    Case.objects.filter(pk=case.pk).update(**fields)
    for name, value in fields.items():
        setattr(case, name, value)
    return message


@transaction.atomic
def do_note(case: Case, agent: Agent, text: str) -> Message:
    note = Message.objects.create(
        case=case,
        brand=case.brand,
        channel="desk",
        direction=Direction.INTERNAL,
        kind=MessageKind.NOTE,
        author_agent=agent,
        body_text=text,
    )
    events.message_added(note)
    return note


@transaction.atomic
def do_change_state(case: Case, agent: Agent, state: str) -> None:
    if state not in CaseState.values:
        raise CaseError(_("unknown state %(state)s") % {"state": state})
    if state == case.state:
        return
    old = case.state
    case.state = state
    case.save(update_fields=["state", "updated_at"])
    CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.STATE, actor=agent, data={"from": old, "to": state})
    audit.record(agent, audit.Action.CASE_STATE, case, {"from": old, "to": state})
    if state == CaseState.SOLVED:
        events.case_solved(case)


@transaction.atomic
def do_reassign(case: Case, actor: Agent, new_owner: Agent, note: str, tell_customer: bool = True) -> Message | None:
    """Hand the case to someone else; the customer is always told the new name."""
    if new_owner.pk == case.owner_id:
        raise CaseError(_("That agent already owns the case."))
    if not new_owner.memberships.filter(brand_id=case.brand_id).exists():
        raise CaseError(_("The new owner does not work for this brand."))
    old = case.owner
    case.owner = new_owner
    case.save(update_fields=["owner", "updated_at"])
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.REASSIGNED,
        actor=actor,
        text=note,
        data={"from": old.pk, "to": new_owner.pk},
    )
    audit.record(actor, audit.Action.CASE_ASSIGN, case, {"from": old.pk, "to": new_owner.pk})
    if not tell_customer:
        return None
    return _tell_new_owner(case, old)


def _tell_new_owner(case: Case, old: Agent) -> Message:
    from . import notices

    return notices.tell_customer(case, "new_owner", "%(subject)s", {"previous": old})
