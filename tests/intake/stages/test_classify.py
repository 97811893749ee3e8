"""classify: language of the case, urgency, personal data in public posts."""

from anliegen.base.parsed import ParsedMessage
from anliegen.core.models import Case
from anliegen.intake.stages.classify import classify


def new_ctx(make_ctx, brand, text, public=False, subject=""):
    from anliegen.core.models import Contact

    ctx = make_ctx(ParsedMessage(identities=[("email", "x@example.org")], subject=subject, text=text, public=public))
    ctx.contact = Contact.objects.create(brand=brand)
    ctx.case = Case(brand=brand, language=brand.default_language)
    ctx.new_case = True
    return ctx


def test_english_text_makes_an_english_case(make_ctx, brand):
    ctx = new_ctx(make_ctx, brand, "Hello, my invoice is wrong and I would like a refund, thank you.")
    classify(ctx)
    assert ctx.case.language == "en" and ctx.contact.language == "en"


def test_german_text_makes_a_german_case(make_ctx, brand):
    ctx = new_ctx(make_ctx, brand, "Guten Tag, seit gestern habe ich kein Internet. Vielen Dank für Ihre Hilfe.")
    classify(ctx)
    assert ctx.case.language == "de"


def test_urgency_and_personal_data_in_public_posts_are_flagged(make_ctx, brand):
    ctx = new_ctx(
        make_ctx, brand, "Dringend! Meine IBAN DE89 3704 0044 0532 0130 00 wurde falsch belastet", public=True
    )
    classify(ctx)
    assert "urgent" in ctx.flags and "personal_data" in ctx.flags


def test_personal_data_in_a_private_message_is_not_a_flag(make_ctx, brand):
    ctx = new_ctx(make_ctx, brand, "Meine Kundennummer ist 12345")
    classify(ctx)
    assert "personal_data" not in ctx.flags
