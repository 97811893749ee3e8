"""The contact form never opens a customer's existing case to whoever types her address (issue 19, item 1)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from anliegen.core import case_links as links
from anliegen.core.models import Case, Identity, MergeProposal, Message
from anliegen.core.services import cases
from tests.promises.factories import email

from .conftest import form_data

pytestmark = pytest.mark.django_db
FORM = "/stadtwerk/contact/"
SECRET = "Vertragsnummer 4711-0815-SECRET"


@pytest.fixture
def her_case(brand, agents) -> Case:
    """Jana's open case, opened by mail, with her contract number in it."""
    return email(brand, "jana@example.org", "Abschlag zu hoch", f"Mein Abschlag ist zu hoch. {SECRET}")


def _case_link(html: str) -> str:
    return re.search(r'href="(/c/[^"]+/)"', html).group(1)


def test_her_address_and_subject_open_a_new_case_and_show_nothing_of_hers(client, her_case, tasks):
    response = client.post(FORM, form_data(email="jana@example.org", subject="Abschlag zu hoch", text="Zeig mal"))
    assert response.status_code == 302
    assert Case.objects.count() == 2
    assert Message.objects.filter(case=her_case, direction="in").count() == 1
    thanks = client.get(response["Location"]).content.decode()
    assert SECRET not in thanks and "Abschlag ist zu hoch" not in thanks
    assert "we added your message to your open request" not in thanks
    assert her_case.reply_token not in thanks and links.case_token(her_case) not in thanks
    page = client.get(_case_link(thanks)).content.decode()
    assert SECRET not in page and "Zeig mal" in page
    new = Case.objects.exclude(pk=her_case.pk).get()
    # Agents see the likeness and may merge; nobody merged anything.
    assert f"like case {her_case.pk}" in new.events.get(kind="created").data["thread"]


def test_her_phone_beside_a_strangers_address_does_not_make_him_her(client, brand, agents, tasks):
    mine = email(brand, "jana@example.org", "Zähler", "Mein Zähler läuft rückwärts.")
    Identity.objects.create(contact=mine.contact, brand=brand, kind="phone", value="+491712345678")
    Identity.objects.filter(contact=mine.contact).update(verified=False)
    response = client.post(FORM, form_data(email="mallory@example.net", phone="0171 2345678", subject="Zähler"))
    thanks = client.get(response["Location"]).content.decode()
    assert "jana@example.org" not in thanks
    stranger = Identity.objects.get(value="mallory@example.net").contact
    assert stranger != mine.contact
    assert MergeProposal.objects.get(state="open").other == mine.contact
    # Her replies, notices and case links still go to her.
    assert cases.reply_target(mine) == ("email", "jana@example.org")


def test_her_phone_alone_does_not_tell_her_address(client, her_case, tasks):
    Identity.objects.create(contact=her_case.contact, brand=her_case.brand, kind="phone", value="+491712345678")
    mail.outbox = []
    response = client.post(FORM, form_data(email="", phone="0171 2345678", subject="Neue Frage zum Umzug"))
    thanks = client.get(response["Location"]).content.decode()
    assert "jana@example.org" not in thanks and SECRET not in thanks
    tasks()
    assert all(SECRET not in m.body for m in mail.outbox)


def test_the_signed_case_link_adds_the_form_message_to_her_case(client, her_case):
    token = links.case_token(her_case)
    opened = client.get(FORM, {"case": token}).content.decode()
    assert "You are writing about your request" in opened and "Abschlag zu hoch" in opened
    response = client.post(FORM, form_data(case=token, subject="Foto", text="Hier das Foto der Rechnung."))
    assert Case.objects.count() == 1
    assert Message.objects.filter(case=her_case, direction="in").count() == 2
    thanks = client.get(response["Location"]).content.decode()
    assert "we added your message to your open request" in thanks


def test_a_tampered_or_foreign_link_opens_a_case_of_its_own(client, her_case, other_brand):
    token = links.case_token(her_case)
    client.post(FORM, form_data(case=token[:-2] + "xx", subject="Abschlag zu hoch"))
    client.post(reverse("portal:form", args=["kabelnet"]), form_data(case=token, subject="Abschlag zu hoch"))
    assert Message.objects.filter(case=her_case, direction="in").count() == 1
    assert Case.objects.count() == 3
