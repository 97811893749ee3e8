"""The transport a messaging channel sends through, by dotted path per channel (WHATSAPP_BACKEND, TELEGRAM_BACKEND).

A backend takes one Outgoing and returns the provider's message id; it raises ProviderError when the provider
refuses (permanent: do not retry) or cannot be reached (the delivery retries it with backoff).
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass, field
from typing import TextIO

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Outgoing:
    channel: str
    brand_id: int
    to: str  # E.164 number (WhatsApp, SMS) or chat id (Telegram)
    text: str
    template: dict | None = None  # WhatsApp: {"name", "language", "parameters": [...]} outside the 24 hours
    reply_to: str = ""  # the provider's id of the message this answers, where the provider threads replies
    meta: dict = field(default_factory=dict)


class Backend:
    def send(self, outgoing: Outgoing) -> str:
        raise NotImplementedError


outbox: list[tuple[Outgoing, str]] = []
_ids = itertools.count(1)


class LocmemBackend(Backend):
    """Keeps what would be sent in `outbox` (tests, and a demo without a provider)."""

    def send(self, outgoing: Outgoing) -> str:
        message_id = f"locmem-{outgoing.channel}-{next(_ids)}"
        outbox.append((outgoing, message_id))
        return message_id


class ConsoleBackend(Backend):
    """Prints what would be sent (the embedded default before a provider is set up)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, outgoing: Outgoing) -> str:
        message_id = f"console-{outgoing.channel}-{next(_ids)}"
        what = f"template {outgoing.template['name']}" if outgoing.template else "text"
        self.stream.write(f"{outgoing.channel} {what} to {outgoing.to} ({message_id}):\n{outgoing.text}\n{'-' * 40}\n")
        self.stream.flush()
        return message_id


def backend(channel: str) -> Backend:
    path = getattr(settings, f"{channel.upper()}_BACKEND", "")
    if not path:
        raise LookupError(f"no {channel} transport is configured")
    return import_string(path)()
