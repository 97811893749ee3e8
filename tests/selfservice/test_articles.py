"""Knowledge base: drafts, review and publishing, sanitised bodies, search ranking in German and English, feedback."""

from __future__ import annotations

import pytest

from anliegen.selfservice.models import Article, ArticleFeedback, ArticleVersion
from anliegen.selfservice.services import articles, matching_articles
from tests.desk.conftest import client_for

DE = [
    (
        "Kein Signal am Fernseher: was Sie selbst prüfen können",
        "<p>Wenn der Fernseher <strong>kein Signal</strong> zeigt, prüfen Sie das Antennenkabel und starten Sie den Receiver neu.</p>",
    ),
    ("Rechnung verstehen", "<p>So lesen Sie Ihre Rechnung: Grundgebühr, Gutschriften und Zahlungsfristen.</p>"),
    ("WLAN-Passwort ändern", "<p>Melden Sie sich am Router an und ändern Sie unter WLAN das Passwort.</p>"),
]
EN = [
    (
        "No signal on the TV: what you can check yourself",
        "<p>If the TV shows <strong>no signal</strong>, check the antenna cable and restart the receiver.</p>",
    ),
    ("Understanding your invoice", "<p>How to read your invoice: base fee, credits and payment terms.</p>"),
    ("Changing the Wi-Fi password", "<p>Log in to the router and change the password under Wi-Fi.</p>"),
]


def publish(brand, reviewer, title, body, language="de"):
    version = articles.do_draft(brand, None, title=title, body=body, language=language)
    articles.do_submit(version)
    articles.check_review(version, reviewer, approve=True)
    return Article.objects.get(pk=version.article_id)


@pytest.fixture
def kb(brand, agents):
    return {
        lang: [publish(brand, agents["claire"], t, b, lang) for t, b in items]
        for lang, items in (("de", DE), ("en", EN))
    }


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (
            "de",
            "Mein Fernseher hat seit heute kein Signal mehr",
            "Kein Signal am Fernseher: was Sie selbst prüfen können",
        ),
        ("de", "Frage zu meinen Rechnungen und der Gutschrift", "Rechnung verstehen"),
        ("de", "Wie kann ich das Passwort vom WLAN ändern?", "WLAN-Passwort ändern"),
        ("en", "my tv says no signal since this evening", "No signal on the TV: what you can check yourself"),
        ("en", "I do not understand the credits on my invoices", "Understanding your invoice"),
        ("en", "how do I change my wifi password on the router", "Changing the Wi-Fi password"),
    ],
)
def test_search_ranks_the_right_article_first_in_both_languages(kb, brand, language, text, expected):
    found = matching_articles(brand, text, language)
    assert found and found[0].article.title == expected
    assert all(m.article.language == language for m in found)


def test_drafts_are_not_public_until_a_supervisor_publishes(brand, agents, client):
    version = articles.do_draft(brand, agents["ben"], title="Umzug melden", body="<p>Umzug einfach online melden.</p>")
    assert matching_articles(brand, "Umzug melden", "de") == []
    articles.do_submit(version)
    with pytest.raises(articles.ArticleError):
        articles.check_review(version, agents["ben"], approve=True)  # an agent may not publish
    articles.check_review(version, agents["claire"], approve=True)
    article = Article.objects.get(pk=version.article_id)
    assert client.get(f"/stadtwerk/help/de/{article.slug}/").status_code == 200
    second = articles.do_draft(
        brand, agents["ben"], title="Umzug melden", body="<p>Neu: auch per Telefon.</p>", article=article
    )
    articles.do_submit(second)
    articles.check_review(second, agents["claire"], approve=False, note="Bitte Nummer ergänzen")
    article.refresh_from_db()
    assert "online" in article.body_text and second.number == 2
    assert ArticleVersion.objects.get(pk=second.pk).state == ArticleVersion.State.REJECTED


def test_bodies_are_sanitised_and_oversized_ones_refused(brand, agents):
    article = publish(
        brand,
        agents["claire"],
        "Unsicher",
        '<p onclick="x()">Hallo<script>alert(1)</script>'
        '<a href="javascript:alert(1)">link</a><img src="http://t.example/p.gif"></p>',
    )
    assert "script" not in article.body_html and "onclick" not in article.body_html
    assert "javascript:" not in article.body_html and "<img" not in article.body_html
    assert "Hallo" in article.body_text
    with pytest.raises(articles.ArticleError):
        articles.do_draft(brand, None, title="Zu lang", body="x" * 200_001)


def test_help_centre_pages_and_feedback(kb, brand, client):
    home = client.get("/stadtwerk/help/", {"lang": "en"}).content.decode()
    assert "Understanding your invoice" in home and "Rechnung verstehen" not in home
    search = client.get("/stadtwerk/help/search/", {"lang": "de", "q": "Rechnung"}).content.decode()
    assert "Rechnung verstehen" in search
    article = kb["de"][1]
    url = f"/stadtwerk/help/de/{article.slug}/"
    assert client.get(url).status_code == 200
    assert client.post(url + "feedback/", {"helpful": "yes"}).status_code == 302
    client.post(url + "feedback/", {"helpful": "no"})  # the same reader changes their mind: still one vote
    assert list(ArticleFeedback.objects.values_list("helpful", flat=True)) == [False]
    assert client.post(url + "feedback/", {"helpful": "maybe"}).status_code == 400
    assert client.get("/stadtwerk/help/de/gibt-es-nicht/").status_code == 404


def test_agents_insert_an_article_link_into_a_reply(kb, brand, agents, mail_case):
    case = mail_case(brand, "Rechnung unklar", text="Ich verstehe meine Rechnung nicht.")
    page = client_for("ben").get(f"/desk/cases/{case.pk}/articles/", {"q": "Rechnung"}).content.decode()
    assert "Rechnung verstehen" in page and f"/stadtwerk/help/de/{kb['de'][1].slug}/" in page


def test_other_brands_articles_stay_apart(kb, other_brand):
    assert matching_articles(other_brand, "kein Signal", "de") == []
