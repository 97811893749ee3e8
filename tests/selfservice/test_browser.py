"""Status page and deflection in a real browser (Debian's Chromium through Playwright)."""

from __future__ import annotations

import pytest

from anliegen.selfservice.models import Deflection
from tests.browser import chromium_page

from .test_articles import publish

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(monkeypatch):
    with chromium_page(monkeypatch, locale="de-DE", extra_http_headers={"Accept-Language": "de"}) as page:
        yield page


def test_status_page_postcode_lookup_and_language_switch(page, live_server, outage):
    page.goto(f"{live_server.url}/stadtwerk/status/")
    assert page.get_attribute("html", "lang") == "de"
    assert "Kein TV-Signal in Hamburg-Nord" in page.inner_text("main")
    page.fill("#postcode", "22529")
    page.click(".postcode-lookup button")
    assert "ist betroffen" in page.inner_text("#postcode-answer")
    assert page.get_attribute("#postcode", "aria-describedby") == "postcode-answer"
    page.click("text=English")
    assert page.get_attribute("html", "lang") == "en"
    assert "No TV signal in Hamburg North" in page.inner_text("main")
    assert "is affected by" in page.inner_text("#postcode-answer")  # the postcode is kept across the switch
    page.fill("#postcode", "5066")
    page.click(".postcode-lookup button")
    assert "not a postcode we know" in page.inner_text("#postcode-answer")


def test_suggestions_while_typing_and_solved_without_sending(page, live_server, brand, agents, outage):
    publish(brand, agents["claire"], "Kein Signal am Fernseher: Receiver neu starten", "<p>Stecker ziehen.</p>")
    page.goto(f"{live_server.url}/stadtwerk/contact/")
    page.fill("#id_subject", "Fernseher")
    page.type("#id_text", "Kein Signal seit acht Uhr in 22529", delay=20)
    page.wait_for_selector(".suggest-incident")
    shown = page.inner_text("#suggestions")
    assert "Kein TV-Signal in Hamburg-Nord" in shown and "Receiver neu starten" in shown
    assert page.is_visible("form button[type=submit]")  # the way to a person stays where it was
    page.click("button[data-solved]")
    page.wait_for_selector(".solved-thanks:not([hidden])")
    visit = page.get_attribute("#suggestions", "data-visit")
    assert Deflection.objects.get(visit=visit).outcome == Deflection.Outcome.SOLVED
