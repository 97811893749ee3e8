"""The default ranker: the database's full-text index (PostgreSQL tsvector, SQLite FTS5), kept by triggers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from anliegen.selfservice.services import article_index

if TYPE_CHECKING:
    from anliegen.selfservice.models import Article


class FullTextRanker:
    def rank(self, brand_id: int, text: str, language: str, limit: int) -> list[tuple[int, float]]:
        return article_index.search(brand_id, text, language, limit)

    def indexed(self, article: Article) -> None:
        """Nothing to do: the index's triggers follow every write of title and text."""
