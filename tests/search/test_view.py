"""The desk search page: signed-in agents only, results of their brands only, snippets escaped and marked."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_search_page_shows_marked_escaped_snippets_of_own_brand(brand, agents, other_brand, make_case):
    ours = make_case(brand, "Frage", 'Die Rechnung <script>alert("x")</script> kam doppelt.')
    theirs = make_case(other_brand, "Rechnung falsch", "Meine Rechnung stimmt nicht.")
    response = _client("anna").get(reverse("desk:search"), {"q": "Rechnungen"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-case-row="{ours.pk}"' in html
    assert f'data-case-row="{theirs.pk}"' not in html
    assert "<mark>Rechnung</mark>" in html
    assert "<script>alert" not in html
    dora = _client("dora").get(reverse("desk:search"), {"q": "Rechnung"}).content.decode()
    assert f'data-case-row="{theirs.pk}"' in dora and f'data-case-row="{ours.pk}"' not in dora


def test_search_page_without_query_and_with_odd_input(brand, agents):
    client = _client("anna")
    assert client.get(reverse("desk:search")).status_code == 200
    for q in ("x" * 5000, '"(', "#", "ä"):
        assert client.get(reverse("desk:search"), {"q": q}).status_code == 200


def test_search_page_needs_sign_in(brand, agents):
    response = Client().get(reverse("desk:search"), {"q": "Rechnung"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_result_row_links_its_case_and_shows_its_time_as_the_date_filter_does(brand, agents, make_case, settings):
    from django.template import Context, Template
    from django.utils import translation

    case = make_case(brand, "Zählerstand gemeldet", "Der Zählerstand ist 4711.")
    for language in ("de", "en"):
        html = _client("anna").get(reverse("desk:search"), {"q": "Zählerstand"}, HTTP_ACCEPT_LANGUAGE=language)
        html = html.content.decode()
        with translation.override(html.split('lang="', 1)[1].split('"', 1)[0]):
            time = Template('<time datetime="{{ t|date:\'c\' }}">{{ t|date:"SHORT_DATETIME_FORMAT" }}</time>')
            shown = time.render(Context({"t": case.updated_at}))
        assert f'<a href="{reverse("desk:case", args=[case.pk])}">Zählerstand gemeldet</a>' in html
        assert shown in html
