"""The SMTP/LMTP listener end to end: real sockets, real SMTP clients, real sink for our confirmations."""

from __future__ import annotations

import smtplib
import threading

import pytest
from django.db import OperationalError

from anliegen.channels.email import smtpd
from anliegen.core.models import Case, Message, MessageKind
from anliegen.intake.models import Inbound

from .conftest import mail

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server(agents):
    running = smtpd.start("127.0.0.1", 0)
    try:
        yield running
    finally:
        running.stop()


def _send(server, raw: bytes, to: str = "service@stadtwerk.example", sender: str = "jana@example.org") -> dict:
    with smtplib.SMTP(server.host, server.port, timeout=10) as client:
        return client.sendmail(sender, [to], raw)


def test_mail_is_stored_before_250_and_confirmed_through_real_smtp(server, smtp_sink, tasks):
    _send(server, mail(message_id="<first@example.org>"))
    case = Case.objects.get()
    inbound = Inbound.objects.get(external_id="first@example.org")
    assert inbound.meta["rcpt_tos"] == ["service@stadtwerk.example"]
    assert inbound.meta["mail_from"] == "jana@example.org" and inbound.meta["sender"] == "jana@example.org"
    assert inbound.meta["peer"] == "127.0.0.1"
    tasks()
    [(envelope_from, rcpts, raw)] = smtp_sink.messages
    assert rcpts == ["jana@example.org"]
    assert b"Auto-Submitted: auto-replied" in raw and b"In-Reply-To: <first@example.org>" in raw
    confirmation = Message.objects.get(kind=MessageKind.CONFIRMATION)
    assert confirmation.delivery == Message.Delivery.SENT

    # The customer answers the confirmation: same case, no new one.
    _send(
        server,
        mail(
            subject="Re: Stromzähler",
            message_id="<second@example.org>",
            headers={"In-Reply-To": f"<{confirmation.external_id}>"},
        ),
    )
    assert Case.objects.count() == 1
    assert Message.objects.get(external_id="second@example.org").case_id == case.pk

    # The same message delivered again (a retrying MTA): still one Message.
    _send(server, mail(message_id="<first@example.org>"))
    assert Message.objects.filter(external_id="first@example.org").count() == 1


def test_unknown_domain_is_refused_at_rcpt(server):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        _send(server, mail(), to="someone@elsewhere.example")
    code, _ = refused.value.recipients["someone@elsewhere.example"]
    assert code == 550
    assert Inbound.objects.count() == 0


def test_oversize_message_is_refused_with_552(server, settings):
    settings.MAIL_MAX_BYTES = 2000
    with pytest.raises(smtplib.SMTPDataError) as refused:
        _send(server, mail(body="Zeile mit Text\n" * 400))
    assert refused.value.smtp_code == 552
    assert Inbound.objects.count() == 0


def test_database_trouble_answers_451_so_the_sender_retries(server, monkeypatch):
    def broken(items):  # noqa: ANN001, ANN202
        raise OperationalError("database is locked")

    monkeypatch.setattr(smtpd, "store_items", broken)
    with pytest.raises(smtplib.SMTPDataError) as refused:
        _send(server, mail())
    assert refused.value.smtp_code == 451
    monkeypatch.undo()
    _send(server, mail(message_id="<later@example.org>"))
    assert Inbound.objects.filter(external_id="later@example.org").exists()


def test_concurrent_sessions_share_one_commit(server, monkeypatch):
    calls: list[int] = []
    original = smtpd.store_items
    gate = threading.Event()

    def slow_store(items):  # noqa: ANN001, ANN202
        calls.append(len(items))
        gate.wait(2)  # the first commit is slow: the other sessions queue up meanwhile
        return original(items)

    monkeypatch.setattr(smtpd, "store_items", slow_store)
    errors: list[Exception] = []

    def one(n: int) -> None:
        try:
            _send(server, mail(message_id=f"<group-{n}@example.org>", sender=f"kunde{n} <kunde{n}@example.org>"))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    threading.Timer(0.5, gate.set).start()
    for t in threads:
        t.join(20)
    assert not errors
    assert sum(calls) == 8 and len(calls) < 8  # fewer transactions than messages
    assert Inbound.objects.filter(external_id__startswith="group-").count() == 8


def _lmtp_session(host: str, port: int, rcpts: list[str], raw: bytes) -> list[bytes]:
    """Speak LMTP by hand: Python's smtplib.LMTP reads only one reply after DATA (RFC 2033 wants one each)."""
    import socket

    with socket.create_connection((host, port), 10) as sock:
        reader = sock.makefile("rb")

        def reply() -> bytes:
            while (line := reader.readline())[3:4] == b"-":
                pass
            return line

        reply()
        for command in [b"LHLO test", b"MAIL FROM:<jana@example.org>", *[f"RCPT TO:<{r}>".encode() for r in rcpts]]:
            sock.sendall(command + b"\r\n")
            assert reply().startswith(b"250"), command
        sock.sendall(b"DATA\r\n")
        assert reply().startswith(b"354")
        sock.sendall(raw + b".\r\n")
        answers = [reply() for _ in rcpts]
        sock.sendall(b"QUIT\r\n")
        assert reply().startswith(b"221")
        return answers


def test_lmtp_answers_once_per_recipient(agents, other_brand):
    running = smtpd.start("127.0.0.1", 0, lmtp=True)
    try:
        answers = _lmtp_session(
            running.host, running.port, ["service@stadtwerk.example", "service@kabelnet.example"], mail()
        )
    finally:
        running.stop()
    assert [a[:3] for a in answers] == [b"250", b"250"]
    # One mail to two brands: two concerns, one in each brand, never shared.
    assert sorted(Case.objects.values_list("brand__slug", flat=True)) == ["kabelnet", "stadtwerk"]
