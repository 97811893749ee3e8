"""The promise ledger: within one's authority, clear refusals, kept with evidence and the customer told."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from anliegen.core.models import Identity
from anliegen.promises.models import Promise
from anliegen.promises.services import PromiseError, PromiseInput, check_create_promise, do_break, do_cancel, do_keep
from tests.promises.factories import webform


@pytest.fixture
def case(brand, agents, tasks):
    case = webform(brand, "jana@example.org", "Ausfall", "Der Strom war zwei Tage weg.", "s1", name="Jana Krüger")
    tasks()
    mail.outbox = []
    return case


def soon(hours: int = 24):
    return timezone.now() + timedelta(hours=hours)


def test_credit_within_authority_is_recorded_with_owner_and_creator(case, agents):
    p = check_create_promise(case, agents["anna"], PromiseInput("credit", soon(), amount_cents=2000))
    assert (p.state, p.owner, p.created_by, p.amount_cents, p.brand_id) == (
        "open",
        agents["anna"],
        agents["anna"],
        2000,
        case.brand_id,
    )
    assert case.events.filter(kind="promise", data__state="promised").exists()


def test_credit_beyond_authority_is_refused_with_the_limit(case, agents):
    with pytest.raises(PromiseError, match=r"80.00 EUR is beyond your authority \(up to 20.00 EUR\)"):
        check_create_promise(case, agents["ben"], PromiseInput("credit", soon(), amount_cents=8000))
    with pytest.raises(PromiseError, match="may not promise a device replacement"):
        check_create_promise(case, agents["ben"], PromiseInput("replacement", soon()))
    assert not Promise.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PromiseInput("credit", soon(), amount_cents=-500), "positive amount"),
        (PromiseInput("credit", soon(), amount_cents=0), "positive amount"),
        (PromiseInput("credit", soon()), "positive amount"),
        (PromiseInput("callback", soon(), amount_cents=100), "only a credit has an amount"),
        (PromiseInput("gift", soon()), "unknown kind"),
        (PromiseInput("custom", soon()), "say what was promised"),
        (PromiseInput("callback", timezone.now() - timedelta(days=1)), "in the past"),
        (PromiseInput("callback", soon(5), window_end=soon(4)), "before its start"),
    ],
)
def test_bad_input_is_refused(case, agents, data, message):
    with pytest.raises(PromiseError, match=message):
        check_create_promise(case, agents["claire"], data)


def test_other_brand_agent_cannot_promise(case, other_brand):
    with pytest.raises(PromiseError, match="do not work for this brand"):
        check_create_promise(case, other_brand.agents.get(), PromiseInput("callback", soon()))


def test_keeping_a_credit_needs_evidence_and_tells_the_customer_in_their_language(case, agents, tasks):
    p = check_create_promise(case, agents["anna"], PromiseInput("credit", soon(), amount_cents=2000))
    with pytest.raises(PromiseError, match="booking reference"):
        do_keep(p, agents["anna"], "")
    do_keep(p, agents["anna"], "GS-2025-0815")
    p.refresh_from_db()
    assert (p.state, p.evidence) == ("kept", "GS-2025-0815") and p.closed_at is not None
    tasks()
    [notice] = mail.outbox
    assert notice.to == ["jana@example.org"]
    assert "Ihre Gutschrift über 20,00 EUR wurde heute gebucht." in notice.body or "20,00 EUR" in notice.body
    # The reference is personal: the address is not verified, so it is left out.
    assert "GS-2025-0815" not in notice.body
    with pytest.raises(PromiseError, match="already"):
        do_keep(p, agents["anna"], "again")


def test_kept_credit_in_english_shows_reference_to_a_verified_address(brand, agents, tasks):
    case = webform(brand, "sam@example.org", "Outage", "The power was off for two days.", "s2", name="Sam Hill")
    assert case.language == "en"
    Identity.objects.filter(value="sam@example.org").update(verified=True)
    tasks()
    mail.outbox = []
    p = check_create_promise(case, agents["anna"], PromiseInput("credit", soon(), amount_cents=2000))
    do_keep(p, agents["anna"], "CR-77")
    tasks()
    body = mail.outbox[-1].body
    assert "Your credit of 20.00 EUR was booked today." in body
    assert "CR-77" in body


def test_break_and_cancel_need_a_reason(case, agents):
    a = check_create_promise(case, agents["anna"], PromiseInput("callback", soon(), window_end=soon(26)))
    b = check_create_promise(case, agents["anna"], PromiseInput("reply_by", soon()))
    with pytest.raises(PromiseError, match="give a reason"):
        do_cancel(a, agents["anna"], "")
    do_cancel(a, agents["anna"], "Kundin hat selbst angerufen")
    do_break(b, agents["anna"], "Techniker krank")
    assert sorted(Promise.objects.values_list("state", "reason")) == [
        ("broken", "Techniker krank"),
        ("cancelled", "Kundin hat selbst angerufen"),
    ]
