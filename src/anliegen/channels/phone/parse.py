"""Turn a stored call event into a ParsedMessage for the intake pipeline: the caller's number is the identity."""

from __future__ import annotations

from dataclasses import replace

from django.utils import translation
from django.utils.translation import gettext as _

from anliegen.base.parsed import ParsedMessage
from anliegen.intake.context import Quarantine

from . import events
from .numbers import e164


def call_message_id(brand_id: int | None, call_id: str) -> str:
    """The Message.external_id of a call's one message: every event of the call threads to it."""
    return f"call.{brand_id}.{call_id}"[:250]


def parse(raw: bytes, meta: dict) -> ParsedMessage:
    try:
        event = events.read(meta.get("format", ""), bytes(raw), meta.get("content_type", ""))
    except events.EventError as exc:  # the view checked it; a changed reader must not lose the event
        raise Quarantine(f"call event unreadable: {exc}") from exc
    if not event.at and meta.get("received_at"):
        event = replace(event, at=meta["received_at"])
    number, problem = e164(event.customer_number, meta.get("region") or "DE")
    if not number:
        # Kept as it came (raw on the Inbound); a person can add the number to a contact and reprocess.
        raise Quarantine(f"the caller's number cannot be used: {problem}")
    language = meta.get("language") or "de"
    with translation.override(language):
        subject = (_("Call from %(number)s") if event.direction == "in" else _("Call to %(number)s")) % {
            "number": number
        }
    own_id = call_message_id(meta.get("brand"), event.call_id)
    return ParsedMessage(
        sender_name=event.caller_name,
        identities=[("phone", number)],
        subject=subject,
        text="",
        external_id=own_id,
        in_reply_to=[own_id],  # a later event of the same call finds its case through the first one
        recipients=[event.line_number] if event.line_number else [],
        language=language,
        to_open_case=True,
        call=event,
    )
