"""The desk in a real browser over ASGI: sign in, a new case appears live, reply without a page reload."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator

import pytest
from django.db import connections

from anliegen.base import realtime
from anliegen.core.models import Case, Direction, Message, MessageKind
from anliegen.intake.accept import accept
from tests.browser import chromium_page
from tests.conftest import PASSWORD

from .conftest import customer_mail

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def asgi_server(monkeypatch) -> Iterator[str]:
    """The real ASGI application (HTTP + websockets) under uvicorn on a free loopback port, in a thread."""
    uvicorn = pytest.importorskip("uvicorn")
    from anliegen.asgi import application

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(application, lifespan="off", log_level="warning"))

    async def serve() -> None:
        # Events published from this (test) thread reach the in-memory layer living in the server's loop.
        realtime.bind_server_loop(asyncio.get_running_loop())
        await server.serve(sockets=[sock])

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        threading.Event().wait(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    connections.close_all()


@pytest.fixture
def page(asgi_server, settings, monkeypatch):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    with chromium_page(monkeypatch, locale="en-GB") as page:
        yield page


def test_new_case_appears_live_and_reply_lands_in_timeline(page, asgi_server, brand, agents):
    page.goto(f"{asgi_server}/desk/")
    page.fill("#id_username", "anna")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("text=My cases")
    assert "Anna Schmidt" in page.inner_text(".topbar")
    page.click("text=Team queue")
    page.wait_for_selector("h1:has-text('Team queue')")
    page.wait_for_timeout(500)  # the websocket is open; the case below did not exist when the page loaded

    mail = customer_mail(brand.support_address, "Heizung kalt seit gestern", "Die Heizung bleibt kalt.")
    accept("email", mail["Message-ID"], mail.as_bytes(), {"rcpt": [brand.support_address]})
    case = Case.objects.get()  # the pipeline's own notify stage is the only push
    page.wait_for_selector(f'[data-case-row="{case.pk}"]', timeout=10_000)
    page.wait_for_selector("#desk-notice:not([hidden])", timeout=10_000)
    assert "Heizung kalt seit gestern" in page.inner_text("#desk-notice")

    page.click(f'[data-case-row="{case.pk}"] a')
    page.wait_for_selector("#timeline")
    page.evaluate("window.__samePage = true")
    page.fill("#id_text", "Ein Techniker kommt morgen zwischen 8 und 12 Uhr.")
    page.click(".composer button[type=submit]")
    page.wait_for_selector("#timeline >> text=Ein Techniker kommt morgen", timeout=10_000)
    assert page.evaluate("window.__samePage === true")  # htmx swapped the case part; no full reload
    reply = Message.objects.get(case=case, direction=Direction.OUT, kind=MessageKind.MESSAGE)
    assert reply.delivery == Message.Delivery.QUEUED and reply.author_agent == agents["anna"]
    assert "Anna Schmidt" in page.inner_text("#timeline")
