"""Set-based writes the ORM has no fast form for."""

from __future__ import annotations

from django.db import connection
from django.db.models import Model
from django.db.models.constants import OnConflict
from django.db.models.expressions import DatabaseDefault


def update_rows(model: type[Model], objs: list[Model], fields: tuple[str, ...]) -> None:
    """One UPDATE … FROM (VALUES …) for many rows (Django's bulk_update builds a CASE per row and field)."""
    qn = connection.ops.quote_name
    columns = [model._meta.get_field(name) for name in fields]
    postgres = connection.vendor == "postgresql"
    # VALUES carries untyped literals; PostgreSQL needs each column cast to its type, SQLite takes them as they are.
    sets = ", ".join(
        f"{qn(f.column)} = v.{qn(f.column)}" + (f"::{f.db_type(connection)}" if postgres else "") for f in columns
    )
    names = ", ".join(["id", *(qn(f.column) for f in columns)])
    row = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    params: list = []
    for obj in objs:
        params.append(obj.pk)
        params.extend(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in columns)
    table = qn(model._meta.db_table)
    sql = (
        f"WITH v({names}) AS (VALUES {', '.join([row] * len(objs))}) "  # noqa: S608 - names from the model
        f"UPDATE {table} SET {sets} FROM v WHERE {table}.id = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def insert_rows(model: type[Model], objs: list[Model], ignore_conflicts: bool = False) -> None:
    """Multi-row INSERTs of rows whose ids are set (the batch reserves them), as bulk_create would write them.

    bulk_create compiles every value through the SQL compiler (a dozen calls per field and row); this prepares
    each value as the field itself does (pre_save, get_db_prep_save) and sends as many rows per statement as
    the database takes. Rows it cannot write this way (no id yet, a database default) go to bulk_create.
    """
    fields = [f for f in model._meta.concrete_fields if not f.generated]
    if not objs or any(obj.pk is None for obj in objs) or any(
        isinstance(getattr(obj, f.attname), DatabaseDefault) for obj in objs for f in fields
    ):
        model.objects.bulk_create(objs, ignore_conflicts=ignore_conflicts)
        return
    qn = connection.ops.quote_name
    rows: list[list] = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")  # a related row's id set since
        rows.append([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    names = ", ".join(qn(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    insert = connection.ops.insert_statement(on_conflict=on_conflict)
    tail = connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None)
    tail = f" {tail}" if tail else ""
    per_statement = max(1, _max_params() // len(fields))
    table = qn(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            sql = f"{insert} {table} ({names}) VALUES {', '.join([row] * len(chunk))}{tail}"
            cursor.execute(sql, [value for values in chunk for value in values])
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def _max_params() -> int:
    """Parameters one statement may carry: SQLite's compiled limit (32,766 since 3.32; Django assumes 999),
    PostgreSQL's 65,535 of its protocol."""
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 65535
