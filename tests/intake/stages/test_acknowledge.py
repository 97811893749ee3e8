"""acknowledge: a confirmation naming the owner on the sender's channel; none for automatic or agents' mail."""

from django.core import mail

from anliegen.intake.accept import accept

from ..conftest import form_raw


def test_new_case_is_confirmed_by_mail_naming_owner_address_extension_and_due(brand, agents, tasks):
    accept("webform", "a1", form_raw(), {"submission": "a1"}, brand_id=brand.pk)
    tasks()
    (sent,) = mail.outbox
    from anliegen.core.models import Case

    case = Case.objects.get()
    owner = case.owner
    assert owner.name in sent.body
    assert owner.reply_address(brand, case.reply_token) in sent.body
    assert owner.extension in sent.body
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"
    assert sent.to == ["jana@example.org"]
    assert "/c/" in sent.body  # the signed case link


def test_confirmation_follows_the_case_language(brand, agents, tasks):
    accept(
        "webform",
        "a2",
        form_raw(text="Hello, my invoice is wrong, please help me with this.", subject="Invoice", language="en"),
        {"submission": "a2"},
        brand_id=brand.pk,
    )
    tasks()
    assert "looking after your request" in mail.outbox[0].body


def test_follow_ups_within_quiet_period_are_not_confirmed_again(brand, agents, tasks):
    from tests.promises.factories import email

    accept("webform", "f1", form_raw(subject="Zählerstand melden"), {"submission": "f1"}, brand_id=brand.pk)
    # A mail from the same address on the same topic joins the case (a second form post would not: the form
    # proves no address) and, minutes after the first confirmation, gets none of its own.
    email(brand, "jana@example.org", "Zählerstand melden", "Nachtrag")
    tasks()
    assert len(mail.outbox) == 1


def test_a_form_without_e_mail_gets_no_mail(brand, agents, tasks):
    import json

    raw = json.dumps({"name": "Otto", "phone": "040 555 1234", "subject": "Rückruf", "text": "Bitte rufen Sie an"})
    accept("webform", "p1", raw.encode(), {"submission": "p1"}, brand_id=brand.pk)
    tasks()
    assert mail.outbox == []


def test_someone_else_writing_into_the_thread_gets_no_case_link(brand, agents, tasks):
    from anliegen.core.models import Case
    from anliegen.intake.accept import accept as store

    store("webform", "o1", form_raw(), {"submission": "o1"}, brand_id=brand.pk)
    case = Case.objects.get()
    raw = (
        f"From: Nachbar <nachbar@example.net>\r\nTo: anna+{case.reply_token}@stadtwerk.example\r\n"
        "Subject: Re: Fernseher\r\nMessage-ID: <n1@example.net>\r\n\r\nBei mir auch schwarz.\r\n"
    ).encode()
    store("email", "n1@example.net", raw, {"rcpt_tos": [f"anna+{case.reply_token}@stadtwerk.example"]})
    tasks()
    to_customer, to_neighbour = mail.outbox
    assert to_customer.to == ["jana@example.org"] and "/c/" in to_customer.body
    assert to_neighbour.to == ["nachbar@example.net"]
    assert "/c/" not in to_neighbour.body and case.owner.name in to_neighbour.body
    assert Case.objects.count() == 1
