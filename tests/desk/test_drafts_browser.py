"""Drafts in a real browser: a half-written reply survives going to another case and back, and a reload."""

from __future__ import annotations

import pytest

from anliegen.desk.models import Draft

from .test_browser import asgi_server  # noqa: F401 - the real ASGI app under uvicorn
from .test_collision_browser import browser, signed_in  # noqa: F401 - Chromium, and a signed-in page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reply_draft_survives_switching_cases_and_reload(browser, asgi_server, brand, agents, mail_case):  # noqa: F811
    first = mail_case(brand, "Zählerstand falsch", owner=agents["anna"])
    second = mail_case(brand, "Abschlag zu hoch", owner=agents["anna"], sender="Ole Hansen <ole@example.org>")
    page = signed_in(browser, asgi_server, "anna", "en-GB")
    page.goto(f"{asgi_server}/desk/cases/{first.pk}/")
    with page.expect_response(lambda r: r.url.endswith(f"/cases/{first.pk}/draft/") and r.status == 204):
        page.type("#id_text", "Liebe Frau Krüger, der Zähler")
    page.type(".composer.note textarea[name=text]", "intern: Ablesung")
    page.goto(f"{asgi_server}/desk/cases/{second.pk}/")  # leaving flushes the note that was not saved yet
    assert page.input_value("#id_text") == ""
    page.goto(f"{asgi_server}/desk/cases/{first.pk}/")
    assert page.input_value("#id_text") == "Liebe Frau Krüger, der Zähler"
    assert page.input_value(".composer.note textarea[name=text]") == "intern: Ablesung"
    page.reload()
    assert page.input_value("#id_text") == "Liebe Frau Krüger, der Zähler"

    page.press("#id_text", "Control+End")
    page.type("#id_text", " wird getauscht.")
    page.click(".composer button[type=submit]")
    page.wait_for_selector("#timeline >> text=der Zähler wird getauscht", timeout=10_000)
    page.wait_for_timeout(1000)  # a late save (there must be none) would have arrived by now
    assert list(Draft.objects.values_list("kind", flat=True)) == ["note"]
    assert page.input_value(".composer.note textarea[name=text]") == "intern: Ablesung"  # the note is kept
    page.reload()
    assert page.input_value("#id_text") == ""


def test_a_text_block_put_into_the_reply_becomes_the_draft(browser, asgi_server, brand, agents, mail_case):  # noqa: F811
    from anliegen.workday.models import Macro

    case = mail_case(brand, "Zählerstand falsch", owner=agents["anna"])
    Macro.objects.create(brand=brand, name="Gruß", body="Viele Grüße, {owner}")
    page = signed_in(browser, asgi_server, "anna", "de-DE")
    page.goto(f"{asgi_server}/desk/cases/{case.pk}/")
    with page.expect_response(lambda r: r.url.endswith(f"/cases/{case.pk}/draft/") and r.status == 204):
        page.fill("#id_text", "Guten Tag,")
    assert Draft.objects.get().text == "Guten Tag,"
    with page.expect_response(lambda r: r.url.endswith(f"/cases/{case.pk}/draft/") and r.status == 204):
        page.click(".macro-picker button[type=submit]")  # the swapped-in composer differs from the saved draft
    assert Draft.objects.get(kind="reply").text == page.input_value("#id_text")
    assert "Viele Grüße, Anna Schmidt" in Draft.objects.get().text
