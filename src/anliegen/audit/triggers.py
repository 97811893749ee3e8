"""The database refuses to change or delete an audit entry: a trigger on PostgreSQL and on SQLite.

Row triggers, not a statement-level TRUNCATE trigger: Django's test flush truncates on PostgreSQL; production
should give the application's role no TRUNCATE on audit_auditentry (docs/security.md).
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

MESSAGE = "audit entries are append-only"

PG_INSTALL = [
    f"""CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$""",
    """CREATE OR REPLACE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_append_only()""",
]
PG_UNINSTALL = [
    "DROP TRIGGER IF EXISTS audit_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_append_only()",
]
SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit_auditentry
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit_auditentry
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_UNINSTALL = ["DROP TRIGGER IF EXISTS audit_no_update", "DROP TRIGGER IF EXISTS audit_no_delete"]


def _run(connection: BaseDatabaseWrapper, statements: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)


def install(connection: BaseDatabaseWrapper) -> None:
    _run(connection, {"postgresql": PG_INSTALL, "sqlite": SQLITE_INSTALL})


def uninstall(connection: BaseDatabaseWrapper) -> None:
    _run(connection, {"postgresql": PG_UNINSTALL, "sqlite": SQLITE_UNINSTALL})


def repair_after_migrate(using: str = "default", **kwargs: object) -> None:
    """SQLite remakes a table to alter it and drops its triggers: put them back after every migrate."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite" and "audit_auditentry" in connection.introspection.table_names():
        install(connection)
