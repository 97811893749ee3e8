"""The visitor's socket end to end: greeting, a line through intake answered with the owner, the agent's answer."""

from __future__ import annotations

import base64

import pytest
from asgiref.sync import async_to_sync, sync_to_async

from anliegen.channels.chat.models import Conversation
from anliegen.core.models import Case, Identity, Incident, Message
from anliegen.intake.models import Inbound

from .conftest import SITE, agent_socket, visitor

# Each test flushes a real database for the socket's own threads: seconds per test.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def test_greeting_line_owner_and_answer_both_ways(chat_setup, brand, agents):
    Incident.objects.create(brand=brand, title="Störung Fernwärme Nord", starts_at="2026-01-01T00:00:00Z")

    desk = agent_socket("anna")

    async def run() -> None:
        assert (await desk.connect())[0]
        socket = visitor()
        assert (await socket.connect())[0]
        await socket.send_json_to({"type": "hello", "page": f"{SITE}/tarife", "lang": "de"})
        welcome = await socket.receive_json_from(timeout=5)
        assert welcome["type"] == "welcome" and welcome["online"] is True
        assert welcome["owner"]["name"] in ("Anna Schmidt", "Ben Wagner", "Claire Miller")
        assert welcome["incidents"][0]["title"] == "Störung Fernwärme Nord"

        await socket.send_json_to({"type": "message", "id": "c1", "text": "Meine Heizung ist kalt\x07"})
        ack = await socket.receive_json_from(timeout=10)
        assert ack["type"] == "ack" and ack["id"] == "c1" and ack["state"] == "done"
        case = await sync_to_async(Case.objects.select_related("owner").get)()
        assert ack["owner"]["name"] == case.owner.name and ack["resume"]
        assert case.preferred_channel == "chat"
        seen = await desk.receive_json_from(timeout=5)
        assert seen["type"] == "chat.message" and seen["text"] == "Meine Heizung ist kalt" and seen["case"] == case.pk
        assert seen["page"] == f"{SITE}/tarife"

        await socket.send_json_to({"type": "typing"})
        assert (await desk.receive_json_from(timeout=5))["type"] == "chat.typing"
        conversation = await sync_to_async(Conversation.objects.get)()
        await desk.send_json_to({"type": "typing", "conversation": conversation.pk})
        assert (await socket.receive_json_from(timeout=5))["type"] == "typing"
        await desk.send_json_to(
            {"type": "say", "id": "a1", "conversation": conversation.pk, "text": "Ich schaue nach."}
        )
        said = await desk.receive_json_from(timeout=10)
        assert said["type"] == "said"
        line = await socket.receive_json_from(timeout=10)
        assert line["type"] == "message" and line["from"] == "agent" and line["text"] == "Ich schaue nach."
        assert (await sync_to_async(Message.objects.get)(pk=said["message"])).delivery == "sent"

        # The same frame again (a reconnecting widget resends) is the same message, not a second one.
        await socket.send_json_to({"type": "message", "id": "c1", "text": "Meine Heizung ist kalt"})
        assert (await socket.receive_json_from(timeout=10))["message"] == ack["message"]
        await socket.disconnect()
        await desk.disconnect()

    async_to_sync(run)()
    assert Inbound.objects.filter(channel="chat").count() == 1
    assert Identity.objects.filter(kind="chat_id").count() == 1


def test_resume_by_token_shows_the_history(chat_setup, brand, agents):
    async def run() -> tuple[str, int]:
        socket = visitor()
        await socket.connect()
        await socket.send_json_to({"type": "hello"})
        await socket.receive_json_from(timeout=5)
        await socket.send_json_to({"type": "message", "id": "x", "text": "Zählerstand 12345"})
        ack = await socket.receive_json_from(timeout=10)
        await socket.disconnect()

        again = visitor()
        await again.connect()
        await again.send_json_to({"type": "hello", "resume": ack["resume"]})
        welcome = await again.receive_json_from(timeout=5)
        assert [m["text"] for m in welcome["history"]] == ["Zählerstand 12345"]
        await again.send_json_to({"type": "message", "id": "y", "text": "Noch eine Frage"})
        second = await again.receive_json_from(timeout=10)
        await again.disconnect()
        return ack["resume"], second["message"]

    _token, message_id = async_to_sync(run)()
    assert Case.objects.count() == 1
    assert Message.objects.get(pk=message_id).case_id == Case.objects.get().pk


def test_expired_or_forged_resume_token_is_a_clear_error_and_a_fresh_chat(chat_setup, settings):
    async def run(token: str) -> dict:
        socket = visitor()
        await socket.connect()
        await socket.send_json_to({"type": "hello", "resume": token})
        welcome = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return welcome

    assert async_to_sync(run)("not-a-token")["resume_error"] == "resume_invalid"
    conversation = Conversation.objects.create(brand=chat_setup.brand)
    from anliegen.channels.chat.session import resume_token

    token = resume_token(conversation)
    settings.CHAT_RESUME_MAX_AGE = -1
    welcome = async_to_sync(run)(token)
    assert welcome["resume_error"] == "resume_expired" and "history" not in welcome


def test_bad_frames_each_get_a_clear_error_and_nothing_is_lost(chat_setup):
    async def run() -> list[str]:
        socket = visitor()
        await socket.connect()
        codes = []
        await socket.send_to(bytes_data=b"\x00\x01binary")
        codes.append((await socket.receive_json_from(timeout=5))["code"])
        await socket.send_to(text_data="{not json")
        codes.append((await socket.receive_json_from(timeout=5))["code"])
        await socket.send_json_to({"type": "message", "id": "big", "text": "x" * 20000})
        codes.append((await socket.receive_json_from(timeout=5))["code"])
        await socket.send_json_to({"type": "launch"})
        codes.append((await socket.receive_json_from(timeout=5))["code"])
        exe = base64.b64encode(b"MZ\x90\x00 a windows program").decode()
        await socket.send_json_to(
            {"type": "upload", "id": "f", "name": "a.png", "content_type": "image/png", "data": exe}
        )
        codes.append((await socket.receive_json_from(timeout=5))["code"])
        await socket.send_json_to({"type": "message", "id": "ok", "text": "Nach all dem: Hallo"})
        assert (await socket.receive_json_from(timeout=10))["state"] == "done"
        await socket.disconnect()
        return codes

    assert async_to_sync(run)() == ["binary", "bad_frame", "too_large", "unknown_type", "file_type"]
    assert Message.objects.filter(direction="in").count() == 1


def test_upload_of_an_image_becomes_an_attachment(chat_setup):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

    async def run() -> dict:
        socket = visitor()
        await socket.connect()
        await socket.send_json_to(
            {
                "type": "upload",
                "id": "f1",
                "name": "router.png",
                "content_type": "image/png",
                "data": base64.b64encode(png).decode(),
            }
        )
        ack = await socket.receive_json_from(timeout=10)
        await socket.disconnect()
        return ack

    ack = async_to_sync(run)()
    message = Message.objects.get(pk=ack["message"])
    assert [(a.filename, a.content_type, a.size) for a in message.attachments.all()] == [
        ("router.png", "image/png", len(png))
    ]


def test_wrong_origin_and_unknown_brand_are_refused_at_the_handshake(chat_setup):
    async def run() -> list:
        results = []
        for socket in (visitor(origin="https://evil.example"), visitor(brand_slug="nobody")):
            results.append(await socket.connect())
        return results

    assert async_to_sync(run)() == [(False, 4403), (False, 4404)]


def test_connections_and_messages_are_rate_limited(chat_setup, settings):
    settings.CHAT_CONNECT_RATE = "2/m"
    settings.CHAT_MESSAGE_RATE = "2/m"

    async def run() -> tuple[str, str]:
        socket = visitor(client=("198.51.100.9", 1))
        await socket.connect()
        for n in range(2):
            await socket.send_json_to({"type": "message", "id": f"m{n}", "text": f"Zeile {n}"})
            assert (await socket.receive_json_from(timeout=10))["type"] == "ack"
        await socket.send_json_to({"type": "message", "id": "m3", "text": "Zeile 3"})
        too_many = (await socket.receive_json_from(timeout=5))["code"]
        second = visitor(client=("198.51.100.9", 2))
        await second.connect()
        await second.send_json_to({"type": "hello"})
        assert (await second.receive_json_from(timeout=5))["type"] == "welcome"
        third = visitor(client=("198.51.100.9", 3))
        await third.connect()
        refused = await third.receive_json_from(timeout=5)
        assert (await third.receive_output(timeout=5))["code"] == 4429
        return too_many, refused["code"]

    assert async_to_sync(run)() == ("rate_limited", "rate_limited")


def test_agent_of_another_brand_cannot_write_into_the_chat(chat_setup, other_brand):
    desk = agent_socket("dora")

    async def run() -> dict:
        socket = visitor()
        await socket.connect()
        await socket.send_json_to({"type": "message", "id": "a", "text": "Hallo"})
        await socket.receive_json_from(timeout=10)
        conversation = await sync_to_async(Conversation.objects.get)()
        await desk.connect()
        await desk.send_json_to({"type": "say", "conversation": conversation.pk, "text": "Ich bin fremd"})
        refused = await desk.receive_json_from(timeout=5)
        assert await socket.receive_nothing(timeout=0.5)
        return refused

    assert async_to_sync(run)()["code"] == "not_found"


def test_help_articles_about_the_page_and_the_line_being_typed(chat_setup, brand, agents):
    from tests.selfservice.test_articles import publish

    publish(
        brand,
        agents["claire"],
        "WLAN-Passwort ändern",
        "<p>Melden Sie sich am Router an und ändern Sie das Passwort.</p>",
    )

    async def run() -> tuple[dict, dict]:
        socket = visitor()
        await socket.connect()
        await socket.send_json_to({"type": "hello", "lang": "de", "title": "WLAN-Passwort ändern – Stadtwerk Nord"})
        welcome = await socket.receive_json_from(timeout=10)
        await socket.send_json_to({"type": "suggest", "text": "Wie kann ich das Passwort vom WLAN ändern?"})
        suggested = await socket.receive_json_from(timeout=10)
        await socket.disconnect()
        return welcome, suggested

    welcome, suggested = async_to_sync(run)()
    assert [a["title"] for a in welcome["articles"]] == ["WLAN-Passwort ändern"]
    assert suggested["type"] == "articles" and suggested["articles"][0]["url"].startswith("http://testserver/")
