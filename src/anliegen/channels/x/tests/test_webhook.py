"""X's webhook door with the Account Activity payloads of channels/x/fixtures: CRC, signature, storage, cases."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging

from anliegen.channels.social.tests.accounts import X_SECRET, sign_x
from anliegen.channels.testing import feed_fixtures, post_fixture, webhook_url
from anliegen.core.models import Case, Identity, Message
from anliegen.intake.models import Inbound


def test_crc_challenge_is_answered_with_the_hmac_of_the_token(client, x_account, brand):
    answer = client.get(webhook_url("x", brand.slug), {"crc_token": "challenge-123"})
    assert answer.status_code == 200
    expected = base64.b64encode(hmac.new(X_SECRET.encode(), b"challenge-123", hashlib.sha256).digest()).decode()
    assert answer.json() == {"response_token": f"sha256={expected}"}


def test_crc_for_a_brand_without_x_account_is_404_without_detail(client, brand, agents):
    answer = client.get(webhook_url("x", brand.slug), {"crc_token": "abc"})
    assert (answer.status_code, answer.content) == (404, b"not found")
    assert client.get(webhook_url("x", "nobody"), {"crc_token": "abc"}).status_code == 404


def test_mention_becomes_a_public_case_with_an_owner(client, x_account, brand):
    answer = post_fixture(client, "x", "tweet__mention.json", key=brand.slug, sign=sign_x)
    assert answer.status_code == 200
    inbound = Inbound.objects.get(channel="x")
    assert inbound.external_id == "x.tweet.1863001000000000001"
    message = Message.objects.get(inbound=inbound)
    assert message.public and message.channel == "x" and message.address == "2244994945"
    assert "kein Signal in 22529" in message.body_text
    case = message.case
    assert case.owner_id and case.brand == brand and case.language == "de"
    identity = Identity.objects.get(kind="x_id", value="2244994945")
    assert identity.contact == case.contact and identity.contact.name == "Anna Schulz" and not identity.verified


def test_replayed_delivery_is_stored_once(client, x_account, brand):
    for _ in range(3):
        assert post_fixture(client, "x", "tweet__mention.json", key=brand.slug, sign=sign_x).status_code == 200
    assert Inbound.objects.filter(channel="x").count() == 1
    assert Message.objects.filter(channel="x", direction="in").count() == 1


def test_bad_signature_is_403_and_logged(client, x_account, brand, caplog):
    with caplog.at_level(logging.WARNING, logger="anliegen.channels.webhooks"):
        answer = post_fixture(
            client,
            "x",
            "tweet__mention.json",
            key=brand.slug,
            headers={"x-twitter-webhooks-signature": "sha256=AAAA"},
        )
        unsigned = post_fixture(client, "x", "tweet__mention.json", key=brand.slug)
    assert answer.status_code == unsigned.status_code == 403
    assert "bad signature" in caplog.text
    assert not Inbound.objects.exists()


def test_malformed_bodies_are_400_and_unknown_accounts_404(client, x_account, brand):
    for name in ("malformed__truncated.json", "malformed__no_for_user_id.json"):
        assert post_fixture(client, "x", name, key=brand.slug, sign=sign_x).status_code == 400, name
    unknown = post_fixture(client, "x", "unknown__other_account.json", key=brand.slug, sign=sign_x)
    assert (unknown.status_code, unknown.content) == (404, b"not found")
    assert post_fixture(client, "x", "tweet__mention.json", key="no-such-brand", sign=sign_x).status_code == 404
    assert not Inbound.objects.exists()


def test_direct_message_is_private_and_confirmed_by_dm(client, x_account, brand):
    assert post_fixture(client, "x", "dm__text.json", key=brand.slug, sign=sign_x).status_code == 200
    message = Message.objects.get(direction="in")
    assert message.channel == "x_dm" and not message.public
    assert message.external_id == "x.dm.1863002000000000001"
    assert message.case.contact.name == "Anna Schulz"
    confirmation = Message.objects.get(direction="out", kind="confirmation")
    assert confirmation.channel == "x_dm" and confirmation.address == "2244994945"
    assert confirmation.case.owner.name in confirmation.body_text


def test_dm_media_keeps_the_address_of_the_picture(client, x_account, brand):
    post_fixture(client, "x", "dm__media.json", key=brand.slug, sign=sign_x)
    message = Message.objects.get(direction="in")
    [attachment] = message.attachments.all()
    assert attachment.file.read() == b"https://pbs.twimg.com/dm_photo/abc.jpg"


def test_own_tweets_typing_and_likes_are_acknowledged_not_stored(client, x_account, brand):
    responses = feed_fixtures(client, "x", "[do]*__*.json", key=brand.slug, sign=sign_x)
    assert set(responses) == {
        "dm__media.json",
        "dm__own_echo.json",
        "dm__text.json",
        "other__tweet_delete.json",
        "other__typing_and_like.json",
    }
    assert all(r.status_code == 200 for r in responses.values())
    assert sorted(Inbound.objects.values_list("external_id", flat=True)) == [
        "x.delete.1863001000000000001",  # kept: the deletion is applied to the stored tweet (none here)
        "x.dm.1863002000000000001",
        "x.dm.1863002000000000002",
    ]
    assert post_fixture(client, "x", "tweet__own_echo.json", key=brand.slug, sign=sign_x).status_code == 200
    assert not Inbound.objects.filter(channel="x", external_id__startswith="x.tweet.").exists()


def test_extended_tweet_is_read_in_full_and_in_english(client, x_account, brand):
    post_fixture(client, "x", "tweet__extended_en.json", key=brand.slug, sign=sign_x)
    message = Message.objects.get(direction="in")
    assert message.body_text.endswith("my customer number is KW-4471123.")
    assert message.case.language == "en"


def test_every_tweet_and_message_of_the_fixtures_opens_or_joins_a_case(client, x_account, brand):
    responses = feed_fixtures(client, "x", "[dt]*__*.json", key=brand.slug, sign=sign_x)
    assert all(r.status_code == 200 for r in responses.values()), {k: r.status_code for k, r in responses.items()}
    assert Inbound.objects.count() == 6
    assert all(i.state == "done" for i in Inbound.objects.all()), list(Inbound.objects.values("state", "reason"))
    assert Case.objects.filter(brand=brand).count() >= 1
