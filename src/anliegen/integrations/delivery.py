"""Delivering a webhook: one signed POST per attempt, retried with exponential backoff, every try logged."""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from . import signing, targets
from .models import WebhookAttempt, WebhookDelivery

log = logging.getLogger(__name__)
BODY_KEPT = 1000  # characters of the receiver's answer kept in the log


def backoff(attempt: int) -> timedelta:
    """Wait before try `attempt + 1`: base, 4×base, 16×base … (10 s, 40 s, 160 s … by default), capped."""
    seconds = settings.WEBHOOK_RETRY_BASE_SECONDS * 4 ** (attempt - 1)
    return timedelta(seconds=min(seconds, settings.WEBHOOK_RETRY_MAX_SECONDS))


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def _post(delivery: WebhookDelivery) -> tuple[int | None, str, str]:
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Anliegen-Webhooks/1",
        "Anliegen-Event": delivery.event,
        "Anliegen-Delivery": str(delivery.pk),
        signing.HEADER: signing.sign(delivery.endpoint.secret, int(time.time()), body),
    }
    request = urllib.request.Request(delivery.endpoint.url, data=body, method="POST", headers=headers)  # noqa: S310
    try:
        # Resolved and checked now, and the connection goes to that address: no second lookup to rebind.
        address = targets.resolve(delivery.endpoint.url)
    except targets.TargetRefused as exc:
        return None, "", f"refused: {exc}"[:500]
    try:
        with targets.opener(address).open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as answer:
            return answer.status, answer.read(BODY_KEPT).decode(errors="replace"), ""
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(BODY_KEPT).decode(errors="replace"), ""
    except (urllib.error.URLError, OSError, ValueError) as exc:
        return None, "", f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}"[:500]


@task(queue_name="outbound")
def deliver(delivery_id: int) -> str:
    """One attempt; a 2xx delivers, anything else (or no answer) is tried again later until the tries run out."""
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
    if delivery is None or delivery.state != WebhookDelivery.State.PENDING:
        return "nothing to do"
    started = time.monotonic()
    code, answer, error = _post(delivery)
    took = int((time.monotonic() - started) * 1000)
    now = timezone.now()
    with transaction.atomic():
        WebhookAttempt.objects.create(
            delivery=delivery, response_code=code, response_body=answer, error=error, duration_ms=took
        )
        delivery.attempts += 1
        delivery.response_code, delivery.error = code, error or ("" if code and code < 300 else answer[:500])
        if code is not None and 200 <= code < 300:
            delivery.state, delivery.delivered_at, delivery.next_attempt_at = WebhookDelivery.State.DELIVERED, now, None
        elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.state, delivery.next_attempt_at = WebhookDelivery.State.FAILED, None
            log.warning(
                "webhook %s to %s failed for good after %s tries", delivery.pk, delivery.endpoint.url, delivery.attempts
            )
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
            deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
        delivery.save(update_fields=["attempts", "response_code", "error", "state", "delivered_at", "next_attempt_at"])
    return f"{delivery.state} ({code or error})"


@transaction.atomic
def replay(delivery: WebhookDelivery) -> WebhookDelivery:
    """Send the same event again as a new delivery (fresh tries, fresh signature), on an admin's request."""
    from .events import enqueue

    again = WebhookDelivery.objects.create(
        endpoint=delivery.endpoint,
        brand_id=delivery.brand_id,
        event_id=delivery.event_id,
        event=delivery.event,
        payload=delivery.payload,
        replay_of=delivery,
    )
    enqueue([again.pk])
    return again
