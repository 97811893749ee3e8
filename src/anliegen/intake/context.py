"""The typed context a pipeline run passes from stage to stage, and the two ways a stage stops."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from anliegen.base.parsed import ParsedMessage
    from anliegen.core.models import Agent, Brand, Case, Contact, Incident, Message

    from .models import Inbound


class Discard(Exception):
    """Stop on purpose: the item is kept but gets no case of its own and no acknowledgement."""


class Quarantine(Exception):
    """Stop on purpose: the item cannot be processed as it is and waits for a person or a reprocess."""


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
