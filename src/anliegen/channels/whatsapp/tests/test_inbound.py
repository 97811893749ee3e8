"""WhatsApp in: documented notifications through the door, stored once, a case with its owner, the confirmation
on WhatsApp through the Graph API stand-in, statuses on the outgoing message, media fetched, bad input refused."""

from __future__ import annotations

import json

from anliegen.channels.messaging.models import Receipt
from anliegen.channels.testing import Answer, feed_fixtures, fixture_dir, webhook_url
from anliegen.core.models import Case, Contact, Identity, MergeProposal, Message, MessageKind
from anliegen.intake.models import Inbound, InboundState

from .conftest import CUSTOMER, NUMBER_ID, WAMID_OUT, sign


def test_a_text_becomes_a_case_confirmed_on_whatsapp_naming_the_owner(post, graph, brand, tasks):
    assert post("message__1_text.json").status_code == 200
    assert post("message__1_text.json").status_code == 200  # Meta's retry: stored once
    [inbound] = Inbound.objects.filter(channel="whatsapp")
    assert inbound.state == InboundState.DONE and inbound.brand_id == brand.pk
    case = Case.objects.get(messages__external_id=inbound.external_id)
    assert case.contact.name == "Jana Peters" and case.preferred_channel == "whatsapp"
    assert set(case.contact.identities.values_list("kind", "value")) == {("whatsapp", CUSTOMER), ("phone", CUSTOMER)}
    confirmation = Message.objects.get(case=case, kind=MessageKind.CONFIRMATION)
    assert (confirmation.channel, confirmation.address) == ("whatsapp", CUSTOMER)
    text = confirmation.body_text
    assert case.owner.name in text and "201" in text and "\n" not in text.strip() and len(text) <= 4096
    assert confirmation.body_html == ""
    tasks()
    [request] = graph.received("POST")
    assert request.path == f"/v21.0/{NUMBER_ID}/messages"
    assert request.headers["Authorization"] == "Bearer EAAG-test-token"
    body = request.json()
    assert (body["messaging_product"], body["to"], body["type"]) == ("whatsapp", CUSTOMER[1:], "text")
    assert body["text"]["body"] == text[:4096]
    confirmation.refresh_from_db()
    assert (confirmation.delivery, confirmation.external_id) == (Message.Delivery.SENT, WAMID_OUT)


def test_statuses_are_recorded_on_the_outgoing_message_once_and_shown_in_the_case(client, post, graph, agents, tasks):
    post("message__1_text.json")
    tasks()
    responses = feed_fixtures(client, "whatsapp", "status__*.json", key="stadtwerk", sign=sign)
    assert all(r.status_code == 200 for r in responses.values())
    feed_fixtures(client, "whatsapp", "status__*.json", key="stadtwerk", sign=sign)  # repeated: nothing new
    confirmation = Message.objects.get(kind=MessageKind.CONFIRMATION)
    assert list(confirmation.receipts.order_by("at").values_list("status", flat=True)) == ["sent", "delivered", "read"]
    assert confirmation.delivery == Message.Delivery.SENT
    # The failed status names a wamid we never sent: kept, no case, nothing changed.
    failed = Inbound.objects.get(external_id__endswith=":failed")
    assert failed.state == InboundState.DISCARDED and "no outgoing message" in failed.reason
    assert Receipt.objects.count() == 3 and Case.objects.count() == 1
    client.force_login(confirmation.case.owner.user)
    page = client.get(f"/desk/cases/{confirmation.case_id}/", headers={"Accept-Language": "en"})
    assert b"read" in page.content and b"delivered" in page.content


def test_a_failed_status_fails_the_message_with_whatsapps_reason(client, post, graph, brand, tasks):
    post("message__1_text.json")
    tasks()
    raw = (fixture_dir("whatsapp") / "status__4_failed.json").read_text()
    body = raw.replace("RkFFMTdGNQA=", "RkFFMTdGNAA=").encode()  # the wamid of the confirmation sent
    answer = client.post(
        webhook_url("whatsapp", brand.slug), data=body, content_type="application/json", headers=sign(body)
    )
    assert answer.status_code == 200
    confirmation = Message.objects.get(kind=MessageKind.CONFIRMATION)
    assert confirmation.delivery == Message.Delivery.FAILED
    assert "Message undeliverable (131026)" in confirmation.delivery_error


def test_media_location_and_replies_join_the_open_case(post, graph, tasks):
    for name in (
        "message__1_text.json",
        "message__2_image.json",
        "message__3_document.json",
        "message__4_audio.json",
        "message__5_location.json",
        "message__6_button_reply.json",
        "message__7_list_reply.json",
        "message__8_reaction.json",
    ):
        assert post(name).status_code == 200, name
    assert Case.objects.count() == 1
    case = Case.objects.get()
    incoming = list(case.messages.filter(direction="in").order_by("created_at", "id"))
    assert len(incoming) == 7  # the reaction is kept as an Inbound, not as a message
    image, document, audio = (m.attachments.get() for m in incoming[1:4])
    assert (image.content_type, image.file.read()) == ("image/jpeg", b"\xff\xd8\xff\xe0JFIF-meter")
    assert incoming[1].body_text == "Foto vom Zähler"
    assert (document.filename, document.file.read()) == ("Rechnung-2026-11.pdf", b"%PDF-1.7 invoice")
    assert audio.filename.startswith("audio-1575426469980063") and audio.content_type == "audio/ogg"
    media_calls = [r for r in graph.received("GET") if r.path.startswith("/media/")]
    assert len(media_calls) == 3 and all(r.headers["Authorization"] == "Bearer EAAG-test-token" for r in media_calls)
    assert "53.5511, 9.9354" in incoming[4].body_text and "Große Bergstraße 12" in incoming[4].body_text
    assert "Ja, bitte anrufen" in incoming[5].body_text and incoming[5].in_reply_to == WAMID_OUT
    assert "Vormittag" in incoming[6].body_text and "9 und 12 Uhr" in incoming[6].body_text
    assert Inbound.objects.get(external_id__endswith="NkRDAB==").state == InboundState.DISCARDED


def test_a_media_file_the_graph_api_cannot_give_keeps_the_message(post, graph):
    graph.on("GET", "/v21.0/1003383421387256", Answer(500, json={"error": {"message": "temporarily unavailable"}}))
    assert post("message__2_image.json").status_code == 200
    message = Message.objects.get(direction="in")
    assert "Foto vom Zähler" in message.body_text and "konnte nicht abgerufen werden" in message.body_text
    assert not message.attachments.exists()


def test_a_known_phone_number_gets_a_new_contact_and_a_merge_proposal(post, graph, brand):
    known = Contact.objects.create(brand=brand, name="J. Peters")
    Identity.objects.create(contact=known, brand=brand, kind="phone", value=CUSTOMER)
    post("message__1_text.json")
    case = Case.objects.get()
    assert case.contact_id != known.pk
    assert MergeProposal.objects.filter(contact=case.contact, other=known).exists()


def test_bad_input_is_refused_and_never_a_500(client, post, brand, graph, caplog):
    assert (
        post("message__1_text.json", sign=lambda body: {"X-Hub-Signature-256": "sha256=" + "0" * 64}).status_code == 403
    )
    assert post("message__1_text.json", sign=None).status_code == 403
    assert "bad signature" in caplog.text
    unknown = client.post(webhook_url("whatsapp", "no-such-brand"), data=b"{}", content_type="application/json")
    assert (unknown.status_code, unknown.content) == (404, b"not found")
    other = json.dumps(
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "1",
                    "changes": [
                        {"field": "messages", "value": {"metadata": {"phone_number_id": "999"}, "messages": []}}
                    ],
                }
            ],
        }
    ).encode()
    response = client.post(
        webhook_url("whatsapp", brand.slug), data=other, content_type="application/json", headers=sign(other)
    )
    assert (response.status_code, response.content) == (404, b"not found")
    for body in (b"{not json", b"[]", json.dumps({"object": "page"}).encode()):
        response = client.post(
            webhook_url("whatsapp", brand.slug), data=body, content_type="application/json", headers=sign(body)
        )
        assert response.status_code == 400, body
    assert not Inbound.objects.exists()


def test_the_subscription_check(client, brand, number):
    url = webhook_url("whatsapp", brand.slug)
    ok = client.get(url, {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"})
    assert (ok.status_code, ok.content) == (200, b"1158201444")
    wrong = client.get(url, {"hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1"})
    assert wrong.status_code == 403
    assert client.get(webhook_url("whatsapp", "nobody"), {"hub.mode": "subscribe"}).status_code == 404


def test_a_status_faster_than_the_sender_is_recorded_once_the_wamid_is_stored(post, graph, tasks):
    from anliegen.intake.pipeline import process_ids

    assert post("status__2_delivered.json").status_code == 200  # before the confirmation has even gone out
    early = Inbound.objects.get(external_id__endswith=":delivered")
    assert early.state == InboundState.DISCARDED and "no outgoing message" in early.reason
    post("message__1_text.json")
    tasks()  # the confirmation goes out and gets the wamid the status named
    early.refresh_from_db()
    assert early.state == InboundState.RECEIVED
    process_ids([early.pk])  # what the intake worker does next
    confirmation = Message.objects.get(kind=MessageKind.CONFIRMATION)
    assert list(confirmation.receipts.values_list("status", flat=True)) == ["delivered"]
