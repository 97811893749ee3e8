"""The intake pipeline: the stages every Inbound passes, in order, and the runner that applies them."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from anliegen.core.services import outbound
from anliegen.desk import realtime

from . import batch as batch_scope
from .context import Context, Discard, Quarantine
from .models import Inbound, InboundState
from .stages.acknowledge import acknowledge
from .stages.classify import classify
from .stages.detect_automatic import detect_automatic
from .stages.identify import identify
from .stages.match_incidents import match_incidents
from .stages.notify import notify
from .stages.parse import parse
from .stages.route import route
from .stages.store import store
from .stages.thread import thread

log = logging.getLogger(__name__)

PIPELINE: list[Callable[[Context], None]] = [
    parse,  # channel payload -> ParsedMessage; the brand it was sent to
    detect_automatic,  # auto-replies, bounces, lists, loops: kept, never acknowledged
    identify,  # the Contact behind the sender's identities (or the agent writing from mail)
    thread,  # the existing Case this belongs to, or a new one
    classify,  # language, urgency, personal data in public posts
    match_incidents,  # link to an active incident of the brand
    route,  # keep the owner, or choose one who fits
    store,  # write case, message and attachments
    acknowledge,  # confirmation on the sender's channel naming the owner
    notify,  # realtime push to the owner's desk, after commit
]


def run(inbound: Inbound) -> Context:
    """Run one Inbound through every stage inside the caller's transaction; record the outcome."""
    ctx = Context(inbound=inbound)
    inbound.attempts += 1
    stage_name = ""
    scope = batch_scope.current()
    queued = len(scope.outbound) if scope is not None else 0
    sid = transaction.savepoint()
    try:
        for stage in PIPELINE:
            stage_name = stage.__name__
            stage(ctx)
    except Discard as stop:
        inbound.state, inbound.stage, inbound.reason = InboundState.DISCARDED, stage_name, str(stop)
        ctx.note(stage_name, f"discarded: {stop}")
    except Exception as exc:  # noqa: BLE001 - any failure quarantines; nothing is dropped
        transaction.savepoint_rollback(sid)
        # A database error inside the stage marked the whole batch for rollback (PostgreSQL); the
        # savepoint undid it, so the batch may go on with the next item.
        transaction.set_rollback(False)
        ctx.outbound.clear()
        if scope is not None:
            del scope.outbound[queued:]  # those messages went with the rollback
        ctx.event = None
        if ctx.new_case:
            ctx.case = None  # its row went with the rollback; linking it would break the foreign key
        inbound.state, inbound.stage = InboundState.QUARANTINED, stage_name
        inbound.reason = str(exc) if isinstance(exc, Quarantine) else f"{type(exc).__name__}: {exc}"
        inbound.traceback = "" if isinstance(exc, Quarantine) else traceback.format_exc()[-8000:]
        ctx.note(stage_name, f"quarantined: {inbound.reason}")
        log.warning("inbound %s quarantined at %s: %s", inbound.pk, stage_name, inbound.reason)
    else:
        transaction.savepoint_commit(sid)
        inbound.state, inbound.stage, inbound.reason, inbound.traceback = InboundState.DONE, "", "", ""
    inbound.trace = ctx.trace
    inbound.case = ctx.case if ctx.case is not None and ctx.case.pk else None
    inbound.processed_at = timezone.now()
    inbound.save(
        update_fields=["state", "stage", "reason", "traceback", "trace", "attempts", "case", "brand", "processed_at"]
    )
    return ctx


def _claim(query: Iterable[int] | None, limit: int) -> list[Inbound]:
    qs = Inbound.objects.filter(state=InboundState.RECEIVED)
    qs = qs.filter(pk__in=list(query)) if query is not None else qs.order_by("id")
    if settings.IS_POSTGRES:
        # Two workers never take the same row; a crash rolls the claim back with the batch.
        qs = qs.select_for_update(skip_locked=True)
    return list(qs[:limit])


def process_batch(ids: Iterable[int] | None = None, limit: int | None = None) -> list[Context]:
    """Process up to `limit` waiting Inbounds in one transaction: one commit for the whole batch."""
    limit = limit or settings.INTAKE_BATCH_SIZE
    outermost = batch_scope.current() is None
    with transaction.atomic(), batch_scope.scope() as scope:
        batch = _claim(ids, limit)
        done = [run(inbound) for inbound in batch]
        if outermost:
            # One delivery task for the batch's confirmations, committed with them (a nested batch leaves its
            # messages to the outer one, whose items may still be rolled back).
            outbound.queue_batch(scope.outbound[:])
        events = [ctx.event for ctx in done if ctx.event is not None]
        if events:
            # One hand-over to the channel layer for the whole batch, once its rows are visible.
            transaction.on_commit(lambda: realtime.publish_many(events))
        return done


def process_ids(ids: list[int]) -> list[Context]:
    return process_batch(ids, limit=max(len(ids), 1))


def reprocess(ids: Iterable[int] | None = None) -> int:
    """Put quarantined (or the given) Inbounds back in the queue; their raw form is unchanged."""
    qs = (
        Inbound.objects.filter(pk__in=list(ids))
        if ids is not None
        else Inbound.objects.filter(state=InboundState.QUARANTINED)
    )
    return qs.exclude(state=InboundState.DONE).update(state=InboundState.RECEIVED, stage="", reason="", traceback="")
