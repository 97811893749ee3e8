"""thread: explicit links, reply tokens and headers join a case; different concerns never merge."""

import pytest

from anliegen.base.parsed import ParsedMessage
from anliegen.core.models import CaseState
from anliegen.intake.context import Discard, Quarantine
from anliegen.intake.stages.thread import thread

from ..conftest import form_raw


@pytest.fixture
def first_case(brand, agents):
    from anliegen.core.models import Case
    from anliegen.intake.accept import accept

    accept(
        "webform", "first", form_raw(subject="Gutschrift fehlt seit März"), {"submission": "first"}, brand_id=brand.pk
    )
    return Case.objects.get()


def msg(**fields):
    return ParsedMessage(identities=[("email", "jana@example.org")], **fields)


def test_reply_token_in_recipient_joins_the_case(make_ctx, first_case):
    ctx = make_ctx(
        msg(subject="anything", recipients=[f"anna+{first_case.reply_token}@stadtwerk.example"]),
        channel="email",
        contact=first_case.contact,
    )
    thread(ctx)
    assert ctx.case == first_case and not ctx.new_case
    assert ctx.trace["thread"] == "reply token in recipient"


def test_reply_headers_to_our_confirmation_join_the_case(make_ctx, first_case, tasks):
    tasks()
    confirmation = first_case.messages.get(kind="confirmation")
    assert confirmation.external_id
    ctx = make_ctx(
        msg(subject="Re: something", in_reply_to=[confirmation.external_id]), channel="email", contact=first_case.contact
    )
    thread(ctx)
    assert ctx.case == first_case and ctx.trace["thread"] == "reply headers"


def test_subject_tag_joins_the_case(make_ctx, first_case):
    ctx = make_ctx(msg(subject=f"AW: Ihre Anfrage [Ref {first_case.reply_token}]"), channel="email")
    thread(ctx)
    assert ctx.case == first_case


def test_same_contact_same_topic_joins_but_generic_subject_does_not(make_ctx, first_case):
    same = make_ctx(msg(subject="Re: Gutschrift fehlt seit März"), channel="email", contact=first_case.contact)
    thread(same)
    assert same.case == first_case
    generic = make_ctx(msg(subject="Re: Frage"), channel="email", contact=first_case.contact)
    thread(generic)
    assert generic.new_case and generic.case.pk is None


def test_the_form_joins_no_case_on_an_address_alone(make_ctx, first_case):
    """A form proves no address: the same contact and topic, even a reply token, open a case of its own."""
    ctx = make_ctx(
        msg(subject="Gutschrift fehlt seit März", recipients=[f"anna+{first_case.reply_token}@stadtwerk.example"]),
        contact=first_case.contact,
    )
    thread(ctx)
    assert ctx.new_case and "not joined" in ctx.trace["thread"]


def test_other_contact_same_subject_opens_a_new_case(make_ctx, first_case, brand):
    from anliegen.core.models import Contact

    stranger = Contact.objects.create(brand=brand, name="Other")
    ctx = make_ctx(msg(subject="Gutschrift fehlt seit März"), contact=stranger)
    thread(ctx)
    assert ctx.new_case


def test_closed_case_is_not_revived(make_ctx, first_case):
    first_case.state = CaseState.CLOSED
    first_case.save()
    ctx = make_ctx(
        msg(subject="x", recipients=[f"anna+{first_case.reply_token}@stadtwerk.example"]), contact=first_case.contact
    )
    thread(ctx)
    assert ctx.new_case


def test_automatic_mail_without_a_case_is_discarded(make_ctx, brand):
    ctx = make_ctx(msg(subject="Out of office"), automatic="Auto-Submitted: auto-replied")
    with pytest.raises(Discard):
        thread(ctx)


def test_agent_mail_without_a_case_is_quarantined(make_ctx, agents):
    ctx = make_ctx(msg(subject="hello"), agent_author=agents["anna"])
    with pytest.raises(Quarantine):
        thread(ctx)


def test_new_case_subject_drops_reply_prefixes(make_ctx, brand):
    from anliegen.core.models import Contact

    ctx = make_ctx(msg(subject="AW: WG: Zählerstand"), contact=Contact.objects.create(brand=brand))
    thread(ctx)
    assert ctx.case.subject == "Zählerstand"


@pytest.mark.parametrize("batch_order", ["older first", "newer first", "not read with a batch"])
def test_a_tie_between_same_topic_cases_goes_to_the_newer_case_whatever_order_they_come_in(
    make_ctx, first_case, brand, batch_order
):
    from anliegen.base import batch
    from anliegen.core.models import Case
    from anliegen.intake.accept import accept

    # The form proves no address, so the same concern sent again opens a case of its own beside the first.
    accept("webform", "again", form_raw(subject="Gutschrift fehlt seit März"), {"submission": "again"}, brand.pk)
    cases = list(Case.objects.filter(contact=first_case.contact).order_by("id"))
    assert len(cases) == 2
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(updated_at=first_case.updated_at)
    ctx = make_ctx(msg(subject="AW: Gutschrift fehlt seit März"), channel="email", contact=first_case.contact)
    with batch.scope() as scope:
        if batch_order != "not read with a batch":
            read = Case.objects.filter(contact=first_case.contact).select_related("owner", "contact")
            found = {c.pk: c for c in read}
            ids = sorted(found, reverse=batch_order == "newer first")
            scope.cases, scope.cases_of = found, {first_case.contact_id: ids}
        thread(ctx)
    assert ctx.case.pk == cases[1].pk and ctx.trace["thread"] == "same contact, same topic"
