"""Webhook targets: loopback, private, link-local and reserved addresses are refused when an endpoint is added
(API, admin) and again at send time, where the request connects to the address just checked (DNS rebinding)."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.admin.sites import site
from django.test import Client

from anliegen.integrations import delivery, endpoints, targets, tokens
from anliegen.integrations.models import WebhookDelivery, WebhookEndpoint

REFUSED = [
    "http://127.0.0.1/hook",
    "http://127.1.2.3:8080/hook",
    "http://localhost/hook",
    "http://10.0.0.5/hook",
    "http://172.16.4.4/hook",
    "http://192.168.1.10/hook",
    "http://169.254.169.254/latest/meta-data/",  # a cloud's instance metadata
    "http://100.64.0.1/hook",  # carrier-grade NAT
    "http://0.0.0.0/hook",
    "http://[::1]/hook",
    "http://[fe80::1]/hook",
    "http://[fd00::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://224.0.0.1/hook",
]


@pytest.fixture
def strict(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False


@pytest.mark.parametrize("url", REFUSED)
def test_private_and_local_targets_are_refused(url, strict, brand):
    with pytest.raises(endpoints.EndpointError, match="private or local"):
        endpoints.check_create(brand, url, [])
    assert not WebhookEndpoint.objects.exists()


def test_public_targets_and_names_not_resolving_yet_are_accepted(strict, brand):
    endpoints.check_create(brand, "https://93.184.216.34/hook", [])
    endpoints.check_create(brand, "https://hooks.crm.example/hook", [])  # checked again at every send
    assert WebhookEndpoint.objects.count() == 2


def test_api_and_admin_refuse_a_private_target(strict, brand, agents):
    admin = Client(headers={"Authorization": f"Bearer {tokens.issue('Ops', [brand], ['read', 'admin'])[1]}"})
    made = admin.post(
        "/api/webhooks", {"brand_id": brand.pk, "url": "http://169.254.169.254/"}, content_type="application/json"
    )
    assert made.status_code == 400 and "private or local" in made.json()["detail"]
    form_class = site._registry[WebhookEndpoint].form
    form = form_class({"brand": brand.pk, "url": "http://10.1.1.1/hook", "secret": "s", "events": "[]", "active": True})
    assert not form.is_valid() and "private or local" in str(form.errors["url"])


class Receiver:
    def __init__(self, status: int = 200, location: str = "") -> None:
        self.hosts: list[str] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                self.rfile.read(int(self.headers["Content-Length"]))
                receiver.hosts.append(self.headers["Host"])
                self.send_response(status)
                if location:
                    self.send_header("Location", location)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver():
    found = Receiver()
    yield found
    found.server.shutdown()


def _delivery(brand, url: str) -> WebhookDelivery:
    # Stored directly: an endpoint made before the rule, or whose name resolves elsewhere since.
    endpoint = WebhookEndpoint.objects.create(brand=brand, url=url, secret="s")
    return WebhookDelivery.objects.create(endpoint=endpoint, brand=brand, event="case.created", payload={"a": 1})


def test_send_time_check_refuses_a_private_target_stored_earlier(strict, brand, receiver):
    sent = _delivery(brand, f"http://127.0.0.1:{receiver.port}/hook")
    delivery.deliver.call(sent.pk)
    sent.refresh_from_db()
    assert sent.state == WebhookDelivery.State.PENDING and sent.attempts == 1
    assert sent.error.startswith("refused:") and receiver.hosts == []


def test_the_request_goes_to_the_address_checked_not_a_second_lookup(brand, receiver, monkeypatch):
    """A name that answers the check with one address and any later lookup with another (DNS rebinding):
    the delivery connects to the first, once looked up, with the URL's name in the Host header."""
    real = socket.getaddrinfo
    lookups: list[str] = []

    def rebinding(host, port, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        if host != "hooks.rebind.test":
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        address = "127.0.0.1" if len(lookups) == 1 else "192.0.2.1"  # then: an address that answers nothing
        return real(address, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    sent = _delivery(brand, f"http://hooks.rebind.test:{receiver.port}/hook")
    delivery.deliver.call(sent.pk)
    sent.refresh_from_db()
    assert sent.state == WebhookDelivery.State.DELIVERED, sent.error
    assert lookups == ["hooks.rebind.test"] and receiver.hosts == [f"hooks.rebind.test:{receiver.port}"]


def test_a_public_name_rebound_to_loopback_is_refused_at_send_time(strict, brand, receiver, monkeypatch):
    real = socket.getaddrinfo

    def loopback(host, port, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        return real("127.0.0.1" if host == "hooks.crm.example" else host, port, *args, **kwargs)

    endpoints.check_create(brand, f"http://hooks.crm.example:{receiver.port}/hook", [])  # does not resolve yet
    monkeypatch.setattr(socket, "getaddrinfo", loopback)
    endpoint = WebhookEndpoint.objects.get()
    sent = WebhookDelivery.objects.create(endpoint=endpoint, brand=brand, event="case.created", payload={})
    delivery.deliver.call(sent.pk)
    sent.refresh_from_db()
    assert "private or local" in sent.error and receiver.hosts == []


def test_a_redirect_is_not_followed(brand, receiver):
    redirecting = Receiver(status=302, location=f"http://127.0.0.1:{receiver.port}/hook")
    try:
        sent = _delivery(brand, f"http://127.0.0.1:{redirecting.port}/hook")
        delivery.deliver.call(sent.pk)
    finally:
        redirecting.server.shutdown()
    sent.refresh_from_db()
    assert sent.state == WebhookDelivery.State.PENDING and sent.response_code == 302
    assert len(redirecting.hosts) == 1 and receiver.hosts == []


def test_the_checked_address_is_the_first_allowed(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    assert targets.resolve("https://93.184.216.34/x") == "93.184.216.34"
