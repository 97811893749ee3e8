"""Machine-made mail without the standard markers: who sent it, the envelope, list headers, subject and wording.

Real mail systems, gateways, list servers and notification robots often send no Auto-Submitted, no report
part and no Precedence. What gives them away is the sender (the From address or name, the Return-Path and the
envelope sender), their own headers, and subjects and first lines no person writes. Wording alone is never
enough: it must come with a returned message or with the phrases of a delivery report.
"""

from __future__ import annotations

import re
from email.message import Message

from .addresses import pairs
from .headers import Headers

_SYSTEM_SENDERS = re.compile(
    r"^(mailer[-_.]?daemon|mail[-_.]?daemon|post[-_.]?master|mail[-_.]?delivery|mail[-_.]?(system|admin|gateway)|"
    r"smtp[-_.]?gateway|mdaemon|bounces?|bounce[-_.][^@]*|[^@]*[-_.]bounces?|"
    r"no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|dont[-_.]?reply|no[-_.]?response|noreply[-_.][^@]*|"
    r"notifications?|notify|alerts?|auto[-_.]?(reply|response|responder|mailer|confirm|notify)|autoresponder|"
    r"(anti[-_.]?)?virus[-_.]?(alert|scanner|wall|notice)?|mail[-_.]?scanner|amavisd?|quarantine|spam[-_.]?filter|"
    r"microsoftexchange[0-9a-f]*|jira|confluence|jenkins|cron[d]?|abuse|fbl|scomp|"
    r"listserv|majordomo|mailman|sympa|ezmlm|owner-[^@]*|[^@]*-owner|[^@]*-request|"
    r"\"?system administrator\"?|tmda|spamarrest|(?:[^@]*-)?confirm-[^@]*)([+=.-][^@]*)?@",
    re.I,
)
# Display names and bare words (`From: MAILER-DAEMON`, no domain) of mail systems.
_SYSTEM_NAMES = re.compile(
    r"^\W*(mail delivery (sub)?system|mailer[- _]?daemon|mail[- ]?daemon|postmaster|system administrator|"
    r"mail administrator|microsoft outlook|cron daemon|anacron|mailscanner|(anti-?)?virus (alert|scanner|wall)|"
    r"internet mail delivery|mail transport system)\W*($|\()",
    re.I,
)
_SYSTEM_WORDS = re.compile(
    r"daemon|deliver|postmaster|administrator|outlook|cron|scanner|virus|transport|post_?master|master", re.I
)
# RFC 2369/2919 list headers and those of list servers that write none of them (ezmlm, fml, Mailman 1).
LIST_HEADERS = (
    "List-Id", "List-Post", "List-Unsubscribe", "List-Subscribe", "List-Help", "List-Owner", "List-Archive",
    "Mailing-List", "X-Mailing-List", "X-ML-Name", "X-ML-Count", "X-ML-Info", "X-Mailman-Version", "X-BeenThere",
    "X-List", "X-Loop", "X-RT-Loop-Prevention",
)  # fmt: skip
# Notification robots (issue trackers, CI, cron, monitoring) and challenge-response systems.
_ROBOT_HEADERS = (
    "X-JIRA-FingerPrint", "X-GitHub-Reason", "X-GitLab-Project", "X-Jenkins-Job", "X-Cron-Env", "X-Redmine-Host",
    "X-Bugzilla-Reason", "X-Trac-Ticket-ID", "X-Zabbix-Host", "X-Nagios-Host",
)  # fmt: skip
_ENVELOPE_NULL = {"", "<>", "mailer-daemon", "<mailer-daemon>"}
_CHALLENGE = re.compile(
    r"please confirm (your|that you sent|the) (message|e-?mail)|confirm your (message|e-?mail|request to send)|"
    r"verify (your|that you are|you are)|sender verification|(message|e-?mail) (is )?(held|awaiting)|"
    r"awaiting (your )?(confirmation|verification)|\[spam ?arrest|boxbe|challenge[- ]response|"
    r"best[äa]tigen sie (ihre|die) (nachricht|e-?mail)|absenderbest[äa]tigung",
    re.I,
)
_ROBOT_SUBJECT = re.compile(r"^\s*(cron <[^>]+>|\[jira\]|\[jenkins\]|\*\*\s*problem|\*\*\s*recovery)", re.I)
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|non[- ]?deliver|delivery (status|failure|failed|has failed|notification|problem)|"
    r"returned (mail|to sender)|failure notice|mail system error|could not be delivered|"
    r"unzustellbar|nicht zustellbar|zustellung (fehlgeschlagen|gescheitert)|non remis|non recapitabile|"
    r"no entregado|onbestelbaar|virus (found|detected|alert)|viren gefunden|quarantin|"
    r"(message|mail) (rejected|blocked)|warning: could not send",
    re.I,
)
_BOUNCE_TEXT = re.compile(
    r"this is the mail system at host|i'm sorry to have to inform you|could not be delivered to one or more|"
    r"following addresses? had permanent fatal errors|delivery to the following recipients? (has )?failed|"
    r"did not reach (some or all|the following)|the original message was received at|delivery has failed to|"
    r"automatically generated delivery status|message could not be delivered|"
    r"diagnostic-code:|remote-mta:|final-recipient:|"
    r"(virus|malware) (was )?(found|detected)|has been quarantined|contained a virus|"
    r"nachricht konnte nicht zugestellt werden|konnte nicht (an|zu)gestellt werden|unzustellbar",
    re.I,
)
_READ_SUBJECT = re.compile(
    r"^\s*(read|not read|gelesen|ungelesen|nicht gelesen|lu|non lu|letto|non letto|le[íi]do|no le[íi]do|gelezen|"
    r"niet gelezen|läst|læst|lest|luettu|przeczytano|přečteno)\s?:",
    re.I,
)
_READ_TEXT = re.compile(
    r"was read on|wurde am .{0,60}gelesen|a été lu|è stato letto|fue le[íi]do|is gelezen op|"
    r"was deleted without being read|ohne gelesen zu werden gel[öo]scht",
    re.I | re.S,
)
_ARF_SUBJECT = re.compile(r"^\s*(abuse report|complaint about message|email feedback report|spam report)", re.I)
_RETURNED = ("message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers")


def is_system_address(address: str) -> bool:
    return bool(_SYSTEM_SENDERS.match(address or ""))


def sender_reason(heads: Headers, sender: str, meta: dict) -> str:
    """A mail system, list server or robot as sender: From, Sender, Return-Path or the envelope."""
    if is_system_address(sender):
        return f"system sender {sender}"
    for value in heads.all("From")[:1] + heads.all("Sender")[:1]:
        if not _SYSTEM_WORDS.search(value):
            continue  # the cheap look first: most mail names no mail system at all
        names = [n for n, _a in pairs(value)] or [value]
        if any(_SYSTEM_NAMES.match(n) for n in names if n):
            return f"system sender {names[0][:60]}"
        if "@" not in value and is_system_address(value.strip().strip("<>") + "@"):  # `From: postmaster`
            return f"system sender {value.strip()[:60]}"
    for address in [a for _n, a in heads.addresses("Sender")]:
        if is_system_address(address):
            return f"system sender {address}"
    return_path = heads.raw("Return-Path").replace(" ", "")
    if heads.has("Return-Path") and return_path.lower() in _ENVELOPE_NULL:
        return "null return path (bounce or auto-reply)"
    if any(is_system_address(a) for _n, a in heads.addresses("Return-Path")):
        return f"system return path {return_path[:80]}"
    envelope = str(meta.get("mail_from") or "").strip().lower()
    # Only our own SMTP/LMTP listener knows the envelope; a fetched (IMAP) or imported mail has none to read.
    smtp = meta.get("peer") not in (None, "", "mailgate") and "imap" not in meta
    if meta.get("null_sender") or (smtp and "mail_from" in meta and envelope in _ENVELOPE_NULL):
        return "null envelope sender (bounce or auto-reply)"
    if envelope and is_system_address(envelope.strip("<>") + ("" if "@" in envelope else "@")):
        return f"system envelope sender {envelope[:80]}"
    if name := next((n for n in _ROBOT_HEADERS if heads.has(n)), ""):
        return f"notification or challenge robot ({name})"
    return ""


def content_reason(msg: Message, heads: Headers, subject: str, text: str) -> str:
    """Subjects and first lines of machine-made mail, each confirmed by a second sign."""
    head = text[:3000]
    if _CHALLENGE.search(subject) or (_CHALLENGE.search(head[:600]) and "confirm" in heads.raw("From").lower()):
        return "challenge-response (sender verification)"
    if _ROBOT_SUBJECT.match(subject):
        return "notification robot (subject)"
    returned = any(p.get_content_type() in _RETURNED for n, p in enumerate(msg.walk()) if n < 50)
    if _BOUNCE_SUBJECT.search(subject) and (returned or _BOUNCE_TEXT.search(head)):
        return "bounce or gateway notice (subject and wording)"
    if _READ_SUBJECT.match(subject) and _READ_TEXT.search(head):
        return "read receipt (subject and wording)"
    if _ARF_SUBJECT.match(subject) and ("feedback-type:" in head.lower() or returned):
        return "abuse feedback report (subject and wording)"
    return ""
