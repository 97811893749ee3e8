"""The private continuation of a public post: signed link, one-time code, account linking, the chosen channel."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from anliegen.channels.social import continuation
from anliegen.channels.social.tests.accounts import sign_x
from anliegen.channels.testing import post_fixture
from anliegen.core.models import Case, Contact, Identity, MergeProposal, Message, MessageKind
from anliegen.core.services import cases

LINK = re.compile(r"http://testserver(/continue/[^\s]+/)")


@pytest.fixture(autouse=True)
def _codes_are_mailed(monkeypatch):
    # The code goes out after commit; the test's transaction never commits, so the callback runs at once.
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.fixture
def mention(client, x_account, brand):
    post_fixture(client, "x", "tweet__mention.json", key=brand.slug, sign=sign_x)
    case = Case.objects.get()
    confirmation = Message.objects.get(case=case, kind=MessageKind.CONFIRMATION)
    return case, LINK.search(confirmation.body_text).group(1)


def _code() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def _prove(client, link, address):
    answer = client.post(link, {"step": "address", "kind": "email", "value": address})
    assert answer.status_code == 200, answer.content
    return client.post(link, {"step": "code", "code": _code()})


def test_link_page_shows_the_owner_and_the_post_masked_nothing_private(client, mention):
    case, link = mention
    page = client.get(link)
    assert page.status_code == 200 and page["Referrer-Policy"] == "same-origin"
    body = page.content.decode()
    assert case.owner.name in body and "kein Signal in 22529" in body
    assert case.reply_token not in body


def test_verified_by_code_then_the_case_continues_by_email_with_the_same_owner(client, mention, brand):
    case, link = mention
    owner = case.owner_id
    wrong = client.post(link, {"step": "address", "kind": "email", "value": "anna.schulz@example.org"})
    assert "anna.schulz@example.org" in wrong.content.decode()
    refused = client.post(link, {"step": "code", "code": "000000" if _code() != "000000" else "111111"})
    assert refused.status_code == 400
    chosen = client.post(link, {"step": "code", "code": _code()})
    assert b'value="email"' in chosen.content and b'value="x_dm"' in chosen.content
    done = client.post(link, {"step": "channel", "channel": "email"})
    assert done.status_code == 302 and "/c/" in done["Location"]
    case.refresh_from_db()
    assert case.preferred_channel == "email" and case.owner_id == owner
    email = Identity.objects.get(kind="email", value="anna.schulz@example.org")
    assert email.verified and email.contact_id == case.contact_id
    assert Identity.objects.get(kind="x_id").contact_id == case.contact_id  # linked: one contact
    confirmation = Message.objects.filter(case=case, channel="email", kind=MessageKind.CONFIRMATION).get()
    assert confirmation.address == "anna.schulz@example.org"
    reply = cases.do_reply(case, case.owner, "Ihre Kundennummer 4471123: die Gutschrift ist gebucht.")
    assert (reply.channel, reply.address, reply.case_id) == ("email", "anna.schulz@example.org", case.pk)


def test_a_known_customer_proving_their_address_brings_the_x_account_to_their_contact(client, mention, brand):
    case, link = mention
    known = Contact.objects.create(brand=brand, name="Anna Schulz")
    Identity.objects.create(contact=known, brand=brand, kind="email", value="anna@kunde.example", verified=True)
    _prove(client, link, "anna@kunde.example")
    case.refresh_from_db()
    assert case.contact_id == known.pk and Identity.objects.get(kind="x_id").contact_id == known.pk
    client.post(link, {"step": "channel", "channel": "x_dm"})
    case.refresh_from_db()
    assert case.preferred_channel == "x_dm"
    assert Message.objects.filter(case=case, channel="x_dm", kind=MessageKind.CONFIRMATION).exists()


def test_a_social_contact_proven_before_is_never_joined_by_another_address(client, mention, brand):
    case, link = mention
    Identity.objects.create(contact=case.contact, brand=brand, kind="email", value="anna@kunde.example", verified=True)
    other = Contact.objects.create(brand=brand, name="Mallory")
    Identity.objects.create(contact=other, brand=brand, kind="email", value="mallory@example.org", verified=True)
    answer = _prove(client, link, "mallory@example.org")
    assert b"checks that it belongs" in answer.content or "prüft" in answer.content.decode()
    case.refresh_from_db()
    assert case.contact.identities.filter(value="mallory@example.org").count() == 0
    assert MergeProposal.objects.filter(state="open").count() == 1
    assert client.post(link, {"step": "channel", "channel": "email"}).status_code == 200  # no channel step
    assert case.preferred_channel == "x"


def test_a_new_address_beside_a_proven_contact_waits_for_a_person(client, mention, brand):
    case, link = mention
    Identity.objects.create(contact=case.contact, brand=brand, kind="email", value="anna@kunde.example", verified=True)
    _prove(client, link, "someone.else@example.org")
    assert not case.contact.identities.filter(value="someone.else@example.org").exists()
    assert MergeProposal.objects.filter(state="open").exists()


def test_never_by_name_a_namesake_is_not_the_customer(client, x_account, brand):
    namesake = Contact.objects.create(brand=brand, name="Anna Schulz")
    Identity.objects.create(contact=namesake, brand=brand, kind="email", value="a.schulz@example.org", verified=True)
    post_fixture(client, "x", "tweet__mention.json", key=brand.slug, sign=sign_x)
    assert Case.objects.get().contact_id != namesake.pk


def test_a_tampered_or_expired_link_shows_nothing(client, mention, settings):
    case, link = mention
    assert client.get(link[:-3] + "xx/").status_code == 404
    settings.CONTINUATION_LINK_MAX_AGE = -1
    assert client.get(link).status_code == 410
    with pytest.raises(continuation.LinkError):
        continuation.read("1.0.2244994945.deadbeef")


def test_codes_through_one_public_link_are_limited(client, mention, settings):
    from django.core.cache import cache

    cache.clear()
    settings.CONTINUATION_CODE_RATE = "3/h"
    case, link = mention
    answers = [
        client.post(link, {"step": "address", "kind": "email", "value": f"person{n}@example.org"}).status_code
        for n in range(5)
    ]
    assert answers == [200, 200, 200, 429, 429]
    assert len(mail.outbox) == 3
