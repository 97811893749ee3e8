"""Semantic ranking: full-text hits and nearest articles by an offline embedding model, fused by rank.

A customer writes "der Bildschirm bleibt schwarz" and the article says "Kein Signal am Fernseher": no shared
word, the same concern. Each published article keeps one vector (ArticleEmbedding, computed on publication,
or on the next query for articles published before the ranker was switched on). A query embeds the text once
and compares it with the brand's vectors, held per process and reloaded when an article changes (one
aggregate per search tells, and whether an article still lacks its vector). Articles
below ANLIEGEN_ARTICLE_SEMANTIC_MIN similarity are left out: an unrelated text must show nothing, not the
least bad article. Full-text hits always count, so a word the customer typed is never outranked into absence.
"""

from __future__ import annotations

import logging

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from anliegen.search.query import words
from anliegen.selfservice.models import Article, ArticleEmbedding
from anliegen.selfservice.services import article_index

log = logging.getLogger(__name__)

CANDIDATES = 20  # per list before fusion
FUSION_K = 60  # reciprocal rank fusion's damping constant (Cormack et al.): later ranks still count a little
EMBED_PER_QUERY = 64  # articles a query may embed that were published before the ranker was on
TEXT_CHARS = 2000  # of an article's text embedded after its title: the opening says what it is about


def fuse(
    *ranked: list[tuple[int, float]], limit: int, closeness: dict[int, float] | None = None
) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of several best-first lists: sum of 1 / (k + rank) per id.

    Equal sums (one list's first against the other's first) go to the closer meaning, then the lower id: a
    full-text hit on one common word ("neu") must not beat the article that is about the concern.
    """
    closeness = closeness or {}
    scores: dict[int, float] = {}
    for hits in ranked:
        for rank, (pk, _score) in enumerate(hits, start=1):
            scores[pk] = scores.get(pk, 0.0) + 1.0 / (FUSION_K + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], -closeness.get(item[0], -1.0), item[0]))[:limit]


def article_text(article: Article) -> str:
    return f"{article.title}\n{article.body_text[:TEXT_CHARS]}"


class SemanticRanker:
    def __init__(self) -> None:
        self.embedder = import_string(settings.ARTICLE_EMBEDDER)()
        self.minimum = settings.ARTICLE_SEMANTIC_MIN
        # (brand, language) -> (signature, article ids, one row per article)
        self._vectors: dict[tuple[int, str], tuple[tuple, list[int], np.ndarray]] = {}

    def rank(self, brand_id: int, text: str, language: str, limit: int) -> list[tuple[int, float]]:
        if not words(text):
            return []
        fulltext = article_index.search(brand_id, text, language, CANDIDATES)
        signature, stale = self.state(brand_id)
        if stale:
            self.catch_up(brand_id)
            signature, _stale = self.state(brand_id)
        ids, matrix = self.vectors(brand_id, language, signature)
        if not ids:
            return fulltext[:limit]
        scores = matrix @ self.embedder.query(text)
        closeness = dict(zip(ids, scores.tolist(), strict=True))
        nearest = [(ids[i], float(scores[i])) for i in np.argsort(-scores)[:CANDIDATES] if scores[i] >= self.minimum]
        return fuse(fulltext, nearest, limit=limit, closeness=closeness)

    def indexed(self, article: Article) -> None:
        if article.state == Article.State.PUBLISHED:
            self.embed([article])

    def embed(self, found: list[Article]) -> None:
        vectors = self.embedder.passages([article_text(a) for a in found])
        with transaction.atomic():
            for article, vector in zip(found, vectors, strict=True):
                ArticleEmbedding.objects.update_or_create(
                    article=article,
                    defaults={
                        "model": self.embedder.name,
                        "vector": np.asarray(vector, dtype=np.float32).tobytes(),
                        "source_updated": article.updated_at or timezone.now(),
                    },
                )

    def state(self, brand_id: int) -> tuple[tuple, int]:
        """One aggregate per search: what the cached vectors must match, and how many articles lack a fresh vector.

        A publication, an edit, an archived article, a new vector or another model each change the result.
        """
        fresh = Q(embedding__model=self.embedder.name) & (
            Q(updated_at__isnull=True) | Q(embedding__source_updated__gte=F("updated_at"))
        )
        row = Article.objects.filter(brand_id=brand_id, state=Article.State.PUBLISHED).aggregate(
            n=Count("pk"), fresh=Count("pk", filter=fresh), a=Max("updated_at"), b=Max("embedding__updated_at")
        )
        return (row["n"], row["fresh"], row["a"], row["b"]), row["n"] - row["fresh"]

    def catch_up(self, brand_id: int) -> None:
        """Embed the brand's published articles that have no vector, or one of an older text or model."""
        stale = list(
            Article.objects.filter(brand_id=brand_id, state=Article.State.PUBLISHED).filter(
                Q(embedding__isnull=True)
                | Q(embedding__source_updated__lt=F("updated_at"))
                | ~Q(embedding__model=self.embedder.name)
            )[:EMBED_PER_QUERY]
        )
        if stale:
            log.info("embedding %d articles of brand %d", len(stale), brand_id)
            self.embed(stale)

    def vectors(self, brand_id: int, language: str, signature: tuple) -> tuple[list[int], np.ndarray]:
        """The brand's vectors in `language`, from memory while the brand's `signature` (see state) holds."""
        cached = self._vectors.get((brand_id, language))
        if cached is not None and cached[0] == signature:
            return cached[1], cached[2]
        rows = ArticleEmbedding.objects.filter(
            article__brand_id=brand_id, article__state=Article.State.PUBLISHED, model=self.embedder.name
        )
        if language:
            rows = rows.filter(article__language=language)
        pairs = list(rows.order_by("article_id").values_list("article_id", "vector"))
        ids = [pk for pk, _vector in pairs]
        matrix = (
            np.vstack([np.frombuffer(bytes(vector), dtype=np.float32) for _pk, vector in pairs])
            if pairs
            else np.empty((0, 0), dtype=np.float32)
        )
        self._vectors[(brand_id, language)] = (signature, ids, matrix)
        return ids, matrix
