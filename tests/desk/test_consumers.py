"""The desk websocket: agents hear about their brands' cases, nobody else hears anything."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from anliegen.asgi import application
from anliegen.base import realtime
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def _cookie(username: str | None) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if username:
        client = Client()
        assert client.login(username=username, password=PASSWORD)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        headers.append((b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode()))
    return headers


def _event(kind: str, brand_id: int, case_id: int = 1) -> dict:
    return {"type": kind, "case": case_id, "brand": brand_id, "owner": 1, "subject": "Fernseher schwarz", "message": 2}


def test_agent_receives_own_brand_events_only(agents, brand, other_brand):
    headers = _cookie("anna")

    async def run() -> None:
        socket = WebsocketCommunicator(application, "/ws/desk/", headers=headers)
        connected, _ = await socket.connect()
        assert connected
        await realtime.apublish(_event("case.created", brand.pk, 41))
        assert await socket.receive_json_from(timeout=2) == _event("case.created", brand.pk, 41)
        await realtime.apublish(_event("case.created", other_brand.pk, 42))
        assert await socket.receive_nothing(timeout=0.3)
        await socket.disconnect()

    async_to_sync(run)()


def test_sync_publish_reaches_the_socket(agents, brand):
    """The worker path: realtime.publish from synchronous code, as the pipeline's notify stage does."""
    headers = _cookie("ben")

    async def run() -> None:
        socket = WebsocketCommunicator(application, "/ws/desk/", headers=headers)
        assert (await socket.connect())[0]
        from asgiref.sync import sync_to_async

        await sync_to_async(realtime.publish)(_event("case.updated", brand.pk, 7))
        event = await socket.receive_json_from(timeout=2)
        assert event["type"] == "case.updated" and event["case"] == 7
        await socket.disconnect()

    async_to_sync(run)()


def test_anonymous_and_non_agent_are_rejected(db):
    get_user_model().objects.create_user("otto", password=PASSWORD)

    async def run(headers: list) -> tuple[bool, int | None]:
        socket = WebsocketCommunicator(application, "/ws/desk/", headers=headers)
        connected, code = await socket.connect()
        await socket.disconnect()
        return connected, code

    assert async_to_sync(run)(_cookie(None))[0] is False
    assert async_to_sync(run)(_cookie("otto"))[0] is False
