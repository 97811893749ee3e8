"""IMAP collection against a real, private Dovecot: store, then mark; never twice; survive disconnects."""

from __future__ import annotations

import threading
import time

import pytest
from imapclient import IMAPClient

from anliegen.channels.email.fetch import Poller
from anliegen.channels.email.models import Mailbox
from anliegen.core.models import Case, Message
from anliegen.intake.models import Inbound

from .conftest import mail


def _imap(dovecot: dict) -> IMAPClient:
    client = IMAPClient(dovecot["host"], port=dovecot["port"], ssl=False, timeout=10)
    client.login(dovecot["user"], dovecot["password"])
    return client


def _append(dovecot: dict, *raws: bytes) -> None:
    with _imap(dovecot) as client:
        for raw in raws:
            client.append("INBOX", raw)


@pytest.fixture
def mailbox(dovecot, brand, agents) -> Mailbox:
    return Mailbox.objects.create(
        brand=brand, host=dovecot["host"], port=dovecot["port"], ssl=False, username="service", password="secret"
    )


def _flags(dovecot: dict) -> list[tuple]:
    with _imap(dovecot) as client:
        client.select_folder("INBOX")
        return [tuple(v[b"FLAGS"]) for _, v in sorted(client.fetch(client.search(["ALL"]), ["FLAGS"]).items())]


def test_fetch_stores_then_marks_seen_and_never_imports_twice(dovecot, mailbox):
    _append(
        dovecot,
        mail(message_id="<imap-1@example.org>"),
        mail(subject="Zweites Thema", message_id="<imap-2@example.org>"),
    )
    poller = Poller(mailbox)
    assert poller.run_once() == 2
    assert set(Inbound.objects.values_list("external_id", flat=True)) == {"imap-1@example.org", "imap-2@example.org"}
    assert all(b"\\Seen" in flags for flags in _flags(dovecot))
    inbound = Inbound.objects.get(external_id="imap-1@example.org")
    assert inbound.meta["imap"]["uid"] == 1 and inbound.brand_id == mailbox.brand_id
    assert poller.run_once() == 0  # nothing new above the last UID
    # A crash before the UID was remembered: fetched again, recognised by Message-ID.
    Mailbox.objects.filter(pk=mailbox.pk).update(last_uid=0)
    mailbox.refresh_from_db()
    assert Poller(mailbox).run_once() == 0
    assert Message.objects.filter(external_id="imap-1@example.org").count() == 1
    assert Case.objects.count() == 2
    poller.close()


def test_nothing_is_marked_when_storing_fails(dovecot, mailbox, monkeypatch):
    from django.db import OperationalError

    from anliegen.channels.email import inbound

    _append(dovecot, mail(message_id="<imap-fail@example.org>"))

    def broken(items):  # noqa: ANN001, ANN202
        raise OperationalError("database is locked")

    monkeypatch.setattr(inbound, "accept_many", broken)  # the one door every mail listener stores through
    with pytest.raises(OperationalError):
        Poller(mailbox).run_once()
    assert all(b"\\Seen" not in flags for flags in _flags(dovecot))
    monkeypatch.undo()
    assert Poller(mailbox).run_once() == 1


def test_move_after_storing(dovecot, mailbox):
    with _imap(dovecot) as client:
        client.create_folder("Stored")
    Mailbox.objects.filter(pk=mailbox.pk).update(after=Mailbox.After.MOVE, move_to="Stored")
    mailbox.refresh_from_db()
    _append(dovecot, mail(message_id="<imap-move@example.org>"))
    assert Poller(mailbox).run_once() == 1
    with _imap(dovecot) as client:
        assert client.select_folder("INBOX")[b"EXISTS"] == 0
        assert client.select_folder("Stored")[b"EXISTS"] == 1


@pytest.mark.django_db(transaction=True)
def test_idle_picks_up_new_mail_and_survives_a_disconnect(dovecot, mailbox):
    stop = threading.Event()
    poller = Poller(mailbox)
    thread = threading.Thread(target=poller.run_forever, args=(stop,), daemon=True)
    thread.start()
    try:
        _wait(lambda: poller.client is not None)
        _append(dovecot, mail(message_id="<idle-1@example.org>"))
        _wait(lambda: Inbound.objects.filter(external_id="idle-1@example.org").exists(), seconds=45)
        # The server drops the connection under the poller's feet.
        poller.client._imap.sock.shutdown(2)
        _append(dovecot, mail(subject="Nach der Trennung", message_id="<idle-2@example.org>"))
        _wait(lambda: Inbound.objects.filter(external_id="idle-2@example.org").exists(), seconds=60)
    finally:
        stop.set()
        thread.join(30)
    assert Message.objects.filter(external_id__startswith="idle-").count() == 2


# Generous bounds: CI shares two cores with the whole suite; the IDLE wake-up itself takes well under a second.
def _wait(condition, seconds: float = 30) -> None:  # noqa: ANN001
    from django.db import OperationalError

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OperationalError as exc:
            # SQLite's shared in-memory test database locks a table while the poller thread's transaction
            # writes it, and a reader gets "table is locked" at once instead of waiting: look again.
            if "locked" not in str(exc):
                raise
        time.sleep(0.1)
    raise AssertionError("condition not met in time")
