"""How articles are ranked for a text, and how a ranker hears of a publication: the backend chosen by
ANLIEGEN_ARTICLE_RANKER (full-text by default, semantic with the `semantic` extra; see selfservice.rankers)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from anliegen.selfservice.models import Article


def rank(brand_id: int, text: str, language: str, limit: int) -> list[tuple[int, float]]:
    from anliegen.selfservice.rankers import get_ranker

    return get_ranker().rank(brand_id, text, language, limit)


def indexed(article: Article) -> None:
    from anliegen.selfservice.rankers import get_ranker

    get_ranker().indexed(article)
