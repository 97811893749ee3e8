"""Deferred writes of one batch: new rows are collected and written with one INSERT per table.

A pipeline batch creates the same handful of rows for every message (contact, identity, case, its first event,
the message, the confirmation, the Inbound's outcome). Written one at a time that is a round trip and an ORM
save per row; collected, it is one multi-row INSERT per table per batch.

Rules that keep this exact:
- ids are allocated up front (a sequence block), so a pending row can be referred to, linked and named in a
  confirmation's case link before it is written; foreign keys are checked at commit.
- every pending row announces the keys a later lookup could find it by (its model's `batch_keys()`); a lookup calls
  `batch.before_read(keys)` and, when one matches, everything pending is written first. So a later message of
  the same batch sees an earlier one exactly as if it had been written at once.
- a write that fails takes the whole batch back to its start, and the runner processes it again one message
  at a time (pipeline.process_batch): nothing is lost and the broken message is quarantined on its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator

from django.db import connection
from django.db.models import Model
from django.utils import timezone

from .bulk import insert_rows, update_rows


class FlushFailed(Exception):
    """Writing the pending rows failed: the batch must be processed again one message at a time."""


class Conflict(Exception):
    """The database gave up on the batch because of another transaction (a deadlock, a locked file).

    Nothing is wrong with the items: the whole batch is rolled back and taken again, never quarantined.
    """


# deadlock_detected, serialization_failure, lock_not_available
_CONFLICT_STATES = frozenset(["40P01", "40001", "55P03"])


def conflict(exc: BaseException) -> bool:
    """Whether `exc` (or what caused it) is the database refusing a transaction because of another one."""
    seen = 0
    while exc is not None and seen < 5:
        if getattr(exc, "sqlstate", None) in _CONFLICT_STATES:
            return True
        if type(exc).__name__ == "OperationalError" and "database is locked" in str(exc):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


class Pending:
    """`order`: the models whose rows are collected, parents first; `allocated`: those that get their id when
    added, because other rows point to them or a message names them (a case link) before they are written."""

    def __init__(self, order: tuple[type[Model], ...], allocated: frozenset[type[Model]]) -> None:
        self.order = order
        self.allocated = allocated
        self.rows: dict[type[Model], list[Model]] = defaultdict(list)
        self.keys: set[tuple] = set()
        self.updates: dict[type[Model], dict[int, tuple[Model, tuple[str, ...]]]] = defaultdict(dict)
        self._ids: dict[type[Model], Iterator[int]] = {}
        self.flushes = 0  # how often rows were written: the runner checks whether it happened inside an item

    # -- collecting -------------------------------------------------------------------------------------------

    def add(self, obj: Model) -> Model:
        """Take a new row; gives it an id now when its model's rows are referred to by others."""
        model = type(obj)
        if model not in self.order:
            obj.save(force_insert=True)  # not one of the batch's tables: written at once, never lost
            return obj
        if obj.pk is None and model in self.allocated:
            obj.pk = self._next_id(model)
        # Foreign keys to rows that got their id after being assigned (the case's contact, say).
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
        now = timezone.now()
        for field in model._meta.concrete_fields:
            # auto_now(_add) fields are set again when written; set them now for readers before that.
            auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
            if auto and getattr(obj, field.attname) is None:
                setattr(obj, field.attname, now)
        self.rows[model].append(obj)
        self.keys.update(keys(obj))
        return obj

    def update(self, obj: Model, fields: list[str]) -> None:
        """An existing row's new values (the Inbound's outcome), written with the batch in one UPDATE."""
        earlier = self.updates[type(obj)].get(obj.pk)
        # Two changes to one row in a batch (two replies on a case): the row gets both, from the newer instance.
        fields = tuple(dict.fromkeys((*earlier[1], *fields))) if earlier is not None else tuple(fields)
        self.updates[type(obj)][obj.pk] = (obj, fields)
        self.keys.update(keys(obj))

    def mark(self) -> tuple[dict[type[Model], int], dict[type[Model], dict]]:
        return {m: len(rows) for m, rows in self.rows.items()}, {m: dict(u) for m, u in self.updates.items()}

    def rollback(self, mark: tuple[dict[type[Model], int], dict[type[Model], dict]]) -> None:
        """Forget the rows and updates added since `mark()` (the item that added them was quarantined)."""
        lengths, updates = mark
        for model, rows in self.rows.items():
            del rows[lengths.get(model, 0) :]
        self.updates = defaultdict(dict, updates)
        self.keys = {k for rows in self.rows.values() for obj in rows for k in keys(obj)}
        self.keys.update(k for objs in self.updates.values() for obj, _f in objs.values() for k in keys(obj))

    def wants(self, wanted: Iterable[tuple]) -> bool:
        return any(key in self.keys for key in wanted)

    # -- writing ----------------------------------------------------------------------------------------------

    def flush(self, on_written: Callable[[type[Model], list[Model]], None] | None = None) -> None:
        """Write everything pending: one INSERT per table (parents first), one UPDATE per updated table."""
        if not any(self.rows.values()) and not self.updates:
            return
        try:
            for model in self.order:
                objs = self.rows.pop(model, None)
                if objs:
                    # Identities of new contacts: a concurrent worker may have taken the same address a moment
                    # ago; the address then stays with that contact (as for a single insert).
                    insert_rows(model, objs, ignore_conflicts=model.__name__ == "Identity")
                    if on_written is not None:
                        on_written(model, objs)
            for model, objs in self.updates.items():
                _bulk_update(model, list(objs.values()))
            self.updates.clear()
        except Exception as exc:
            if conflict(exc):
                raise Conflict(f"{type(exc).__name__}: {exc}") from exc
            raise FlushFailed(f"{type(exc).__name__}: {exc}") from exc
        self.rows.clear()
        self.keys.clear()
        self.flushes += 1

    def _next_id(self, model: type[Model]) -> int:
        ids = self._ids.get(model)
        value = next(ids, None) if ids is not None else None
        if value is None:
            ids = iter(allocate(model, BLOCK))
            self._ids[model] = ids
            value = next(ids)
        return value


BLOCK = 64  # ids reserved at a time; unused ones are gaps, as a rolled back insert leaves


def allocate(model: type[Model], count: int) -> list[int]:
    """Reserve `count` ids of `model`'s table that no other insert will take."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return [row[0] for row in cursor.fetchall()]
        # SQLite: this transaction holds the write lock (BEGIN IMMEDIATE). Raising the AUTOINCREMENT counter
        # reserves the block for the transaction; a rollback gives it back.
        quoted = connection.ops.quote_name(table)
        cursor.execute(
            "UPDATE sqlite_sequence SET seq = max(seq, (SELECT coalesce(max(id), 0) FROM "  # noqa: S608 - model name
            f"{quoted})) + %s WHERE name = %s RETURNING seq",
            [count, table],
        )
        row = cursor.fetchone()
        if row is None:
            cursor.execute(f"SELECT coalesce(max(id), 0) + %s FROM {quoted}", [count])  # noqa: S608 - model name
            top = cursor.fetchone()[0]
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, top])
        else:
            top = row[0]
    return list(range(top - count + 1, top + 1))


def _bulk_update(model: type[Model], items: list[tuple[Model, tuple[str, ...]]]) -> None:
    by_fields: dict[tuple[str, ...], list[Model]] = defaultdict(list)
    for obj, fields in items:
        by_fields[fields].append(obj)
    for fields, objs in by_fields.items():
        for start in range(0, len(objs), 500):
            update_rows(model, objs[start : start + 500], fields)


def keys(obj: Model) -> list[tuple]:
    """What a lookup could find this row by while it waits (see the callers of batch.before_read)."""
    batch_keys = getattr(obj, "batch_keys", None)
    return batch_keys() if batch_keys is not None else []
