"""The widget in a real browser on a page of another origin with a strict CSP, and an agent in a second context."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Iterator

import pytest
from django.core import mail

from anliegen.channels.chat.models import ChatSetup, Conversation
from anliegen.core.models import Agent, Message, Presence
from tests.browser import ARGS, CHROMIUM
from tests.conftest import PASSWORD, run_tasks
from tests.desk.test_browser import asgi_server  # noqa: F401 - the real ASGI app under uvicorn

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(asgi_server) -> Iterator[str]:  # noqa: F811
    """The brand's own website: a static page on another port (another origin) that embeds the widget."""
    ws = asgi_server.replace("http://", "ws://")
    page = (
        '<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Stadtwerk Nord</title></head>'
        f'<body><h1>Tarife</h1><script src="{asgi_server}/static/anliegen/chat-widget.js" data-brand="stadtwerk" '
        "defer></script></body></html>"
    ).encode()
    # No inline script or style allowed: the widget must work under the CSP a careful site sets.
    csp = f"default-src 'none'; script-src {asgi_server}; style-src {asgi_server}; connect-src {ws}"

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Security-Policy", csp)
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            pass

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{port}"
    server.shutdown()


@pytest.fixture
def browser(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield launched
        finally:
            launched.close()


def test_chat_both_ways_leave_resume_and_offline_fallback(browser, site, asgi_server, settings, brand, agents):  # noqa: F811
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    ChatSetup.objects.create(brand=brand, origins=[site])
    Agent.objects.exclude(pk=agents["anna"].pk).update(presence=Presence.OFFLINE)
    errors: list[str] = []

    desk = browser.new_context(locale="de-DE").new_page()
    desk.goto(f"{asgi_server}/desk/login/")
    desk.fill("#id_username", "anna")
    desk.fill("#id_password", PASSWORD)
    desk.click("button[type=submit]")
    desk.wait_for_selector(".topbar .me")
    desk.goto(f"{asgi_server}/desk/chats/")
    desk.wait_for_selector(".chats-empty")

    visitor_context = browser.new_context(locale="de-DE")
    page = visitor_context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{site}/tarife")
    page.click(".ac-launcher")
    page.wait_for_selector(".ac-owner:has-text('Anna Schmidt')")
    assert page.inner_text(".ac-avatar") == "AS"
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"  # the panel opens with focus on input
    page.keyboard.type("Mein Zähler läuft rückwärts")
    page.keyboard.press("Enter")
    page.wait_for_selector(".ac-system:has-text('Anna Schmidt kümmert sich um Ihr Anliegen')")

    panel = desk.wait_for_selector(".chat-panel:has-text('Mein Zähler läuft rückwärts')", timeout=10_000)
    assert f"{site}/tarife" in panel.inner_text()
    page.wait_for_timeout(2100)  # the widget sends "typing" at most every 2 s
    page.fill(".ac-form textarea", "Noch")  # the visitor types: the agent sees it
    desk.wait_for_selector(".chat-typing:not(:empty)", timeout=5_000)
    desk.fill(".chat-say textarea", "Das schaue ich mir sofort an.")
    desk.press(".chat-say textarea", "Enter")
    page.wait_for_selector(".ac-agent:has-text('Das schaue ich mir sofort an.')", timeout=10_000)
    assert Message.objects.filter(direction="out", channel="chat", delivery="sent").count() == 1

    # Leave and come back: the same conversation, its lines, from the token the widget kept.
    page.close()
    desk.wait_for_selector(
        ".chat-presence:has-text('hat den Chat verlassen'), .chat-presence:has-text('left the chat')"
    )
    page = visitor_context.new_page()
    page.goto(f"{site}/tarife")
    page.click(".ac-launcher")
    page.wait_for_selector(".ac-agent:has-text('Das schaue ich mir sofort an.')")
    assert page.locator(".ac-visitor:has-text('Mein Zähler läuft rückwärts')").count() == 1
    assert Conversation.objects.count() == 1

    # Offline fallback: an address, then the tab closes; the next answer goes by e-mail.
    page.fill(".ac-mail input[type=email]", "jana@example.org")
    page.click(".ac-mail button[type=submit]")
    page.wait_for_selector(".ac-status:has-text('jana@example.org')")
    page.close()
    for _ in range(100):  # the visitor's socket is closed on the server before the agent answers
        if not Conversation.objects.filter(connections__gt=0).exists():
            break
        threading.Event().wait(0.1)
    desk.fill(".chat-say textarea", "Der Zähler wird morgen getauscht.")
    desk.press(".chat-say textarea", "Enter")
    desk.wait_for_selector(".chat-line:has-text('Der Zähler wird morgen getauscht.')", timeout=10_000)
    for _ in range(50):
        if Message.objects.filter(body_text__startswith="Der Zähler").exists():
            break
        threading.Event().wait(0.1)
    run_tasks()
    answer = Message.objects.get(body_text__startswith="Der Zähler")
    assert (answer.channel, answer.address, answer.delivery) == ("email", "jana@example.org", "sent")
    assert [m.to for m in mail.outbox] == [["jana@example.org"]]
    assert "Der Zähler wird morgen getauscht." in mail.outbox[0].body
    assert not [e for e in errors if "Content Security Policy" in e]
