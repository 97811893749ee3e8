"""Each messaging adapter's health per brand: last event received, last delivery error, the credentials check.

A channel says how to check its credentials by its spec's `health`: a dotted path to `check(brand) -> str`
that calls the provider's account endpoint and returns what it names (the bot, the number), raises
ProviderError when the provider refuses, and LookupError when the brand has no account on that channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from anliegen.channels import registry
from anliegen.core.models import Brand, Direction, Message
from anliegen.intake.models import Inbound

from .http import ProviderError
from .models import HealthCheck


@dataclass
class Health:
    channel: str
    last_event_at: datetime | None
    last_error: str
    last_error_at: datetime | None
    queued: int  # replies waiting for the provider (an outage shows here before anywhere else)
    check: HealthCheck | None


def checked_channels() -> list[str]:
    return [spec.name for spec in registry.specs() if spec.health]


def snapshot(brand: Brand) -> list[Health]:
    rows = []
    checks = {c.channel: c for c in HealthCheck.objects.filter(brand=brand)}
    for channel in checked_channels():
        event = Inbound.objects.filter(channel=channel, brand=brand).order_by("-id").values("received_at").first()
        outgoing = Message.objects.filter(brand=brand, channel=channel, direction=Direction.OUT)
        error = outgoing.exclude(delivery_error="").order_by("-id").values("delivery_error", "created_at").first()
        rows.append(
            Health(
                channel=channel,
                last_event_at=event["received_at"] if event else None,
                last_error=error["delivery_error"] if error else "",
                last_error_at=error["created_at"] if error else None,
                queued=outgoing.filter(delivery=Message.Delivery.QUEUED).count(),
                check=checks.get(channel),
            )
        )
    return rows


def check(brand: Brand, channel: str) -> HealthCheck:
    """Call the provider's account endpoint with the brand's credentials now, and keep the outcome."""
    checker = registry._load(registry.spec(channel).health)
    try:
        ok, detail = True, checker(brand)
    except LookupError as exc:
        ok, detail = False, str(exc) or "not set up"
    except ProviderError as exc:
        ok, detail = False, str(exc)
    found, _created = HealthCheck.objects.update_or_create(
        brand=brand, channel=channel, defaults={"ok": ok, "detail": str(detail)[:500], "checked_at": timezone.now()}
    )
    return found
