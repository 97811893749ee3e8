"""Merge and split of contacts and cases: audited, nothing lost, brands never mixed."""

from datetime import timedelta

import pytest
from django.utils import timezone

from anliegen.core.models import Case, CaseEvent, Contact, MergeProposal, Message
from anliegen.core.services import contacts, merge
from anliegen.core.services.merge import MergeError
from anliegen.promises.models import Promise
from tests.promises.factories import email, webform


def test_merge_contacts_moves_identities_and_cases_and_keeps_the_trail(brand, agents):
    a = webform(brand, "jana@example.org", "Zähler", "Mein Zähler", "s1", name="Jana Krüger")
    b = webform(brand, "j.krueger@example.net", "Abschlag", "Abschlag zu hoch", "s2", phone="0170 5550101")
    contacts.resolve(brand, [("email", "jana@example.org"), ("phone", "01705550101")])
    proposal = MergeProposal.objects.get()
    merge.check_merge_contacts(proposal.contact, proposal.other, agents["ben"])
    source = Contact.objects.get(pk=b.contact_id)
    assert source.merged_into_id == a.contact_id and source.identities.count() == 0
    assert sorted(a.contact.identities.values_list("value", flat=True)) == [
        "+491705550101",
        "j.krueger@example.net",
        "jana@example.org",
    ]
    assert set(Case.objects.values_list("contact_id", flat=True)) == {a.contact_id}
    assert Message.objects.filter(case=b).count() == 2  # the conversation is intact
    proposal.refresh_from_db()
    assert proposal.state == "merged" and proposal.decided_by == agents["ben"]
    event = CaseEvent.objects.get(case=b, kind="contact")
    assert event.actor == agents["ben"] and event.data["from_contact"] == b.contact_id
    # The next message from the merged-away address finds the surviving contact.
    assert contacts.resolve(brand, [("email", "j.krueger@example.net")]).contact.pk == a.contact_id


def test_merging_contacts_of_different_brands_is_refused(brand, agents, other_brand):
    a = webform(brand, "jana@example.org", "Zähler", "Mein Zähler", "s1").contact
    b = webform(other_brand, "jana@example.org", "Fernseher", "Fernseher schwarz", "s2").contact
    with pytest.raises(MergeError, match="different brands"):
        merge.check_merge_contacts(a, b, agents["claire"])
    assert Contact.objects.filter(merged_into__isnull=False).count() == 0


def test_merge_refused_for_agent_of_another_brand_and_for_self(brand, agents, other_brand):
    a = webform(brand, "jana@example.org", "Zähler", "Mein Zähler", "s1").contact
    b = webform(brand, "otto@example.org", "Abschlag", "Abschlag", "s2").contact
    dora = other_brand.agents.get()
    with pytest.raises(MergeError, match="do not work for this brand"):
        merge.check_merge_contacts(a, b, dora)
    with pytest.raises(MergeError, match="itself"):
        merge.check_merge_contacts(a, a, agents["anna"])


def test_split_contact_moves_chosen_identities_and_cases(brand, agents):
    case = webform(brand, "family@example.org", "Zähler", "Zähler Wohnung 1", "s1", phone="0170 5550101")
    other = email(brand, "family@example.org", "Umzug", "Wir ziehen um")
    phone = case.contact.identities.get(kind="phone")
    with pytest.raises(MergeError, match="at least one identity"):
        merge.check_split_contact(
            case.contact, list(case.contact.identities.values_list("pk", flat=True)), [], agents["anna"]
        )
    new = merge.check_split_contact(case.contact, [phone.pk], [other.pk], agents["anna"])
    assert list(new.identities.values_list("value", flat=True)) == ["+491705550101"]
    assert Case.objects.get(pk=other.pk).contact == new
    assert Case.objects.get(pk=case.pk).contact_id == case.contact_id
    assert CaseEvent.objects.filter(case=other, kind="split").exists()


def test_merge_cases_moves_messages_and_promises_and_follows_old_replies(brand, agents):
    first = webform(brand, "jana@example.org", "Zähler", "Mein Zähler", "s1")
    second = webform(brand, "jana@example.org", "Abschlag", "Abschlag zu hoch", "s2")
    assert first.pk != second.pk
    Promise.objects.create(
        case=second, brand=brand, owner=second.owner, kind="callback", due_at=timezone.now() + timedelta(days=1)
    )
    before = Message.objects.count()
    merge.check_merge_cases(first, second, agents["anna"])
    second.refresh_from_db()
    assert second.state == "closed" and second.merged_into == first
    assert Message.objects.count() == before and Message.objects.filter(case=second).count() == 0
    assert Promise.objects.get().case == first
    assert CaseEvent.objects.filter(case=first, kind="merged", actor=agents["anna"]).exists()
    # A reply to a mail of the merged case lands on the surviving one.
    reply = email(
        brand, "jana@example.org", "Re: Abschlag", "Noch eine Frage", to=f"anna+{second.reply_token}@stadtwerk.example"
    )
    assert reply.pk == first.pk


def test_merge_cases_of_different_contacts_is_refused(brand, agents):
    a = webform(brand, "jana@example.org", "Zähler", "Mein Zähler", "s1")
    b = webform(brand, "otto@example.org", "Zähler", "Mein Zähler", "s2")
    with pytest.raises(MergeError, match="merge the contacts first"):
        merge.check_merge_cases(a, b, agents["anna"])


def test_split_case_gives_a_new_case_with_the_same_owner(brand, agents):
    case = webform(brand, "jana@example.org", "Zähler", "Mein Zähler", "s1")
    later = email(brand, "jana@example.org", "Zähler", "Und übrigens: mein Abschlag ist zu hoch.")
    assert later.pk == case.pk
    moving = list(case.messages.filter(direction="in", channel="email").values_list("pk", flat=True))
    new = merge.check_split_case(case, moving, agents["anna"], subject="Abschlag")
    assert new.owner == case.owner and new.contact == case.contact and new.subject == "Abschlag"
    assert list(new.messages.values_list("pk", flat=True)) == moving
    assert CaseEvent.objects.filter(case=case, kind="split").exists()
    with pytest.raises(MergeError, match="at least one message"):
        merge.check_split_case(case, list(case.messages.values_list("pk", flat=True)), agents["anna"])
