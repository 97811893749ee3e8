"""The knowledge base's full-text index: a weighted tsvector on PostgreSQL, an FTS5 table on SQLite.

Title words weigh more than body words. Like case search (anliegen.search), PostgreSQL stems with the article's
language configuration, SQLite folds case and diacritics and the query side adds the stems.
"""

from __future__ import annotations

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper

from anliegen.search.query import variants, words

PG_INSTALL = [
    "ALTER TABLE selfservice_article ADD COLUMN IF NOT EXISTS search_tsv tsvector",
    """CREATE OR REPLACE FUNCTION selfservice_article_tsv() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         NEW.search_tsv := setweight(to_tsvector(search_config(NEW.language), coalesce(NEW.title, '')), 'A')
                        || setweight(to_tsvector(search_config(NEW.language), left(coalesce(NEW.body_text, ''), 100000)), 'B');
         RETURN NEW;
       END $$""",
    """CREATE OR REPLACE TRIGGER selfservice_article_tsv BEFORE INSERT OR UPDATE OF title, body_text, language
       ON selfservice_article FOR EACH ROW EXECUTE FUNCTION selfservice_article_tsv()""",
    "UPDATE selfservice_article SET title = title WHERE search_tsv IS NULL",
    "CREATE INDEX IF NOT EXISTS selfservice_article_tsv_idx ON selfservice_article USING gin (search_tsv)",
]
PG_UNINSTALL = [
    "DROP TRIGGER IF EXISTS selfservice_article_tsv ON selfservice_article",
    "DROP FUNCTION IF EXISTS selfservice_article_tsv()",
    "DROP INDEX IF EXISTS selfservice_article_tsv_idx",
    "ALTER TABLE selfservice_article DROP COLUMN IF EXISTS search_tsv",
]
SQLITE_INSTALL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS selfservice_article_fts USING fts5(title, body_text,"
    " content='selfservice_article', content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    """CREATE TRIGGER IF NOT EXISTS selfservice_article_ai AFTER INSERT ON selfservice_article BEGIN
       INSERT INTO selfservice_article_fts(rowid, title, body_text) VALUES (new.id, new.title, new.body_text); END""",
    """CREATE TRIGGER IF NOT EXISTS selfservice_article_ad AFTER DELETE ON selfservice_article BEGIN
       INSERT INTO selfservice_article_fts(selfservice_article_fts, rowid, title, body_text)
       VALUES ('delete', old.id, old.title, old.body_text); END""",
    """CREATE TRIGGER IF NOT EXISTS selfservice_article_au AFTER UPDATE OF title, body_text ON selfservice_article
       BEGIN
       INSERT INTO selfservice_article_fts(selfservice_article_fts, rowid, title, body_text)
       VALUES ('delete', old.id, old.title, old.body_text);
       INSERT INTO selfservice_article_fts(rowid, title, body_text) VALUES (new.id, new.title, new.body_text); END""",
    "INSERT INTO selfservice_article_fts(selfservice_article_fts) VALUES ('rebuild')",
]
SQLITE_UNINSTALL = [
    "DROP TRIGGER IF EXISTS selfservice_article_ai",
    "DROP TRIGGER IF EXISTS selfservice_article_ad",
    "DROP TRIGGER IF EXISTS selfservice_article_au",
    "DROP TABLE IF EXISTS selfservice_article_fts",
]

SQLITE_SEARCH = """
    SELECT a.id, bm25(selfservice_article_fts, 4.0, 1.0) FROM selfservice_article_fts
      JOIN selfservice_article a ON a.id = selfservice_article_fts.rowid
     WHERE selfservice_article_fts MATCH %s AND a.brand_id = %s AND a.state = 'published'
       AND (%s = '' OR a.language = %s)
     ORDER BY bm25(selfservice_article_fts, 4.0, 1.0), a.id LIMIT %s"""
PG_SEARCH = """
    SELECT a.id, ts_rank_cd(a.search_tsv, q, 32) AS rank
      FROM selfservice_article a, to_tsquery(search_config(%s), %s) q
     WHERE a.search_tsv @@ q AND a.brand_id = %s AND a.state = 'published' AND (%s = '' OR a.language = %s)
     ORDER BY rank DESC, a.id LIMIT %s"""


def install(conn: BaseDatabaseWrapper) -> None:
    statements = {"postgresql": PG_INSTALL, "sqlite": SQLITE_INSTALL}.get(conn.vendor, [])
    with conn.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def uninstall(conn: BaseDatabaseWrapper) -> None:
    statements = {"postgresql": PG_UNINSTALL, "sqlite": SQLITE_UNINSTALL}.get(conn.vendor, [])
    with conn.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def search(brand_id: int, text: str, language: str = "", limit: int = 5) -> list[tuple[int, float]]:
    """(article id, score) of published articles sharing any word of `text`, best first.

    Any word, not all: a customer types a whole sentence, and the article that shares most of it wins.
    """
    terms = words(text)
    if not terms:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Each term is \\w+ only (search.query.words), so the tsquery text cannot carry operators.
            expr = " | ".join(f"{t}:*" if len(t) >= 4 else t for t in terms)
            cursor.execute(PG_SEARCH, [language or "de", expr, brand_id, language, language, limit])
            return [(pk, float(rank)) for pk, rank in cursor.fetchall()]
        parts = [f'"{v}"*' if len(v) >= 4 else f'"{v}"' for t in terms for v in variants(t)]
        cursor.execute(SQLITE_SEARCH, [" OR ".join(parts), brand_id, language, language, limit])
        return [(pk, -float(score)) for pk, score in cursor.fetchall()]
