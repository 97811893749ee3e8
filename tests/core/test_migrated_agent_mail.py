"""A migrated mailbox's agent replies are recorded on their case, never sent to the customer again."""

from django.core import mail

from anliegen.core.models import Case, Direction, Message
from anliegen.intake.accept import accept


def agent_mail(case: Case, mid: str) -> bytes:
    return (
        f"From: Anna Schmidt <anna@stadtwerk.example>\r\nTo: anna+{case.reply_token}@stadtwerk.example\r\n"
        f"Subject: Re: Fernseher\r\nMessage-ID: <{mid}>\r\n\r\nDer Techniker kommt morgen.\r\n"
    ).encode()


def test_migrated_agent_reply_is_history_not_a_new_send(brand, agents, tasks):
    accept(
        "webform",
        "m0",
        b'{"email": "jana@example.org", "subject": "Fernseher", "text": "schwarz"}',
        {"submission": "m0"},
        brand_id=brand.pk,
    )
    tasks()
    mail.outbox.clear()
    case = Case.objects.get()
    accept("email", "old@x", agent_mail(case, "old@x"), {"no_acknowledge": True})
    accept("email", "new@x", agent_mail(case, "new@x"), {})
    tasks()
    old, new = (Message.objects.get(external_id=i, direction=Direction.OUT) for i in ("old@x", "new@x"))
    assert old.case == new.case == case
    assert old.delivery == "" and new.delivery == "sent"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["jana@example.org"]
