"""A stored Twilio form into a ParsedMessage (the sender's number, the text, MMS media) or a status receipt."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from anliegen.base.parsed import ParsedAttachment, ParsedMessage
from anliegen.channels.messaging import receipts
from anliegen.channels.messaging.http import ProviderError, call
from anliegen.channels.phone.numbers import e164
from anliegen.intake.context import Discard, Quarantine

from .models import SmsNumber

log = logging.getLogger(__name__)
# Twilio's MessageStatus -> a receipt; queued/sending/accepted say nothing the desk does not know yet.
STATUSES = {"sent": "sent", "delivered": "delivered", "read": "read", "undelivered": "failed", "failed": "failed"}


def parse(raw: bytes, meta: dict) -> ParsedMessage:
    form = {k: v[0] for k, v in parse_qs(bytes(raw).decode(), keep_blank_values=True).items()}
    if "MessageStatus" in form:
        status = STATUSES.get(form["MessageStatus"])
        if status is None:
            raise Discard(f"status {form['MessageStatus']}")
        code = form.get("ErrorCode", "")
        detail = _("error %(code)s") % {"code": code} if code else ""
        outcome = receipts.record(meta.get("brand_id"), "sms", form["MessageSid"], status, timezone.now(), detail)
        raise Discard(f"status: {outcome}")
    number, problem = e164(form.get("From", ""), meta.get("region") or "DE")
    if not number:
        raise Quarantine(f"the sender's number cannot be used: {problem}")
    with translation.override(meta.get("language") or "de"):
        attachments, notes = _media(form, meta.get("brand_id"))
    return ParsedMessage(
        identities=[("phone", number)],
        text="\n".join(filter(None, [form.get("Body", ""), *notes])),
        attachments=attachments,
        external_id=form.get("MessageSid") or form.get("SmsSid", ""),
        recipients=[form.get("To", "")],
        to_open_case=True,  # a texting customer goes on with the open case
    )


def _media(form: dict, brand_id: int | None) -> tuple[list[ParsedAttachment], list[str]]:
    """MMS: MediaUrl0..n, fetched with the account's credentials (Twilio's media URLs need Basic auth)."""
    count = int(form.get("NumMedia") or 0) if str(form.get("NumMedia") or "0").isdigit() else 0
    number = SmsNumber.objects.filter(brand_id=brand_id, number=form.get("To", "")).first()
    found, notes = [], []
    for i in range(min(count, 10)):
        url, mime = form.get(f"MediaUrl{i}", ""), form.get(f"MediaContentType{i}", "application/octet-stream")
        try:
            if number is None:
                raise ProviderError("no account for the number")
            data = call("GET", url, basic=(number.account_sid, number.auth_token)).body
        except ProviderError as exc:
            log.warning("sms media %s could not be fetched: %s", url, exc)
            notes.append(_("[media %(n)s could not be fetched: %(error)s]") % {"n": i + 1, "error": exc})
            continue
        extension = mime.partition("/")[2].split(";")[0] or "bin"
        found.append(ParsedAttachment(filename=f"mms-{i + 1}.{extension}", content_type=mime, data=data))
    return found, notes
