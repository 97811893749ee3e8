"""What every channel's parser produces: one normalised customer message and its attachments."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    data: bytes
    content_id: str = ""
    inline: bool = False


@dataclass
class ParsedMessage:
    """What every channel's parser produces: one normalised customer message."""

    sender_name: str = ""
    # (kind, value) pairs the sender can be recognised by; the first is the address to answer.
    identities: list[tuple[str, str]] = field(default_factory=list)
    subject: str = ""
    text: str = ""
    html: str = ""  # sanitised
    attachments: list[ParsedAttachment] = field(default_factory=list)
    external_id: str = ""  # e.g. Message-ID without brackets
    in_reply_to: list[str] = field(default_factory=list)  # In-Reply-To then References, newest first
    recipients: list[str] = field(default_factory=list)
    reply_to: str = ""  # where the sender asked for answers (a mail's Reply-To), when not the first identity
    headers: dict[str, str] = field(default_factory=dict)
    language: str = ""
    # Set by the parser when the channel itself says the item is machine-made (DSN, auto-reply...).
    automatic: str = ""
    bounced_addresses: list[str] = field(default_factory=list)
    # An explicit, already verified link to a case (signed customer page, agent action).
    case_id: int | None = None
    public: bool = False
    sent_at: str = ""  # ISO timestamp from the sender (Date header), if any
    # No explicit link found: join the contact's newest open case rather than open one (a call, a chat).
    to_open_case: bool = False
    # A call event (channels.phone.events.CallEvent): stored as the call's one Message, not a message each.
    call: object | None = None
