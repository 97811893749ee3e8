"""Search on PostgreSQL: tsvector columns (German/English per case language), GIN indexes, pg_trgm for contacts."""

from __future__ import annotations

from django.db import connection

from .highlight import START, STOP

# How many matching rows are ranked at most: bounds the cost of a word that occurs in a fifth of all messages
# (at 1M cases, 5,000 rows cost ~190 ms, 1,000 rows ~30 ms); such a word finds more than anyone reads anyway.
SCAN_LIMIT = 1000
HEADLINE = f'StartSel={START}, StopSel={STOP}, MaxWords=28, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "'


def tsquery(text: str) -> str:
    """One query for both languages: a row indexed in German matches the German stems, and so on."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (websearch_to_tsquery('german', %s) || websearch_to_tsquery('english', %s))::text", [text, text]
        )
        return cursor.fetchone()[0]


def subject_hits(brands: list[int], tsq: str, cap: int) -> list[tuple[int, float]]:
    sql = """
        SELECT c.id, 2 + ts_rank(c.search_tsv, %(tsq)s::tsquery, 32) AS score
          FROM (SELECT id, search_tsv FROM core_case
                 WHERE search_tsv @@ %(tsq)s::tsquery AND brand_id = ANY(%(brands)s::bigint[]) LIMIT %(scan)s) c
         ORDER BY score DESC, c.id DESC LIMIT %(cap)s"""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"tsq": tsq, "brands": brands, "scan": SCAN_LIMIT, "cap": cap})
        return cursor.fetchall()


def message_hits(brands: list[int], tsq: str, cap: int) -> list[tuple[int, int, float]]:
    sql = """
        SELECT m.case_id, m.id, 1 + ts_rank(m.search_tsv, %(tsq)s::tsquery, 32) AS score
          FROM (SELECT id, case_id, search_tsv FROM core_message
                 WHERE search_tsv @@ %(tsq)s::tsquery AND brand_id = ANY(%(brands)s::bigint[]) LIMIT %(scan)s) m
         ORDER BY score DESC, m.id DESC LIMIT %(cap)s"""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"tsq": tsq, "brands": brands, "scan": SCAN_LIMIT, "cap": cap})
        return cursor.fetchall()


def contact_hits(brands: list[int], text: str, cap: int) -> list[tuple[int, float, str]]:
    """Contacts whose name or any identity contains the text (trigram indexes), best similarity first.

    Substring and similar-word matches are two arms, not one OR: with the OR the planner scans the whole brand's
    contacts and computes the similarity of each (130 ms for a common surname at 60,000 contacts a brand)."""
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    sql = """
        SELECT contact_id, max(sim), (array_agg(matched ORDER BY sim DESC))[1] FROM (
          SELECT id AS contact_id, word_similarity(%(q)s, name) AS sim, name AS matched FROM core_contact
           WHERE brand_id = ANY(%(brands)s::bigint[]) AND name ILIKE %(like)s
          UNION ALL
          SELECT id, word_similarity(%(q)s, name), name FROM core_contact
           WHERE brand_id = ANY(%(brands)s::bigint[]) AND %(q)s <%% name
          UNION ALL
          SELECT contact_id, word_similarity(%(q)s, value), value FROM core_identity
           WHERE brand_id = ANY(%(brands)s::bigint[]) AND value ILIKE %(like)s
          LIMIT %(scan)s) hits
         GROUP BY contact_id ORDER BY 2 DESC, 1 DESC LIMIT %(cap)s"""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"q": text, "like": like, "brands": brands, "scan": SCAN_LIMIT, "cap": cap})
        return cursor.fetchall()


def subject_snippets(case_ids: list[int], tsq: str) -> dict[int, str]:
    if not case_ids:
        return {}
    sql = """SELECT id, ts_headline(search_config(language), subject, %(tsq)s::tsquery, %(options)s)
               FROM core_case WHERE id = ANY(%(ids)s)"""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"tsq": tsq, "ids": case_ids, "options": HEADLINE + ", HighlightAll=true"})
        return dict(cursor.fetchall())


def message_snippets(message_ids: list[int], tsq: str) -> dict[int, str]:
    if not message_ids:
        return {}
    # ts_headline re-reads the text: only for the handful of results shown, and never more than 20,000 characters.
    sql = """SELECT m.id, ts_headline(search_config(c.language), left(m.body_text, 20000), %(tsq)s::tsquery, %(options)s)
               FROM core_message m JOIN core_case c ON c.id = m.case_id WHERE m.id = ANY(%(ids)s)"""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"tsq": tsq, "ids": message_ids, "options": HEADLINE})
        return dict(cursor.fetchall())
