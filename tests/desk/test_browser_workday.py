"""The working day in a real browser: a text block into the reply composer, and a bulk action on a selection."""

from __future__ import annotations

import pytest

from anliegen.audit.models import AuditEntry
from anliegen.core.models import Case, Message, MessageKind
from anliegen.workday.models import Macro
from tests.conftest import PASSWORD

from .conftest import customer_mail
from .test_browser import asgi_server, page  # noqa: F401 - the fixtures: the ASGI server and a Chromium page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(tab, server: str) -> None:  # noqa: ANN001 - a Playwright page
    tab.goto(f"{server}/desk/")
    tab.fill("#id_username", "anna")
    tab.fill("#id_password", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_selector("text=My cases")


def _case(brand, subject: str) -> Case:  # noqa: ANN001
    from anliegen.intake.accept import accept

    mail = customer_mail(brand.support_address, subject, "Bitte helfen Sie mir.")
    accept("email", mail["Message-ID"], mail.as_bytes(), {"rcpt": [brand.support_address]})
    return Case.objects.get(subject=subject)


def test_text_block_goes_into_the_reply_after_the_draft(page, asgi_server, brand, agents):  # noqa: F811
    case = _case(brand, "Internet weg seit heute")
    Case.objects.filter(pk=case.pk).update(owner=agents["anna"])
    Macro.objects.create(
        brand=brand,
        name="Störung bekannt",
        body="Guten Tag {customer}, die Störung ist bekannt. {owner}",
        set_state="waiting",
        note="Per Textbaustein beantwortet",
    )
    _sign_in(page, asgi_server)
    page.goto(f"{asgi_server}/desk/cases/{case.pk}/")
    page.wait_for_selector("#timeline")
    page.evaluate("window.__samePage = true")
    page.fill(".composer #id_text", "Entschuldigung für die Wartezeit.")
    page.select_option("#macro-choice", label="Störung bekannt ⚡")
    page.click("text=Insert text block")
    page.wait_for_selector(".macro-done", timeout=10_000)
    text = page.input_value(".composer form[action$='/reply/'] textarea[name=text]")
    assert text == "Entschuldigung für die Wartezeit.\n\nGuten Tag Jana Krüger, die Störung ist bekannt. Anna Schmidt"
    assert page.evaluate("window.__samePage === true")  # htmx swapped the case part; no full reload
    assert "waiting for customer" in page.inner_text(".case-head h1")
    case.refresh_from_db()
    assert case.state == "waiting"
    assert Message.objects.filter(case=case, kind=MessageKind.NOTE, body_text="Per Textbaustein beantwortet").exists()
    page.click(".composer button[type=submit]:has-text('Send reply')")
    page.wait_for_selector("#timeline >> text=die Störung ist bekannt", timeout=10_000)


def test_bulk_solve_on_a_selection_in_the_queue(page, asgi_server, brand, agents, other_brand):  # noqa: F811
    first, second, third = (_case(brand, f"Rechnung {n}") for n in (1, 2, 3))
    _sign_in(page, asgi_server)
    page.goto(f"{asgi_server}/desk/queue/")
    page.wait_for_selector(f'[data-case-row="{first.pk}"]')
    page.check(f'[data-case-row="{first.pk}"] input[name=cases]')
    page.check(f'[data-case-row="{second.pk}"] input[name=cases]')
    assert page.inner_text(".bulk-count") == "2 selected"
    page.select_option("#bulk-form select[name=action]", "solve")
    assert page.is_hidden("#bulk-form [data-for=assign]")  # only the chosen action's target is shown
    page.click("#bulk-form button[type=submit]")
    page.wait_for_selector("text=2 cases changed.", timeout=10_000)
    states = dict(Case.objects.values_list("pk", "state"))
    assert (states[first.pk], states[second.pk], states[third.pk]) == ("solved", "solved", "open")
    # The audit log outlives a test's database flush: count this test's cases only.
    ids = [str(first.pk), str(second.pk), str(third.pk)]
    assert AuditEntry.objects.filter(action="case.state", object_id__in=ids).count() == 2
    # Solved cases leave the open queue; the third is still listed.
    assert page.locator(f'[data-case-row="{first.pk}"]').count() == 0
    assert page.locator(f'[data-case-row="{third.pk}"]').count() == 1
