"""WhatsApp's customer-service window: free text only within 24 hours of the customer's last message.

Outside it Meta accepts nothing but an approved template; the desk says so and offers the brand's templates.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from anliegen.core.models import Case, Direction, Message

WINDOW = timedelta(hours=24)


def last_heard(brand_id: int, number: str) -> datetime | None:
    """When the customer last wrote to the brand on WhatsApp from `number`."""
    return (
        Message.objects.filter(brand_id=brand_id, channel="whatsapp", direction=Direction.IN, address=number)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )


def open_until(brand_id: int, number: str) -> datetime | None:
    heard = last_heard(brand_id, number)
    return heard + WINDOW if heard else None


def is_open(brand_id: int, number: str) -> bool:
    until = open_until(brand_id, number)
    return until is not None and until > timezone.now()


def refusal(case: Case, address: str) -> str:
    """Why a free-text reply cannot go to `address` now ("" when it can): the registry's `may_send`."""
    if is_open(case.brand_id, address):
        return ""
    return _(
        "The customer last wrote on WhatsApp more than 24 hours ago: WhatsApp only carries an approved template "
        "now. Choose one below, or answer on another channel."
    )
