"""Reading what an agent typed: words, case references, and the FTS5 expression for SQLite."""

from __future__ import annotations

import re
from functools import cache

import snowballstemmer

MAX_QUERY = 200
MAX_TERMS = 8
WORD = re.compile(r"\w+", re.UNICODE)
# A pasted "[Ref abcd234xyz]" tag or a bare reply token (see core.models.case.TOKEN_ALPHABET).
REFERENCE = re.compile(r"^\s*(?:\[?ref\s+)?([a-hjkmnp-z2-9]{10})\]?\s*$", re.IGNORECASE)
CASE_NUMBER = re.compile(r"^\s*#?(\d{1,12})\s*$")
# Words too common to narrow a search; PostgreSQL's configurations drop the same ones.
STOP_WORDS = frozenset(
    [
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "ein",
        "eine",
        "einen",
        "einem",
        "einer",
        "und",
        "oder",
        "aber",
        "ich",
        "sie",
        "er",
        "es",
        "wir",
        "ihr",
        "mein",
        "meine",
        "ist",
        "sind",
        "war",
        "bei",
        "mit",
        "von",
        "zu",
        "im",
        "in",
        "am",
        "an",
        "auf",
        "für",
        "nicht",
        "kein",
        "keine",
        "noch",
        "nur",
        "auch",
        "wie",
        "was",
        "wenn",
        "dass",
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "i",
        "you",
        "he",
        "she",
        "it",
        "we",
        "they",
        "my",
        "your",
        "is",
        "are",
        "was",
        "were",
        "of",
        "to",
        "in",
        "on",
        "at",
        "for",
        "not",
        "no",
        "with",
        "from",
        "this",
        "that",
        "be",
        "have",
        "has",
    ]
)


def clean(query: str) -> str:
    return " ".join(query.split())[:MAX_QUERY]


def words(query: str) -> list[str]:
    found = [w.lower() for w in WORD.findall(query)]
    meaningful = [w for w in found if w not in STOP_WORDS]
    return (meaningful or found)[:MAX_TERMS]


@cache
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(language)


def variants(word: str) -> list[str]:
    """The word and its German and English stems (the same Snowball stemmers PostgreSQL uses)."""
    found = [word]
    for language in ("german", "english"):
        stem = _stemmer(language).stemWord(word)
        if stem not in found:
            found.append(stem)
    return found


def fts5_expression(query: str) -> str:
    """All words must occur; each as a prefix of one of its stems ("rechnungen" -> "rechnung"*)."""
    parts = []
    for word in words(query):
        alternatives = [f'"{v}"*' if len(v) >= 3 else f'"{v}"' for v in variants(word)]
        parts.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


def case_number(query: str) -> int | None:
    match = CASE_NUMBER.match(query)
    return int(match.group(1)) if match else None


def reply_token(query: str) -> str | None:
    match = REFERENCE.match(query)
    return match.group(1).lower() if match else None
