"""The typed objects a pipeline run passes from stage to stage, and the two ways a stage stops."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from anliegen.core.models import Agent, Brand, Case, Contact, Incident, Message

    from .models import Inbound


class Discard(Exception):
    """Stop on purpose: the item is kept but gets no case of its own and no acknowledgement."""


class Quarantine(Exception):
    """Stop on purpose: the item cannot be processed as it is and waits for a person or a reprocess."""


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


@dataclass
class Context:
    inbound: Inbound
    message: ParsedMessage | None = None
    brand: Brand | None = None
    automatic: str = ""  # why this item is machine-made; such items are never acknowledged
    agent_author: Agent | None = None  # an agent writing from their own mail client
    contact: Contact | None = None
    language: str = ""  # the message's language, declared or detected (identify, classify)
    new_contact: bool = False  # identify created the contact just now (it has no earlier cases)
    case: Case | None = None
    new_case: bool = False
    reopened: bool = False
    incident: Incident | None = None
    flags: list[str] = field(default_factory=list)  # classify: "urgent", "personal_data", ...
    stored: Message | None = None
    outbound: list[Message] = field(default_factory=list)
    trace: dict[str, str] = field(default_factory=dict)
    event: dict | None = None  # the desk event notify prepared; published with the batch after commit

    def note(self, stage: str, outcome: str) -> None:
        self.trace[stage] = outcome
