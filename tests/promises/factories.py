"""Helpers for the promise, routing, API and scenario tests: real inbounds through the real pipeline."""

from __future__ import annotations

import json
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from django.utils import timezone

from anliegen.core.models import Brand, Case
from anliegen.intake.accept import accept
from anliegen.intake.models import Inbound, InboundState


def webform(brand: Brand, email: str, subject: str, text: str, sub: str, phone: str = "", name: str = "") -> Case:
    raw = json.dumps({"name": name, "email": email, "phone": phone, "subject": subject, "text": text}).encode()
    acc = accept("webform", sub, raw, {"submission": sub}, brand_id=brand.pk)
    return _case_of(acc.inbound_id)


def email_raw(
    sender: str, to: str, subject: str, body: str, msgid: str = "", in_reply_to: str = "", name: str = ""
) -> tuple[str, bytes]:
    msg = EmailMessage()
    msg["From"] = f"{name} <{sender}>" if name else sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(timezone.now())
    msgid = msgid or make_msgid(domain="example.org")
    msg["Message-ID"] = msgid
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to.strip('<>')}>"
        msg["References"] = f"<{in_reply_to.strip('<>')}>"
    msg.set_content(body)
    return msgid.strip("<>"), msg.as_bytes()


def email(brand: Brand, sender: str, subject: str, body: str, to: str = "", **kw: str) -> Case:
    to = to or brand.support_address
    msgid, raw = email_raw(sender, to, subject, body, **kw)
    acc = accept("email", msgid, raw, {"rcpt_tos": [to], "sender": sender}, brand_id=brand.pk)
    return _case_of(acc.inbound_id)


def portal(case: Case, text: str, sub: str) -> Case:
    identity = case.contact.identities.order_by("pk").first()
    raw = json.dumps({"case_id": case.pk, "contact_identity": [identity.kind, identity.value], "text": text}).encode()
    acc = accept("portal", sub, raw, {"submission": sub}, brand_id=case.brand_id)
    return _case_of(acc.inbound_id)


def _case_of(inbound_id: int) -> Case:
    inbound = Inbound.objects.get(pk=inbound_id)
    assert inbound.state == InboundState.DONE, f"{inbound.stage}: {inbound.reason}\n{inbound.traceback}"
    return Case.objects.select_related("owner", "contact", "brand").get(pk=inbound.case_id)
