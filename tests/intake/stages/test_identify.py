"""identify: exact identity match, new contacts, linking a form's e-mail and phone, no silent merges."""

import pytest

from anliegen.base.parsed import ParsedMessage
from anliegen.core.models import Contact, Identity
from anliegen.intake.context import Quarantine
from anliegen.intake.stages.identify import identify


def test_new_sender_becomes_a_contact_with_normalised_identities(make_ctx):
    ctx = make_ctx(
        ParsedMessage(sender_name="Jana", identities=[("email", "Jana@Example.ORG"), ("phone", "040 1234567")])
    )
    identify(ctx)
    assert ctx.contact.name == "Jana"
    assert set(ctx.contact.identities.values_list("kind", "value")) == {
        ("email", "jana@example.org"),
        ("phone", "+49401234567"),
    }


def test_known_identity_finds_the_same_contact_and_links_the_new_one(make_ctx):
    first = make_ctx(ParsedMessage(identities=[("email", "jana@example.org")]))
    identify(first)
    second = make_ctx(ParsedMessage(identities=[("email", "jana@example.org"), ("phone", "+49 40 1234567")]))
    identify(second)
    assert second.contact == first.contact
    assert Identity.objects.filter(contact=first.contact).count() == 2


def test_a_new_address_beside_a_known_phone_gets_a_contact_of_its_own(make_ctx):
    """Whoever types a stranger's phone number beside their own address never receives her mail."""
    first = make_ctx(ParsedMessage(identities=[("phone", "+49 40 1234567")]))
    identify(first)
    second = make_ctx(ParsedMessage(identities=[("email", "someone@example.net"), ("phone", "+49 40 1234567")]))
    identify(second)
    assert second.contact != first.contact
    assert not Identity.objects.filter(contact=first.contact, kind="email").exists()
    assert "merge" in second.trace["identify"]


def test_identities_of_two_contacts_are_not_merged_silently(make_ctx):
    a = make_ctx(ParsedMessage(identities=[("email", "a@example.org")]))
    identify(a)
    b = make_ctx(ParsedMessage(identities=[("phone", "+4940999999")]))
    identify(b)
    both = make_ctx(ParsedMessage(identities=[("email", "a@example.org"), ("phone", "+4940999999")]))
    identify(both)
    assert both.contact == a.contact
    assert Contact.objects.count() == 2
    assert "merge" in both.trace["identify"]
    assert Identity.objects.get(value="+4940999999").contact == b.contact


def test_no_usable_identity_is_quarantined(make_ctx):
    with pytest.raises(Quarantine):
        identify(make_ctx(ParsedMessage(identities=[])))


def test_agent_author_needs_no_contact(make_ctx, agents):
    ctx = make_ctx(agent_author=agents["anna"])
    identify(ctx)
    assert ctx.contact is None
