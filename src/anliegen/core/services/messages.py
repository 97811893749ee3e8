"""Writing what arrived: a new case, the customer's message, an agent's mailed reply, attachments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.utils import timezone

from anliegen.audit import services as audit
from anliegen.base import batch
from anliegen.base.parsed import ParsedAttachment
from anliegen.channels import registry
from anliegen.core.models import (
    Agent,
    Attachment,
    Brand,
    Case,
    CaseEvent,
    CaseState,
    Contact,
    Direction,
    Incident,
    Message,
    MessageKind,
)
from anliegen.integrations import events

from . import answer_time

if TYPE_CHECKING:
    from django.db.models import Model

    from anliegen.base.parsed import ParsedMessage

REOPEN_STATES = (CaseState.WAITING, CaseState.SOLVED)
PUBLIC_COMPLAINT_HOURS = 1


@dataclass
class Recorded:
    message: Message
    reopened: bool


def write_new_case(
    case: Case, contact: Contact | None, brand: Brand, trace: dict, now: datetime, *, public_complaint: bool = False
) -> None:
    """Write a new case (and its contact when new) with its first audit entry; `trace` is how it was found."""
    case.answer_due_at = answer_time.due(brand, now)
    if public_complaint:
        # Complaints in public get priority: answered within the hour (service hours), if that is sooner.
        soon = answer_time.add(brand, now, timedelta(hours=PUBLIC_COMPLAINT_HOURS))
        case.answer_due_at = min(case.answer_due_at, soon)
    if contact is not None and contact.pk is None:
        batch.create(contact)
    batch.create(case)
    batch.create(CaseEvent(case=case, kind=CaseEvent.Kind.CREATED, actor=case.owner, data=trace.copy()))
    events.case_created(case)


def record_inbound(
    case: Case,
    msg: ParsedMessage,
    *,
    inbound: Model,
    brand: Brand,
    contact: Contact | None = None,
    new_case: bool = False,
    trace: dict | None = None,
    agent_author: Agent | None = None,
    automatic: str = "",
    incident: Incident | None = None,
    public_complaint: bool = False,
) -> Recorded:
    """Store `msg`, which arrived as `inbound` (an intake Inbound: its channel, its import options), on `case`.

    A new case is written first (with `contact` when new; a `public_complaint` is due sooner). An agent writing from their mail client replies;
    a customer's message reopens a waiting or solved case, unless it is `automatic`.
    """
    now = timezone.now()
    if new_case:
        write_new_case(case, contact, brand, trace or {}, now, public_complaint=public_complaint)
    if agent_author is not None:
        from . import cases

        message = cases.do_reply(
            case,
            agent_author,
            msg.text,
            html=msg.html,
            attachments=msg.attachments,
            external_id=msg.external_id,
            # A migrated mailbox holds replies the customer got long ago: record them, never send them again.
            send=not inbound.meta.get("no_acknowledge"),
        )
        return Recorded(message, False)
    message = Message(
        case=case,
        brand=brand,
        channel=inbound.channel,
        direction=Direction.IN,
        kind=MessageKind.AUTOMATIC if automatic else MessageKind.MESSAGE,
        subject=msg.subject[:250],
        body_text=msg.text,
        body_html=msg.html,
        address=msg.identities[0][1][:254] if msg.identities else "",
        external_id=msg.external_id[:250],
        in_reply_to=(msg.in_reply_to[0] if msg.in_reply_to else "")[:250],
        public=msg.public,
        inbound=inbound,
    )
    batch.create(message)
    save_attachments(message, msg.attachments)
    events.message_added(message)
    reopened = False
    if not automatic:
        # The customer's last channel is where they expect the answer; a form keeps the case's (or e-mail).
        fields = {
            "last_customer_at": now,
            "updated_at": now,
            "preferred_channel": registry.answering(inbound.channel, case.preferred_channel),
        }
        if case.state in REOPEN_STATES:
            record_reopened(case, case.state, "customer message")
            fields["state"] = CaseState.OPEN
            reopened = True
        if incident is not None and not case.incident_id:
            fields["incident_id"] = incident.pk
        for name, value in fields.items():
            setattr(case, name, value)
        if not new_case:
            batch.update(case, list(fields))
        if reopened:
            batch.create(CaseEvent(case=case, kind=CaseEvent.Kind.STATE, text="reopened by customer message"))
    return Recorded(message, reopened)


def record_reopened(case: Case, old: str, why: str) -> None:
    """The customer's message or call reopened the case: a state change the audit log names no agent for."""
    audit.record(None, audit.Action.CASE_STATE, case, {"from": old, "to": CaseState.OPEN, "why": why}, via="system")


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
