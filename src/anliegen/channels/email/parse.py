"""Turn a raw RFC 5322 message into a ParsedMessage with the standard library's email package."""

from __future__ import annotations

import hashlib
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr, parsedate_to_datetime

from anliegen.intake.context import ParsedAttachment, ParsedMessage

from .automatic import automatic_reason, bounced_addresses, header
from .sanitize import clean_html, html_to_text

_MSGID = re.compile(r"<([^<>\s]+)>")


def message_id(msg: EmailMessage, raw: bytes) -> str:
    """The Message-ID without brackets; a stable digest of the bytes for mail that has none."""
    found = _MSGID.findall(header(msg, "Message-ID"))
    if found:
        return found[0][:250]
    return f"sha256-{hashlib.sha256(raw).hexdigest()}"


def read(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)


def parse(raw: bytes, meta: dict) -> ParsedMessage:
    msg = read(raw)
    name, sender = _sender(msg)
    text, html, attachments = _body(msg)
    references = list(reversed(_MSGID.findall(header(msg, "References"))))
    in_reply_to = _MSGID.findall(header(msg, "In-Reply-To"))
    chain = list(dict.fromkeys(in_reply_to + references))
    automatic = automatic_reason(msg, sender)
    return ParsedMessage(
        sender_name=name,
        identities=[("email", sender)] if sender else [],
        subject=_one_line(header(msg, "Subject"))[:250],
        text=text,
        html=html,
        attachments=attachments,
        external_id=message_id(msg, raw),
        in_reply_to=chain,
        recipients=_recipients(msg, meta),
        headers={k: header(msg, k)[:500] for k in ("Date", "Content-Language", "X-Mailer", "User-Agent")},
        language=_language(msg),
        automatic=automatic,
        bounced_addresses=bounced_addresses(msg) if automatic else [],
        sent_at=_date(msg),
    )


def _one_line(value: str) -> str:
    return re.sub(r"\s+", " ", value).strip()


def _sender(msg: EmailMessage) -> tuple[str, str]:
    for name in ("From", "Sender", "Reply-To", "Return-Path"):
        value = header(msg, name)
        if value:
            display, address = parseaddr(value)
            if "@" in address:
                return _one_line(display), address.strip().lower()
    return "", ""


def _recipients(msg: EmailMessage, meta: dict) -> list[str]:
    seen: list[str] = [r.lower() for r in meta.get("rcpt_tos", [])]
    values = [header(msg, n) for n in ("Delivered-To", "X-Original-To", "To", "Cc", "Envelope-To")]
    for _, address in getaddresses([v for v in values if v]):
        address = address.strip().lower()
        if "@" in address and address not in seen:
            seen.append(address)
    return seen


def _language(msg: EmailMessage) -> str:
    value = header(msg, "Content-Language").lower()[:2]
    return value if value in ("de", "en") else ""


def _date(msg: EmailMessage) -> str:
    try:
        return parsedate_to_datetime(header(msg, "Date")).isoformat()
    except (TypeError, ValueError, IndexError):
        return ""


def decode_part(part: EmailMessage) -> str:
    """The text of a part in any charset; unknown or lying charsets fall back instead of failing."""
    try:
        content = part.get_content()
        if isinstance(content, str):
            return content
    except (LookupError, UnicodeError, AssertionError, KeyError, ValueError):
        pass
    data = part.get_payload(decode=True) or b""
    if isinstance(data, str):
        return data
    for charset in (part.get_content_charset(), "utf-8", "cp1252"):
        if not charset:
            continue
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def _body(msg: EmailMessage) -> tuple[str, str, list[ParsedAttachment]]:
    texts: list[str] = []
    htmls: list[str] = []
    attachments: list[ParsedAttachment] = []
    _walk(msg, texts, htmls, attachments)
    html = clean_html("\n".join(htmls)) if htmls else ""
    text = "\n\n".join(t.strip() for t in texts if t.strip())
    if not text and htmls:
        text = html_to_text("\n".join(htmls))
    return text.replace("\r\n", "\n"), html, attachments


def _walk(part: EmailMessage, texts: list[str], htmls: list[str], attachments: list[ParsedAttachment]) -> None:
    ctype = part.get_content_type()
    if part.is_multipart() and ctype != "message/rfc822":
        subparts = list(part.iter_parts())
        if ctype == "multipart/alternative":
            plain = [p for p in subparts if p.get_content_type() == "text/plain"]
            rich = [p for p in subparts if p.get_content_type() == "text/html"]
            rest = [p for p in subparts if p not in plain and p not in rich]
            if plain:
                texts.append(decode_part(plain[0]))
            if rich:
                htmls.append(decode_part(rich[-1]))
            for sub in rest:
                _walk(sub, texts, htmls, attachments)
            return
        for sub in subparts:
            _walk(sub, texts, htmls, attachments)
        return
    disposition = (part.get_content_disposition() or "").lower()
    filename = _filename(part)
    if ctype == "text/plain" and disposition != "attachment" and not filename:
        texts.append(decode_part(part))
    elif ctype == "text/html" and disposition != "attachment" and not filename:
        htmls.append(decode_part(part))
    else:
        attachments.append(_attachment(part, ctype, filename, disposition))


def _filename(part: EmailMessage) -> str:
    try:
        return part.get_filename() or ""
    except Exception:  # noqa: BLE001 - broken RFC 2231 parameters
        return ""


def _attachment(part: EmailMessage, ctype: str, filename: str, disposition: str) -> ParsedAttachment:
    if ctype == "message/rfc822":
        inner = part.get_payload()
        data = inner[0].as_bytes() if isinstance(inner, list) and inner else part.as_bytes()
        filename = filename or "forwarded-message.eml"
    else:
        try:
            data = part.get_payload(decode=True) or b""
        except Exception:  # noqa: BLE001 - broken transfer encoding: keep what is there
            data = str(part.get_payload()).encode("utf-8", "replace")
    if not filename:
        ext = {"text/plain": "txt", "text/html": "html", "application/ms-tnef": "dat"}.get(ctype, "bin")
        filename = "winmail.dat" if ctype == "application/ms-tnef" else f"part.{ext}"
    content_id = _MSGID.findall(header(part, "Content-ID"))
    return ParsedAttachment(
        filename=filename,
        content_type=ctype,
        data=data if isinstance(data, bytes) else bytes(data),
        content_id=content_id[0] if content_id else "",
        inline=disposition == "inline",
    )
