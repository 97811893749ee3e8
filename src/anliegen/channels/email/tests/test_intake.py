"""Mail through the whole pipeline: automatic mail, bounces, loops, the corpus of real-world messages."""

from __future__ import annotations

import pytest
from django.core import mail as django_mail

from anliegen.core.models import Case, Identity, Message, MessageKind
from anliegen.intake.models import InboundState

from .conftest import CORPUS, deliver, fixture, mail


def _confirmations() -> int:
    return Message.objects.filter(kind=MessageKind.CONFIRMATION).count()


def test_customer_mail_becomes_case_with_confirmation_to_sender(agents, tasks):
    inbound = deliver(fixture("plain__latin1_qp.eml"))
    assert inbound.state == InboundState.DONE, inbound.reason
    case = Case.objects.get()
    assert case.subject == "Stromzähler läuft rückwärts"
    assert case.contact.name == "Jürgen Müller"
    tasks()
    [sent] = django_mail.outbox
    assert sent.to == ["juergen.mueller@example.org"]
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"
    assert sent.extra_headers["In-Reply-To"] == "<20260504091158.4711@example.org>"


@pytest.mark.parametrize(
    "name", ["autoreply__x_autoreply.eml", "list__newsletter.eml", "report__postfix_bounce.eml", "bounce__qmail.eml"]
)
def test_automatic_mail_without_case_is_discarded_not_a_case(agents, name):
    raw = fixture(name).replace(b"{token}", b"aaaaaaaaaa").replace(b"{address}", b"x@example.org")
    inbound = deliver(raw.replace(b"{message_id}", b"nothing@example.org"))
    assert inbound.state == InboundState.DISCARDED
    assert inbound.stage == "thread" and "automatic" in inbound.reason
    assert Case.objects.count() == 0 and _confirmations() == 0


def _case_with_reply(agents, tasks) -> tuple[Case, Message]:
    from anliegen.core.services.cases import do_reply

    deliver(mail(sender="Clara Gross <clara.gross@firma.example>"))
    case = Case.objects.get()
    reply = do_reply(case, agents["anna"], "Wir schicken einen Techniker.")
    tasks()
    reply.refresh_from_db()
    assert reply.delivery == Message.Delivery.SENT and reply.external_id
    return case, reply


@pytest.mark.parametrize("name", ["report__postfix_bounce.eml", "bounce__qmail.eml"])
def test_bounce_is_filed_on_its_case_and_marks_identity_undeliverable(agents, tasks, name):
    case, reply = _case_with_reply(agents, tasks)
    sent = len(django_mail.outbox)
    raw = fixture(name).replace(b"{address}", b"clara.gross@firma.example")
    if name.startswith("bounce__qmail"):
        raw = raw.replace(b"anna+{token}", b"anna")  # only the quoted Message-ID ties it to the case
    raw = raw.replace(b"{token}", case.reply_token.encode()).replace(b"{message_id}", reply.external_id.encode())
    inbound = deliver(raw, "anna@stadtwerk.example")
    assert inbound.state == InboundState.DONE, inbound.reason
    stored = Message.objects.get(inbound=inbound)
    assert (stored.case_id, stored.kind) == (case.pk, MessageKind.AUTOMATIC)
    assert Identity.objects.get(value="clara.gross@firma.example").undeliverable
    tasks()
    assert len(django_mail.outbox) == sent  # never acknowledged


def test_out_of_office_reply_lands_on_case_without_confirmation(agents, tasks):
    case, reply = _case_with_reply(agents, tasks)
    confirmations = _confirmations()
    raw = fixture("autoreply__exchange_ooo.eml").replace(b"{token}", case.reply_token.encode())
    inbound = deliver(
        raw.replace(b"{message_id}", reply.external_id.encode()), f"anna+{case.reply_token}@stadtwerk.example"
    )
    stored = Message.objects.get(inbound=inbound)
    assert (stored.case_id, stored.kind) == (case.pk, MessageKind.AUTOMATIC)
    assert _confirmations() == confirmations


def test_our_own_mail_coming_back_is_not_answered(agents, tasks):
    case, reply = _case_with_reply(agents, tasks)
    looped = django_mail.outbox[-1].message().as_bytes()  # our reply, delivered back to us
    confirmations = _confirmations()
    inbound = deliver(looped, f"anna+{case.reply_token}@stadtwerk.example")
    stored = Message.objects.get(inbound=inbound)
    assert (stored.case_id, stored.kind) == (case.pk, MessageKind.AUTOMATIC)
    assert "our own mail" in inbound.trace["detect_automatic"]
    assert _confirmations() == confirmations


def test_loop_limit_per_sender_stops_confirmations(agents):
    from anliegen.intake.stages.detect_automatic import LOOP_LIMIT

    for n in range(LOOP_LIMIT + 3):
        deliver(mail(subject=f"Ticket {n} created in robot system", sender="robot@crm.example"))
    inbounds = Message.objects.filter(address="robot@crm.example").order_by("id")
    assert inbounds.filter(kind=MessageKind.MESSAGE).count() == LOOP_LIMIT
    # Past the limit nothing new is opened and nothing is confirmed.
    assert Case.objects.count() == LOOP_LIMIT


def test_every_corpus_file_is_stored_and_processed_or_quarantined_with_reason(agents, tasks):
    files = sorted((CORPUS / "rt").iterdir())
    assert len(files) >= 20
    for path in files:
        inbound = deliver(path.read_bytes(), "service@stadtwerk.example")
        assert inbound.state in (InboundState.DONE, InboundState.DISCARDED, InboundState.QUARANTINED), path.name
        if inbound.state == InboundState.QUARANTINED:
            assert inbound.reason and inbound.stage, path.name
        if inbound.state == InboundState.DONE:
            assert Message.objects.filter(inbound=inbound).exists(), path.name
    report = [p for p in files if p.name == "multipart-report"][0]
    inbound = deliver(report.read_bytes())
    assert (
        inbound.state == InboundState.DISCARDED
        or not Message.objects.filter(kind=MessageKind.CONFIRMATION, case=inbound.case).exists()
    )
    tasks()
    bounced_to = {m.to[0] for m in django_mail.outbox}
    assert "mailer-daemon@other.example.com" not in bounced_to
