"""The desk's top bar is rendered once per agent, presence and language; what belongs to a request is its own."""

from __future__ import annotations

import re

from django.test import Client
from django.urls import reverse

from anliegen.desk.templatetags import desk_render
from tests.conftest import PASSWORD


def _strict_client(username: str) -> Client:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=username, password=PASSWORD)
    return client


def _presence_form(html: str) -> str:
    return html.split('<form class="presence"', 1)[1].split("</form>", 1)[0]


def test_each_page_carries_its_own_token_path_and_links(agents):
    anna = _strict_client("anna")
    anna.get(reverse("desk:inbox"))  # the top bar is cached now
    page = anna.get(reverse("desk:queue") + "?state=waiting").content.decode()
    form = _presence_form(page)
    assert 'name="next" value="/desk/queue/?state=waiting"' in form
    nav = page.split("</nav>", 1)[0]
    assert 'href="/desk/queue/" class="active"' in nav and 'href="/desk/" class="active"' not in nav
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert len(tokens) == 1 and desk_render.CSRF_SLOT not in page  # the same token as the rest of the page
    assert desk_render._SLOT not in page
    # A strict-CSRF browser posts the presence with the token its page got.
    response = anna.post(reverse("desk:presence"), {"presence": "away", "csrfmiddlewaretoken": tokens.pop(),
                                                    "next": "/desk/queue/?state=waiting"})  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/desk/queue/?state=waiting"
    # Another browser of the same agent gets a top bar with its own token, and the presence just set.
    other = _strict_client("anna")
    again = other.get(reverse("desk:inbox")).content.decode()
    assert re.search(r'<option value="away" selected>', _presence_form(again))
    assert not set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', again)) & tokens


def test_search_words_and_names_are_escaped(agents):
    agents["anna"].name = "Anna <b>Schmidt</b>"
    agents["anna"].save(update_fields=["name"])
    anna = _strict_client("anna")
    page = anna.get(reverse("desk:inbox"), {"q": '"><script>alert(1)</script>'}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page
    assert "Anna &lt;b&gt;Schmidt&lt;/b&gt;" in page and "<b>Schmidt</b>" not in page
    # The next request's words are its own, not the cached ones.
    assert "alert(1)" not in anna.get(reverse("desk:inbox")).content.decode()


def test_a_top_bar_cached_by_another_process_is_filled_in_here(agents):
    """With a shared cache (Redis) a web process reads top bars another process rendered: their stand-ins must be
    the ones it fills in."""
    import importlib

    anna = _strict_client("anna")
    anna.get(reverse("desk:inbox"))  # rendered and cached by "this" process
    importlib.reload(desk_render)  # its module code run again, as another process runs it: its stand-ins
    page = anna.get(reverse("desk:queue")).content.decode()
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page))
    assert len(tokens) == 1 and desk_render._SLOT not in page
