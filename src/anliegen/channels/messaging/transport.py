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


def text_with_files(message: object) -> str:
    """The message's text; its attachments, which a text message does not carry, named with the case page's link.

    The customer's case page shows every file of the case, so nothing the agent attached is lost on the way.
    """
    names = [a.filename for a in message.attachments.all()]
    if not names:
        return message.body_text
    from django.utils import translation
    from django.utils.translation import gettext as _

    from anliegen.core.case_links import case_url

    case = message.case
    with translation.override(case.language or case.brand.default_language):
        note = _("Files for you on your case page: %(files)s %(url)s") % {
            "files": ", ".join(names),
            "url": case_url(case),
        }
    return f"{message.body_text.rstrip()}\n\n{note}"
