"""Record a call event on its case: one Message of kind call per call, its facts merged from every event.

Called by the intake pipeline's store stage for phone items (the phone spec's `record`).
A missed inbound call in service hours becomes a callback promise owned by the case owner.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anliegen.base import batch, realtime
from anliegen.core.models import Agent, CaseState, Direction, Message, MessageKind
from anliegen.core.services.messages import REOPEN_STATES, Recorded, record_reopened, write_new_case
from anliegen.intake.context import Context

from . import callbacks, calls, presence
from .events import CallEvent
from .models import Call, CallResult


def record_call(ctx: Context) -> Recorded:
    event: CallEvent = ctx.message.call
    now = timezone.now()
    at = datetime.fromisoformat(event.at) if event.at else now
    team = agents_by_extension(ctx.brand.pk)
    if ctx.new_case:
        # Whoever took (or made) the call is the person the caller met: they own the concern.
        first = team.get(event.extension) or _by_name(team, event.users)
        if first is not None and (event.kind == "answer" or event.direction == "out"):
            ctx.case.owner = first
            ctx.note("route", f"{first.mailbox} took the call")
        write_new_case(ctx.case, ctx.contact, ctx.brand, ctx.trace, now)
    scope = batch.current()
    if scope is not None:
        scope.flush()  # the call row below refers to the case and the message by their written rows
    call = _call_row(ctx, event)
    for entry in _entries(event, at, team):
        call.events = calls.add(call.events or [], entry)
    summary = calls.summarise(call.events)
    agent = team.get(summary.extension) or (_by_name(team, event.users) if event.kind == "answer" else None)
    _copy(call, summary, agent, event)
    message = _message(ctx, call, event, summary, agent)
    call.message = message
    call.save()
    reopened = _touch_case(ctx, event, now)
    callbacks.after_call(ctx.brand, ctx.case, call, summary)
    presence.apply_call(call.call_id, summary, team)
    if scope is not None:
        scope.forget_reads()  # rows written outside the batch's bookkeeping: later lookups ask the database
    if event.kind == "ring" and not summary.answered_at and not summary.ended:
        _screen_pop(ctx, call, summary, team)
    return Recorded(message, reopened)


def agents_by_extension(brand_id: int) -> dict[str, Agent]:
    """The brand's agents by every name a PBX may use for them: extension, login, address."""
    found: dict[str, Agent] = {}
    for agent in Agent.objects.filter(memberships__brand_id=brand_id).select_related("user"):
        for key in (agent.mailbox, agent.user.email.lower(), agent.extension):
            if key:
                found[key] = agent
    return found


def _entries(event: CallEvent, at: datetime, team: dict[str, Agent]) -> list[calls.Entry]:
    """A ring at a group is one ring per agent; the PBX may name them by extension or by name (user[])."""
    if event.kind != "ring" or event.extension:
        return [calls.entry(event, at)]
    wanted = {n.lower() for n in event.users}
    rung = sorted({a.extension or a.mailbox for a in team.values() if a.name.lower() in wanted})
    return [calls.entry(replace(event, extension=ext), at) for ext in rung] or [calls.entry(event, at)]


def _by_name(team: dict[str, Agent], names: list[str]) -> Agent | None:
    wanted = {n.lower() for n in names}
    return next((a for a in team.values() if a.name.lower() in wanted), None)


def _call_row(ctx: Context, event: CallEvent) -> Call:
    rows = Call.objects.filter(brand=ctx.brand, call_id=event.call_id)
    if settings.IS_POSTGRES:
        rows = rows.select_for_update(of=("self",))  # two events of one call merge one after the other
    call = rows.select_related("message").first()
    if call is not None:
        return call
    call = Call(
        brand=ctx.brand,
        call_id=event.call_id,
        direction=event.direction,
        number=ctx.message.identities[0][1],
        number_raw=event.customer_number[:64],
        line_number=event.line_number[:64],
    )
    try:
        with transaction.atomic():
            call.save()
    except IntegrityError:
        return rows.select_related("message").get()  # a concurrent event of the same call made it first
    return call


def _copy(call: Call, summary: calls.Summary, agent: Agent | None, event: CallEvent) -> None:
    call.started_at, call.answered_at, call.ended_at = summary.started_at, summary.answered_at, summary.ended_at
    call.result, call.duration_seconds = summary.result, summary.duration
    call.extension, call.ringing = summary.extension, summary.ringing
    call.agent = agent or call.agent
    if event.kind == "hangup" and event.cause:
        call.cause = event.cause[:40]


def _message(ctx: Context, call: Call, event: CallEvent, summary: calls.Summary, agent: Agent | None) -> Message:
    text = describe(call, summary, agent, ctx.case.language or ctx.brand.default_language)
    message = call.message
    if message is not None:
        Message.objects.filter(pk=message.pk).update(body_text=text, author_agent=agent or message.author_agent)
        message.body_text = text
        return message
    return Message.objects.create(
        case=ctx.case,
        brand=ctx.brand,
        channel="phone",
        direction=Direction.IN if event.direction == "in" else Direction.OUT,
        kind=MessageKind.CALL,
        author_agent=agent,
        subject=ctx.message.subject[:250],
        body_text=text,
        address=call.number,
        external_id=ctx.message.external_id,
        inbound=ctx.inbound,
    )


def describe(call: Call, summary: calls.Summary, agent: Agent | None, language: str) -> str:
    """One line for the case timeline, in the case's language."""
    with translation.override(language):
        who = agent.name if agent else (call.extension or _("the team"))
        minutes, seconds = divmod(summary.duration or 0, 60)
        texts = {
            CallResult.RINGING: _("Ringing at %(who)s") % {"who": ", ".join(summary.ringing) or who},
            CallResult.ANSWERED: _("Answered by %(who)s") % {"who": who},
            CallResult.MISSED: _("Missed call"),
            CallResult.BUSY: _("Busy"),
            CallResult.VOICEMAIL: _("Voicemail"),
        }
        line = texts[summary.result]
        if summary.ended and summary.result == CallResult.ANSWERED:
            line += _(", talked %(m)d:%(s)02d min") % {"m": minutes, "s": seconds}
        if summary.previous:
            line += _(" (transferred from %(from)s)") % {"from": ", ".join(summary.previous)}
        return line


def _touch_case(ctx: Context, event: CallEvent, now: datetime) -> bool:
    case = ctx.case
    if event.direction != "in" or ctx.new_case:
        return False
    fields: dict = {"updated_at": now, "last_customer_at": now}
    reopened = case.state in REOPEN_STATES
    if reopened:
        record_reopened(case, case.state, "incoming call")
        fields["state"] = CaseState.OPEN
    type(case).objects.filter(pk=case.pk).update(**fields)
    for name, value in fields.items():
        setattr(case, name, value)
    return reopened


def _screen_pop(ctx: Context, call: Call, summary: calls.Summary, team: dict[str, Agent]) -> None:
    """Tell the desks of the agents it rings at who is calling and about what, once the event is committed."""
    ringing = {team[e].pk for e in summary.ringing if e in team}
    if not ringing:
        return
    case = ctx.case
    event = {
        "type": "phone.ringing",
        "brand": ctx.brand.pk,
        "agents": sorted(ringing),
        "call": call.pk,
        "number": call.number,
        "contact": ctx.contact.pk if ctx.contact else None,
        "contact_name": ctx.contact.name if ctx.contact else "",
        "new_contact": ctx.new_contact,
        "case": case.pk,
        "subject": case.subject,
    }
    transaction.on_commit(lambda: realtime.publish(event))
