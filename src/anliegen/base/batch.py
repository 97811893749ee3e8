"""The unit of work of one batch: what its messages share (read once, kept exact by its writes) and its pending rows."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.db import connection, transaction

from .writes import Conflict, FlushFailed, conflict

if TYPE_CHECKING:
    from django.db.models import Model

    from anliegen.core.models import Agent, Brand, Case, Contact, Identity, Incident, Team

    from .writes import Pending

# A message id row as the threading lookups read it: (message id, case id, brand id), newest first.
Row = tuple[int, int, int]

_current: ContextVar[Batch | None] = ContextVar("intake_batch", default=None)


@dataclass
class Batch:
    """Valid for one batch transaction only: what it caches may change between batches, never within one's reads."""

    brands: dict[int, Brand] = field(default_factory=dict)
    domains: dict[str, Brand | None] = field(default_factory=dict)  # mail domain -> its brand (None: nobody's)
    # brand id -> the brand's agents with their open-case load; assignments in this batch are added locally.
    agents: dict[int, list[Agent]] = field(default_factory=dict)
    incidents: dict[int, list[Incident]] = field(default_factory=dict)
    teams: dict[int, list[Team]] = field(default_factory=dict)  # brand id -> its teams with members (routing)
    # What a stage computes once for every message of the batch alike, keyed by (what, its inputs...), e.g. the
    # hotline's wait sentence per brand and language: the same for the whole batch, not worth a cache read each.
    memo: dict[tuple, object] = field(default_factory=dict)
    # Messages queued for delivery in this batch: one delivery task for all of them at the end.
    outbound: list[int] = field(default_factory=list)
    # Webhook events of the batch's rows (integrations.events), recorded once the rows are written.
    hooks: list = field(default_factory=list)
    # Deferred writes (writes.py); None: every row is written at once.
    pending: Pending | None = None
    # Read once for all messages of the batch (prefetch), kept exact by the batch's own writes. A key that
    # is missing was not read: the caller asks the database.
    identities: dict[tuple[int, str, str], int | None] | None = None  # (brand, kind, value) -> contact
    by_external_id: dict[str, list[Row]] | None = None  # Message.external_id -> rows
    by_in_reply_to: dict[str, list[Row]] | None = None  # Message.in_reply_to -> rows
    # One instance per row for every stage of the batch, so a change one message makes is seen by the next.
    contacts: dict[int, Contact] | None = None  # the batch's known contacts and the ones it creates
    identities_of: dict[int, list[Identity]] | None = None  # contact id (one of `contacts`) -> its identities
    cases: dict[int, Case] | None = None  # cases behind reply tokens, parent messages, recent cases; new ones
    tokens: dict[str, int | None] | None = None  # reply token -> case id (None: no case has it)
    # contact id -> ids of its unmerged cases updated within the topic window (same-topic candidates)
    cases_of: dict[int, list[int]] | None = None
    # (channel, external id) of discarded Inbounds without a case that a message of the batch replies to
    discarded: set[tuple[str, str]] | None = None
    senders: dict[int, int] | None = None  # inbound id -> its sender's count with it (loops, counted per batch)
    replied_to: set[str] | None = None  # every message id the batch's messages reply to (prefetch)
    posts: dict | None = None  # (brand id, post id) -> (post id, incident): the brand posts they reply to, when asked
    # case id -> {address: its newest confirmation there} within the quiet period (batching.prefetch_confirmed),
    # for every case of `cases` and the ones the batch makes
    confirmed: dict[int, dict[str, datetime]] | None = None

    def flush(self) -> None:
        if self.pending is not None:
            self.pending.flush()

    def forget_reads(self) -> None:
        """Rows moved in a way the caches cannot follow (a merge): read from the database from now on."""
        self.identities = self.by_external_id = self.by_in_reply_to = None
        self.contacts = self.identities_of = self.cases = self.tokens = self.cases_of = self.discarded = None
        self.confirmed = None

    def added(self, obj: Model) -> None:
        """A new row of the batch (pending or written): the caches answer for it as the database would."""
        name = type(obj).__name__
        if name == "Identity":
            if self.identities is not None:
                self.identities[(obj.brand_id, obj.kind, obj.value)] = obj.contact_id
            if self.identities_of is not None and obj.contact_id in self.identities_of:
                self.identities_of[obj.contact_id].append(obj)
        elif name == "Contact" and self.contacts is not None:
            self.contacts[obj.pk] = obj
            if self.identities_of is not None:
                self.identities_of[obj.pk] = []
            if self.cases_of is not None:
                self.cases_of[obj.pk] = []  # no cases yet: its same-topic candidates are the batch's
        elif name == "Case" and self.cases is not None:
            if self.confirmed is not None:
                self.confirmed[obj.pk] = {}  # a new case: no confirmation but the batch's own
            self.cases[obj.pk] = obj
            if self.tokens is not None:
                self.tokens[obj.reply_token] = obj.pk
            if self.cases_of is not None and obj.contact_id in self.cases_of:
                self.cases_of[obj.contact_id].append(obj.pk)
        elif name == "Message":
            self._confirmation_added(obj)
            row = (obj.pk, obj.case_id, obj.brand_id)
            for cache, value in ((self.by_external_id, obj.external_id), (self.by_in_reply_to, obj.in_reply_to)):
                if cache is not None and value and value in cache:
                    cache[value].insert(0, row)

    def _confirmation_added(self, message: Model) -> None:
        known = self.confirmed.get(message.case_id) if self.confirmed is not None else None
        if known is not None and message.kind == "confirmation":
            # Its created_at is set when added; written a moment later it may be a few ms later (writes.py),
            # never near the quiet period's end within one batch.
            last = known.get(message.address)
            known[message.address] = message.created_at if last is None else max(last, message.created_at)


def current() -> Batch | None:
    return _current.get()


@contextmanager
def scope(batch: Batch | None = None) -> Iterator[Batch]:
    """Open a batch scope (nested calls share the outer one); `batch`: go on with one opened before."""
    outer = _current.get()
    if outer is not None:
        yield outer
        return
    batch = batch or Batch()
    token = _current.set(batch)
    try:
        yield batch
    finally:
        _current.reset(token)


@contextmanager
def item(keep: tuple[type[Exception], ...] = ()) -> Iterator[None]:
    """One item of a batch: when it fails, everything it did is taken back and nothing of the others.

    That is its savepoint, its pending rows, the messages it queued for delivery and its webhook events; the
    exception goes on to
    the caller. `keep` are the ways an item stops on purpose without undoing its work (a discarded mail still
    marks its bounced addresses). A failure of the batch's own writes (FlushFailed) or another transaction's
    (Conflict) is the whole batch's: it goes on unchanged, and so does a failure after the batch's earlier
    rows were written inside this item's savepoint (they would go back with it).
    """
    scope = _current.get()
    pending = scope.pending if scope is not None else None
    queued = len(scope.outbound) if scope is not None else 0
    hooked = len(scope.hooks) if scope is not None else 0
    mark = pending.mark() if pending is not None else None
    flushes = pending.flushes if pending is not None else 0
    # With deferred writes most items only read until the batch writes for them: their savepoint (two round
    # trips) is opened just before their first own write, if any.
    first_write = _FirstWrite() if pending is not None else None
    sid = None if first_write is not None else transaction.savepoint()
    try:
        if first_write is None:
            yield
        else:
            with connection.execute_wrapper(first_write):
                yield
    except keep:
        raise
    except (FlushFailed, Conflict):
        raise
    except Exception as exc:
        if conflict(exc):
            raise Conflict(f"{type(exc).__name__}: {exc}") from exc  # another worker's transaction, not this item
        if pending is not None and pending.flushes != flushes:
            raise FlushFailed(f"an item failed after writing the batch's earlier rows: {exc}") from exc
        sid = first_write.sid if first_write is not None else sid
        if first_write is not None and first_write.failed and connection.vendor == "postgresql":
            # A read failed before the item wrote anything: PostgreSQL aborted the whole transaction, and only
            # the batch's item-by-item rerun (with a savepoint per item) can take this item back alone.
            raise FlushFailed(f"an item's read failed with no savepoint to go back to: {exc}") from exc
        if sid is not None:
            transaction.savepoint_rollback(sid)
        # A database error marked the whole transaction for rollback (PostgreSQL); the savepoint undid it.
        transaction.set_rollback(False)
        if pending is not None:
            pending.rollback(mark)
        if scope is not None:
            # The caches may hold its rows or its changes to shared ones: the rest of the batch reads the database.
            scope.forget_reads()
            del scope.outbound[queued:]  # those messages went with the rollback
            del scope.hooks[hooked:]  # and so did the rows those webhook events tell of
        raise
    sid = first_write.sid if first_write is not None else sid
    if sid is not None:
        transaction.savepoint_commit(sid)


class _FirstWrite:
    """Opens an item's savepoint just before the item's first statement that is not a plain read."""

    def __init__(self) -> None:
        self.sid: str | None = None
        self.failed = False  # a statement failed while there was no savepoint
        self._opening = False

    def __call__(self, execute, sql, params, many, context):  # noqa: ANN001, ANN204 - Django's execute_wrapper
        if self.sid is None and not self._opening and sql.lstrip()[:6].upper() != "SELECT":
            self._opening = True
            try:
                self.sid = transaction.savepoint()
            finally:
                self._opening = False
        try:
            return execute(sql, params, many, context)
        except Exception:
            if self.sid is None:
                self.failed = True
            raise


def deferring() -> bool:
    batch = _current.get()
    return batch is not None and batch.pending is not None


def create(obj: Model) -> Model:
    """Write a new row now, or with the batch's other rows when the batch defers its writes."""
    if not deferring():
        obj.save(force_insert=True)
        return obj
    batch = _current.get()
    batch.pending.add(obj)
    batch.added(obj)
    return obj


def update(obj: Model, fields: list[str]) -> None:
    """Write an existing row's new `fields` now, or with the batch's one UPDATE per table when it defers."""
    if deferring():
        _current.get().pending.update(obj, fields)  # a later read of the row writes it first (before_read)
    else:
        type(obj).objects.filter(pk=obj.pk).update(**{name: getattr(obj, name) for name in fields})


def forget_reads() -> None:
    batch = _current.get()
    if batch is not None:
        batch.forget_reads()


def before_read(keys: Iterable[tuple]) -> None:
    """A lookup is about to read rows by `keys`: write what is pending first if it holds one of them."""
    batch = _current.get()
    if batch is not None and batch.pending is not None and batch.pending.wants(keys):
        batch.flush()


def known_identities(brand_id: int, pairs: list[tuple[str, str]]) -> list[tuple[str, str, int]] | None:
    """(kind, value, contact id) of the pairs that exist, from the batch's read; None when not all were read."""
    batch = _current.get()
    cache = batch.identities if batch is not None else None
    if cache is None or any((brand_id, kind, value) not in cache for kind, value in pairs):
        return None
    found = ((kind, value, cache[(brand_id, kind, value)]) for kind, value in pairs)
    return [(kind, value, contact) for kind, value, contact in found if contact is not None]


def messages_by(column: str, values: list[str]) -> list[Row] | None:
    """Rows of messages whose `column` (external_id or in_reply_to) is one of `values`, newest first."""
    batch = _current.get()
    cache = None if batch is None else batch.by_external_id if column == "external_id" else batch.by_in_reply_to
    if cache is None or any(value not in cache for value in values):
        return None
    return sorted({row for value in values for row in cache[value]}, reverse=True)


def confirmed_since(case_id: int, address: str, since: datetime) -> bool | None:
    """Whether the case's confirmation to `address` was sent at or after `since`, as the batch read and made
    them; None when the batch did not read that case (the caller asks the database)."""
    batch = _current.get()
    known = batch.confirmed.get(case_id) if batch is not None and batch.confirmed is not None else None
    if known is None:
        return None
    return address in known and known[address] >= since
