"""The first slice in a real browser: form, confirmation naming the owner, agent reply, customer reply on the case page."""

from __future__ import annotations

import pytest
from django.utils import translation

from anliegen.core.models import Case, Direction, Message
from anliegen.core.services import cases
from tests.browser import chromium_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(monkeypatch):
    with chromium_page(monkeypatch, locale="de-DE", extra_http_headers={"Accept-Language": "de"}) as page:
        yield page


def de(msgid: str) -> str:
    """What a German-speaking customer reads for an English msgid."""
    with translation.override("de"):
        return translation.gettext(msgid)


def test_form_to_case_page_and_back(page, live_server, brand, agents):
    page.goto(f"{live_server.url}/stadtwerk/contact/")
    assert page.get_attribute("html", "lang") == "de"
    box = page.locator("input[name=website]").bounding_box()
    assert box["x"] + box["width"] < 0  # the honeypot is off screen: people never see it, robots fill it
    page.click("button[type=submit]")
    assert page.is_visible("#id_text[aria-invalid=true]")
    page.fill("#id_name", "Jana Krüger")
    page.fill("#id_email", "jana@example.org")
    page.fill("#id_subject", "Fernseher schwarz")
    page.fill("#id_text", "Seit heute Abend ist mein Fernseher schwarz.")
    page.click("button[type=submit]")
    assert page.inner_text("h1") == "Anna Schmidt kümmert sich um Ihr Anliegen"  # the browser asked for German
    assert de("extension %(extension)s") % {"extension": "201"} in page.inner_text("main")

    case = Case.objects.get()
    cases.do_reply(case, agents["anna"], "Wir schicken morgen einen Techniker.")
    page.click(f"text={de('Follow your request online')}")
    assert "Wir schicken morgen einen Techniker." in page.inner_text(".portal-timeline")
    page.fill("#id_text", "Danke, ab 14 Uhr passt.")
    page.click("#reply button[type=submit]")  # a real browser's Origin and Referer must pass CSRF
    assert de("Your message was added. %(owner)s will answer you.") % {"owner": "Anna Schmidt"} in page.inner_text(
        ".flash"
    )
    assert "Danke, ab 14 Uhr passt." in page.inner_text("#latest")
    assert Message.objects.filter(case=case, direction=Direction.IN).count() == 2
    assert Case.objects.count() == 1
