"""Chat fixtures: a visitor socket and an agent socket on the real ASGI application."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from anliegen.asgi import application
from anliegen.channels.chat.models import ChatSetup
from tests.conftest import PASSWORD

SITE = "https://www.stadtwerk.example"


@pytest.fixture
def chat_setup(brand, agents) -> ChatSetup:
    return ChatSetup.objects.create(brand=brand, origins=[SITE])


def visitor(brand_slug: str = "stadtwerk", origin: str = SITE, client: tuple = ("203.0.113.7", 5000)):
    async def from_address(scope: dict, receive: object, send: object) -> None:
        # The communicator builds its scope before we could change it: the peer address is set on the way in.
        await application({**scope, "client": client}, receive, send)

    return WebsocketCommunicator(from_address, f"/ws/chat/{brand_slug}/", headers=[(b"origin", origin.encode())])


def agent_socket(username: str) -> WebsocketCommunicator:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    headers = [
        (b"origin", b"http://testserver"),
        (b"host", b"testserver"),
        (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session}".encode()),
    ]
    return WebsocketCommunicator(application, "/ws/desk/chat/", headers=headers)
