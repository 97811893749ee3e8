"""Every incident update told to each linked case once, on the customer's channel, in chunks on the task queue.

A chunk is one transaction: its notices (unique per update and case), its messages and the task for the next
chunk commit together, so a worker killed mid-chunk leaves nothing half-told and a rerun skips what was told.
A chunk task lost with a killed worker is found by `resume_stalled` (the worker's periodic check).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from anliegen.channels import registry
from anliegen.core.models import Case, Message, MessageKind
from anliegen.core.services import outbound
from anliegen.core.services.cases import reply_target
from anliegen.core.services.confirmations import render

from ..models import IncidentNotice, IncidentUpdate

log = logging.getLogger(__name__)


def start(update: IncidentUpdate) -> None:
    """Queue the first chunk in the caller's transaction (the update and its fan-out commit together)."""
    if not Case.objects.filter(incident_id=update.incident_id).exists():
        update.fanout_done_at = timezone.now()  # nobody to tell: no task
        IncidentUpdate.objects.filter(pk=update.pk).update(fanout_done_at=update.fanout_done_at)
        return
    update.fanout_seen_at = timezone.now()
    IncidentUpdate.objects.filter(pk=update.pk).update(fanout_seen_at=update.fanout_seen_at)
    _enqueue(update.pk, update.fanout_chain)


def _enqueue(update_id: int, chain: int) -> None:
    if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        fan_out.enqueue(update_id, chain)
    else:
        transaction.on_commit(lambda: fan_out.enqueue(update_id, chain))


# Below the default priority: a confirmation or reply queued meanwhile is delivered before the next chunk (the
# worker takes higher priorities first), so a 10,000-case fan-out delays other mail by one running chunk at most.
@task(queue_name="outbound", priority=-10)
def fan_out(update_id: int, chain: int = 0) -> str:
    return fan_out_chunk(update_id, chain=chain)


def fan_out_chunk(update_id: int, size: int | None = None, chain: int | None = None) -> str:
    size = size or settings.INCIDENT_FANOUT_CHUNK
    with transaction.atomic():
        update = (
            IncidentUpdate.objects.select_for_update()
            .select_related("incident", "incident__brand")
            .filter(pk=update_id)
            .first()
        )
        if update is None or update.fanout_done_at is not None:
            return "nothing to do"
        if chain is not None and chain != update.fanout_chain:
            return "superseded by a resumed fan-out"
        cases = list(
            Case.objects.filter(incident_id=update.incident_id, pk__gt=update.fanout_cursor)
            .select_related("brand", "owner", "contact", "incident")
            .order_by("pk")[:size]
        )
        told = set(
            IncidentNotice.objects.filter(update=update, case_id__in=[c.pk for c in cases]).values_list(
                "case_id", flat=True
            )
        )
        queued: list[int] = []
        notices = []
        for case in cases:
            if case.pk in told or case.merged_into_id:
                continue
            message = _tell(case, update)
            notices.append(IncidentNotice(update=update, case=case, message=message))
            if message.delivery == Message.Delivery.QUEUED:
                queued.append(message.pk)
        IncidentNotice.objects.bulk_create(notices)
        outbound.queue_batch(queued)
        now = timezone.now()
        update.fanout_seen_at = now
        if cases:
            update.fanout_cursor = cases[-1].pk
        done = len(cases) < size
        if done:
            update.fanout_done_at = now
        update.save(update_fields=["fanout_cursor", "fanout_seen_at", "fanout_done_at"])
        if not done:
            _enqueue(
                update.pk, update.fanout_chain
            )  # the next chunk goes to the back of the queue: other work runs between chunks
    return f"told={len(notices)} done={done}"


def _tell(case: Case, update: IncidentUpdate) -> Message:
    from anliegen.core.case_links import status_url

    channel, address = reply_target(case)
    language = case.language or case.brand.default_language
    extra = {
        "update": update,
        "update_text": update.public_text(language),
        "status_url": status_url(case.brand),
        "resolved": update.kind == IncidentUpdate.Kind.RESOLVED,
        "disclose": False,
    }
    text, html = render(case, "incident_update", extra)
    with translation.override(language):
        title = case.incident.public_title(language)
        subject = (_("Resolved: %(title)s") if extra["resolved"] else _("Update: %(title)s")) % {"title": title}
    message = outbound.new_message(
        case,
        channel=channel,
        address=address,
        author=case.owner,
        kind=MessageKind.CONFIRMATION,
        subject=subject,
        text=text,
        html=html,
        send=False,
    )
    if channel != registry.CASE_PAGE and not registry.spec(channel).public:
        # A public post's case was told by the brand's own post (proactive): no update as a reply to each.
        # Marked queued here and delivered by one task per chunk (queue_batch), not one task per message.
        Message.objects.filter(pk=message.pk).update(delivery=Message.Delivery.QUEUED)
        message.delivery = Message.Delivery.QUEUED
    return message


def resume_stalled(stall_seconds: float | None = None) -> int:
    """Re-queue fan-outs whose chunk task has not moved for a while (its worker died holding it)."""
    stall = stall_seconds if stall_seconds is not None else settings.INCIDENT_FANOUT_STALL_SECONDS
    limit = timezone.now() - timedelta(seconds=stall)
    resumed = 0
    with transaction.atomic():
        for update in IncidentUpdate.objects.select_for_update().filter(
            fanout_done_at__isnull=True, fanout_seen_at__lt=limit
        ):
            log.warning("incident update %s: fan-out stalled at case %s, resuming", update.pk, update.fanout_cursor)
            chain = update.fanout_chain + 1
            IncidentUpdate.objects.filter(pk=update.pk).update(fanout_seen_at=timezone.now(), fanout_chain=chain)
            _enqueue(update.pk, chain)
            resumed += 1
    return resumed
