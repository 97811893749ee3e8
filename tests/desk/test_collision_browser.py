"""Two agents in two browsers on the same case: each sees the other view and type, and a quiet tab expires."""

from __future__ import annotations

import pytest

from anliegen.desk import collision
from tests.browser import ARGS, CHROMIUM
from tests.conftest import PASSWORD

from .test_browser import asgi_server  # noqa: F401 - the real ASGI app under uvicorn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(monkeypatch, settings):
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def signed_in(browser, server: str, username: str, locale: str):  # noqa: ANN201 - a Playwright page
    page = browser.new_context(locale=locale, extra_http_headers={"Accept-Language": locale[:2]}).new_page()
    page.goto(f"{server}/desk/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".topbar .me")
    return page


def test_two_agents_see_each_other_on_the_same_case(browser, asgi_server, agents, mail_case, monkeypatch):  # noqa: F811
    case = mail_case(agents["anna"].memberships.get().brand, "Zählerstand falsch", owner=agents["anna"])
    url = f"{asgi_server}/desk/cases/{case.pk}/"
    anna = signed_in(browser, asgi_server, "anna", "en-GB")
    ben = signed_in(browser, asgi_server, "ben", "de-DE")
    anna.goto(url)
    anna.wait_for_selector("#timeline")
    assert anna.is_hidden("#case-watchers")  # alone on the case
    ben.goto(url)
    anna.wait_for_selector("#case-watchers .watcher:has-text('Ben Wagner is viewing')", timeout=10_000)
    ben.wait_for_selector("#case-watchers .watcher:has-text('Anna Schmidt sieht sich den Fall an')", timeout=10_000)

    anna.fill("#id_text", "Ich korrigiere den Zählerstand")
    anna.type("#id_text", ".")  # fill sets the value; typing fires the input event the notice listens to
    ben.wait_for_selector("#case-watchers .typing:has-text('Anna Schmidt schreibt eine Antwort')", timeout=10_000)
    ben.type("form textarea[name=text] >> nth=1", "intern")  # the note composer
    anna.wait_for_selector("#case-watchers .typing:has-text('Ben Wagner is writing an internal note')", timeout=10_000)

    anna.close()  # the tab closes: gone at once, no waiting for the ttl
    ben.wait_for_selector("#case-watchers", state="hidden", timeout=10_000)

    # A tab that goes quiet (asleep, offline) without a goodbye expires after its ttl.
    monkeypatch.setattr(collision, "TTL", 2)
    monkeypatch.setattr(collision, "HEARTBEAT", 600)
    claire = signed_in(browser, asgi_server, "claire", "en-GB")
    claire.goto(url)
    ben.wait_for_selector("#case-watchers .watcher:has-text('Claire Miller')", timeout=10_000)
    ben.wait_for_selector("#case-watchers", state="hidden", timeout=6_000)
    assert not claire.is_closed()  # still open, only silent
