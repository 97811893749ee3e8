"""Queue an outbound message for delivery on its channel, and deliver it in the background with retries."""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from anliegen.base import batch
from anliegen.channels import registry
from anliegen.core.header_safe import one_line
from anliegen.core.models import Agent, Case, Direction, Message
from anliegen.integrations import events

from . import delivery

log = logging.getLogger(__name__)
RETRY_DELAYS = [30, 120, 600, 1800, 3600, 3 * 3600, 6 * 3600]  # seconds; then the message is failed


def new_message(
    case: Case,
    *,
    channel: str,
    address: str,
    author: Agent,
    kind: str,
    subject: str,
    text: str,
    html: str = "",
    attachments: list | None = None,
    send: bool = True,
    **fields: object,
) -> Message:
    """Write an outgoing message on the case and queue it, unless it only shows on the case page.

    A deputy writing for the owner is recorded as "on behalf of", which outbound mail puts in From.
    """
    from .messages import save_attachments

    sending = send and registry.can_send(channel)
    message = Message(
        case=case,
        brand=case.brand,
        channel=channel,
        direction=Direction.OUT,
        kind=kind,
        author_agent=author,
        on_behalf_of=case.owner if author.pk != case.owner_id else None,
        subject=one_line(subject)[:250],  # a case subject stored with a line break before forms cleaned it
        body_text=text,
        body_html=html,
        address=address,
        delivery=Message.Delivery.QUEUED if sending else Message.Delivery.NONE,
        **fields,
    )
    batch.create(message)  # with the intake batch's rows when it defers them, else now
    save_attachments(message, attachments or [])
    events.message_added(message)
    if sending:
        queue(message)
    return message


def queue(message: Message) -> None:
    """Mark the message queued and enqueue its delivery in the same transaction (no lost sends)."""
    if message.delivery != Message.Delivery.QUEUED:
        message.delivery = Message.Delivery.QUEUED
        Message.objects.filter(pk=message.pk).update(delivery=Message.Delivery.QUEUED)
    scope = batch.current()
    if scope is not None:
        # An intake batch enqueues one delivery task for all its messages (pipeline.process_batch):
        # a task row per confirmation cost as much as the rest of the message's writes.
        scope.outbound.append(message.pk)
        return
    if _transactional_queue():
        deliver.enqueue(message.pk)
    else:
        transaction.on_commit(lambda: deliver.enqueue(message.pk))


def queue_batch(message_ids: list[int]) -> None:
    """Enqueue one delivery task for messages already marked queued, in the caller's transaction."""
    if not message_ids:
        return
    if _transactional_queue():
        deliver_batch.enqueue(message_ids)
    else:
        transaction.on_commit(lambda: deliver_batch.enqueue(message_ids))


def _transactional_queue() -> bool:
    # The database task backend writes the task row in our transaction: message and task commit together.
    return settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db")


@task(queue_name="outbound")
def deliver(message_id: int, claim: str = "") -> str:
    """Deliver one message (a retry, an agent's "send again"); see deliver_batch."""
    return _deliver([message_id], claim).removesuffix("=1")


@task(queue_name="outbound")
def deliver_batch(message_ids: list[int], claim: str = "") -> str:
    """Deliver many messages over one connection per channel, each claimed first and marked sent on its own.

    Besides the given ones it takes the other messages of their channels that wait for a first attempt (up to
    DELIVERY_BATCH in all, delivery.claim_due): under load one run sends what many batches queued.
    A message someone else holds or that was sent already is skipped (a rerun never sends twice); one whose
    transport fails is retried on its own task with backoff; if the batch breaks, the unsent ones get a task
    each. `claim`: the messages were handed to this task already claimed (delivery.sweep).
    """
    return _deliver(message_ids, claim)


def _deliver(message_ids: list[int], claim: str) -> str:
    outcomes: Counter[str] = Counter()
    holder = delivery.Holder(claim or delivery.new_claim())
    mine = delivery.claim(message_ids, holder.token)
    messages = _load(mine)
    outcomes["nothing to do"] = len(set(message_ids)) - len(messages)
    more = settings.DELIVERY_BATCH - len(messages)
    messages += _load(delivery.claim_due({m.channel for m in messages}, holder.token, more))
    by_channel: dict[str, list[Message]] = {}
    for message in messages:
        by_channel.setdefault(message.channel, []).append(message)
    for channel, group in by_channel.items():
        try:
            results = registry.send_many(channel, group, on_sent=holder.sent)
        except Exception:  # noqa: BLE001 - the batch broke: each message not yet sent gets its own task
            log.exception("delivery of %s %s message(s) broke; each unsent one queued on its own", len(group), channel)
            unsent = list(
                Message.objects.filter(pk__in=[m.pk for m in group], delivery=Message.Delivery.QUEUED).values_list(
                    "pk", flat=True
                )
            )
            holder.release(unsent)
            for pk in unsent:
                deliver.enqueue(pk)
            outcomes["requeued"] += len(unsent)
            continue
        outcomes["sent"] += sum(1 for message in group if results.get(message.pk) is None)
        failed = [message for message in group if results.get(message.pk) is not None]
        for message in failed:
            outcomes[_failed(message, results[message.pk])] += 1
        # Released after the attempt is counted: another sender's claim_due must not take it before its backoff.
        holder.release([message.pk for message in failed])
    return " ".join(f"{outcome}={count}" for outcome, count in sorted(outcomes.items()) if count)


def _load(message_ids: list[int]) -> list[Message]:
    if not message_ids:
        return []
    related = ("case", "brand", "case__owner", "case__contact", "author_agent")
    return list(Message.objects.select_related(*related).filter(pk__in=message_ids).order_by("id"))


def _failed(message: Message, exc: Exception) -> str:
    attempts = message.delivery_attempts + 1
    error = f"{type(exc).__name__}: {exc}"[:2000]
    # A provider's "never" (an unknown number, a revoked token: ProviderError.permanent) is not retried for hours.
    if attempts > len(RETRY_DELAYS) or getattr(exc, "permanent", False):
        Message.objects.filter(pk=message.pk).update(
            delivery=Message.Delivery.FAILED, delivery_error=error, delivery_attempts=attempts
        )
        log.error("message %s failed for good: %s", message.pk, error)
        return "failed"
    Message.objects.filter(pk=message.pk).update(delivery_error=error, delivery_attempts=attempts)
    delay = timedelta(seconds=RETRY_DELAYS[attempts - 1])
    deliver.using(run_after=timezone.now() + delay).enqueue(message.pk)
    log.warning("message %s delivery failed (attempt %s), retry in %s: %s", message.pk, attempts, delay, error)
    return "retry"


def retry_now(message: Message) -> None:
    """An agent's "send again" on a failed or stuck message: a new task with a fresh claim (see delivery)."""
    Message.objects.filter(pk=message.pk).update(
        delivery=Message.Delivery.QUEUED, delivery_attempts=0, delivery_claim="", delivery_lease_until=None
    )
    message.delivery = Message.Delivery.QUEUED
    if _transactional_queue():
        deliver.enqueue(message.pk)
    else:
        transaction.on_commit(lambda: deliver.enqueue(message.pk))
