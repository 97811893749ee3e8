"""The intake pipeline: the stages every Inbound passes, in order, and the runner that applies them."""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from anliegen.base import batch as batch_scope
from anliegen.base import realtime
from anliegen.base.writes import Conflict, FlushFailed
from anliegen.core.services import confirmations, outbound
from anliegen.integrations import events as webhook_events

from . import batching, conversations
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


def run(inbound: Inbound, ctx: Context | None = None) -> Context:
    """Run one Inbound through every stage inside the caller's transaction; record the outcome.

    `ctx` comes parsed when the batch read ahead for all its items (parse is then not run again).
    """
    ctx = ctx or Context(inbound=inbound)
    inbound.attempts += 1
    stage_name = ""
    try:
        with batch_scope.item(keep=(Discard,)):
            for stage in PIPELINE:
                stage_name = stage.__name__
                if stage is parse and ctx.message is not None:
                    continue  # parsed with the batch (prefetch)
                stage(ctx)
    except (FlushFailed, Conflict):
        raise  # the batch's writes failed, not this item: the batch goes back (and runs item by item)
    except Discard as stop:
        inbound.state, inbound.stage, inbound.reason = InboundState.DISCARDED, stage_name, str(stop)
        scope = batch_scope.current()
        if scope is not None and scope.discarded is not None and not (ctx.case is not None and ctx.case.pk):
            scope.discarded.add((inbound.channel, inbound.external_id))  # a later reply may requeue it (thread)
        ctx.note(stage_name, f"discarded: {stop}")
    except Exception as exc:  # noqa: BLE001 - any failure quarantines; nothing is dropped
        _quarantine(ctx, stage_name, exc)
    else:
        inbound.state, inbound.stage, inbound.reason, inbound.traceback = InboundState.DONE, "", "", ""
    _record(ctx)
    return ctx


def _quarantine(ctx: Context, stage_name: str, exc: Exception) -> None:
    """The item's work was taken back (batch.item): forget what it prepared, keep why it stopped."""
    inbound = ctx.inbound
    ctx.outbound.clear()
    ctx.event = None
    if ctx.new_case:
        ctx.case = None  # its row went with the rollback; linking it would break the foreign key
    inbound.state, inbound.stage = InboundState.QUARANTINED, stage_name
    inbound.reason = str(exc) if isinstance(exc, Quarantine) else f"{type(exc).__name__}: {exc}"
    inbound.traceback = "" if isinstance(exc, Quarantine) else traceback.format_exc()[-8000:]
    ctx.note(stage_name, f"quarantined: {inbound.reason}")
    log.warning("inbound %s quarantined at %s: %s", inbound.pk, stage_name, inbound.reason)


def _record(ctx: Context) -> None:
    inbound = ctx.inbound
    inbound.trace = ctx.trace
    inbound.case = ctx.case if ctx.case is not None and ctx.case.pk else None
    inbound.processed_at = timezone.now()
    fields = ["state", "stage", "reason", "traceback", "trace", "attempts", "case", "brand", "processed_at"]
    scope = batch_scope.current()
    if scope is not None and scope.pending is not None:
        scope.pending.update(inbound, fields)  # one UPDATE for the batch's outcomes
    else:
        inbound.save(update_fields=fields)


def _claim(query: Iterable[int] | None, limit: int) -> list[Inbound]:
    qs = Inbound.objects.filter(state=InboundState.RECEIVED)
    # In arrival order, also for given ids: the items run in this order and threading depends on it (a reply
    # after its parent joins it by its headers). Without ORDER BY PostgreSQL returns the rows in heap order,
    # which moves with where updates and vacuum left free space, so the same mail made other cases each run.
    qs = (qs.filter(pk__in=list(query)) if query is not None else qs).order_by("id")
    if settings.IS_POSTGRES:
        # Two workers never take the same row; a crash rolls the claim back with the batch.
        qs = qs.select_for_update(skip_locked=True)
    return list(qs[:limit])


def process_batch(ids: Iterable[int] | None = None, limit: int | None = None) -> list[Context]:
    """Process up to `limit` waiting Inbounds in one transaction: one commit for the whole batch.

    The batch's new rows are written together (writes.py); should that fail, the batch goes back to its
    start and runs again with every row written at once, so a bad item is quarantined on its own. A batch
    the database rolls back because of another transaction (a deadlock) is taken again as it was.
    """
    ids = list(ids) if ids is not None else None
    for attempt in range(1, CONFLICT_RETRIES + 1):
        try:
            return _process_batch(ids, limit)
        except Conflict as exc:
            if batch_scope.current() is not None or attempt == CONFLICT_RETRIES:
                raise
            log.warning("intake batch rolled back by the database (%s); taken again", exc)
            time.sleep(0.05 * attempt)
    return []


CONFLICT_RETRIES = 5


def _process_batch(ids: list[int] | None, limit: int | None) -> list[Context]:
    limit = limit or settings.INTAKE_BATCH_SIZE
    if batch_scope.current() is not None:
        with transaction.atomic():
            done = [run(inbound) for inbound in _claim(ids, limit)]  # the outer batch writes the rows and the task
            _finish(batch_scope.current(), done, outermost=False)
            return done
    if settings.IS_POSTGRES:
        with transaction.atomic():
            return _run_batch(*_read(ids, limit))
    # SQLite has one write lock for every connection, and IMMEDIATE takes it at BEGIN: claiming and parsing
    # before it keeps the listener's and the form's stores (and delivery's "sent") from waiting for the parse.
    contexts, scope = _read(ids, limit)
    if not contexts:
        return []
    with transaction.atomic():
        return _run_batch(_unclaimed(contexts), scope)


def _read(ids: list[int] | None, limit: int) -> tuple[list[Context], batch_scope.Batch]:
    """Claim and parse; the scope keeps the brands parse looked up for the rest of the batch."""
    with batch_scope.scope() as scope:
        return _parse_all(_claim(ids, limit)), scope


def _unclaimed(contexts: list[Context]) -> list[Context]:
    """The items still waiting, read again under the write lock: another worker's batch may have taken some
    since they were read, and its commit came first (SQLite writes one at a time), so none is run twice."""
    pks = [ctx.inbound.pk for ctx in contexts]
    waiting = set(Inbound.objects.filter(pk__in=pks, state=InboundState.RECEIVED).values_list("pk", flat=True))
    return [ctx for ctx in contexts if ctx.inbound.pk in waiting]


def _run_batch(contexts: list[Context], parsed: batch_scope.Batch) -> list[Context]:
    if not contexts:
        return []
    try:
        with batch_scope.scope(parsed) as scope:
            contexts = conversations.take(contexts)
            with transaction.atomic():
                scope.pending = batching.pending() if settings.INTAKE_DEFERRED_WRITES else None
                done = _run_all(contexts)
                scope.flush()
                _finish(scope, done)
    except FlushFailed as exc:
        log.warning("intake batch of %s written item by item: %s", len(contexts), exc)
        batch = list(Inbound.objects.filter(pk__in=[ctx.inbound.pk for ctx in contexts]).order_by("id"))
        with batch_scope.scope() as scope:
            done = [run(inbound) for inbound in batch]
            _finish(scope, done)
    return done


def _parse_all(batch: list[Inbound]) -> list[Context]:
    contexts = [Context(inbound=inbound) for inbound in batch]
    for ctx in contexts:
        try:
            parse(ctx)
        except Exception:  # noqa: BLE001 - run() parses it again and quarantines it with the reason
            ctx.message = ctx.brand = None
    return contexts


def _run_all(contexts: list[Context]) -> list[Context]:
    """With every item parsed, read what they will look up in one go, then run each through the stages."""
    if batch_scope.deferring():
        # Only with deferred writes: they keep what was read in step with what the batch writes.
        batching.prefetch(contexts)
        batching.prefetch_confirmed(confirmations.FOLLOW_UP_QUIET)
    return [run(ctx.inbound, ctx) for ctx in contexts]


def _finish(scope: batch_scope.Batch, done: list[Context], outermost: bool = True) -> None:
    if outermost:
        # One delivery task for the batch's confirmations, committed with them (a nested batch leaves its
        # messages to the outer one, whose items may still be rolled back).
        outbound.queue_batch(scope.outbound[:])
        # The batch's rows have their ids now: the webhook deliveries of its events go with the same commit.
        webhook_events.record(scope.hooks[:])
    events = [ctx.event for ctx in done if ctx.event is not None]
    if events:
        # One hand-over to the channel layer for the whole batch, once its rows are visible.
        transaction.on_commit(lambda: realtime.publish_many(events))


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
