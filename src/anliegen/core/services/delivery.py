"""Exactly-once delivery: a sender claims each message with a lease, and a sweep takes over abandoned ones.

A delivery task claims the queued messages it was given (`delivery_claim`, `delivery_lease_until`) in a short
transaction that skips rows another sender holds, so two tasks never send the same message; it also claims the
other messages of those channels waiting for their first attempt (up to DELIVERY_BATCH), so one task run sends
what several batches queued. The Message-ID
is stored before sending; each message is marked sent in its own commit right after the relay's 250, so a
worker killed mid-batch leaves only unsent messages behind. Those stay claimed until the lease runs out
(the sender renews it while it works); then the periodic sweep hands them to a new task. A task row the
dead worker left "running" is marked failed once none of its messages is held any more, and its messages
that were never claimed get a new task too.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from anliegen.core.models import Message

log = logging.getLogger(__name__)
TASKS = ("anliegen.core.services.outbound.deliver", "anliegen.core.services.outbound.deliver_batch")


def lease() -> timedelta:
    return timedelta(seconds=settings.DELIVERY_LEASE_SECONDS)


def new_claim() -> str:
    return uuid.uuid4().hex


def claim(message_ids: list[int], token: str) -> list[int]:
    """Take the queued messages among `message_ids` that nobody holds (or that were handed to `token`)."""
    now = timezone.now()
    free = Q(delivery_claim="") | Q(delivery_claim=token) | Q(delivery_lease_until__lt=now)
    with transaction.atomic():
        rows = Message.objects.filter(free, pk__in=message_ids, delivery=Message.Delivery.QUEUED).order_by("id")
        if settings.IS_POSTGRES:
            rows = rows.select_for_update(skip_locked=True)  # another sender's rows: never wait for them
        mine = list(rows.values_list("pk", flat=True))
        if mine:
            Message.objects.filter(pk__in=mine).update(delivery_claim=token, delivery_lease_until=now + lease())
    return mine


def claim_due(channels: set[str], token: str, limit: int) -> list[int]:
    """Also take queued messages of these channels that wait for their first attempt and nobody holds.

    One task then sends what several intake batches (or desk replies) queued, over one connection, instead of
    one task run per batch; their own tasks find them sent. Retries (attempts > 0) keep their backoff and
    abandoned ones (a claim whose lease ran out) stay with the sweep.
    """
    if limit <= 0 or not channels:
        return []
    now = timezone.now()
    with transaction.atomic():
        # The form of message_due_idx's condition: the scan reads only the messages waiting to go out.
        rows = Message.objects.filter(
            delivery=Message.Delivery.QUEUED, delivery_claim="", delivery_attempts=0, channel__in=sorted(channels)
        ).order_by("id")
        if settings.IS_POSTGRES:
            rows = rows.select_for_update(skip_locked=True)
        mine = list(rows.values_list("pk", flat=True)[:limit])
        if mine:
            Message.objects.filter(pk__in=mine).update(delivery_claim=token, delivery_lease_until=now + lease())
    return mine


class Holder:
    """One sender's claim while it sends: marks each message sent at once and keeps the lease alive."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.renewed = time.monotonic()

    def sent(self, message_id: int) -> None:
        # Its own commit (the task runs in autocommit): a kill right after this never sends it again.
        Message.objects.filter(pk=message_id).update(
            delivery=Message.Delivery.SENT,
            delivery_error="",
            delivery_attempts=F("delivery_attempts") + 1,
            delivery_claim="",
            delivery_lease_until=None,
        )
        if time.monotonic() - self.renewed > settings.DELIVERY_LEASE_SECONDS / 3:
            self.renew()

    def renew(self) -> None:
        self.renewed = time.monotonic()
        Message.objects.filter(delivery_claim=self.token, delivery=Message.Delivery.QUEUED).update(
            delivery_lease_until=timezone.now() + lease()
        )

    def release(self, message_ids: list[int]) -> None:
        """Give messages back unsent (a retry is scheduled, or the batch broke)."""
        Message.objects.filter(pk__in=message_ids, delivery_claim=self.token).update(
            delivery_claim="", delivery_lease_until=None
        )


def sweep() -> int:
    """Hand messages whose sender stopped to new tasks; mark task rows their dead workers left running."""
    now = timezone.now()
    handed = 0
    with transaction.atomic():
        rows = (
            Message.objects.exclude(delivery_claim="")  # the form of message_claimed_idx's condition
            .filter(delivery=Message.Delivery.QUEUED, delivery_lease_until__lt=now)
            .order_by("id")
        )
        if settings.IS_POSTGRES:
            rows = rows.select_for_update(skip_locked=True)
        expired = list(rows.values_list("pk", flat=True)[:500])
        if expired:
            token = new_claim()
            # Handed over claimed: the new task adopts the claim, a sender still alive after all has lost it.
            Message.objects.filter(pk__in=expired).update(delivery_claim=token, delivery_lease_until=now + lease())
            _enqueue(expired, token)
            log.warning("delivery of %s message(s) was abandoned (lease expired); handed to a new task", len(expired))
            handed += len(expired)
    return handed + _abandoned_tasks(now)


def _enqueue(message_ids: list[int], claim: str = "") -> None:
    from .outbound import _transactional_queue, deliver_batch

    if _transactional_queue():
        deliver_batch.enqueue(message_ids, claim)  # committed with the claim
    else:
        transaction.on_commit(lambda: deliver_batch.enqueue(message_ids, claim))


def tasks_use_database() -> bool:
    """Background tasks are rows of this database (django-tasks-db), not another queue."""
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(task_backends["default"], DatabaseBackend)


def _abandoned_tasks(now: object) -> int:
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:
        return 0
    if not tasks_use_database():
        return 0
    handed = 0
    stale = DBTaskResult.objects.filter(
        status="RUNNING", task_path__in=TASKS, started_at__lt=now - lease()
    ).values_list("pk", "args_kwargs")[:100]
    for pk, args_kwargs in stale:
        args = (args_kwargs or {}).get("args") or [[]]
        ids = [int(i) for i in (args[0] if isinstance(args[0], list) else [args[0]])]
        held = Message.objects.filter(pk__in=ids, delivery_lease_until__gte=now).exclude(delivery_claim="")
        if held.exists():
            continue  # still being sent (its sender renews the lease)
        with transaction.atomic():
            done = DBTaskResult.objects.filter(pk=pk, status="RUNNING").update(
                status="FAILED",
                finished_at=now,
                exception_class_path="anliegen.core.services.delivery.Abandoned",
                traceback="the worker running this task stopped (no lease renewed); its messages were handed over",
            )
            unclaimed = list(
                Message.objects.filter(pk__in=ids, delivery=Message.Delivery.QUEUED, delivery_claim="").values_list(
                    "pk", flat=True
                )
            )
            if done and unclaimed:
                _enqueue(unclaimed)
                handed += len(unclaimed)
        if done:
            log.warning("delivery task %s was abandoned by its worker; %s message(s) queued again", pk, len(unclaimed))
    return handed


def run_forever(stop: threading.Event) -> None:
    """The periodic sweep beside the task worker; every worker runs it, the claims keep them apart."""
    from django.db import close_old_connections

    interval = max(1.0, settings.DELIVERY_LEASE_SECONDS / 5)
    while not stop.wait(interval):
        close_old_connections()
        try:
            sweep()
        except Exception:  # noqa: BLE001 - a failed sweep is tried again next time; the loop must live on
            log.exception("delivery sweep failed; trying again in %s s", interval)
