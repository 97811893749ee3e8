"""Public replies: the public confirmation, and the checks every public reply passes before it is sent."""

from __future__ import annotations

import re

import pytest

from anliegen.channels.social import continuation
from anliegen.channels.social.public_reply import PublicReplyError
from anliegen.channels.social.tests.accounts import sign_meta, sign_x
from anliegen.channels.testing import post_fixture
from anliegen.core.models import Message, MessageKind
from anliegen.core.services import cases

LINK = re.compile(r"http://testserver/continue/[^\s]+/")


@pytest.fixture
def mention(client, x_account, brand):
    post_fixture(client, "x", "tweet__mention.json", key=brand.slug, sign=sign_x)
    return Message.objects.get(direction="in", channel="x")


def test_a_mention_is_confirmed_publicly_by_name_with_a_private_link(mention):
    case = mention.case
    confirmation = Message.objects.get(case=case, kind=MessageKind.CONFIRMATION)
    assert confirmation.channel == "x" and confirmation.address == "2244994945"
    text = confirmation.body_text
    assert case.owner.name in text and "Anna" in text and len(text) < 400
    assert case.reply_token not in text and "@" not in text.replace("@kabelwelle", "")
    assert "22529" not in text  # nothing of the post is repeated
    [link] = LINK.findall(text)
    assert continuation.read(link.rstrip("/").rpartition("/")[2]) == (case, case.contact.identities.get(kind="x_id"))


def test_a_public_reply_gets_its_link_and_passes(mention, agents):
    case = mention.case
    reply = cases.do_reply(
        case, case.owner, f"Hallo Anna, hier ist {case.owner.name.split()[0]}. Wir prüfen das.", channel="x"
    )
    assert reply.channel == "x" and LINK.search(reply.body_text)
    assert reply.delivery == "queued"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Wir prüfen das.", "names the person answering"),
        ("Hallo, hier ist {first}. Ihre IBAN DE89 3704 0044 0532 0130 00 ist hinterlegt.", "IBAN"),
        ("Hallo, hier ist {first}. Wir rufen Sie unter 0170 1234567 an.", "phone number"),
        ("Hallo, hier ist {first}. Ihre Kundennummer 4471123 ist gesperrt.", "customer or contract number"),
        ("Hallo Anna Schulz, hier ist {first}.", "first name only"),
        ("Hallo, hier ist {first}. Ihre Nutzer-ID 2244994945 kennen wir.", "own addresses or numbers"),
        ("Hier ist {first}. " + "Sehr lange Antwort. " * 20, "Too long"),
    ],
)
def test_an_unsafe_public_reply_is_refused_with_the_reason(mention, agents, text, reason):
    case = mention.case
    with pytest.raises(PublicReplyError) as refused:
        cases.do_reply(case, case.owner, text.format(first=case.owner.name.split()[0]), channel="x")
    assert reason in str(refused.value)
    assert not Message.objects.filter(case=case, kind=MessageKind.MESSAGE, direction="out").exists()


def test_the_same_reply_privately_may_say_more(client, meta_accounts, brand, agents):
    post_fixture(client, "facebook", "messenger__text.json", key=brand.slug, sign=sign_meta)
    case = Message.objects.get(direction="in").case
    reply = cases.do_reply(case, case.owner, "Ihre Kundennummer 4471123 ist geprüft.", channel="facebook")
    assert reply.channel == "facebook" and not LINK.search(reply.body_text)


def test_page_comment_confirmation_is_public_and_masks_nothing_it_never_repeats(client, meta_accounts, brand):
    post_fixture(client, "facebook", "feed__comment.json", key=brand.slug, sign=sign_meta)
    confirmation = Message.objects.get(kind=MessageKind.CONFIRMATION)
    assert confirmation.channel == "facebook_page" and "Petra" in confirmation.body_text
    assert "DE89" not in confirmation.body_text and LINK.search(confirmation.body_text)
