#!/usr/bin/env python3
"""Build the bench data set: brands, agents, contacts with identities, cases and messages (German and English).

    .venv/bin/python bench/generate.py --cases 1000000 --messages-per-case 5 --brands 10 --seed 42

Deterministic: the same arguments give the same rows. PostgreSQL (default: a fresh database `anliegen_bench`) is
loaded with COPY, secondary indexes are built after the load and the tables analysed; SQLite (--database-url
sqlite:///path) gets batched INSERTs, for small sizes. Prints one line: counts, seconds, rows/s and database size.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchenv  # noqa: E402
import rows  # noqa: E402

CHUNK = 20000  # cases per COPY round (and commit)
COLUMNS = {
    "core_contact": ["id", "brand_id", "name", "language", "created_at"],
    "core_identity": ["id", "contact_id", "brand_id", "kind", "value", "verified", "undeliverable", "created_at"],
    "core_case": [
        "id", "brand_id", "contact_id", "owner_id", "subject", "state", "language", "preferred_channel",
        "reply_token", "answer_due_at", "created_at", "updated_at", "last_customer_at",
    ],
    "core_caseevent": ["id", "case_id", "kind", "actor_id", "text", "created_at"],
    "core_message": [
        "id", "case_id", "brand_id", "channel", "direction", "kind", "author_agent_id", "subject", "body_text",
        "body_html", "address", "external_id", "in_reply_to", "delivery", "created_at",
    ],
}  # fmt: skip
BIG_TABLES = list(COLUMNS)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, required=True)
    parser.add_argument("--messages-per-case", type=int, default=5)
    parser.add_argument("--brands", type=int, default=10)
    parser.add_argument("--agents-per-brand", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--database-url", default=benchenv.DEFAULT_URL)
    args = parser.parse_args(argv)
    spec = rows.Spec(args.cases, args.messages_per_case, args.brands, args.seed, args.agents_per_brand)
    print(generate(spec, args.database_url), flush=True)


def generate(spec: rows.Spec, url: str) -> str:
    benchenv.recreate(url)
    benchenv.setup(url)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    migrated = time.monotonic()
    create_team(spec)
    loader = PostgresLoader() if connection.vendor == "postgresql" else SqliteLoader()
    counts = loader.load(spec)
    loaded = time.monotonic()
    loader.finish()
    done = time.monotonic()
    total = sum(counts.values())
    size = database_size(url)
    return (
        f"generate db={connection.vendor} cases={counts['core_case']} messages={counts['core_message']}"
        f" contacts={counts['core_contact']} identities={counts['core_identity']} brands={spec.brands}"
        f" agents={spec.brands * spec.agents_per_brand} seed={spec.seed} seconds={done - migrated:.1f}"
        f" load_seconds={loaded - migrated:.1f} index_seconds={done - loaded:.1f} rows_per_s={total / (loaded - migrated):.0f}"
        f" size_mb={size / 1e6:.0f}"
    )


def create_team(spec: rows.Spec) -> None:
    """Brands, users, agents and memberships through the ORM (a few hundred rows); one password hash for all."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from anliegen.core.models import Agent, Brand, Membership

    password = make_password(benchenv.BENCH_PASSWORD)
    user_model = get_user_model()
    with transaction.atomic():
        brands = Brand.objects.bulk_create(
            [Brand(support_address=f"service@{b['mail_domain']}", **b) for b in rows.brand_rows(spec)]
        )
        team = rows.agent_rows(spec)
        users = user_model.objects.bulk_create(
            [
                user_model(
                    username=a["username"],
                    password=password,
                    first_name=a["name"].split()[0],
                    date_joined=rows.BASE_TIME,
                )
                for a in team
            ]
        )
        agents = Agent.objects.bulk_create(
            [
                Agent(user=u, name=a["name"], mailbox=a["username"], languages=a["languages"], presence="online",
                      extension=str(1000 + i), capacity=10000)
                for i, (u, a) in enumerate(zip(users, team, strict=True))
            ]
        )  # fmt: skip
        Membership.objects.bulk_create(
            [
                Membership(agent=ag, brand=brands[a["brand"] - 1], role="supervisor" if a["supervisor"] else "agent")
                for ag, a in zip(agents, team, strict=True)
            ]
        )
        for brand in brands:
            brand.default_owner = next(ag for ag, a in zip(agents, team, strict=True) if a["brand"] == brand.pk)
        Brand.objects.bulk_update(brands, ["default_owner"])
        Brand.objects.update(created_at=rows.BASE_TIME)  # auto_now_add would make the rows differ run to run
    first = agents[0].pk
    assert first == 1, "a fresh database numbers agents from 1 (rows.agent_id relies on it)"


def table_rows(spec: rows.Spec) -> Iterable[dict[str, list[tuple]]]:
    """Rows in chunks, contacts first, then cases with their events and messages."""
    langs: dict[int, tuple[str, str]] = {}
    chunk: dict[str, list[tuple]] = {"core_contact": [], "core_identity": []}
    for contact, identities in rows.contact_rows(spec):
        langs[contact[0]] = (contact[3], contact[2])
        chunk["core_contact"].append(contact)
        chunk["core_identity"].extend(identities)
        if len(chunk["core_contact"]) >= CHUNK:
            yield chunk
            chunk = {"core_contact": [], "core_identity": []}
    yield chunk
    chunk = {"core_case": [], "core_caseevent": [], "core_message": []}
    for made in rows.case_rows(spec, langs):
        chunk["core_case"].append(made.case)
        chunk["core_caseevent"].append(made.event)
        chunk["core_message"].extend(made.messages)
        if len(chunk["core_case"]) >= CHUNK:
            yield chunk
            chunk = {"core_case": [], "core_caseevent": [], "core_message": []}
    yield chunk


def defaults(table: str, given: list[str] | None = None) -> tuple[list[str], tuple]:
    """Every other column of the table with its model default, so new fields elsewhere do not break the load."""
    from django.apps import apps
    from django.db import connection

    given = COLUMNS[table] if given is None else given
    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.column not in given:
            names.append(field.column)
            values.append(field.get_db_prep_save(field.get_default(), connection))
    return names, tuple(values)


class SqliteLoader:
    def load(self, spec: rows.Spec) -> dict[str, int]:
        from django.db import connection, transaction

        counts = dict.fromkeys(COLUMNS, 0)
        extra = {t: defaults(t) for t in COLUMNS}
        for chunk in table_rows(spec):
            with transaction.atomic(), connection.cursor() as cursor:
                for table, batch in chunk.items():
                    names, values = extra[table]
                    columns = COLUMNS[table] + names
                    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
                    cursor.executemany(sql, [row + values for row in batch])
                    counts[table] += len(batch)
        return counts

    def finish(self) -> None:
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class PostgresLoader:
    """COPY without foreign-key triggers and without secondary indexes; both come back (and are checked) after."""

    def load(self, spec: rows.Spec) -> dict[str, int]:
        from django.db import connection, transaction

        counts = dict.fromkeys(COLUMNS, 0)
        extra = {t: defaults(t) for t in COLUMNS}
        with connection.cursor() as cursor:
            self.indexes = self._drop_secondary_indexes(cursor)
            # The search triggers must still fire (they compute the tsvector); everything else is off while loading.
            cursor.execute("ALTER TABLE core_case ENABLE ALWAYS TRIGGER search_case_tsv")
            cursor.execute("ALTER TABLE core_message ENABLE ALWAYS TRIGGER search_message_tsv")
        for chunk in table_rows(spec):
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
                for table, batch in chunk.items():
                    names, values = extra[table]
                    with cursor.cursor.copy(f"COPY {table} ({', '.join(COLUMNS[table] + names)}) FROM STDIN") as copy:
                        for row in batch:
                            copy.write_row(row + values)
                    counts[table] += len(batch)
        return counts

    def _drop_secondary_indexes(self, cursor: object) -> list[str]:
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                 FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                WHERE t.relname = ANY(%s) AND NOT i.indisprimary
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
            [BIG_TABLES],
        )
        found = cursor.fetchall()
        for name, _ in found:
            cursor.execute(f'DROP INDEX "{name}"')
        return [definition for _, definition in found]

    def finish(self) -> None:
        from django.core.management.color import no_style
        from django.db import connection

        from anliegen.core.models import Case, CaseEvent, Contact, Identity, Message

        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE core_case ENABLE TRIGGER search_case_tsv")
            cursor.execute("ALTER TABLE core_message ENABLE TRIGGER search_message_tsv")
            cursor.execute("SET maintenance_work_mem = '512MB'")
            for definition in self.indexes:
                cursor.execute(definition)
            for sql in connection.ops.sequence_reset_sql(no_style(), [Contact, Identity, Case, CaseEvent, Message]):
                cursor.execute(sql)
            self._check_references(cursor)
            cursor.execute("ANALYZE")

    def _check_references(self, cursor: object) -> None:
        # Foreign keys were not checked row by row during COPY; one anti-join per reference proves the data whole.
        checks = [
            ("core_case", "contact_id", "core_contact"),
            ("core_case", "owner_id", "core_agent"),
            ("core_message", "case_id", "core_case"),
            ("core_identity", "contact_id", "core_contact"),
        ]
        for table, column, target in checks:
            cursor.execute(
                f"SELECT count(*) FROM {table} x LEFT JOIN {target} y ON y.id = x.{column}"
                f" WHERE x.{column} IS NOT NULL AND y.id IS NULL"
            )
            missing = cursor.fetchone()[0]
            if missing:
                raise SystemExit(f"ERROR: {missing} rows of {table}.{column} point nowhere")


def database_size(url: str) -> int:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    path = Path(url.split("sqlite://", 1)[1])
    return sum(Path(f"{path}{s}").stat().st_size for s in ("", "-wal") if Path(f"{path}{s}").exists())


if __name__ == "__main__":
    main()
