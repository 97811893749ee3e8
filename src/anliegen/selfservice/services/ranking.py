"""How articles are ranked for a text: the full-text index (the only ranker so far; a semantic one would plug
in here behind a setting, with full-text as the default)."""

from __future__ import annotations

from . import article_index


def rank(brand_id: int, text: str, language: str, limit: int) -> list[tuple[int, float]]:
    return article_index.search(brand_id, text, language, limit)
