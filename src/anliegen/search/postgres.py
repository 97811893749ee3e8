"""Search on PostgreSQL: tsvector columns (German/English per case language), GIN indexes, pg_trgm for contacts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection

from .highlight import START, STOP

# How many matching rows are ranked at most: bounds the cost of a word that occurs in a fifth of all messages
# (at 1M cases, 5,000 rows cost ~190 ms, 1,000 rows ~30 ms); such a word finds more than anyone reads anyway.
SCAN_LIMIT = 1000
HEADLINE = f'StartSel={START}, StopSel={STOP}, MaxWords=28, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "'
# The ranked rows are the newest matches. The full-text GIN indexes hold each row's id bucket (id // BUCKET, migration
# 0006), so "matches in the newest N buckets" is one index scan; an index scan's cost grows with the ids it spans
# (every brand's: ~80 ns an id, 20 ms for 256 buckets at 1M cases), so a window starts narrow and is widened once, to
# the width the first window's rate of matches asks for.
BUCKET = 1024  # as in the indexes' expression: change both together
FIRST_SPAN = 32  # buckets
MAX_SPAN = 256

CASES = (
    "SELECT id, search_tsv FROM core_case WHERE search_tsv @@ %(tsq)s::tsquery AND brand_id = ANY(%(brands)s::bigint[])",
    "id, 2 + ts_rank(search_tsv, %(tsq)s::tsquery, 32)",
    "core_case",
)
MESSAGES = (
    "SELECT id, case_id, search_tsv FROM core_message"
    " WHERE search_tsv @@ %(tsq)s::tsquery AND brand_id = ANY(%(brands)s::bigint[])",
    "id, 1 + ts_rank(search_tsv, %(tsq)s::tsquery, 32), case_id",
    "core_message",
)
# The query and the newest id of every table whose matches are read newest first, in one round trip.
PREPARE = """SELECT (websearch_to_tsquery('german', %(q)s) || websearch_to_tsquery('english', %(q)s))::text,
    (SELECT coalesce(max(id), 0) FROM core_case), (SELECT coalesce(max(id), 0) FROM core_message),
    (SELECT coalesce(max(id), 0) FROM core_contact)"""
# Materialised, so the planner picks its scan for the window's rows alone: with the ORDER BY beside them it walks the
# primary key backwards through every row of every brand (190 ms for a common word's 1,000 newest messages).
# Only a lower bound: btree_gin reads the range of an upper bound from the lowest key up, i.e. the whole table. The
# bound is cast: an int4 literal against the bigint expression would not use the index.
WINDOW = """WITH hits AS MATERIALIZED ({rows} AND id / {bucket} >= %(low)s::bigint),
    newest AS (SELECT {ranked} FROM hits ORDER BY id DESC LIMIT %(need)s)
    SELECT *, count(*) OVER () FROM newest ORDER BY 2 DESC, 1 DESC LIMIT %(cap)s"""
# Ranked in the database, so only the shown rows travel (with how many were ranked, for sizing the next window).
EVERY = "SELECT {ranked}, count(*) OVER () FROM ({rows} LIMIT %(need)s) hits ORDER BY 2 DESC, 1 DESC LIMIT %(cap)s"

# A contact's best match: the highest similarity; of equals, one that holds the text as typed (it is marked in the
# snippet), then the first in order, so the same data always shows the same snippet.
BEST = """SELECT contact_id, max(sim), (array_agg(matched ORDER BY sim DESC, matched ILIKE %(like)s DESC, matched))[1]
    FROM ({arms} LIMIT %(scan)s) hits GROUP BY contact_id ORDER BY 2 DESC, 1 DESC LIMIT %(cap)s"""
# Substring and similar-word matches of the name are two arms, not one OR: with the OR the planner scans the whole
# brand's contacts and computes the similarity of each (130 ms for a common surname at 60,000 contacts a brand).
CONTACTS = BEST.format(
    arms="""SELECT id AS contact_id, word_similarity(%(q)s, name) AS sim, name AS matched FROM core_contact
       WHERE brand_id = ANY(%(brands)s::bigint[]) AND name ILIKE %(like)s
      UNION ALL
      SELECT id, word_similarity(%(q)s, name), name FROM core_contact
       WHERE brand_id = ANY(%(brands)s::bigint[]) AND %(q)s <%% name
      UNION ALL
      SELECT contact_id, word_similarity(%(q)s, value), value FROM core_identity
       WHERE brand_id = ANY(%(brands)s::bigint[]) AND value ILIKE %(like)s"""
)
# The trigram indexes hold the bucket of the contact's id next to brand and text (migration 0007), as the full-text
# indexes do, so the newest contacts' matches are one index scan each: a common surname's ~950 contacts of a brand cost
# 10-35 ms (index, heap rows and similarities), its ~50 in the newest 32 buckets 2-8 ms. Within the window the OR is
# what the index scan answers (two bitmaps ORed), and a contact found by both name arms is read once.
CONTACT_SPAN = 32  # buckets of contact ids
ONE_WORD = re.compile(r"\w+")
# One token with punctuation: an e-mail address, first.last, a phone number. Several words are mostly a topic and a
# place, nobody's name: a first read of full matches would find none and cost a statement more (+1.1-1.4 ms).
ADDRESS = re.compile(r"\S+")
CONTACT_WINDOW = BEST.format(
    arms="""SELECT id AS contact_id, word_similarity(%(q)s, name) AS sim, name AS matched FROM core_contact
       WHERE brand_id = ANY(%(brands)s::bigint[]) AND id / {bucket} >= %(low)s::bigint
         AND (name ILIKE %(like)s OR %(q)s <%% name)
      UNION ALL
      SELECT contact_id, word_similarity(%(q)s, value), value FROM core_identity
       WHERE brand_id = ANY(%(brands)s::bigint[]) AND contact_id / {bucket} >= %(low)s::bigint AND value ILIKE %(like)s"""
)


@dataclass(frozen=True)
class Prepared:
    """What one search reads once: its tsquery (one for both languages) and the newest id of each table."""

    tsq: str
    newest: dict[str, int]

    def __bool__(self) -> bool:
        return bool(self.tsq)  # the text had words the configurations keep


def prepare(text: str) -> Prepared:
    """One query for both languages: a row indexed in German matches the German stems, and so on."""
    with connection.cursor() as cursor:
        cursor.execute(PREPARE, {"q": text})
        tsq, *newest = cursor.fetchone()
    return Prepared(tsq, dict(zip(("core_case", "core_message", "core_contact"), newest, strict=True)))


def _newest_matches(kind: tuple[str, str, str], brands: list[int], tsq: Prepared, cap: int) -> list[tuple]:
    """The best `cap` of at most SCAN_LIMIT matching rows (id, score, ...): all matches when they fit, else the newest.

    Two windows at most, so a common word costs two index scans: past MAX_SPAN buckets fewer rows are ranked (such a
    word finds more recent cases than anyone reads), and a word found only before the windows gets its first rows in
    heap order, as before there were windows."""
    rows, ranked, table = kind
    params = {"tsq": tsq.tsq, "brands": brands, "cap": cap}
    with connection.cursor() as cursor:

        def ranked_rows(sql: str, **bounds: int) -> tuple[list[tuple], int]:
            cursor.execute(sql, {**params, **bounds})
            found = cursor.fetchall()
            return [row[:-1] for row in found], found[0][-1] if found else 0

        top = tsq.newest[table] // BUCKET
        window = WINDOW.format(rows=rows, ranked=ranked, bucket=BUCKET)
        best, count = ranked_rows(window, low=top - FIRST_SPAN, need=SCAN_LIMIT)
        if count >= SCAN_LIMIT or top <= FIRST_SPAN:
            return best
        every: list[tuple] = []
        if count * top < SCAN_LIMIT * FIRST_SPAN:  # at the first window's rate all matches fit: read them all
            every, everything = ranked_rows(EVERY.format(rows=rows, ranked=ranked), need=SCAN_LIMIT + 1)
            if everything <= SCAN_LIMIT:
                return every
        # Wide enough for SCAN_LIMIT at the first window's rate, with a fifth to spare.
        span = min(MAX_SPAN, FIRST_SPAN * SCAN_LIMIT * 6 // (5 * max(count, 1)))
        best, count = ranked_rows(window, low=top - span, need=SCAN_LIMIT)
        return best or every


def subject_hits(brands: list[int], tsq: Prepared, cap: int) -> list[tuple[int, float]]:
    return _newest_matches(CASES, brands, tsq, cap)


def message_hits(brands: list[int], tsq: Prepared, cap: int) -> list[tuple[int, int, float]]:
    return [(case_id, mid, score) for mid, score, case_id in _newest_matches(MESSAGES, brands, tsq, cap)]


def contact_hits(brands: list[int], text: str, cap: int, prepared: Prepared) -> list[tuple[int, float, str]]:
    """Contacts whose name or any identity contains the text (trigram indexes), best similarity first, then newest.

    For one word (a surname), the newest CONTACT_SPAN buckets of contact ids are read first: when `cap` contacts there
    match fully (similarity 1), no older contact can rank above them. An address (which seldom fills a window: 1 of
    "anna.zimmermann"'s 37 contacts of a brand are in it) first reads only the contacts that match fully, everywhere:
    the similar-word arm at threshold 1 needs all the text's trigrams, an intersection of the trigrams' index entries
    instead of a walk through most of them (a common name's address 17-26 ms -> 12-15 ms); when `cap` contacts match
    fully, they are the answer, as for the window. Otherwise every contact of the brands is read at the configured
    threshold, as before (a rare name or address, a typo, several words)."""
    like = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    params = {"q": text, "like": like, "brands": brands, "scan": SCAN_LIMIT, "cap": cap}
    top = prepared.newest["core_contact"] // BUCKET
    with connection.cursor() as cursor:

        def best(sql: str, threshold: str = "DEFAULT", **bounds: int) -> list[tuple]:
            # In one process: the planner parallelises these scans of a few milliseconds, and starting the workers
            # costs 10-20 ms on a busy server. SET LOCAL and the query are one round trip and one implicit
            # transaction (Django's client-side binding sends all three as one simple query), so the settings end
            # with it. Inside an outer transaction they last until its end: so every read sets the threshold.
            cursor.execute(
                "SET LOCAL max_parallel_workers_per_gather = 0; "
                f"SET LOCAL pg_trgm.word_similarity_threshold = {threshold}; " + sql,
                {**params, **bounds},
            )
            cursor.nextset()
            cursor.nextset()
            return cursor.fetchall()

        first = []
        if ONE_WORD.fullmatch(text):
            if top > CONTACT_SPAN:
                first = best(CONTACT_WINDOW.replace("{bucket}", str(BUCKET)), low=top - CONTACT_SPAN)
        elif ADDRESS.fullmatch(text):
            first = best(CONTACTS, threshold="1")
        if len(first) == cap and first[-1][1] >= 1.0:
            return first
        return best(CONTACTS)


def subject_snippets(case_ids: list[int], tsq: Prepared) -> dict[int, str]:
    if not case_ids:
        return {}
    sql = """SELECT id, ts_headline(search_config(language), subject, %(tsq)s::tsquery, %(options)s)
               FROM core_case WHERE id = ANY(%(ids)s)"""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"tsq": tsq.tsq, "ids": case_ids, "options": HEADLINE + ", HighlightAll=true"})
        return dict(cursor.fetchall())


def message_snippets(message_ids: list[int], tsq: Prepared) -> dict[int, str]:
    if not message_ids:
        return {}
    # ts_headline re-reads the text: only for the handful of results shown, and never more than 20,000 characters.
    sql = """SELECT m.id, ts_headline(search_config(c.language), left(m.body_text, 20000), %(tsq)s::tsquery, %(options)s)
               FROM core_message m JOIN core_case c ON c.id = m.case_id WHERE m.id = ANY(%(ids)s)"""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"tsq": tsq.tsq, "ids": message_ids, "options": HEADLINE})
        return dict(cursor.fetchall())
