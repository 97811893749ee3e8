"""Duplicates are keyed on Message-ID and content: the same mail twice is one Inbound, another mail that reuses
a Message-ID is stored, processed and flagged. Every door: import, smtpd, LMTP, mailgate, IMAP."""

from __future__ import annotations

import io
import json
import smtplib

import pytest
from django.core.management import call_command

from anliegen.channels.email import smtpd
from anliegen.channels.email.inbound import content_digest
from anliegen.channels.email.management.commands import mailgate
from anliegen.core.models import Message
from anliegen.intake.accept import REUSED
from anliegen.intake.models import Inbound

from .conftest import CORPUS, deliver, mail

FIRST = mail(message_id="<same@example.org>")
OTHER = mail(subject="Ganz anderes Thema", body="Bitte Abschlag anpassen.", message_id="<same@example.org>")


def _reused() -> list[bool]:
    return [bool(m.get(REUSED)) for m in Inbound.objects.order_by("id").values_list("meta", flat=True)]


@pytest.mark.nodb
def test_the_digest_ignores_what_each_hop_adds():
    relayed = b"Received: from mx2.example.org by mx.stadtwerk.example;\r\n\tMon, 4 May 2026 10:01:00 +0200\r\n"
    relayed += b"Return-Path: <jana@example.org>\r\nDelivered-To: service@stadtwerk.example\r\n" + FIRST
    assert content_digest(relayed) == content_digest(FIRST) == content_digest(FIRST.replace(b"\r\n", b"\n"))
    assert content_digest(OTHER) != content_digest(FIRST)


def test_store_same_bytes_once_other_content_under_the_same_id_processed_and_flagged(agents):
    first = deliver(FIRST)
    assert deliver(FIRST).pk == first.pk
    other = deliver(OTHER)
    assert other.pk != first.pk and other.external_id == first.external_id == "same@example.org"
    assert other.state == first.state == "done"
    assert deliver(OTHER).pk == other.pk
    assert _reused() == [False, True]
    assert Message.objects.filter(external_id="same@example.org").count() == 2


def test_desk_timeline_flags_the_reused_message_id(agents, client):
    from anliegen.core.models import Agent

    deliver(FIRST)
    other = deliver(OTHER)
    client.force_login(Agent.objects.get(user__username="anna").user)
    page = client.get(f"/desk/cases/{other.case_id}/").content.decode()
    # Only the later mail carries the flag (both may be on one case: same sender, same days).
    assert page.count(">reused Message-ID<") == 1
    flagged = page.index(">reused Message-ID<")
    assert page.rindex('id="message-', 0, flagged) == page.index(f'id="message-{other.messages.get().pk}"')


def test_import_keeps_both_rt_mails_that_share_a_message_id(agents):
    folder = CORPUS / "rt"
    names = ["email-file-attachment.eml", "email-file-attachment-2.eml", "text-html-with-umlaut",
             "multipart-alternative-with-umlaut"]  # fmt: skip
    paths = [str(folder / n) for n in names]
    out = io.StringIO()
    call_command("import", *paths, "--brand", "stadtwerk", "--json", stdout=out)
    summary = json.loads(out.getvalue())
    assert summary["found"] == 4 and summary["imported"] == 4 and summary["duplicates_skipped"] == 0
    assert sorted(_reused()) == [False, False, True, True]
    again = io.StringIO()
    call_command("import", *paths, "--brand", "stadtwerk", "--json", stdout=again)
    assert json.loads(again.getvalue())["duplicates_skipped"] == 4
    assert Inbound.objects.count() == 4 and Message.objects.filter(direction="in").count() == 4


def test_mailgate_stores_a_reused_message_id(agents):
    for raw in (FIRST, OTHER, OTHER):
        assert mailgate.deliver(raw, ["service@stadtwerk.example"], "", "", io.StringIO()) == 0
    assert Inbound.objects.count() == 2 and _reused() == [False, True]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lmtp", [False, True], ids=["smtp", "lmtp"])
def test_smtpd_and_lmtp_store_a_reused_message_id(agents, lmtp):
    server = smtpd.start("127.0.0.1", 0, lmtp=lmtp)
    try:
        for raw in (FIRST, FIRST, OTHER):
            client = smtplib.LMTP(server.host, server.port) if lmtp else smtplib.SMTP(server.host, server.port)
            with client:
                client.sendmail("jana@example.org", ["service@stadtwerk.example"], raw)
    finally:
        server.stop()
    assert Inbound.objects.count() == 2 and _reused() == [False, True]
    assert Message.objects.filter(external_id="same@example.org").count() == 2


def test_imap_refetch_is_one_inbound_and_a_reused_id_is_stored(dovecot, brand, agents):
    from imapclient import IMAPClient

    from anliegen.channels.email.fetch import Poller
    from anliegen.channels.email.models import Mailbox

    with IMAPClient(dovecot["host"], port=dovecot["port"], ssl=False, timeout=10) as imap:
        imap.login(dovecot["user"], dovecot["password"])
        imap.append("INBOX", FIRST)
        imap.append("INBOX", OTHER)
    box = Mailbox.objects.create(
        brand=brand, host=dovecot["host"], port=dovecot["port"], ssl=False, username="service", password="secret"
    )
    assert Poller(box).run_once() == 2
    Mailbox.objects.filter(pk=box.pk).update(last_uid=0)  # fetched again from the start: nothing new
    box.refresh_from_db()
    assert Poller(box).run_once() == 0
    assert Inbound.objects.count() == 2 and _reused() == [False, True]
