"""The database-side search structures: tsvector columns, triggers and GIN/trigram indexes, or SQLite FTS5.

Why triggers rather than a generated column: a message's text configuration comes from its case's language (another
table), which a generated column cannot read, and a generated column would block core migrations that change the type
of `subject` or `language` ("cannot alter type of a column used by a generated column"). The triggers run inside the
INSERT itself, so indexing costs no extra round trip, and COPY and bulk inserts are indexed the same way.
"""

from __future__ import annotations

import logging

from django.db.backends.base.base import BaseDatabaseWrapper

log = logging.getLogger(__name__)

# The configuration a row is indexed with; anything not English is treated as German (the default language).
PG_FUNCTIONS = [
    """CREATE OR REPLACE FUNCTION search_config(lang text) RETURNS regconfig
       LANGUAGE sql IMMUTABLE PARALLEL SAFE
       AS $$ SELECT CASE WHEN lang LIKE 'en%' THEN 'english'::regconfig ELSE 'german'::regconfig END $$""",
    """CREATE OR REPLACE FUNCTION search_case_tsv() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         NEW.search_tsv := to_tsvector(search_config(NEW.language), coalesce(NEW.subject, ''));
         RETURN NEW;
       END $$""",
    # Confirmations are our own boilerplate (every one names the owner): indexing them would drown real hits.
    """CREATE OR REPLACE FUNCTION search_message_tsv() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF TG_OP = 'UPDATE' AND NEW.body_text IS NOT DISTINCT FROM OLD.body_text
            AND NEW.case_id = OLD.case_id AND NEW.kind = OLD.kind THEN
           RETURN NEW;
         END IF;
         IF NEW.kind = 'confirmation' THEN
           NEW.search_tsv := NULL;
         ELSE
           NEW.search_tsv := to_tsvector(
             search_config((SELECT language FROM core_case WHERE id = NEW.case_id)), left(NEW.body_text, 100000));
         END IF;
         RETURN NEW;
       END $$""",
    # A case whose language is corrected re-indexes its messages with the right stemmer.
    """CREATE OR REPLACE FUNCTION search_case_language_changed() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         UPDATE core_message SET search_tsv = to_tsvector(search_config(NEW.language), left(body_text, 100000))
          WHERE case_id = NEW.id AND kind <> 'confirmation';
         RETURN NULL;
       END $$""",
]
PG_TRIGGERS = [
    """CREATE OR REPLACE TRIGGER search_case_tsv BEFORE INSERT OR UPDATE OF subject, language ON core_case
       FOR EACH ROW EXECUTE FUNCTION search_case_tsv()""",
    """CREATE OR REPLACE TRIGGER search_message_tsv BEFORE INSERT OR UPDATE OF body_text, case_id, kind
       ON core_message FOR EACH ROW EXECUTE FUNCTION search_message_tsv()""",
    """CREATE OR REPLACE TRIGGER search_case_language AFTER UPDATE OF language ON core_case
       FOR EACH ROW WHEN (OLD.language IS DISTINCT FROM NEW.language)
       EXECUTE FUNCTION search_case_language_changed()""",
]
PG_INSTALL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE core_case ADD COLUMN IF NOT EXISTS search_tsv tsvector",
    "ALTER TABLE core_message ADD COLUMN IF NOT EXISTS search_tsv tsvector",
    *PG_FUNCTIONS,
    *PG_TRIGGERS,
    # Rows that existed before the search app: index them once.
    "UPDATE core_case SET search_tsv = to_tsvector(search_config(language), coalesce(subject, ''))"
    " WHERE search_tsv IS NULL",
    """UPDATE core_message m SET search_tsv = to_tsvector(search_config(c.language), left(m.body_text, 100000))
        FROM core_case c WHERE c.id = m.case_id AND m.search_tsv IS NULL AND m.kind <> 'confirmation'""",
    "CREATE INDEX IF NOT EXISTS search_case_tsv_idx ON core_case USING gin (search_tsv)",
    "CREATE INDEX IF NOT EXISTS search_message_tsv_idx ON core_message USING gin (search_tsv)",
    "CREATE INDEX IF NOT EXISTS search_contact_name_trgm ON core_contact USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_identity_value_trgm ON core_identity USING gin (value gin_trgm_ops)",
]
PG_UNINSTALL = [
    "DROP TRIGGER IF EXISTS search_case_language ON core_case",
    "DROP TRIGGER IF EXISTS search_case_tsv ON core_case",
    "DROP TRIGGER IF EXISTS search_message_tsv ON core_message",
    "DROP INDEX IF EXISTS search_identity_value_trgm",
    "DROP INDEX IF EXISTS search_contact_name_trgm",
    "DROP INDEX IF EXISTS search_identity_brand_value_trgm",
    "DROP INDEX IF EXISTS search_contact_brand_name_trgm",
    "DROP INDEX IF EXISTS search_identity_brand_recent_value_trgm",
    "DROP INDEX IF EXISTS search_contact_brand_recent_name_trgm",
    "ALTER TABLE core_message DROP COLUMN IF EXISTS search_tsv",
    "ALTER TABLE core_case DROP COLUMN IF EXISTS search_tsv",
    "DROP FUNCTION IF EXISTS search_case_language_changed()",
    "DROP FUNCTION IF EXISTS search_message_tsv()",
    "DROP FUNCTION IF EXISTS search_case_tsv()",
    "DROP FUNCTION IF EXISTS search_config(text)",
]

# SQLite: external-content FTS5 tables (the text lives once, in the core tables) fed by triggers.
# Stemming happens on the query side (see query.py): unicode61 folds case and diacritics like the stemmers do.
SQLITE_TABLES = {
    "search_case_fts": "CREATE VIRTUAL TABLE search_case_fts USING fts5(subject, content='core_case',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "search_message_fts": "CREATE VIRTUAL TABLE search_message_fts USING fts5(body_text, content='core_message',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
}
SQLITE_TRIGGERS = {
    "search_case_ai": """CREATE TRIGGER search_case_ai AFTER INSERT ON core_case BEGIN
        INSERT INTO search_case_fts(rowid, subject) VALUES (new.id, new.subject); END""",
    "search_case_ad": """CREATE TRIGGER search_case_ad AFTER DELETE ON core_case BEGIN
        INSERT INTO search_case_fts(search_case_fts, rowid, subject) VALUES ('delete', old.id, old.subject); END""",
    "search_case_au": """CREATE TRIGGER search_case_au AFTER UPDATE OF subject ON core_case BEGIN
        INSERT INTO search_case_fts(search_case_fts, rowid, subject) VALUES ('delete', old.id, old.subject);
        INSERT INTO search_case_fts(rowid, subject) VALUES (new.id, new.subject); END""",
    "search_message_ai": """CREATE TRIGGER search_message_ai AFTER INSERT ON core_message
        WHEN new.kind <> 'confirmation' BEGIN
        INSERT INTO search_message_fts(rowid, body_text) VALUES (new.id, new.body_text); END""",
    "search_message_ad": """CREATE TRIGGER search_message_ad AFTER DELETE ON core_message
        WHEN old.kind <> 'confirmation' BEGIN
        INSERT INTO search_message_fts(search_message_fts, rowid, body_text)
        VALUES ('delete', old.id, old.body_text); END""",
    "search_message_au": """CREATE TRIGGER search_message_au AFTER UPDATE OF body_text, kind ON core_message BEGIN
        INSERT INTO search_message_fts(search_message_fts, rowid, body_text)
        SELECT 'delete', old.id, old.body_text WHERE old.kind <> 'confirmation';
        INSERT INTO search_message_fts(rowid, body_text)
        SELECT new.id, new.body_text WHERE new.kind <> 'confirmation'; END""",
}


def install(connection: BaseDatabaseWrapper) -> None:
    """Create every search structure (idempotent); existing rows are indexed."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in PG_INSTALL:
                cursor.execute(sql)
        elif connection.vendor == "sqlite":
            _sqlite_install(cursor)


def uninstall(connection: BaseDatabaseWrapper) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for sql in PG_UNINSTALL:
                cursor.execute(sql)
        elif connection.vendor == "sqlite":
            for name in SQLITE_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            for name in SQLITE_TABLES:
                cursor.execute(f"DROP TABLE IF EXISTS {name}")


def _sqlite_names(cursor: object, kind: str) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = %s", [kind])
    return {row[0] for row in cursor.fetchall()}


def _sqlite_install(cursor: object) -> bool:
    """Create what is missing; rebuild the index when anything was (rows may have slipped past)."""
    tables, triggers = _sqlite_names(cursor, "table"), _sqlite_names(cursor, "trigger")
    missing = False
    for name, sql in SQLITE_TABLES.items():
        if name not in tables:
            cursor.execute(sql)
            missing = True
    for name, sql in SQLITE_TRIGGERS.items():
        if name not in triggers:
            cursor.execute(sql)
            missing = True
    if missing:
        cursor.execute("INSERT INTO search_case_fts(search_case_fts) VALUES ('rebuild')")
        cursor.execute("INSERT INTO search_message_fts(search_message_fts) VALUES ('rebuild')")
    return missing


def is_installed(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_name = 'core_message' AND column_name = 'search_tsv'"
            )
            return cursor.fetchone() is not None
        if connection.vendor == "sqlite":
            return "search_message_fts" in _sqlite_names(cursor, "table")
    return False


def repair_after_migrate(using: str = "default", **kwargs: object) -> None:
    """Put back triggers a table rebuild dropped (SQLite remakes tables to alter them); no-op when intact."""
    from django.db import connections

    connection = connections[using]
    if not is_installed(connection):
        return  # the search migration is not applied (yet, or any more)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            if _sqlite_install(cursor):
                log.warning("search: restored FTS triggers and rebuilt the index after a table rebuild")
    elif connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for sql in PG_TRIGGERS:
                cursor.execute(sql)
