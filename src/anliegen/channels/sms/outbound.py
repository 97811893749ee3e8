"""Send an outgoing Message as SMS through the SMS transport (SMS_BACKEND: console, locmem, Twilio).

From the brand's own number; a text over 160 characters goes as one message in segments, which the phone
joins. The provider's sid becomes the external id (status callbacks name it); the segment count is recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from anliegen.base.sms.transport import get_backend
from anliegen.channels.messaging import receipts, transport
from anliegen.channels.messaging.http import ProviderError
from anliegen.channels.messaging.models import Receipt
from anliegen.core.models import Message

from . import segments
from .models import SmsNumber

MAX_LENGTH = 1600  # characters Twilio takes in one Body


def has_number(brand_id: int) -> bool:
    """The spec's `ready`: texts go from one of the brand's own numbers."""
    return SmsNumber.objects.filter(brand_id=brand_id).exists()


def send(message: Message) -> None:
    number = SmsNumber.objects.filter(brand_id=message.brand_id).order_by("id").first()
    if number is None:
        raise ProviderError("this brand has no SMS number", permanent=True)
    text = transport.text_with_files(message)[:MAX_LENGTH]
    backend = get_backend()
    if hasattr(backend, "status_callback"):
        backend.status_callback = settings.BASE_URL + reverse("sms-webhook", kwargs={"key": message.brand.slug})
    sid = backend.send(message.address, text, sender=number.number)
    Message.objects.filter(pk=message.pk).update(external_id=sid[:250])
    message.external_id = sid
    receipts.catch_up("sms", sid)
    parts = segments.count(text)
    Receipt.objects.get_or_create(
        message=message,
        status=Receipt.Status.ACCEPTED,
        defaults={"at": timezone.now(), "detail": f"{parts} SMS ({segments.encoding(text)})"},
    )
