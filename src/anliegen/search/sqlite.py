"""Search on SQLite (embedded mode): external-content FTS5 tables, stems expanded on the query side."""

from __future__ import annotations

import json

from django.db import connection

from .highlight import START, STOP
from .query import fts5_expression

SCAN_LIMIT = 1000
# Lists travel as one JSON parameter (json_each), so no SQL is ever assembled from values.
CASES = """
    SELECT c.id, bm25(search_case_fts) FROM search_case_fts JOIN core_case c ON c.id = search_case_fts.rowid
     WHERE search_case_fts MATCH %s AND c.brand_id IN (SELECT value FROM json_each(%s))
     ORDER BY bm25(search_case_fts), c.id DESC LIMIT %s"""
MESSAGES = """
    SELECT m.case_id, m.id, bm25(search_message_fts) FROM search_message_fts
      JOIN core_message m ON m.id = search_message_fts.rowid
     WHERE search_message_fts MATCH %s AND m.brand_id IN (SELECT value FROM json_each(%s))
     ORDER BY bm25(search_message_fts), m.id DESC LIMIT %s"""
CONTACTS = r"""
    SELECT id, name FROM core_contact
     WHERE brand_id IN (SELECT value FROM json_each(%s)) AND name LIKE %s ESCAPE '\'
    UNION ALL
    SELECT contact_id, value FROM core_identity
     WHERE brand_id IN (SELECT value FROM json_each(%s)) AND value LIKE %s ESCAPE '\'
    LIMIT %s"""
CASE_SNIPPETS = """
    SELECT rowid, snippet(search_case_fts, 0, %s, %s, ' … ', 40) FROM search_case_fts
     WHERE search_case_fts MATCH %s AND rowid IN (SELECT value FROM json_each(%s))"""
MESSAGE_SNIPPETS = """
    SELECT rowid, snippet(search_message_fts, 0, %s, %s, ' … ', 24) FROM search_message_fts
     WHERE search_message_fts MATCH %s AND rowid IN (SELECT value FROM json_each(%s))"""


def _bm25(score: float) -> float:
    # bm25() is negative, better is lower; map it onto 0..1 like PostgreSQL's ts_rank normalisation 32.
    good = max(-score, 0.0)
    return good / (good + 1.0)


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def prepare(text: str) -> str:
    """The FTS5 expression for the text (see query.py); empty when it has no words."""
    return fts5_expression(text)


def subject_hits(brands: list[int], expr: str, cap: int) -> list[tuple[int, float]]:
    return [(cid, 2 + _bm25(score)) for cid, score in _rows(CASES, [expr, json.dumps(brands), cap])]


def message_hits(brands: list[int], expr: str, cap: int) -> list[tuple[int, int, float]]:
    rows = _rows(MESSAGES, [expr, json.dumps(brands), cap])
    return [(case_id, mid, 1 + _bm25(score)) for case_id, mid, score in rows]


def contact_hits(brands: list[int], text: str, cap: int, prepared: str = "") -> list[tuple[int, float, str]]:
    """Substring match on names and identities (embedded installations are small enough to scan)."""
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    ids = json.dumps(brands)
    best: dict[int, tuple[float, str]] = {}
    for contact_id, matched in _rows(CONTACTS, [ids, like, ids, like, SCAN_LIMIT]):
        sim = len(text) / max(len(matched), 1)
        if sim > best.get(contact_id, (-1.0, ""))[0]:
            best[contact_id] = (sim, matched)
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], -kv[0]))[:cap]
    return [(cid, sim, matched) for cid, (sim, matched) in ranked]


def subject_snippets(case_ids: list[int], expr: str) -> dict[int, str]:
    return dict(_rows(CASE_SNIPPETS, [START, STOP, expr, json.dumps(case_ids)])) if case_ids else {}


def message_snippets(message_ids: list[int], expr: str) -> dict[int, str]:
    return dict(_rows(MESSAGE_SNIPPETS, [START, STOP, expr, json.dumps(message_ids)])) if message_ids else {}
