"""store: writes the case, the message and attachments; reopens on a customer message; bounces mark identities."""

from anliegen.base.parsed import ParsedAttachment, ParsedMessage
from anliegen.core.models import Case, CaseState, Contact, Identity
from anliegen.intake.stages.store import store


def test_new_case_message_and_attachment_are_written(make_ctx, brand, agents):
    contact = Contact.objects.create(brand=brand)
    ctx = make_ctx(
        ParsedMessage(
            identities=[("email", "a@example.org")],
            subject="Zähler",
            text="Foto anbei",
            attachments=[ParsedAttachment("zaehler.jpg", "image/jpeg", b"\xff\xd8data")],
        ),
        contact=contact,
    )
    ctx.case = Case(brand=brand, contact=contact, owner=agents["anna"], subject="Zähler", preferred_channel="email")
    ctx.new_case = True
    store(ctx)
    case = Case.objects.get()
    assert case.answer_due_at is not None and case.events.filter(kind="created").exists()
    message = case.messages.get()
    assert message.direction == "in" and message.body_text == "Foto anbei"
    att = message.attachments.get()
    assert (att.filename, att.content_type, att.size) == ("zaehler.jpg", "image/jpeg", 6)
    assert att.file.read() == b"\xff\xd8data"


def test_customer_message_reopens_a_waiting_case(make_ctx, brand, agents):
    contact = Contact.objects.create(brand=brand)
    case = Case.objects.create(
        brand=brand,
        contact=contact,
        owner=agents["anna"],
        subject="x",
        preferred_channel="email",
        state=CaseState.WAITING,
    )
    ctx = make_ctx(ParsedMessage(identities=[("email", "a@example.org")], text="Noch da?"), contact=contact, case=case)
    store(ctx)
    case.refresh_from_db()
    assert case.state == CaseState.OPEN and ctx.reopened and case.last_customer_at is not None


def test_automatic_mail_is_filed_without_reopening_and_leaves_the_bounce_to_detect_automatic(make_ctx, brand, agents):
    contact = Contact.objects.create(brand=brand)
    Identity.objects.create(contact=contact, brand=brand, kind="email", value="gone@example.org")
    case = Case.objects.create(
        brand=brand,
        contact=contact,
        owner=agents["anna"],
        subject="x",
        preferred_channel="email",
        state=CaseState.WAITING,
    )
    ctx = make_ctx(
        ParsedMessage(
            identities=[("email", "mailer-daemon@example.org")], text="failed", bounced_addresses=["gone@example.org"]
        ),
        contact=contact,
        case=case,
        automatic="delivery report",
    )
    store(ctx)
    case.refresh_from_db()
    assert case.state == CaseState.WAITING
    assert case.messages.get().kind == "automatic"
    assert not Identity.objects.get(value="gone@example.org").undeliverable  # marked once, by detect_automatic
