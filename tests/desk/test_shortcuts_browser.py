"""Keyboard shortcuts in a real browser: the help overlay, next and previous case, reply, note, search, solve."""

from __future__ import annotations

import pytest

from anliegen.core.models import Case

from .test_browser import asgi_server  # noqa: F401 - the real ASGI app under uvicorn
from .test_collision_browser import browser, signed_in  # noqa: F401 - Chromium, and a signed-in page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_shortcuts_walk_the_list_and_act_on_the_case(browser, asgi_server, brand, agents, mail_case):  # noqa: F811
    for n, subject in enumerate(["Zähler eins", "Zähler zwei", "Zähler drei"]):
        mail_case(brand, subject, owner=agents["anna"], sender=f"Kundin {n} <k{n}@example.org>")
    page = signed_in(browser, asgi_server, "anna", "de-DE")
    page.wait_for_selector("tr[data-case-row]")
    order = page.eval_on_selector_all("tr[data-case-row]", "rows => rows.map(r => Number(r.dataset.caseRow))")
    assert len(order) == 3

    page.keyboard.press("?")
    dialog = page.wait_for_selector("dialog#desk-keys[open]")
    assert "Tastaturkürzel" in dialog.inner_text() and "Nächster Fall" in dialog.inner_text()
    assert page.evaluate("document.activeElement.closest('dialog') !== null")  # focus went into the dialog
    page.keyboard.press("Escape")
    page.wait_for_selector("dialog#desk-keys", state="hidden")

    page.keyboard.press("j")
    page.keyboard.press("j")
    assert page.get_attribute("tr.kbd-current", "data-case-row") == str(order[1])
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/desk/cases/{order[1]}/")
    page.keyboard.press("j")
    page.wait_for_url(f"**/desk/cases/{order[2]}/")
    page.keyboard.press("k")
    page.wait_for_url(f"**/desk/cases/{order[1]}/")
    page.wait_for_selector("#timeline")

    page.keyboard.press("r")
    assert page.evaluate("document.activeElement.id") == "id_text"
    page.keyboard.type("jk s?")  # inside a text field the letters are text, not shortcuts
    assert page.input_value("#id_text") == "jk s?"
    assert page.url.endswith(f"/desk/cases/{order[1]}/") and not page.is_visible("dialog#desk-keys")
    page.keyboard.press("Escape")  # leaves the field; the keys act again
    page.keyboard.press("n")
    assert page.evaluate("document.activeElement.closest('.composer.note') !== null")
    page.keyboard.press("Escape")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    assert page.input_value(".topbar .search input[name=q]") == ""  # the slash was not typed into the box
    page.keyboard.press("Escape")

    page.keyboard.press("s")
    page.wait_for_selector(".case-head .badge.solved", timeout=10_000)
    assert Case.objects.get(pk=order[1]).state == "solved"
