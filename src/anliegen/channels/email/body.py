"""The readable content of a mail: text, sanitised HTML, attachments and inline images, from any MIME shape."""

from __future__ import annotations

import binascii
import mimetypes
import re
from dataclasses import dataclass, field
from email import policy
from email.message import Message

from anliegen.base.parsed import ParsedAttachment

from . import msgfile, tnef
from .charsets import decode_bytes
from .headers import Headers, decode_value
from .sanitize import clean_html, html_to_text

_RAW_POLICY = policy.compat32.clone(max_line_length=0)
MAX_PARTS = 500  # a MIME bomb stops here; what was read so far is kept
MAX_DEPTH = 30
_MSGID_LINE = re.compile(r"^Message-ID:\s*<([^<>\s]+)>", re.I | re.M)
_MSGID = re.compile(r"<([^<>\s]+)>")
_UUENCODED = re.compile(r"^begin [0-7]{3,4} ([^\n]+)\n(.*?)^end[ \t]*$", re.M | re.S)
_REPORT_PARTS = {
    "message/delivery-status": "delivery-status.txt",
    "message/global-delivery-status": "delivery-status.txt",
    "message/disposition-notification": "disposition-notification.txt",
    "message/feedback-report": "feedback-report.txt",
    "text/rfc822-headers": "returned-headers.txt",
    "message/global-headers": "returned-headers.txt",
}
_TNEF = ("application/ms-tnef", "application/vnd.ms-tnef")
_OUTLOOK_ITEM = ("application/vnd.ms-outlook", "application/x-msg", "application/msoutlook")


@dataclass
class Body:
    text: str = ""
    html: str = ""
    attachments: list[ParsedAttachment] = field(default_factory=list)
    charset: str = ""  # the first declared text charset; a guess for raw 8-bit headers
    returned_ids: list[str] = field(default_factory=list)  # Message-IDs of mail quoted by a bounce


@dataclass
class _Acc:
    texts: list[str] = field(default_factory=list)
    htmls: list[str] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)
    returned_ids: list[str] = field(default_factory=list)
    charset: str = ""
    parts: int = 0


def extract(msg: Message) -> Body:
    acc = _Acc()
    _walk(msg, acc, 0)
    html = clean_html("\n".join(acc.htmls)) if acc.htmls else ""
    text = "\n\n".join(t.strip("\r\n") for t in acc.texts if t.strip())
    if not text.strip() and acc.htmls:
        text = html_to_text("\n".join(acc.htmls))
    text, uuencoded = _uudecode(text.replace("\r\n", "\n"))
    return Body(text, html, acc.attachments + uuencoded, acc.charset, list(dict.fromkeys(acc.returned_ids)))


def decode_part(part: Message, acc: _Acc | None = None) -> str:
    """The text of a part in any charset; unknown or lying charsets fall back instead of failing."""
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - a broken transfer encoding: read the payload as it stands
        data = str(part.get_payload()).encode("utf-8", "surrogateescape")
    if data is None:
        payload = part.get_payload()
        data = payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    charset = _charset(part)
    if acc is not None and charset and not acc.charset:
        acc.charset = charset
    return decode_bytes(data, charset)


def _charset(part: Message) -> str:
    try:
        return part.get_content_charset() or ""
    except Exception:  # noqa: BLE001 - a malformed parameter list
        return ""


def _walk(part: Message, acc: _Acc, depth: int) -> None:
    acc.parts += 1
    if acc.parts > MAX_PARTS or depth > MAX_DEPTH:
        return
    ctype = part.get_content_type()
    if ctype in ("message/rfc822", "message/global"):
        _returned_message(part, acc)
        return
    if ctype in _REPORT_PARTS:
        _report_part(part, ctype, acc)
        return
    if part.is_multipart():
        children = [p for p in part.get_payload() if isinstance(p, Message)]
        if ctype == "multipart/alternative":
            _alternative(children, acc, depth)
        else:
            for child in children:
                _walk(child, acc, depth + 1)
        return
    disposition = _disposition(part)
    filename = _filename(part)
    if ctype == "text/plain" and disposition != "attachment" and not filename:
        acc.texts.append(decode_part(part, acc))
    elif ctype == "text/html" and disposition != "attachment" and not filename:
        acc.htmls.append(decode_part(part, acc))
    else:
        attachment = _attachment(part, ctype, filename, disposition)
        acc.attachments.append(attachment)
        if ctype in _TNEF or attachment.filename.lower() == "winmail.dat":
            _unpack_tnef(attachment, acc)
        elif ctype in _OUTLOOK_ITEM or attachment.filename.lower().endswith(".msg"):
            _unpack_outlook_item(attachment, acc)


def _unpacked(found: tnef.TnefFile | msgfile.MsgFile) -> ParsedAttachment:
    """A file found inside winmail.dat or an Outlook item; a type Outlook left generic is guessed from the name."""
    ctype = found.content_type
    if ctype == "application/octet-stream":
        ctype = mimetypes.guess_type(found.filename)[0] or ctype
    return ParsedAttachment(filename=found.filename[:255], content_type=ctype[:120], data=found.data)


def _unpack_tnef(attachment: ParsedAttachment, acc: _Acc) -> None:
    """Outlook's winmail.dat: its files beside it (the original stays) and its text if the mail has none."""
    unpacked = tnef.unpack(attachment.data)
    acc.attachments.extend(_unpacked(found) for found in unpacked.files)
    if unpacked.text.strip() and not any(t.strip() for t in acc.texts):
        acc.texts.append(unpacked.text)
    if unpacked.html.strip() and not acc.htmls:
        acc.htmls.append(unpacked.html)


def _unpack_outlook_item(attachment: ParsedAttachment, acc: _Acc) -> None:
    """An Outlook item (.msg): its text as a .txt and its files beside the original, items attached to it too.

    Its text becomes the mail's when the mail says nothing itself (a bare "forward as attachment").
    """
    item = msgfile.unpack(attachment.data)
    if item is None:
        return
    if item.text.strip() and not any(t.strip() for t in acc.texts):
        acc.texts.append(item.summary())
    _add_item(item, acc)


def _add_item(item: msgfile.Msg, acc: _Acc) -> None:
    name = f"{_safe(item.subject) or 'outlook-item'}.txt"
    acc.attachments.append(ParsedAttachment(filename=name, content_type="text/plain", data=item.summary().encode()))
    acc.attachments.extend(_unpacked(found) for found in item.files)
    for inner in item.items:
        _add_item(inner, acc)


def _alternative(children: list[Message], acc: _Acc, depth: int) -> None:
    """The plain and the richest HTML version; nested related/mixed parts give their HTML and images."""
    plain = [c for c in children if c.get_content_type() == "text/plain" and _disposition(c) != "attachment"]
    rich = [c for c in children if c.get_content_type() == "text/html" and _disposition(c) != "attachment"]
    nested = [c for c in children if c.is_multipart()]
    if plain:
        acc.texts.append(decode_part(plain[0], acc))
    if rich:
        acc.htmls.append(decode_part(rich[-1], acc))
    elif nested:
        inner = _Acc(charset=acc.charset, parts=acc.parts)
        _walk(nested[-1], inner, depth + 1)
        acc.parts = inner.parts
        acc.htmls.extend(inner.htmls)
        acc.attachments.extend(inner.attachments)
        acc.returned_ids.extend(inner.returned_ids)
        if not plain:
            acc.texts.extend(inner.texts)
    elif not plain and children:
        _walk(children[-1], acc, depth + 1)


def _returned_message(part: Message, acc: _Acc) -> None:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if isinstance(inner, Message):
        heads = Headers(inner)
        acc.returned_ids.extend(_MSGID.findall(heads.raw("Message-ID")))
        subject = heads.text("Subject")
        data = _as_bytes(inner)
    else:
        subject, data = "", _payload_bytes(part)
    name = _filename(part) or f"{_safe(subject) or 'forwarded-message'}.eml"
    acc.attachments.append(ParsedAttachment(filename=name, content_type="message/rfc822", data=data))


def _report_part(part: Message, ctype: str, acc: _Acc) -> None:
    payload = part.get_payload()
    if isinstance(payload, list):  # the email package reads status groups as header-only messages
        text = "\n\n".join("\n".join(f"{k}: {v}" for k, v in p.raw_items()) for p in payload if isinstance(p, Message))
        data = text.encode("utf-8", "surrogateescape")
    else:
        data = _payload_bytes(part)
        text = data.decode("utf-8", "replace")
    acc.returned_ids.extend(_MSGID_LINE.findall(text))
    acc.attachments.append(ParsedAttachment(filename=_REPORT_PARTS[ctype], content_type=ctype, data=data))


def _as_bytes(msg: Message) -> bytes:
    # compat32 writes the headers as they came; the default policy reparses them and trips over broken ones.
    for pol in (_RAW_POLICY, None):
        try:
            return msg.as_bytes(policy=pol) if pol else msg.as_bytes()
        except Exception:  # noqa: BLE001, S112 - try the next way of writing it
            continue
    return b""


def _payload_bytes(part: Message) -> bytes:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - broken transfer encoding: keep what is there
        data = None
    if isinstance(data, bytes):
        return data
    payload = part.get_payload()
    return payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else _as_bytes(part)


def _disposition(part: Message) -> str:
    try:
        return (part.get_content_disposition() or "").lower()
    except Exception:  # noqa: BLE001
        return ""


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or part.get_param("name", header="content-type") or ""
    except Exception:  # noqa: BLE001 - broken RFC 2231 parameters
        name = ""
    if isinstance(name, tuple):  # an undecoded RFC 2231 triple
        name = decode_bytes(str(name[2]).encode("latin-1", "replace"), name[0] or "")
    if "\ufffd" in str(name):
        name = _raw_filename(part) or name  # raw 8-bit bytes the email package replaced: read them ourselves
    return decode_value(str(name))[:255]


_RAW_NAME = re.compile(r"""\b(?:file)?name\s*=\s*(?:"([^"]*)"|([^\s;]+))""", re.I)


def _raw_filename(part: Message) -> str:
    for header in ("content-disposition", "content-type"):
        for key, value in part.raw_items():
            if key.lower() == header and (found := _RAW_NAME.search(str(value))):
                return found.group(1) or found.group(2) or ""
    return ""


def _safe(value: str) -> str:
    return re.sub(r"[^\w .,()-]+", "_", value).strip()[:80]


def _attachment(part: Message, ctype: str, filename: str, disposition: str) -> ParsedAttachment:
    data = _payload_bytes(part)
    if not filename:
        if ctype in _TNEF:
            filename = "winmail.dat"
        else:
            ext = {"text/plain": "txt", "text/html": "html", "text/calendar": "ics"}.get(ctype)
            filename = f"part.{ext or ctype.rpartition('/')[2][:10] or 'bin'}"
    cid = Headers(part).raw("Content-ID").strip()
    cid = (_MSGID.findall(cid) or [cid.strip("<>")])[0][:250] if cid else ""
    return ParsedAttachment(
        filename=filename,
        content_type=ctype[:120],
        data=data,
        content_id=cid,
        inline=disposition == "inline" or (bool(cid) and disposition != "attachment"),
    )


def _uudecode(text: str) -> tuple[str, list[ParsedAttachment]]:
    """uuencoded files pasted into the text (Lotus Notes, old Outlook) become attachments."""
    found: list[ParsedAttachment] = []

    def one(match: re.Match[str]) -> str:
        data = bytearray()
        for line in match.group(2).splitlines():
            if not line or line.strip() in ("`", ""):
                continue
            try:
                data += binascii.a2b_uu(line)
            except binascii.Error:
                # Some encoders pad wrongly; the length byte says how much is real.
                size = (((ord(line[0]) - 32) & 63) * 4 + 5) // 3
                try:
                    data += binascii.a2b_uu(line[:size])
                except binascii.Error:
                    return match.group(0)
        name = match.group(1).strip()[:255] or "attachment"
        found.append(ParsedAttachment(filename=name, content_type="application/octet-stream", data=bytes(data)))
        return f"[{name}]"

    return _UUENCODED.sub(one, text), found
