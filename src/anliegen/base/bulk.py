"""Set-based writes the ORM has no fast form for."""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


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
