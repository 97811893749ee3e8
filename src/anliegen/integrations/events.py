"""Outgoing events: the services that change state call `emit`; each endpoint of the brand gets a delivery.

Events: case.created, case.solved, message.added, promise.due, promise.kept, promise.broken. The body is
`{"id", "type", "created_at", "brand", "data"}`; inside an intake batch whose rows are written together the
deliveries are recorded after the batch's rows exist (their ids are in the payload).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from anliegen.base import batch

from .models import WebhookDelivery, WebhookEndpoint

EVENTS = ("case.created", "case.solved", "message.added", "promise.due", "promise.kept", "promise.broken")
Pending = tuple[int, str, Callable[[], dict]]


def emit(brand_id: int, event: str, data: Callable[[], dict]) -> None:
    """Record the event for every endpoint of the brand that wants it; `data` builds the payload's `data`."""
    assert event in EVENTS, event
    scope = batch.current()
    if scope is not None and scope.pending is not None:
        scope.hooks.append((brand_id, event, data))  # the rows get their ids when the batch writes them
        return
    record([(brand_id, event, data)])


def record(pending: list[Pending]) -> list[WebhookDelivery]:
    if not pending:
        return []
    brands = {brand_id for brand_id, _, _ in pending}
    endpoints: dict[int, list[WebhookEndpoint]] = {}
    for endpoint in WebhookEndpoint.objects.filter(brand_id__in=brands, active=True).order_by("pk"):
        endpoints.setdefault(endpoint.brand_id, []).append(endpoint)
    made = []
    now = timezone.now()
    for brand_id, event, data in pending:
        wanting = [e for e in endpoints.get(brand_id, []) if e.wants(event)]
        if not wanting:
            continue
        body = {"id": uuid.uuid4().hex, "type": event, "created_at": now.isoformat(), "brand": brand_id, "data": data()}
        made += [
            WebhookDelivery(endpoint=e, brand_id=brand_id, event_id=body["id"], event=event, payload=body)
            for e in wanting
        ]
    if made:
        WebhookDelivery.objects.bulk_create(made)
        enqueue([d.pk for d in made])
    return made


def enqueue(delivery_ids: list[int]) -> None:
    from .delivery import deliver

    def send() -> None:
        for pk in delivery_ids:
            deliver.enqueue(pk)

    # The database task backend writes the task rows in our transaction: delivery and task commit together.
    if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        send()
    else:
        transaction.on_commit(send)


# What each event's `data` carries besides the id: the object's fields, times in ISO 8601.
CASE_FIELDS = ("subject", "state", "language", "owner_id", "contact_id", "preferred_channel", "created_at")
MESSAGE_FIELDS = ("case_id", "channel", "direction", "kind", "subject", "body_text", "author_agent_id", "created_at")
PROMISE_FIELDS = (
    *("case_id", "kind", "state", "owner_id", "due_at", "window_end"),
    *("amount_cents", "currency", "text", "evidence", "reason"),
)


def data(obj: object, fields: tuple[str, ...]) -> dict:
    """The event's `data`: the object's id and `fields` (a row the batch writes later is created now)."""
    out: dict = {"id": obj.pk}
    for field in fields:
        value = getattr(obj, field)
        if value is None and field == "created_at":
            value = timezone.now()
        out[field] = value.isoformat() if isinstance(value, datetime) else value
    return out


def case_created(case: object) -> None:
    emit(case.brand_id, "case.created", lambda: data(case, CASE_FIELDS))


def case_solved(case: object) -> None:
    emit(case.brand_id, "case.solved", lambda: data(case, CASE_FIELDS))


def message_added(message: object) -> None:
    emit(message.brand_id, "message.added", lambda: data(message, MESSAGE_FIELDS))


def promise_changed(promise: object, event: str) -> None:
    emit(promise.brand_id, event, lambda: data(promise, PROMISE_FIELDS))
