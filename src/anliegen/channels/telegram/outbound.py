"""Send an outgoing Message to a Telegram chat through the configured transport (TELEGRAM_BACKEND).

The provider's id (tg:<chat>:<message id>) becomes the message's external id: a customer's reply to it
(reply_to_message) finds the case by it.
"""

from __future__ import annotations

from anliegen.channels.messaging import transport
from anliegen.core.models import Message

MAX_LENGTH = 4096  # characters of one sendMessage text


def send(message: Message) -> None:
    outgoing = transport.Outgoing(
        channel="telegram",
        brand_id=message.brand_id,
        to=message.address,
        text=transport.text_with_files(message)[:MAX_LENGTH],
    )
    provider_id = transport.backend("telegram").send(outgoing)
    Message.objects.filter(pk=message.pk).update(external_id=provider_id[:250])
    message.external_id = provider_id
