"""Send an outgoing Message on WhatsApp through the configured transport (WHATSAPP_BACKEND).

Free text only within the customer's 24 hours (window.py); a message recorded as a template goes as that
template. The provider's wamid becomes the message's external id: statuses and replies find it by that.
"""

from __future__ import annotations

from anliegen.channels.messaging import receipts, transport
from anliegen.channels.messaging.http import ProviderError
from anliegen.core.models import Message

from . import window
from .models import TemplateSend

MAX_LENGTH = 4096  # characters of a text message body (Cloud API)


def outgoing(message: Message) -> transport.Outgoing:
    sent = TemplateSend.objects.select_related("template").filter(message=message).first()
    template = None
    if sent is not None:
        template = {"name": sent.template.name, "language": sent.template.language, "parameters": sent.parameters}
    elif not window.is_open(message.brand_id, message.address):
        # Meta would refuse it (error 131047); saying why here keeps the desk's message readable.
        raise ProviderError("outside the 24-hour window: only an approved template may be sent", permanent=True)
    return transport.Outgoing(
        channel="whatsapp",
        brand_id=message.brand_id,
        to=message.address,
        text=transport.text_with_files(message)[:MAX_LENGTH],
        template=template,
    )


def send(message: Message) -> None:
    wamid = transport.backend("whatsapp").send(outgoing(message))
    Message.objects.filter(pk=message.pk).update(external_id=wamid[:250])
    message.external_id = wamid
    receipts.catch_up("whatsapp", wamid)
