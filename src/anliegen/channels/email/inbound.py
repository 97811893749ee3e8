"""Turn raw mail and its envelope into Inbound rows (the id, the brand, a few facts for later stages) and store them."""

from __future__ import annotations

import hashlib
import re
import time
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser

from anliegen.intake.accept import Accepted, Item, accept_many

from .addresses import pairs, unsurrogate

_MSGID = re.compile(r"<([^<>\s]+)>")
# Headers each hop adds on the way (RFC 5321 trace fields and what MTAs write beside them): the same message
# delivered twice, or over two paths, differs only in these.
_TRACE = re.compile(
    rb"^(received|x-received|return-path|delivered-to|x-delivered-to|x-original-to|envelope-to|x-envelope-from|"
    rb"x-envelope-to|x-rcpt-to|x-spam-[\w-]+|x-virus-scanned|authentication-results|arc-[\w-]+):",
    re.I,
)


def content_digest(raw: bytes) -> str:
    """sha256 of the message without its trace headers (and an mbox From_ line): what the sender wrote."""
    end = raw.find(b"\n\n")
    crlf = raw.find(b"\r\n\r\n")
    if crlf != -1 and (end == -1 or crlf < end):
        end = crlf
    head, body = (raw[:end], raw[end:]) if end != -1 else (raw, b"")
    kept: list[bytes] = []
    skipping = False
    for line in head.replace(b"\r\n", b"\n").split(b"\n"):
        if line[:1] in (b" ", b"\t"):  # a folded continuation belongs to the header before it
            if not skipping:
                kept.append(line)
            continue
        skipping = line.startswith(b"From ") or bool(_TRACE.match(line))
        if not skipping:
            kept.append(line)
    return hashlib.sha256(b"\n".join(kept) + body.replace(b"\r\n", b"\n")).hexdigest()


def message_id_of(value: str, raw: bytes) -> str:
    """The Message-ID without brackets; a stable digest of the bytes for mail that has none."""
    value = unsurrogate(value or "")  # raw 8-bit bytes in it (RFC 6532) as text, never lone surrogates
    found = _MSGID.findall(value)
    if found:
        return found[0][:250]
    bare = (value or "").strip()
    if bare and " " not in bare and "@" in bare:
        return bare.strip("<>")[:250]  # some mailers forget the brackets
    return f"sha256-{hashlib.sha256(raw).hexdigest()}"


def header_facts(raw: bytes, headers: Message | None = None) -> tuple[str, str]:
    """(Message-ID, lowercased sender address) read from the headers only (`headers`: parsed already)."""
    if headers is None:  # not `or`: a Message without header lines is falsy (its len is 0)
        headers = BytesHeaderParser(policy=policy.compat32).parsebytes(raw)
    try:
        # raw_items keeps raw 8-bit bytes (RFC 6532 addresses) that get() would turn into U+FFFD.
        values: dict[str, list[str]] = {}
        for name, value in headers.raw_items():
            values.setdefault(name.lower(), []).append(str(value))
        message_id = (values.get("message-id") or [""])[0]
        sender = ""
        for name in ("from", "sender", "return-path"):
            found = [a for value in values.get(name, []) for _, a in pairs(value)]
            if found:
                sender = found[0]
                break
    except Exception:  # noqa: BLE001 - a header the email package cannot read: keep the mail, use the digest
        message_id, sender = "", ""
    return message_id_of(message_id, raw), sender


class BrandDomains:
    """Which brand receives mail for which domain; read from the database, refreshed every minute."""

    def __init__(self, ttl: float = 60.0) -> None:
        self.ttl = ttl
        self._domains: dict[str, int] = {}
        self._loaded = 0.0

    def brand_id(self, address: str) -> int | None:
        from anliegen.core.models import Brand

        domain = address.rpartition("@")[2].strip().strip(">").lower()
        age = time.monotonic() - self._loaded
        if age > self.ttl or (domain not in self._domains and age > 1.0):
            # A brand created a moment ago must not be refused: an unknown domain rereads, at most once a second.
            self._domains = {d.lower(): pk for d, pk in Brand.objects.values_list("mail_domain", "id")}
            self._loaded = time.monotonic()
        return self._domains.get(domain)


def items_for(
    raw: bytes,
    rcpt_tos: list[str],
    brand_ids: list[int | None],
    mail_from: str = "",
    peer: str = "",
    facts: tuple[str, str] | None = None,
    **extra: object,
) -> list[Item]:
    """One Inbound per brand the message was addressed to, keyed by Message-ID and content digest.

    A Message-ID is chosen by the sender and not always unique (a client reusing one, a forwarded copy): a
    different message under a known id is stored and processed too, the same message again is not.
    `facts`: header_facts(raw) when the caller read them already.
    """
    message_id, sender = facts or header_facts(raw)
    digest = content_digest(raw)
    meta_base = {"mail_from": mail_from, "peer": peer, "sender": sender, **extra}
    by_brand: dict[int | None, list[str]] = {}
    for rcpt, brand_id in zip(rcpt_tos, brand_ids, strict=True):
        rcpts = by_brand.setdefault(brand_id, [])
        if rcpt:
            rcpts.append(rcpt.lower())
    if not by_brand:
        by_brand[None] = []
    items: list[Item] = []
    for n, (brand_id, rcpts) in enumerate(by_brand.items()):
        # The same mail to two brands is two concerns; each brand gets its own Inbound.
        external_id = message_id if n == 0 else f"{message_id}#brand{brand_id}"
        items.append(("email", external_id, raw, {**meta_base, "rcpt_tos": rcpts}, brand_id, digest))
    return items


def store(items: list[Item]) -> list[Accepted]:
    """The one door into intake for mail, whatever brought it (smtpd, fetchmail, import, mailgate).

    Every item is committed when this returns, once per (channel, Message-ID): only then may the caller answer
    250, expunge from IMAP, or exit 0 to the MTA. Build the items with `items_for`.
    """
    return accept_many(items)
