"""The screen pop in a real browser: a call rings at Anna's extension and her desk shows the caller's case."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from django.db import connections
from django.test import Client

from anliegen.base import realtime
from anliegen.core.models import Case, Contact, Identity
from tests.browser import chromium_page  # the suite's one Chromium launcher

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def asgi_server(monkeypatch) -> Iterator[str]:
    """The real ASGI application (HTTP + websockets) under uvicorn on a free loopback port."""
    uvicorn = pytest.importorskip("uvicorn")
    from anliegen.asgi import application

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(application, lifespan="off", log_level="warning"))

    async def serve() -> None:
        realtime.bind_server_loop(asyncio.get_running_loop())
        await server.serve(sockets=[sock])

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    for _ in range(200):
        if server.started:
            break
        threading.Event().wait(0.05)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()
    connections.close_all()


def test_ringing_call_pops_the_callers_case(asgi_server, settings, monkeypatch, line, agents, brand):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    contact = Contact.objects.create(brand=brand, name="Jana Krüger", language="de")
    Identity.objects.create(contact=contact, brand=brand, kind="phone", value="+493055571600")
    case = Case.objects.create(
        brand=brand, contact=contact, owner=agents["anna"], subject="Zählerstand falsch", preferred_channel="email"
    )
    with chromium_page(monkeypatch, locale="de-DE") as page:
        page.goto(f"{asgi_server}/desk/login/")
        page.fill("#id_username", "anna")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_selector("#desk-live", state="attached")
        page.wait_for_timeout(500)  # the websocket is open
        body = {
            "event": "newCall",
            "from": "493055571600",
            "to": "4940123456",
            "direction": "in",
            "callId": "pop-1",
            "user[]": "Anna Schmidt",
        }
        response = Client().post(
            f"/hooks/phone/{brand.slug}.{line.token}/?format=zammad",
            data=urlencode(body),
            content_type="application/x-www-form-urlencoded",
        )
        assert response.status_code == 200
        page.wait_for_selector("#phone-pop:not([hidden]) .phone-pop", timeout=5_000)
        text = page.inner_text("#phone-pop")
        assert "Jana Krüger" in text and "Zählerstand falsch" in text and "+493055571600" in text
        page.click("#phone-pop a.open-case")
        page.wait_for_selector("#timeline")
        assert page.url.endswith(f"/desk/cases/{case.pk}/")

        # An unknown caller: a new contact panel with the number.
        body.update({"from": "4917699887766", "callId": "pop-2"})
        Client().post(
            f"/hooks/phone/{brand.slug}.{line.token}/?format=zammad",
            data=urlencode(body),
            content_type="application/x-www-form-urlencoded",
        )
        page.wait_for_selector("#phone-pop:not([hidden]) [data-call]", timeout=5_000)
        page.wait_for_function("document.querySelector('#phone-pop').innerText.includes('+4917699887766')")
        assert "Name" in page.inner_text("#phone-pop")
