"""Delivery under faults: a relay that never greets, a message another sender holds, a stuck queued message."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone

from anliegen.channels.email import breaker
from anliegen.core.models import Message, MessageKind
from anliegen.core.services import delivery
from anliegen.core.services.outbound import deliver_batch

from .conftest import deliver as deliver_mail
from .test_outbound import mail


@pytest.fixture(autouse=True)
def _closed_breakers() -> Iterator[None]:
    breaker._open.clear()
    yield
    breaker._open.clear()


@pytest.fixture
def silent_relay(settings) -> Iterator[int]:
    """A local socket that accepts connections and never sends the SMTP greeting."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.getsockname()[1]
    settings.EMAIL_USE_TLS, settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD = False, "", ""
    settings.EMAIL_TIMEOUT = 2
    try:
        yield len(held)
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


def _confirmations(count: int) -> list[Message]:
    for n in range(count):
        deliver_mail(
            mail(subject=f"Router kaputt {n}", message_id=f"<fault-{n}@example.org>", sender=f"f{n}@example.org")
        )
    return list(Message.objects.filter(kind=MessageKind.CONFIRMATION).order_by("id"))


def test_a_relay_that_never_greets_costs_one_timeout_not_one_per_message(brand, agents, silent_relay, settings):
    confirmations = _confirmations(5)
    started = time.monotonic()
    assert deliver_batch.call([m.pk for m in confirmations]) == "retry=5"
    assert time.monotonic() - started < 7  # one timeout of 2 s, not five (10 s)
    errors = set(Message.objects.filter(pk__in=[m.pk for m in confirmations]).values_list("delivery_error", flat=True))
    assert len(errors) == 1 and "timed out" in errors.pop()
    # While the breaker is open, the next batch does not even connect.
    started = time.monotonic()
    assert deliver_batch.call([m.pk for m in confirmations]) == "retry=5"
    assert time.monotonic() - started < 1.5  # less than one timeout
    assert "trying it again in" in Message.objects.get(pk=confirmations[0].pk).delivery_error
    # Every message is still queued, claimed by nobody, and will be retried.
    rows = Message.objects.filter(pk__in=[m.pk for m in confirmations])
    assert {(m.delivery, m.delivery_claim) for m in rows} == {(Message.Delivery.QUEUED, "")}


def test_the_breaker_lets_one_try_through_after_the_cool_down(settings):
    settings.SMTP_BREAKER_SECONDS = 0.2
    breaker.failed("relay:25")
    with pytest.raises(breaker.RelayDown):
        breaker.check("relay:25")
    time.sleep(0.25)
    breaker.check("relay:25")  # half open: one try
    breaker.failed("relay:25")  # failed again: twice as long
    time.sleep(0.25)
    with pytest.raises(breaker.RelayDown):
        breaker.check("relay:25")
    breaker.worked("relay:25")
    breaker.check("relay:25")


def test_a_message_another_sender_holds_is_not_sent_until_its_lease_runs_out(brand, agents, smtp_sink, tasks):
    confirmations = _confirmations(3)
    ids = [m.pk for m in confirmations]
    assert delivery.claim(ids, "other-worker") == ids
    assert deliver_batch.call(ids) == "nothing to do=3"  # held by a sender that is still alive
    assert smtp_sink.messages == []
    assert delivery.sweep() == 0  # its lease is live: nothing to take over
    # The other sender died: its lease runs out, the sweep hands the messages to a new task.
    Message.objects.filter(pk__in=ids).update(delivery_lease_until=timezone.now() - timedelta(seconds=1))
    assert delivery.sweep() == 3
    tasks()
    assert len(smtp_sink.messages) == 3
    rows = Message.objects.filter(pk__in=ids)
    assert {(m.delivery, m.delivery_claim, m.delivery_lease_until) for m in rows} == {(Message.Delivery.SENT, "", None)}
    assert deliver_batch.call(ids) == "nothing to do=3"


def test_a_task_row_left_running_by_a_dead_worker_is_failed_and_its_messages_sent(brand, agents, smtp_sink, tasks):
    from django_tasks_db.models import DBTaskResult

    confirmations = _confirmations(2)
    # A worker took the delivery tasks and was killed before it claimed anything.
    taken = DBTaskResult.objects.filter(task_path__endswith=".deliver_batch", status="READY")
    ids = list(taken.values_list("pk", flat=True))
    assert taken.update(status="RUNNING", started_at=timezone.now() - timedelta(hours=1)) >= 1
    assert delivery.sweep() == 2
    assert set(DBTaskResult.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"FAILED"}
    tasks()
    assert len(smtp_sink.messages) == 2
    assert set(Message.objects.filter(pk__in=[m.pk for m in confirmations]).values_list("delivery", flat=True)) == {
        Message.Delivery.SENT
    }


def test_send_again_works_for_a_stuck_queued_message_and_never_for_one_being_sent(brand, agents, smtp_sink, tasks):
    from anliegen.core.services import case_updates
    from anliegen.core.services.cases import CaseError

    (message,) = _confirmations(1)
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    delivery.claim([message.pk], "a-live-sender")
    message.refresh_from_db()
    assert message.sending_now and not message.can_send_again
    with pytest.raises(CaseError):
        case_updates.retry(message)
    Message.objects.filter(pk=message.pk).update(delivery_lease_until=timezone.now() - timedelta(seconds=1))
    message.refresh_from_db()
    assert message.can_send_again  # its sender stopped; the desk shows "Send again"
    case_updates.retry(message)
    tasks()
    message.refresh_from_db()
    assert message.delivery == Message.Delivery.SENT and len(smtp_sink.messages) == 1
    assert not message.can_send_again
