"""The owner stays the owner; while on leave the deputy answers "for" them and customers are told."""

import pytest
from django.core import mail

from anliegen.core.models import Case
from anliegen.core.services import authority, cases
from anliegen.routing import absence
from tests.promises.factories import email, webform


@pytest.fixture
def case(brand, agents, tasks):
    case = webform(brand, "jana@example.org", "Zähler", "Mein Zähler läuft rückwärts.", "s1", name="Jana Krüger")
    assert case.owner == agents["anna"]
    tasks()
    mail.outbox = []
    return case


def test_leave_needs_a_deputy(case, agents):
    with pytest.raises(absence.AbsenceError, match="name a deputy"):
        absence.do_set_leave(agents["anna"], True)


def test_deputy_answers_for_the_owner_and_the_customer_is_told(case, agents, tasks):
    anna, ben = agents["anna"], agents["ben"]
    anna.deputy = ben
    anna.save()
    assert absence.do_set_leave(anna, True) == 1
    case.refresh_from_db()
    assert authority.acting_agent(case) == ben and case.owner == anna
    assert absence.covered_cases(ben) == [case]
    tasks()
    [notice] = mail.outbox
    assert "Ben Wagner" in notice.body and "Anna Schmidt" in notice.body
    assert "Ben Wagner for Anna Schmidt" in notice.from_email or "Ben Wagner für Anna Schmidt" in notice.from_email
    mail.outbox = []
    reply = cases.do_reply(case, ben, "Ich habe den Zähler geprüft.")
    assert reply.on_behalf_of == anna
    tasks()
    assert mail.outbox[0].from_email.startswith('"Ben Wagner') and "Anna Schmidt" in mail.outbox[0].from_email
    assert "anna+" in mail.outbox[0].from_email  # the reply address stays the owner's
    # The customer answers: same case, same owner.
    again = email(
        brand := case.brand,
        "jana@example.org",
        "Re: Zähler",
        "Danke!",
        to=f"anna+{case.reply_token}@{brand.mail_domain}",
    )
    assert again.pk == case.pk and Case.objects.get(pk=case.pk).owner == anna
    mail.outbox = []
    absence.do_set_leave(anna, False)
    tasks()
    assert any("Anna Schmidt" in m.body for m in mail.outbox)
    assert authority.acting_agent(Case.objects.get(pk=case.pk)) == anna


def test_reassignment_tells_the_new_name(case, agents, tasks):
    cases.do_reassign(case, agents["anna"], agents["ben"], "Ben kennt den Zählertyp")
    tasks()
    assert "Ben Wagner" in mail.outbox[-1].body
