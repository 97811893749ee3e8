"""Writing what arrived: a new case, the customer's message, an agent's mailed reply, attachments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from anliegen.base import batch
from anliegen.base.parsed import ParsedAttachment
from anliegen.channels import registry
from anliegen.core.models import Attachment, CaseEvent, CaseState, Direction, Identity, Message, MessageKind
from anliegen.intake.context import Context
from anliegen.integrations import events

from . import answer_time

REOPEN_STATES = (CaseState.WAITING, CaseState.SOLVED)
PUBLIC_COMPLAINT_HOURS = 1


@dataclass
class Recorded:
    message: Message
    reopened: bool


def write_new_case(ctx: Context, now: datetime) -> None:
    """Write the case the pipeline prepared (and its contact when new), with its first audit entry."""
    case = ctx.case
    case.answer_due_at = answer_time.due(ctx.brand, now)
    if "post:complaint" in ctx.flags:
        # Complaints in public get priority: answered within the hour (service hours), if that is sooner.
        soon = answer_time.add(ctx.brand, now, timedelta(hours=PUBLIC_COMPLAINT_HOURS))
        case.answer_due_at = min(case.answer_due_at, soon)
    if ctx.contact is not None and ctx.contact.pk is None:
        batch.create(ctx.contact)
    batch.create(case)
    batch.create(CaseEvent(case=case, kind=CaseEvent.Kind.CREATED, actor=case.owner, data=ctx.trace.copy()))
    events.case_created(case)


def record_inbound(ctx: Context) -> Recorded:
    case, msg, now = ctx.case, ctx.message, timezone.now()
    if msg.call is not None:
        # A call is one message however many events tell of it: the phone channel keeps its facts.
        from anliegen.channels.phone.record import record_call

        message, reopened = record_call(ctx)
        return Recorded(message, reopened)
    if ctx.new_case:
        write_new_case(ctx, now)
    if ctx.agent_author is not None:
        from . import cases

        message = cases.do_reply(
            case,
            ctx.agent_author,
            msg.text,
            html=msg.html,
            attachments=msg.attachments,
            external_id=msg.external_id,
            # A migrated mailbox holds replies the customer got long ago: record them, never send them again.
            send=not ctx.inbound.meta.get("no_acknowledge"),
        )
        return Recorded(message, False)
    message = Message(
        case=case,
        brand=ctx.brand,
        channel=ctx.inbound.channel,
        direction=Direction.IN,
        kind=MessageKind.AUTOMATIC if ctx.automatic else MessageKind.MESSAGE,
        subject=msg.subject[:250],
        body_text=msg.text,
        body_html=msg.html,
        address=msg.identities[0][1][:254] if msg.identities else "",
        external_id=msg.external_id[:250],
        in_reply_to=(msg.in_reply_to[0] if msg.in_reply_to else "")[:250],
        public=msg.public,
        inbound=ctx.inbound,
    )
    batch.create(message)
    save_attachments(message, msg.attachments)
    events.message_added(message)
    if msg.bounced_addresses:
        bounced = [a.lower() for a in msg.bounced_addresses]
        batch.before_read(("identity", ctx.brand.pk, "email", a) for a in bounced)
        Identity.objects.filter(brand=ctx.brand, kind="email", value__in=bounced).update(undeliverable=True)
    reopened = False
    if not ctx.automatic:
        fields = {"last_customer_at": now, "updated_at": now, "preferred_channel": _reply_channel(ctx)}
        if case.state in REOPEN_STATES:
            fields["state"] = CaseState.OPEN
            reopened = True
        if ctx.incident is not None and not case.incident_id:
            fields["incident_id"] = ctx.incident.pk
        for name, value in fields.items():
            setattr(case, name, value)
        if not ctx.new_case:
            type(case).objects.filter(pk=case.pk).update(**fields)
        if reopened:
            batch.create(CaseEvent(case=case, kind=CaseEvent.Kind.STATE, text="reopened by customer message"))
    return Recorded(message, reopened)


def _reply_channel(ctx: Context) -> str:
    # The customer's last channel is where they expect the answer; a form keeps the case's (or e-mail).
    return registry.answering(ctx.inbound.channel, ctx.case.preferred_channel)


def save_attachments(message: Message, attachments: list[ParsedAttachment]) -> None:
    for att in attachments:
        record = Attachment(
            message=message,
            filename=(att.filename or "attachment")[:255],
            content_type=att.content_type[:120],
            size=len(att.data),
            content_id=att.content_id[:250],
        )
        record.file.save(_safe_name(att.filename), ContentFile(att.data), save=False)
        record.save()


def _safe_name(filename: str) -> str:
    from django.utils.text import get_valid_filename

    try:
        return get_valid_filename(filename or "attachment")[:100] or "attachment"
    except Exception:  # noqa: BLE001 - Django raises SuspiciousFileOperation for names like ".."
        return "attachment"
