"""Outgoing mail: thread headers, names, reply address, parts; an SMTP outage delays but never loses or doubles."""

from __future__ import annotations

from email import message_from_bytes, policy

from django.core.files.base import ContentFile
from django.utils import timezone

from anliegen.channels.email.outbound import build
from anliegen.core.models import Attachment, Case, Message, MessageKind
from anliegen.core.services.cases import do_reply
from anliegen.core.services.outbound import deliver

from .conftest import deliver as deliver_mail
from .conftest import mail


def _case() -> Case:
    deliver_mail(mail(message_id="<cust-1@example.org>"))
    return Case.objects.get()


def test_reply_headers_parts_and_attachments(agents, tasks):
    case = _case()
    reply = do_reply(case, agents["ben"], "Guten Tag, anbei das Formular.", html="<p>Guten Tag</p>")
    Attachment.objects.create(
        message=reply,
        filename="Formular.pdf",
        content_type="application/pdf",
        size=4,
        file=ContentFile(b"%PDF", name="Formular.pdf"),
    )
    email = build(reply).message()
    parsed = message_from_bytes(email.as_bytes(), policy=policy.default)
    token = case.reply_token
    assert parsed["Message-ID"] == f"<{reply.external_id}>" and reply.external_id.startswith(token)
    assert parsed["In-Reply-To"] == "<cust-1@example.org>"
    assert "<cust-1@example.org>" in parsed["References"]
    # Ben answers a case Anna owns: the customer sees both names and answers Anna's direct address.
    assert "Ben Wagner" in parsed["From"] and "Anna Schmidt" in parsed["From"]
    assert f"anna+{token}@stadtwerk.example" in parsed["Reply-To"]
    assert parsed["Auto-Submitted"] is None  # a person's answer
    assert f"[Ref {token}]" in parsed["Subject"]
    types = [p.get_content_type() for p in parsed.walk()]
    assert {"text/plain", "text/html", "application/pdf"} <= set(types)


def test_confirmation_is_marked_auto_replied(agents):
    _case()
    confirmation = Message.objects.get(kind=MessageKind.CONFIRMATION)
    parsed = build(confirmation).message()
    assert parsed["Auto-Submitted"] == "auto-replied"


def test_smtp_outage_delays_but_never_loses_or_doubles_a_reply(agents, tasks, smtp_sink):
    from django_tasks_db.models import DBTaskResult

    case = _case()
    smtp_sink.fail = smtp_sink.attempts + 2  # the server answers 451 to the next two attempts
    tasks()  # the confirmation: first attempt fails
    reply = do_reply(case, agents["anna"], "Der Techniker kommt morgen.")
    tasks()  # the reply: first attempt fails too
    reply.refresh_from_db()
    assert reply.delivery == Message.Delivery.QUEUED and reply.delivery_attempts == 1
    assert "451" in reply.delivery_error
    assert smtp_sink.messages == []
    # The retries are due later; let the clock pass.
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    tasks()
    reply.refresh_from_db()
    assert reply.delivery == Message.Delivery.SENT and reply.delivery_error == ""
    assert reply.delivery_attempts == 2
    bodies = [raw for _, _, raw in smtp_sink.messages]
    assert sum(b"Der Techniker kommt morgen." in raw for raw in bodies) == 1
    # A duplicate task run (a worker crash after sending) sends nothing again.
    assert deliver.call(reply.pk) == "nothing to do"
    assert len(smtp_sink.messages) == 2  # the confirmation and the reply, once each


def test_a_batch_goes_out_over_one_connection_and_a_refused_mail_is_retried_alone(brand, agents, smtp_sink):
    from anliegen.core.services.outbound import deliver_batch

    for n in range(5):
        deliver_mail(
            mail(subject=f"Zählerwechsel {n}", message_id=f"<batch-{n}@example.org>", sender=f"k{n}@example.org")
        )
    confirmations = list(Message.objects.filter(kind=MessageKind.CONFIRMATION).order_by("id"))
    assert len(confirmations) == 5 and not smtp_sink.messages  # queued, not sent yet (no task worker ran)
    smtp_sink.fail = 1  # the server answers 451 to the first mail of the session
    outcome = deliver_batch.call([m.pk for m in confirmations])
    assert outcome == "retry=1 sent=4"
    assert len(smtp_sink.messages) == 4 and len(smtp_sink.peers) <= 2  # one session, a fresh one after the 451
    first = Message.objects.get(pk=confirmations[0].pk)
    assert first.delivery == Message.Delivery.QUEUED and "451" in first.delivery_error
    sent = Message.objects.filter(pk__in=[m.pk for m in confirmations[1:]])
    assert {m.delivery for m in sent} == {Message.Delivery.SENT}
    # Each sent mail carries its own stored Message-ID, and a second run sends nothing twice.
    ids = {message_from_bytes(raw, policy=policy.default)["Message-ID"] for _f, _t, raw in smtp_sink.messages}
    assert ids == {f"<{m.external_id}>" for m in sent}
    assert deliver_batch.call([m.pk for m in confirmations[1:]]) == "nothing to do=4"
