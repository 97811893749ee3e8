"""Identity resolution: exact matches, linking, never a silent merge, clear refusals of bad identities."""

import pytest

from anliegen.core.models import Contact, Identity, MergeProposal
from anliegen.core.services import contacts
from tests.promises.factories import webform


def test_form_with_email_and_phone_links_both_to_one_contact(brand, agents):
    case = webform(brand, "jana@example.org", "Zähler", "Mein Zähler läuft rückwärts.", "s1", phone="040 1234567")
    kinds = sorted(case.contact.identities.values_list("kind", "value"))
    assert kinds == [("email", "jana@example.org"), ("phone", "+49401234567")]
    # The phone alone now finds the same person.
    assert contacts.resolve(brand, [("phone", "+49 40 1234567")]).contact == case.contact


def test_identities_of_two_contacts_give_a_proposal_not_a_merge(brand, agents):
    a = webform(brand, "jana@example.org", "Zähler", "Mein Zähler", "s1").contact
    b = webform(brand, "j.krueger@example.net", "Abschlag", "Abschlag zu hoch", "s2", phone="0170 5550101").contact
    result = contacts.resolve(brand, [("email", "jana@example.org"), ("phone", "0170 5550101")])
    assert result.contact == a and result.conflicts == [b.pk]
    assert Contact.objects.filter(merged_into__isnull=False).count() == 0
    assert Identity.objects.get(value="+491705550101").contact == b  # untouched
    proposal = MergeProposal.objects.get()
    assert (proposal.contact, proposal.other, proposal.state) == (a, b, "open")
    # The same conflict met again, in either order, proposes nothing new.
    contacts.resolve(brand, [("phone", "01705550101"), ("email", "jana@example.org")])
    assert MergeProposal.objects.count() == 1


def test_unknown_identity_kind_is_refused_clearly(brand, agents):
    contact = webform(brand, "jana@example.org", "Zähler", "Mein Zähler", "s1").contact
    with pytest.raises(contacts.ContactError, match="unknown identity kind 'fax'"):
        contacts.check_add_identity(contact, "fax", "040 123")
    with pytest.raises(ValueError, match="unknown identity kind 'fax'"):
        contacts.resolve(brand, [("fax", "040 123")])
    with pytest.raises(contacts.ContactError, match="not a valid phone"):
        contacts.check_add_identity(contact, "phone", "call me maybe")


def test_adding_someone_elses_identity_is_refused(brand, agents):
    a = webform(brand, "jana@example.org", "Zähler", "Mein Zähler", "s1").contact
    webform(brand, "otto@example.org", "Abschlag", "Abschlag", "s2", phone="0170 5550101")
    with pytest.raises(contacts.ContactError, match="merge the contacts instead"):
        contacts.check_add_identity(a, "phone", "+491705550101")
    added = contacts.check_add_identity(a, "x_handle", "@Jana_K")
    assert (added.value, added.verified) == ("jana_k", False)


def test_identities_are_unique_per_brand_not_across_brands(brand, agents, other_brand):
    a = contacts.resolve(brand, [("email", "jana@example.org")]).contact
    b = contacts.resolve(other_brand, [("email", "Jana@Example.org")]).contact
    assert a != b and a.brand != b.brand


def test_primary_chooses_from_prefetched_identities_as_the_query_does(brand, agents, django_assert_num_queries):
    from django.db.models import prefetch_related_objects

    contact = webform(brand, "jana@example.org", "Zähler", "Mein Zähler", "s1").contact
    Identity.objects.create(contact=contact, brand=brand, kind="email", value="alt@example.org", verified=True)
    Identity.objects.create(contact=contact, brand=brand, kind="email", value="x@example.org", undeliverable=True)
    Identity.objects.create(contact=contact, brand=brand, kind="phone", value="+49401234567", undeliverable=True)
    queried = {kind: contacts.primary(contact, kind) for kind in ("email", "phone", "whatsapp")}
    assert queried["email"].value == "alt@example.org" and queried["phone"] is None

    fresh = Contact.objects.get(pk=contact.pk)
    prefetch_related_objects([fresh], "identities")
    with django_assert_num_queries(0):
        assert {kind: contacts.primary(fresh, kind) for kind in ("email", "phone", "whatsapp")} == queried
