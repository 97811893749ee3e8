"""Turn a raw RFC 5322 message into a ParsedMessage with the standard library's email package."""

from __future__ import annotations

import re
from email import policy
from email.message import Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime

from anliegen.base.parsed import ParsedAttachment, ParsedMessage
from anliegen.intake.context import Quarantine

from .automatic import automatic_reason, bounced_addresses
from .body import Body, extract
from .charsets import DEFAULT_LANGUAGES, preferring
from .headerblock import repair_header_block
from .headers import Headers
from .heuristics import is_system_address
from .inbound import message_id_of

_MSGID = re.compile(r"<([^<>\s]+)>")
_KEEP_HEADERS = ("Date", "Content-Language", "X-Mailer", "User-Agent", "Auto-Submitted", "List-Id")


def message_id(msg: Message, raw: bytes) -> str:
    """The Message-ID without brackets; a stable digest of the bytes for mail that has none."""
    return message_id_of(Headers(msg).raw("Message-ID"), raw)


def read(raw: bytes) -> Message:
    # compat32 keeps header values as they came: several times faster than the header registry of
    # policy.default, and it cannot crash on a malformed value; Headers decodes what is shown.
    return BytesParser(policy=policy.compat32).parsebytes(repair_header_block(raw))


def parse(raw: bytes, meta: dict) -> ParsedMessage:
    # Undeclared 8-bit text is guessed in the receiving brand's languages first (when the brand is known).
    with preferring(meta.get("languages") or DEFAULT_LANGUAGES):
        return _parse(raw, meta)


def _parse(raw: bytes, meta: dict) -> ParsedMessage:
    if not raw.strip():
        raise Quarantine("empty message")
    try:
        msg = read(raw)
    except Exception as exc:  # noqa: BLE001 - the raw bytes stay on the Inbound for a person to look at
        raise Quarantine(f"unreadable as e-mail: {type(exc).__name__}: {exc}") from exc
    if not msg.keys():
        raise Quarantine("not an e-mail message: no header lines")
    body = extract(msg)
    heads = Headers(msg, fallback_charset=body.charset)
    # Two addresses in From (RFC 5322 allows a list with a Sender): the first is answered, the header is kept.
    senders = heads.addresses("From") or heads.addresses("Sender", "Reply-To", "Return-Path")
    name, sender = senders[0] if senders else ("", "")
    automatic = automatic_reason(msg, heads, sender, meta, body.text)
    chain = _reply_chain(heads)
    if automatic:
        # A bounce or auto-reply quotes the mail it answers: its ids tie it to the case.
        chain.extend(i for i in body.returned_ids if i not in chain)
    return ParsedMessage(
        sender_name=name[:160],
        identities=[("email", sender)] if sender else [],
        subject=heads.text("Subject")[:250],
        text=body.text,
        html=body.html,
        attachments=body.attachments,
        external_id=message_id_of(heads.raw("Message-ID"), raw),
        in_reply_to=chain,
        recipients=_recipients(heads, meta),
        reply_to=_reply_to(heads, sender),
        headers={k: heads.text(k)[:500] for k in _KEEP_HEADERS if heads.has(k)},
        language=_language(heads),
        automatic=automatic,
        bounced_addresses=bounced_addresses(msg, heads, body.text) if automatic else [],
        sent_at=_date(heads),
    )


def _reply_chain(heads: Headers) -> list[str]:
    """In-Reply-To first, then References newest first: the ids this mail answers."""
    in_reply_to = _MSGID.findall(heads.raw("In-Reply-To"))
    references = list(reversed(_MSGID.findall(" ".join(heads.all("References")))))
    return list(dict.fromkeys(in_reply_to + references))


def _reply_to(heads: Headers, sender: str) -> str:
    """The Reply-To address when it is another than the sender's and no list's (a list's is not the person)."""
    found = heads.addresses("Reply-To")
    if not found or found[0][1] == sender or is_system_address(found[0][1]):
        return ""
    posts = " ".join(heads.all("List-Post")).lower()
    return "" if found[0][1] in posts else found[0][1]


def _recipients(heads: Headers, meta: dict) -> list[str]:
    seen: list[str] = [r.lower() for r in meta.get("rcpt_tos", []) if r]
    for _, address in heads.addresses("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc"):
        if address not in seen:
            seen.append(address)
    return seen


def _language(heads: Headers) -> str:
    value = heads.raw("Content-Language").lower()[:2]
    return value if value in ("de", "en") else ""


def _date(heads: Headers) -> str:
    try:
        return parsedate_to_datetime(heads.raw("Date")).isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return ""


__all__ = ["Body", "ParsedAttachment", "message_id", "parse", "read"]
