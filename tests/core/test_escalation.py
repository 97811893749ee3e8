"""Escalation: beyond one's authority the decision goes to someone who has it; the owner stays; the customer is told."""

import pytest
from django.core import mail

from anliegen.core.models import Escalation, Membership
from anliegen.core.services import escalation
from anliegen.core.services.escalation import EscalationError
from tests.promises.factories import webform


@pytest.fixture(autouse=True)
def _fast(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def case(brand, agents):
    case = webform(brand, "jana@example.org", "Abschlag", "Mein Abschlag ist viel zu hoch.", "s1", name="Jana Krüger")
    assert case.owner == agents["anna"]
    return case


def test_escalation_goes_to_someone_with_authority_and_the_customer_is_told_by_name(case, agents, tasks):
    tasks()
    mail.outbox = []
    esc = escalation.check_escalate(case, agents["anna"], {"credit_max_cents": 8000}, "Kundin möchte 80 € Gutschrift")
    assert (esc.from_agent, esc.to_agent, esc.state) == (agents["anna"], agents["claire"], "open")
    case.refresh_from_db()
    assert case.owner == agents["anna"]  # the owner stays the owner
    assert case.needs["credit_max_cents"] == 8000
    assert case.events.filter(kind="escalated", actor=agents["anna"]).exists()
    tasks()
    [notice] = mail.outbox
    assert notice.to == ["jana@example.org"]
    assert "Claire Miller" in notice.body and "80,00 EUR" in notice.body  # German case, German amount
    assert "nicht wiederholen" in notice.body or "do not need to repeat" in notice.body
    assert escalation.open_for(agents["claire"]) == [esc]
    assert escalation.open_for(agents["ben"]) == []


def test_escalation_prefers_a_present_colleague_over_the_supervisor(case, agents):
    agents["ben"].authority = {"credit_max_cents": 10000}
    agents["ben"].save()
    esc = escalation.check_escalate(case, agents["anna"], {"credit_max_cents": 8000}, "80 € Gutschrift")
    assert esc.to_agent == agents["ben"]


def test_supervisor_is_the_fallback_when_nobody_has_the_authority(case, agents):
    esc = escalation.check_escalate(case, agents["anna"], {"credit_max_cents": 900000}, "9000 € Entschädigung")
    assert esc.to_agent == agents["claire"]


def test_refusals_are_clear(case, agents, other_brand):
    anna = agents["anna"]
    with pytest.raises(EscalationError, match="decide it yourself"):
        escalation.check_escalate(case, anna, {"credit_max_cents": 2000}, "20 €")
    with pytest.raises(EscalationError, match="unknown need"):
        escalation.check_escalate(case, anna, {"free_beer": True}, "x")
    with pytest.raises(EscalationError, match="positive amount"):
        escalation.check_escalate(case, anna, {"credit_max_cents": -5}, "x")
    with pytest.raises(EscalationError, match="say what is to be decided"):
        escalation.check_escalate(case, anna, {"may_cancel_contract": True}, "  ")
    with pytest.raises(EscalationError, match="do not work for this brand"):
        escalation.check_escalate(case, other_brand.agents.get(), {"may_cancel_contract": True}, "x")
    escalation.check_escalate(case, anna, {"may_cancel_contract": True}, "Kündigung zum Monatsende")
    with pytest.raises(EscalationError, match="already escalated"):
        escalation.check_escalate(case, anna, {"may_cancel_contract": True}, "noch mal")


def test_nobody_to_decide_is_refused(case, agents):
    Membership.objects.filter(role="supervisor").update(role="agent")
    agents["claire"].authority = {}
    agents["claire"].save()
    with pytest.raises(EscalationError, match="nobody at this brand"):
        escalation.check_escalate(case, agents["anna"], {"may_cancel_contract": True}, "Kündigung")


def test_resolve_by_the_decider_or_a_supervisor_only(case, agents):
    agents["ben"].authority = {"may_cancel_contract": True}
    agents["ben"].save()
    esc = escalation.check_escalate(case, agents["anna"], {"may_cancel_contract": True}, "Kündigung")
    assert esc.to_agent == agents["ben"]
    with pytest.raises(EscalationError, match="only the colleague asked"):
        escalation.check_resolve(esc, agents["anna"], "done")
    with pytest.raises(EscalationError, match="write down the decision"):
        escalation.check_resolve(esc, agents["ben"], "")
    escalation.check_resolve(esc, agents["claire"], "Kündigung zum 31. bestätigt")
    esc.refresh_from_db()
    assert (esc.state, esc.resolved_by) == (Escalation.State.RESOLVED, agents["claire"])
    with pytest.raises(EscalationError, match="already resolved"):
        escalation.check_resolve(esc, agents["ben"], "again")
