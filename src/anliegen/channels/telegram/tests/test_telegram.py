"""Telegram: documented updates through the door with the secret token, a case with its owner confirmed in the
chat through the Bot API stand-in, photos and documents fetched, edits recorded on the stored message."""

from __future__ import annotations

import pytest

from anliegen.channels.messaging import health
from anliegen.channels.telegram.models import Bot
from anliegen.channels.testing import Answer, Provider, feed_fixtures, fixture_dir, post_fixture, webhook_url
from anliegen.core.models import Case, CaseEvent, Message, MessageKind
from anliegen.core.services import outbound
from anliegen.core.services.cases import do_reply
from anliegen.intake.models import Inbound, InboundState

TOKEN = "7311048822:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SECRET = "tg-secret-Zk3"
CHAT = "582749163"


def sign(body: bytes) -> dict[str, str]:
    return {"X-Telegram-Bot-Api-Secret-Token": SECRET}


def answer(message_id: int) -> Answer:
    return Answer(json={"ok": True, "result": {"message_id": message_id, "chat": {"id": int(CHAT)}, "date": 1}})


@pytest.fixture
def api(settings):
    with Provider() as provider:
        settings.TELEGRAM_API_URL = provider.url
        settings.TELEGRAM_BACKEND = "anliegen.channels.telegram.botapi.BotApiBackend"
        provider.on("POST", f"/bot{TOKEN}/sendMessage", answer(44))
        provider.on(
            "POST",
            f"/bot{TOKEN}/getFile",
            Answer(json={"ok": True, "result": {"file_id": "x", "file_path": "photos/file_7.jpg"}}),
            Answer(json={"ok": True, "result": {"file_id": "y", "file_path": "documents/file_8.pdf"}}),
        )
        provider.on(
            "GET", f"/file/bot{TOKEN}/photos/file_7.jpg", Answer(body=b"\xff\xd8router", content_type="image/jpeg")
        )
        provider.on("GET", f"/file/bot{TOKEN}/documents/file_8.pdf", Answer(body=b"%PDF contract"))
        yield provider


@pytest.fixture
def bot(brand, agents):
    return Bot.objects.create(brand=brand, username="KabelNetServiceBot", token=TOKEN, secret_token=SECRET)


def post(client, name, **options):
    options.setdefault("sign", sign)
    return post_fixture(client, "telegram", name, key="7311048822", **options)


def test_a_message_becomes_a_case_confirmed_in_the_chat(client, bot, api, tasks):
    assert post(client, "update__1_message.json").status_code == 200
    assert post(client, "update__1_message.json").status_code == 200  # Telegram's repeat
    assert Inbound.objects.filter(channel="telegram").count() == 1
    case = Case.objects.get()
    assert case.contact.name == "Jonas Becker"
    assert list(case.contact.identities.values_list("kind", "value")) == [("telegram_id", CHAT)]
    confirmation = Message.objects.get(case=case, kind=MessageKind.CONFIRMATION)
    assert (confirmation.channel, confirmation.address) == ("telegram", CHAT)
    assert case.owner.name in confirmation.body_text and "201" in confirmation.body_text
    tasks()
    [request] = api.received("POST", f"/bot{TOKEN}/sendMessage")
    assert request.json() == {"chat_id": CHAT, "text": confirmation.body_text}
    confirmation.refresh_from_db()
    assert (confirmation.delivery, confirmation.external_id) == (Message.Delivery.SENT, f"tg:{CHAT}:44")


def test_photos_documents_edits_and_replies_stay_on_the_case(client, bot, api, tasks):
    responses = feed_fixtures(client, "telegram", key="7311048822", sign=sign)
    assert {r.status_code for r in responses.values()} == {200}
    assert Case.objects.count() == 1
    case = Case.objects.get()
    first, photo, document, reply = case.messages.filter(direction="in").order_by("id")
    # The edit replaced the stored text and left the former one on the case.
    assert first.body_text.startswith("Hallo, seit heute Morgen 7 Uhr") and "Neustart hilft nicht" in first.body_text
    [edit] = CaseEvent.objects.filter(case=case, data__telegram_edit=f"tg:{CHAT}:41")
    assert "Router blinkt rot." in edit.text and edit.data["message"] == first.pk
    assert Inbound.objects.get(external_id="7311048822:734512004").state == InboundState.DISCARDED
    [file_request, doc_request] = api.received("POST", f"/bot{TOKEN}/getFile")
    assert file_request.json() == {"file_id": "AgACAgIAAxkBAAIBKmVwY2x1c2xhcmdlAA"}  # the largest size
    image = photo.attachments.get()
    assert (image.content_type, image.file.read(), photo.body_text) == (
        "image/jpeg",
        b"\xff\xd8router",
        "So sieht der Router aus",
    )
    pdf = document.attachments.get()
    assert (pdf.filename, pdf.content_type, pdf.file.read()) == (
        "Vertrag-KN-2291.pdf",
        "application/pdf",
        b"%PDF contract",
    )
    assert doc_request.json()["file_id"] == "BQACAgIAAxkBAAIBK2VwY2x1ZG9jdW1lbnQ"
    assert reply.in_reply_to == f"tg:{CHAT}:44"
    # The callback query is answered 200 and not stored.
    assert not Inbound.objects.filter(external_id="7311048822:734512006").exists()


def test_an_edit_processed_twice_is_recorded_once(client, bot, api):
    post(client, "update__1_message.json")
    post(client, "update__4_edited_message.json")
    from anliegen.intake.pipeline import reprocess

    edit = Inbound.objects.get(external_id="7311048822:734512004")
    reprocess([edit.pk])
    assert CaseEvent.objects.filter(data__telegram_edit=f"tg:{CHAT}:41").count() == 1


def test_bad_input(client, bot, api, caplog):
    assert (
        post(client, "update__1_message.json", sign=lambda b: {"X-Telegram-Bot-Api-Secret-Token": "guess"}).status_code
        == 403
    )
    assert post(client, "update__1_message.json", sign=None).status_code == 403
    unknown = post_fixture(client, "telegram", "update__1_message.json", key="999", sign=sign)
    assert (unknown.status_code, unknown.content) == (404, b"not found")
    assert post_fixture(client, "telegram", "update__1_message.json", key="notabot", sign=sign).status_code == 404
    for body in (b"{", b"[]", b'{"update_id": "x"}', b'{"update_id": 5, "message": {"text": "no chat"}}'):
        response = client.post(
            webhook_url("telegram", "7311048822"), data=body, content_type="application/json", headers=sign(body)
        )
        assert response.status_code == 400, body
    assert not Inbound.objects.exists()


def test_an_outage_retries_and_the_bot_is_checked(client, bot, api, tasks):
    api.on(
        "POST",
        f"/bot{TOKEN}/sendMessage",
        Answer(502, body=b"Bad Gateway", content_type="text/html"),
        Answer(429, json={"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 5"}),
        answer(47),
    )
    post(client, "update__1_message.json")
    case = Case.objects.get()
    Message.objects.filter(case=case, kind=MessageKind.CONFIRMATION).update(delivery=Message.Delivery.NONE)
    reply = do_reply(case, case.owner, "Wir schalten den Port neu, bitte 5 Minuten warten.")
    tasks()
    reply.refresh_from_db()
    assert reply.delivery == Message.Delivery.QUEUED and "502" in reply.delivery_error
    outbound.deliver.call(reply.pk)
    reply.refresh_from_db()
    assert reply.delivery == Message.Delivery.QUEUED and "Too Many Requests" in reply.delivery_error
    outbound.deliver.call(reply.pk)
    reply.refresh_from_db()
    assert (reply.delivery, reply.external_id) == (Message.Delivery.SENT, f"tg:{CHAT}:47")
    api.on(
        "GET",
        f"/bot{TOKEN}/getMe",
        Answer(
            json={
                "ok": True,
                "result": {
                    "id": 7311048822,
                    "is_bot": True,
                    "first_name": "KabelNet Service",
                    "username": "KabelNetServiceBot",
                },
            }
        ),
    )
    assert health.check(case.brand, "telegram").detail == "@KabelNetServiceBot (KabelNet Service)"
    api.on(
        "GET", f"/bot{TOKEN}/getMe", Answer(401, json={"ok": False, "error_code": 401, "description": "Unauthorized"})
    )
    refused = health.check(case.brand, "telegram")
    assert not refused.ok and "Unauthorized" in refused.detail


def test_a_group_message_is_kept_but_opens_no_case(client, bot, api):
    body = (fixture_dir("telegram") / "update__1_message.json").read_text()
    body = body.replace('"type": "private"', '"type": "group"').replace('"update_id": 734512001', '"update_id": 9')
    response = client.post(
        webhook_url("telegram", "7311048822"), data=body.encode(), content_type="application/json", headers=sign(b"")
    )
    assert response.status_code == 200
    inbound = Inbound.objects.get(external_id="7311048822:9")
    assert inbound.state == InboundState.DISCARDED and "only private chats" in inbound.reason
    assert not Case.objects.exists()


def test_a_reply_with_a_file_names_it_with_the_case_page(client, bot, api, tasks):
    from anliegen.base.parsed import ParsedAttachment

    post(client, "update__1_message.json")
    tasks()
    case = Case.objects.get()
    do_reply(
        case,
        case.owner,
        "Anbei die Anleitung.",
        attachments=[ParsedAttachment("Router-Reset.pdf", "application/pdf", b"%PDF")],
    )
    tasks()
    text = api.received("POST", f"/bot{TOKEN}/sendMessage")[-1].json()["text"]
    assert text.startswith("Anbei die Anleitung.") and "Router-Reset.pdf" in text and "/c/" in text
