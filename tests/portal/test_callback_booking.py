"""The honest hotline wait on the form, the confirmation page and in confirmations; callbacks booked by customers."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from anliegen.channels.phone import offers
from anliegen.core.case_links import case_token
from anliegen.core.models import MessageKind, Presence
from anliegen.promises.models import Promise
from tests.promises.factories import webform


@pytest.fixture
def on_shift(agents):
    agents["anna"].presence = Presence.ONLINE
    agents["anna"].save(update_fields=["presence"])
    return agents


def window(hours_ahead: int = 2) -> tuple[str, str, str]:
    start = timezone.localtime() + timedelta(hours=hours_ahead)
    return f"{start:%Y-%m-%d}", f"{start:%H}:00", f"{start:%H}:45"


def test_the_form_shows_the_wait_when_the_brand_has_a_hotline(brand, on_shift, other_brand):
    page = Client().get(f"/{brand.slug}/contact/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert re.search(r"Die Hotline hat gerade etwa \d+ Minuten? Wartezeit — oder wir rufen Sie kostenlos zurück", page)
    assert "Wartezeit" not in Client().get(f"/{other_brand.slug}/contact/", HTTP_ACCEPT_LANGUAGE="de").content.decode()


def test_nobody_on_shift_is_said_so(brand, agents):
    for agent in agents.values():
        agent.presence = Presence.OFFLINE
        agent.save(update_fields=["presence"])
    assert offers.wait_sentence(brand, "en").startswith("Nobody is at the hotline right now")


def test_the_confirmation_mail_names_the_wait(brand, on_shift):
    case = webform(brand, "jana@example.org", "Ausfall", "Der Strom war zwei Tage weg.", "s1")
    confirmation = case.messages.get(kind=MessageKind.CONFIRMATION)
    assert "oder wir rufen Sie kostenlos zurück" in confirmation.body_text


def test_a_customer_books_a_callback_on_the_case_page(brand, on_shift):
    case = webform(brand, "jana@example.org", "Ausfall", "Text", "s1")
    client = Client()
    token = case_token(case)
    page = client.get(f"/c/{token}/").content.decode()
    assert 'action="/c/' in page and "callback" in page
    day, start, end = window()
    response = client.post(f"/c/{token}/callback/", {"day": day, "start": start, "end": end, "number": "040 7654321"})
    assert response.status_code == 302
    promise = Promise.objects.get(kind=Promise.Kind.CALLBACK)
    assert promise.owner == case.owner and promise.state == Promise.State.OPEN
    assert (promise.window_end - promise.due_at) == timedelta(minutes=45) and "+49407654321" in promise.text
    assert case.contact.identities.filter(kind="phone", value="+49407654321").exists()
    page = client.get(f"/c/{token}/").content.decode()
    assert "calls you back free of charge between" in page or "ruft Sie" in page
    again = client.post(f"/c/{token}/callback/", {"day": day, "start": start, "end": end, "number": "040 7654321"})
    assert again.status_code == 302 and Promise.objects.filter(kind=Promise.Kind.CALLBACK).count() == 1


@pytest.mark.parametrize(
    ("start", "end", "number"),
    [("past", "", "040 7654321"), ("ok", "long", "040 7654321"), ("ok", "", "keine Nummer")],
)
def test_bad_bookings_are_refused_with_a_reason(brand, on_shift, start, end, number):
    case = webform(brand, "jana@example.org", "Ausfall", "Text", "s1")
    now = timezone.now()
    begin = now - timedelta(hours=2) if start == "past" else now + timedelta(hours=1)
    finish = begin + (timedelta(hours=6) if end == "long" else timedelta(hours=1))
    with pytest.raises(offers.BookingError):
        offers.check_book(case, begin, finish, number)
    assert not Promise.objects.filter(kind=Promise.Kind.CALLBACK).exists()


def test_the_web_forms_confirmation_page_offers_the_callback(brand, on_shift):
    client = Client()
    page = client.get(f"/{brand.slug}/contact/")
    nonce = re.search(r'name="submission" value="([^"]+)"', page.content.decode()).group(1)
    sent = client.post(
        f"/{brand.slug}/contact/",
        {"submission": nonce, "name": "Jana", "email": "jana@example.org", "subject": "Ausfall", "text": "Kein Strom"},
    )
    thanks = client.get(sent["Location"]).content.decode()
    action = re.search(r'action="(/c/[^"]+/callback/\?back=[^"]+)"', thanks).group(1)
    day, start, end = window(3)
    booked = client.post(action, {"day": day, "start": start, "end": end, "number": "0171 2345678"})
    assert booked.status_code == 302 and booked["Location"].startswith(sent["Location"])
    assert Promise.objects.get(kind=Promise.Kind.CALLBACK).due_at > timezone.now()
