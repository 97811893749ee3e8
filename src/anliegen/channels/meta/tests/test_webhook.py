"""Meta's webhook door with the payloads of channels/meta/fixtures: handshake, signature, messages, comments."""

from __future__ import annotations

import logging

from anliegen.channels.social.tests.accounts import VERIFY_TOKEN, sign_meta
from anliegen.channels.testing import post_fixture, webhook_url
from anliegen.core.models import Identity, Message
from anliegen.intake.models import Inbound

MID = "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P"


def test_subscription_handshake_echoes_the_challenge_only_with_the_verify_token(client, meta_accounts, brand):
    url = webhook_url("facebook", brand.slug)
    ok = client.get(url, {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1158201444"})
    assert (ok.status_code, ok.content) == (200, b"1158201444")
    wrong = client.get(url, {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"})
    assert wrong.status_code == 403
    nobody = client.get(webhook_url("facebook", "nobody"), {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN})
    assert (nobody.status_code, nobody.content) == (404, b"not found")


def test_messenger_text_becomes_a_private_case_confirmed_on_messenger(client, meta_accounts, brand):
    assert post_fixture(client, "facebook", "messenger__text.json", key=brand.slug, sign=sign_meta).status_code == 200
    message = Message.objects.get(direction="in")
    assert (message.channel, message.public, message.external_id) == ("facebook", False, f"meta.{MID}")
    assert message.address == "6543210987654321" and message.case.owner_id
    assert Identity.objects.get(kind="facebook_psid").value == "6543210987654321"
    confirmation = Message.objects.get(kind="confirmation")
    assert (confirmation.channel, confirmation.address) == ("facebook", "6543210987654321")


def test_edit_image_reply_and_postback_join_the_same_case(client, meta_accounts, brand):
    names = [
        "messenger__text.json",
        "messenger__image.json",
        "messenger__reply_to.json",
        "messenger__edit.json",
        "messenger__postback.json",
    ]
    for name in names:
        assert post_fixture(client, "facebook", name, key=brand.slug, sign=sign_meta).status_code == 200, name
    incoming = Message.objects.filter(direction="in").order_by("id")
    assert incoming.count() == 5 and len({m.case_id for m in incoming}) == 1
    edit = incoming.get(external_id=f"meta.edit.{MID}.1")
    assert "um 20 Uhr" in edit.body_text and edit.in_reply_to == f"meta.{MID}"
    image = incoming.get(external_id="meta.m_image_0001")
    assert image.attachments.get().file.read().startswith(b"https://scontent.xx.fbcdn.net/")
    assert incoming.get(external_id="meta.postback.m_postback_0001").body_text == "Mit einer Person sprechen"


def test_echoes_and_reactions_are_acknowledged_not_stored_receipts_open_no_case(client, meta_accounts, brand):
    names = [
        "messenger__echo.json",
        "instagram__echo.json",
        "messenger__reaction.json",
        "feed__like.json",
        "feed__own_comment.json",
        "messenger__delivery.json",
        "messenger__read.json",
    ]
    responses = {n: post_fixture(client, "facebook", n, key=brand.slug, sign=sign_meta) for n in names}
    assert all(r.status_code == 200 for r in responses.values())
    assert sorted(Inbound.objects.values_list("external_id", flat=True)) == [
        "meta.delivery.6543210987654321.1764699300000",
        "meta.read.6543210987654321.1764699300000",
    ]
    assert not Message.objects.exists()


def test_delivery_and_read_receipts_are_shown_on_our_message(client, meta_accounts, brand, settings, tasks):
    from anliegen.channels.messaging.models import Receipt
    from anliegen.channels.testing import Answer, Provider

    with Provider() as graph:
        settings.META_GRAPH_URL = f"{graph.url}/v21.0"
        settings.SOCIAL_BACKENDS = {"default": "anliegen.channels.meta.api.GraphApi"}
        graph.on("POST", "/v21.0/104512345678901/messages", Answer(json={"message_id": "m_sent_0001"}))
        post_fixture(client, "facebook", "messenger__text.json", key=brand.slug, sign=sign_meta)
        tasks()
    confirmation = Message.objects.get(direction="out")
    Message.objects.filter(pk=confirmation.pk).update(created_at="2025-12-02T09:00:00Z")  # before the watermark
    for name in ("messenger__delivery.json", "messenger__read.json", "messenger__delivery.json"):
        assert post_fixture(client, "facebook", name, key=brand.slug, sign=sign_meta).status_code == 200
    assert sorted(Receipt.objects.filter(message=confirmation).values_list("status", flat=True)) == [
        "delivered",
        "read",
    ]


def test_instagram_message_is_its_own_channel_and_identity(client, meta_accounts, brand):
    post_fixture(client, "facebook", "instagram__text.json", key=brand.slug, sign=sign_meta)
    message = Message.objects.get(direction="in")
    assert (message.channel, message.address) == ("instagram", "1122334455667788")
    assert message.case.language == "en"
    assert Identity.objects.get(kind="instagram_id").contact == message.case.contact


def test_page_comment_is_a_public_post_flagged_for_personal_data(client, meta_accounts, brand):
    post_fixture(client, "facebook", "feed__comment.json", key=brand.slug, sign=sign_meta)
    message = Message.objects.get(direction="in")
    assert message.channel == "facebook_page" and message.public
    assert message.external_id == "meta.comment.900100200300_4455667788"
    assert message.in_reply_to == "meta.post.104512345678901_900100200300"
    assert "personal_data" in message.inbound.trace.get("classify", "")
    post_fixture(client, "facebook", "feed__comment_edited.json", key=brand.slug, sign=sign_meta)
    edited = Message.objects.exclude(pk=message.pk).get(direction="in")
    assert edited.case_id == message.case_id and "IBAN" not in edited.body_text


def test_bad_input_is_refused_without_a_500(client, meta_accounts, brand, caplog):
    with caplog.at_level(logging.WARNING, logger="anliegen.channels.webhooks"):
        forged = post_fixture(
            client,
            "facebook",
            "messenger__text.json",
            key=brand.slug,
            headers={"X-Hub-Signature-256": "sha256=" + "0" * 64},
        )
    assert forged.status_code == 403 and "bad signature" in caplog.text
    for name in ("malformed__truncated.json", "malformed__no_mid.json", "malformed__object.json"):
        assert post_fixture(client, "facebook", name, key=brand.slug, sign=sign_meta).status_code == 400, name
    unknown = post_fixture(client, "facebook", "unknown__page.json", key=brand.slug, sign=sign_meta)
    assert (unknown.status_code, unknown.content) == (404, b"not found")
    for _ in range(2):
        assert (
            post_fixture(client, "facebook", "messenger__text.json", key=brand.slug, sign=sign_meta).status_code == 200
        )
    assert Inbound.objects.count() == 1
