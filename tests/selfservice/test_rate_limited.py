"""Every rate-limited public endpoint answers 429 with Retry-After; a person gets our page in their language."""

from __future__ import annotations

import pytest
from django.test import Client

from anliegen.selfservice.views import deflection
from anliegen.selfservice.views import help as help_views

from .test_articles import publish


@pytest.fixture
def article(brand, agents):
    return publish(brand, agents["claire"], "Rechnung verstehen", "<p>So lesen Sie Ihre Rechnung.</p>")


def _retry(response) -> int:
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 0 < wait <= 3600
    return wait


@pytest.mark.parametrize(
    ("language", "words"),
    [("de", ("Zu viele Anfragen", "Bitte versuchen Sie es in")), ("en", ("Too many requests", "Please try again in"))],
)
def test_article_feedback_over_the_limit_is_our_429_page(article, monkeypatch, language, words):
    monkeypatch.setattr(help_views, "FEEDBACK_RATE", help_views.ratelimit.Rate(1, 3600))
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    url = f"/stadtwerk/help/de/{article.slug}/feedback/"
    assert client.post(url, {"helpful": "yes"}).status_code == 302
    refused = client.post(url, {"helpful": "no"})
    wait = _retry(refused)
    html = refused.content.decode()
    assert f'<html lang="{language}">' in html and all(w in html for w in words) and "429" in html
    assert f"{-(-wait // 60)} " in html  # the minutes to wait
    as_json = client.post(url, {"helpful": "no"}, HTTP_ACCEPT="application/json")
    assert _retry(as_json) and as_json.json()["error"] == "rate_limited"


def test_suggestions_and_solved_over_the_limit_say_when_again(brand, monkeypatch):
    monkeypatch.setattr(deflection, "SUGGEST_RATE", deflection.ratelimit.Rate(1, 3600))
    client = Client()
    text = "Mein Fernseher hat kein Signal"
    client.get("/stadtwerk/help/suggest/", {"q": text})
    _retry(client.get("/stadtwerk/help/suggest/", {"q": text}))
    client.post("/stadtwerk/help/solved/", {"visit": "v1"})
    _retry(client.post("/stadtwerk/help/solved/", {"visit": "v1"}))


def test_community_posts_over_the_limit_say_when_again(brand, agents):
    client = Client()
    for n in range(6):
        response = client.post("/stadtwerk/community/", {"title": f"WLAN weg {n}", "body": "Seit gestern kein WLAN.",
                                                          "name": "Jana", "email": f"j{n}@example.org"})  # fmt: skip
    _retry(response)
