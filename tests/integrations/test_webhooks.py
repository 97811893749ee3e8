"""Outgoing webhooks: events from the services, signed deliveries, retries with backoff, the log, replay."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from anliegen.core.models import CaseState
from anliegen.core.services import case_updates
from anliegen.integrations import delivery, signing
from anliegen.integrations.models import WebhookDelivery, WebhookEndpoint
from anliegen.promises import checks, services
from anliegen.promises.services import PromiseInput
from tests.promises.factories import webform

SECRET = "whsec_test_secret"


class Receiver:
    """A local HTTP server that refuses each delivery's first `failures` tries, then accepts; it checks the
    signature itself (its own HMAC, not the product's code) on every request."""

    def __init__(self, failures: int = 2) -> None:
        self.failures = failures
        self.requests: list[dict] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                header = self.headers[signing.HEADER]
                parts = dict(p.split("=", 1) for p in header.split(","))
                expected = hmac.new(SECRET.encode(), f"{parts['t']}.".encode() + body, hashlib.sha256).hexdigest()
                seen = [r for r in receiver.requests if r["delivery"] == self.headers["Anliegen-Delivery"]]
                receiver.requests.append(
                    {
                        "delivery": self.headers["Anliegen-Delivery"],
                        "event": self.headers["Anliegen-Event"],
                        "valid": hmac.compare_digest(expected, parts["v1"]) and abs(time.time() - int(parts["t"])) < 60,
                        "body": json.loads(body),
                    }
                )
                status = 500 if len(seen) < receiver.failures else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"busy" if status == 500 else b"ok")

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.server.shutdown()


@pytest.fixture
def endpoint(brand, receiver, settings) -> WebhookEndpoint:
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0  # the retries are due at once: the test runs them one after another
    return WebhookEndpoint.objects.create(brand=brand, url=receiver.url, secret=SECRET)


def events_of(brand) -> list[str]:
    return list(WebhookDelivery.objects.filter(brand=brand).order_by("pk").values_list("event", flat=True))


def test_events_come_from_the_services_that_change_state(brand, agents, endpoint, other_brand):
    WebhookEndpoint.objects.create(brand=other_brand, url=endpoint.url, secret=SECRET)
    case = webform(brand, "jana@example.org", "Ausfall", "Der Strom war zwei Tage weg.", "s1")
    # The customer's message and the confirmation naming the owner, written together in one intake batch.
    assert events_of(brand) == ["case.created", "message.added", "message.added"]
    created = WebhookDelivery.objects.filter(event="case.created").get()
    assert created.payload["data"]["id"] == case.pk and created.payload["data"]["owner_id"] == case.owner_id
    messages = [d.payload["data"] for d in WebhookDelivery.objects.filter(event="message.added").order_by("pk")]
    assert [m["direction"] for m in messages] == ["in", "out"] and all(
        m["id"] and m["case_id"] == case.pk for m in messages
    )
    anna = agents["anna"]
    due = timezone.now() + timedelta(minutes=30)
    kept = services.check_create_promise(case, anna, PromiseInput(kind="custom", due_at=due, text="Rückruf"))
    broken = services.check_create_promise(case, anna, PromiseInput(kind="custom", due_at=due, text="Gutschein"))
    checks.check_due()
    services.do_keep(kept, anna, evidence="angerufen")
    services.do_break(broken, anna, reason="nicht mehr lieferbar")
    case_updates.change_state(case, anna, CaseState.SOLVED)
    # Keeping a promise tells the customer: that message is an event too.
    expected = ["promise.due", "promise.due", "promise.kept", "message.added", "promise.broken", "case.solved"]
    assert events_of(brand)[3:] == expected
    assert WebhookDelivery.objects.get(event="promise.kept").payload["data"]["evidence"] == "angerufen"
    assert events_of(other_brand) == []  # another brand's endpoint hears nothing of this brand


def test_a_receiver_failing_twice_gets_it_on_the_third_try_signed_each_time(brand, agents, endpoint, receiver, tasks):
    endpoint.events = ["case.created"]
    endpoint.save()
    case = webform(brand, "jana@example.org", "Ausfall", "Der Strom war zwei Tage weg.", "s1")
    tasks()
    sent = WebhookDelivery.objects.get()
    assert sent.state == WebhookDelivery.State.DELIVERED and sent.attempts == 3 and sent.response_code == 200
    assert [a.response_code for a in sent.log.all()] == [500, 500, 200]
    assert [r["valid"] for r in receiver.requests] == [True, True, True]
    assert {r["body"]["id"] for r in receiver.requests} == {sent.event_id}
    assert receiver.requests[0]["body"]["data"]["id"] == case.pk and receiver.requests[0]["event"] == "case.created"


def test_retries_back_off_exponentially_and_stop(brand, agents, endpoint, receiver, settings, tasks):
    from django_tasks_db.models import DBTaskResult

    settings.WEBHOOK_RETRY_BASE_SECONDS = 10
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3)] == [10, 40, 160]
    endpoint.events = ["case.created"]
    endpoint.save()
    webform(brand, "jana@example.org", "Ausfall", "Text", "s1")
    tasks()  # the first try fails; the next one waits
    sent = WebhookDelivery.objects.get()
    assert sent.state == WebhookDelivery.State.PENDING and sent.attempts == 1
    waiting = DBTaskResult.objects.filter(status="READY", task_path="anliegen.integrations.delivery.deliver").get()
    assert 9 <= (waiting.run_after - timezone.now()).total_seconds() <= 10
    receiver.failures = 99
    settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_MAX_ATTEMPTS = 0, 3
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    tasks()
    sent.refresh_from_db()
    assert sent.state == WebhookDelivery.State.FAILED and sent.attempts == 3 and sent.response_code == 500


def test_replay_sends_the_same_event_again(brand, agents, endpoint, receiver, tasks):
    receiver.failures = 0
    endpoint.events = ["case.created"]
    endpoint.save()
    webform(brand, "jana@example.org", "Ausfall", "Text", "s1")
    tasks()
    first = WebhookDelivery.objects.get()
    again = delivery.replay(first)
    tasks()
    again.refresh_from_db()
    assert again.state == WebhookDelivery.State.DELIVERED and again.replay_of == first
    assert [r["body"]["id"] for r in receiver.requests] == [first.event_id, first.event_id]


def test_signature_reference_verifier():
    body = b'{"id":"1"}'
    header = signing.sign(SECRET, 1_700_000_000, body)
    assert header.startswith("t=1700000000,v1=")
    assert signing.verify(SECRET, header, body, now=1_700_000_100)
    assert not signing.verify(SECRET, header, body + b" ", now=1_700_000_100)
    assert not signing.verify("other", header, body, now=1_700_000_100)
    assert not signing.verify(SECRET, header, body, now=1_700_001_000)  # too old: a replayed capture
