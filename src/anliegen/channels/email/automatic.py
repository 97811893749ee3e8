"""Recognise machine-made mail: RFC 3834 auto-replies, DSN bounces (RFC 3464), lists and vacation notices."""

from __future__ import annotations

import re
from email.message import EmailMessage

_SYSTEM_SENDERS = re.compile(r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?)([+-].*)?@", re.I)
_AUTO_SUBJECT = re.compile(
    r"^\s*(auto(matic)?\s*(reply|response|antwort)|out of (the )?office|abwesenheit(snotiz)?|"
    r"automatische antwort|undeliver(ed|able)|delivery (status notification|failure)|"
    r"returned mail|mail delivery (failed|system)|unzustellbar|nicht zustellbar)",
    re.I,
)


def header(msg: EmailMessage, name: str) -> str:
    """A header as text; malformed headers are read raw instead of raising."""
    try:
        value = msg.get(name)
    except Exception:  # noqa: BLE001 - a broken header must not stop the mail
        value = msg.get_all(name, failobj=[""])[0] if hasattr(msg, "get_all") else ""
    return str(value or "").strip()


def automatic_reason(msg: EmailMessage, sender: str) -> str:
    """Why this mail is machine-made, or '' for a person's mail."""
    auto = header(msg, "Auto-Submitted").lower()
    if auto and not auto.startswith("no"):
        return f"Auto-Submitted: {auto}"
    if msg.get_content_type() == "multipart/report":
        return "delivery or read report (multipart/report)"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Reply"):
        if header(msg, name):
            return f"{name} header"
    precedence = header(msg, "Precedence").lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    suppress = header(msg, "X-Auto-Response-Suppress").lower()
    if suppress and any(v in suppress for v in ("all", "oof", "autoreply")):
        return f"X-Auto-Response-Suppress: {suppress}"
    if header(msg, "List-Id") or header(msg, "List-Unsubscribe") or header(msg, "List-Post"):
        return "mailing list"
    if header(msg, "X-Loop") or header(msg, "X-Anliegen-Loop"):
        return "loop header"
    if _SYSTEM_SENDERS.match(sender or ""):
        return f"system sender {sender}"
    return_path = header(msg, "Return-Path")
    if return_path.replace(" ", "") == "<>":
        return "null return path (bounce)"
    if _AUTO_SUBJECT.match(header(msg, "Subject")):
        return "subject of an automatic reply"
    return ""


def bounced_addresses(msg: EmailMessage) -> list[str]:
    """Recipients a DSN reports as failed (Action: failed), read from message/delivery-status parts."""
    found: list[str] = []
    for part in msg.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        text = _delivery_status_text(part)
        for block in re.split(r"\n\s*\n", text):
            action = re.search(r"^Action:\s*(\S+)", block, re.I | re.M)
            rcpt = re.search(r"^(?:Final|Original)-Recipient:\s*[^;]*;\s*<?([^>\s]+)>?", block, re.I | re.M)
            if rcpt and (not action or action.group(1).lower() == "failed"):
                found.append(rcpt.group(1).lower())
    return sorted(set(found))


def _delivery_status_text(part: EmailMessage) -> str:
    payload = part.get_payload()
    if isinstance(payload, list):  # the email package parses the status groups as sub-messages
        return "\n\n".join("\n".join(f"{k}: {v}" for k, v in p.items()) for p in payload)
    raw = part.get_payload(decode=True) or b""
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
