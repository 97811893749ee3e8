"""A provider's status for an outgoing message, recorded once per status; "failed" also fails the message."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from anliegen.core.models import Direction, Message

from .models import Receipt


def at(timestamp: object) -> datetime:
    """A provider's Unix timestamp (seconds, as a string or number); now when it sent none."""
    try:
        return datetime.fromtimestamp(int(str(timestamp)), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        return timezone.now()


def record(brand_id: int, channel: str, external_id: str, status: str, when: datetime, detail: str = "") -> str:
    """Record `status` on the outgoing message the provider knows as `external_id`; returns what happened."""
    if status not in Receipt.Status.values:
        return f"status {status!r} ignored"
    message = (
        Message.objects.filter(brand_id=brand_id, channel=channel, direction=Direction.OUT, external_id=external_id)
        .only("pk", "delivery")
        .first()
    )
    if message is None:
        return f"no outgoing message {external_id}"
    try:
        with transaction.atomic():
            Receipt.objects.create(message=message, status=status, at=when, detail=detail[:500])
    except IntegrityError:
        return f"{status} already recorded on message {message.pk}"
    if status == Receipt.Status.FAILED:
        # Accepted by the API, then not delivered: the desk shows it failed and offers "send again".
        Message.objects.filter(pk=message.pk).update(
            delivery=Message.Delivery.FAILED, delivery_error=(detail or "not delivered")[:2000]
        )
    return f"{status} on message {message.pk}"


def catch_up(channel: str, external_id: str) -> int:
    """Statuses that came before the sender stored the provider's id (Meta can be that fast) go round again.

    Each was kept, discarded for naming no message; now that one has the id, intake records them after all.
    """
    from anliegen.intake.models import Inbound, InboundState
    from anliegen.intake.pipeline import reprocess
    from anliegen.intake.wakeup import wake

    early = list(
        Inbound.objects.filter(
            channel=channel,
            external_id__startswith=f"{external_id}:",
            state=InboundState.DISCARDED,
            reason__contains="no outgoing message",
        ).values_list("pk", flat=True)
    )
    if early:
        reprocess(early)
        transaction.on_commit(wake)
    return len(early)
